"""Addresses: reported IPs and relay IPs (one allocator, so they never collide), and the
documentation-range addresses of the reporters' own servers.
"""

from __future__ import annotations

import ipaddress
import random

from .choice import pick


REGION_OCTETS = {
    "jp": [59, 60, 61, 114, 118, 121, 122, 123, 124, 125, 126, 133, 202, 210, 211, 218, 219,
           220, 221, 222],
    "cn": [58, 59, 60, 61, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123,
           124, 125, 202, 210, 211, 218, 219, 220, 221, 222],
    "kr": [58, 59, 61, 110, 112, 114, 115, 116, 118, 119, 121, 122, 125, 211, 218, 219, 220, 221,
           222],
    "tw": [59, 60, 61, 114, 118, 122, 124, 125, 210, 211, 218, 219, 220],
    "asia": [58, 59, 115, 117, 118, 122, 124, 125, 202, 203, 210],
    "us": [12, 24, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 74, 75, 76, 96, 97, 98, 99, 173, 174,
           204, 205, 206, 207, 208, 209, 216],
    "eu": [62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 193,
           194, 195, 212, 213, 217],
    "ru": [77, 78, 79, 81, 83, 85, 87, 89, 91, 92, 93, 94, 95, 194, 195, 212, 213, 217],
    "latam": [186, 187, 189, 190, 200, 201],
    "au": [58, 59, 60, 110, 114, 115, 121, 124, 125, 202, 203, 210, 211, 220],
    "af": [41, 196, 197],
}

TESTNETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                                   "198.18.0.0/15", "192.88.99.0/24", "100.64.0.0/10")]
M24 = (1 << 24) - 1


def perm24(x):
    """A bijection of 24-bit integers (xorshift-multiply), so distinct counters give distinct IPs."""
    x &= M24
    x ^= x >> 12
    x = (x * 0x2C1B3B) & M24
    x ^= x >> 11
    x = (x * 0x297A2D) & M24
    x ^= x >> 12
    return x


class IPAlloc:
    """Hands out unique realistic public IPv4/IPv6 addresses; every address at most once."""

    def __init__(self, seed):
        self.ctr = {}
        self.salt = random.Random(f"ipalloc:{seed}").randrange(1 << 24)
        self.v6ctr = 0

    def v4(self, rng, region):
        o1 = pick(rng, REGION_OCTETS[region])
        while True:
            k = self.ctr.get(o1, 0)
            self.ctr[o1] = k + 1
            x = perm24(k * 7919 + self.salt + o1 * 104729)
            if (x & 0xFF) in (0, 255, 1):
                continue
            ip = ipaddress.IPv4Address((o1 << 24) | x)
            if not ip.is_global or any(ip in n for n in TESTNETS):
                continue
            return str(ip)

    def v6(self, rng):
        self.v6ctr += 1
        k = self.v6ctr
        style = pick(rng, ["hetzner", "apnic", "ripe"])
        if style == "hetzner":
            return f"2a01:4f8:{0x100 + k * 37 % 0xe00:x}:{k * 211 % 0xffff:x}::{k % 9 + 2:x}"
        if style == "apnic":
            return f"2400:{0x8900 + k * 13 % 0x600:x}:{k * 97 % 0xffff:x}::{0x10 + k:x}"
        return f"2a02:{0x2e0 + k * 7 % 0x100:x}:{k * 1231 % 0xffff:x}:{k:x}::1"


OWN_POOL = ([f"192.0.2.{i}" for i in range(2, 254)] + [f"198.51.100.{i}" for i in range(2, 254)] +
            [f"203.0.113.{i}" for i in range(2, 254)])
