#!/usr/bin/python3
"""Synthetic Internet routing table and lookup queries for the lookup benchmark.

    gen_prefixes.py --out DIR [--v4 1000000] [--v6 200000] [--queries 10000000]
                    [--v6-queries 1000000] [--seed 20261123]

Writes into DIR:
  prefix2as.txt        CAIDA RouteViews prefix2as lines, `prefix<TAB>length<TAB>asn`, IPv4 then
                       IPv6, each sorted by address; a multi-origin prefix has `asn1_asn2`, an
                       AS set `asn1,asn2` (the origin that counts is the first number)
  random_v4.bin        --queries IPv4 addresses, uniform over public unicast space
  clustered_v4.bin     --queries IPv4 addresses inside announced prefixes, popular prefixes
                       (Zipf) hit in bursts of nearby addresses
  v6_queries.bin       --v6-queries IPv6 addresses, 80% clustered like the IPv4 ones, 20%
                       uniform over the RIR pools
  manifest.json        the parameters, counts, the prefix-length histogram and file names
IPv4 query files are little-endian uint32 (host order value); IPv6 ones 16 bytes each in
network byte order.

The table looks like today's Internet (about 1M IPv4 and 200k IPv6 routes): /24 about 60%,
/22-/23 20%, /16-/21 17%, shorter 2%, longer than /24 1%. About half of the prefixes are
more specifics of an announced covering prefix (deaggregation and customer routes, many /24s
inside /16-/20s); the others are allocations of their own in otherwise unannounced space, so
a random public address falls in an announced prefix about 83% of the time. /24s come in
runs of adjacent networks; origins follow a heavy-tailed AS size distribution. Only public unicast
space is used: no prefix overlaps 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24 or
224/3; IPv6 prefixes lie in the RIR pools (2001:4000::/18, 2400::/12, 2600::/12, 2800::/12,
2a00::/12, 2c00::/12), so none touches 2001::/23, 2001:db8::/32, 2002::/16 or ::ffff:0:0/96.

Deterministic: the same arguments give byte-identical files. Standard library only.
"""

import argparse
import array
import bisect
import ipaddress
import itertools
import json
import random
import sys
import time
from pathlib import Path

DEFAULT_SEED = 20261123

# Prefixes per million IPv4 routes, by length.
V4_LENGTHS = {
    8: 10, 9: 10, 10: 40, 11: 150, 12: 600, 13: 2000, 14: 5500, 15: 11690,     # 2%
    16: 14000, 17: 9000, 18: 15000, 19: 26000, 20: 44000, 21: 62000,           # 17%
    22: 115000, 23: 85000,                                                      # 20%
    24: 600000,                                                                 # 60%
    25: 2500, 26: 1800, 27: 1500, 28: 1200, 29: 1000, 30: 700, 31: 200, 32: 1100,  # 1%
}
# Share of each length placed inside an announced shorter prefix, and the lengths (with
# weights) its covering prefix is drawn from.
V4_NESTING = [
    (range(8, 13), 0.5, {8: 1, 9: 1, 10: 2, 11: 3}),
    (range(13, 16), 0.8, {8: 1, 9: 1, 10: 1, 11: 2, 12: 2, 13: 2, 14: 2}),
    (range(16, 22), 0.35, {10: 1, 11: 1, 12: 2, 13: 2, 14: 2, 15: 2, 16: 3}),
    (range(22, 24), 0.45, {14: 1, 15: 1, 16: 4, 17: 2, 18: 2, 19: 3, 20: 3, 21: 2}),
    (range(24, 25), 0.45, {16: 4, 17: 2, 18: 2, 19: 3, 20: 4, 21: 2, 22: 3, 23: 1}),
    (range(25, 33), 0.85, {22: 1, 23: 1, 24: 8}),
]
# A prefix placed on its own (not as a more specific) is an allocation of its own: it goes
# to space no announced prefix covers, except for this share.
V4_COVERED_ANYWAY = 0.05
SPECIAL_V4 = [("0.0.0.0", 8), ("10.0.0.0", 8), ("100.64.0.0", 10), ("127.0.0.0", 8),
              ("169.254.0.0", 16), ("172.16.0.0", 12), ("192.0.0.0", 24), ("192.0.2.0", 24),
              ("192.88.99.0", 24), ("192.168.0.0", 16), ("198.18.0.0", 15),
              ("198.51.100.0", 24), ("203.0.113.0", 24), ("224.0.0.0", 3)]

# Prefixes per 200,000 IPv6 routes, by length (the remainder goes to /48).
V6_LENGTHS = {
    19: 20, 20: 60, 22: 60, 23: 40, 24: 150, 25: 120, 26: 200, 27: 300, 28: 2000, 29: 8000,
    30: 1500, 31: 500, 32: 24000, 33: 3000, 34: 2000, 35: 1500, 36: 8000, 37: 1000, 38: 2000,
    39: 1000, 40: 14000, 41: 1000, 42: 3000, 43: 1000, 44: 16000, 45: 2000, 46: 6000,
    47: 4000, 48: 0, 56: 300, 64: 300,
}
V6_SHARE_48 = 0.45
V6_POOLS = [("2001:4000::", 18, 0.03), ("2400::", 12, 0.25), ("2600::", 12, 0.27),
            ("2800::", 12, 0.08), ("2a00::", 12, 0.35), ("2c00::", 12, 0.02)]
V6_NESTING_SHARE = 0.8   # /33 and longer inside an announced /19-/32 (or /33-/47)

N_ASNS = 75_000
ZIPF_AS = 0.8        # prefixes per origin AS: heavy tailed
ZIPF_TRAFFIC = 0.9   # queries per prefix in the clustered sets
SAME_ORIGIN = 0.5    # a nested route has its covering route's origin (deaggregation)
MOAS = 0.005         # share of multi-origin prefixes (asn1_asn2)
AS_SET = 0.0002      # share with an AS set (asn1,asn2)


def log(msg):
    print(f"gen_prefixes: {msg}", file=sys.stderr, flush=True)


def ip4(text):
    return int(ipaddress.IPv4Address(text))


class Origins:
    """A pool of origin ASNs, 16- and 32-bit, drawn with Zipf weights."""

    def __init__(self, rng):
        self.rng = rng
        small = [a for a in range(1, 64496) if a != 23456]
        big = range(131072, 402000)
        pool = rng.sample(small, N_ASNS * 6 // 10) + rng.sample(big, N_ASNS - N_ASNS * 6 // 10)
        rng.shuffle(pool)
        self.pool = pool
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** ZIPF_AS for i in range(len(pool))))

    def draw(self):
        return self.pool[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def label(self, asn, rng):
        """The origin field: usually `asn`, sometimes a multi-origin pair or an AS set."""
        r = rng.random()
        if r < MOAS:
            return f"{asn}_{self.pool[rng.randrange(len(self.pool))]}"
        if r < MOAS + AS_SET:
            return f"{asn},{self.pool[rng.randrange(len(self.pool))]}"
        return str(asn)


def counts_for(table, total, fill_length=None, fill_share=None):
    """Scales a per-length table to `total` prefixes."""
    if fill_length is not None:
        rest = total - round(total * fill_share)
        weight = sum(table.values())
        counts = {k: round(v * rest / weight) for k, v in table.items() if v}
        counts[fill_length] = total - sum(counts.values())
        return dict(sorted(counts.items()))
    weight = sum(table.values())
    counts = {k: round(v * total / weight) for k, v in table.items()}
    counts[24] += total - sum(counts.values())
    return counts


# --- IPv4 -----------------------------------------------------------------------------
class V4Space:
    def __init__(self, rng):
        self.rng = rng
        self.special = [(ip4(a), n) for a, n in SPECIAL_V4]
        self.public_octets = [o for o in range(1, 224) if not self._bad_octet(o)]
        self.special_octets = {a >> 24 for a, n in self.special if n >= 8}

    def _bad_octet(self, o):
        return any(n <= 8 and (o << 24) >> (32 - n) == a >> (32 - n) for a, n in self.special)

    def overlaps_special(self, net, length):
        if length >= 8 and (net >> 24) not in self.special_octets:
            return False
        for a, n in self.special:
            m = min(n, length)
            if net >> (32 - m) == a >> (32 - m):
                return True
        return False

    def random_prefix(self, length):
        top = self.rng.choice(self.public_octets)
        net = (top << 24) | self.rng.getrandbits(24)
        return net & mask4(length)


def mask4(length):
    return (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF if length else 0


def gen_v4(rng, total, origins):
    space = V4Space(rng)
    counts = counts_for(V4_LENGTHS, total)
    seen = {}                      # (net, length) -> origin asn
    by_length = {n: [] for n in range(33)}

    def nesting_for(length):
        for lengths, share, parents in V4_NESTING:
            if length in lengths:
                return share, parents
        return 0.0, {}

    present = {n: set() for n in range(33)}

    def covered(net, shorter):
        for m, nets in shorter:
            if net & m in nets:
                return True
        return False

    def add(net, length, asn):
        if (net, length) in seen or space.overlaps_special(net, length):
            return False
        seen[(net, length)] = asn
        by_length[length].append(net)
        present[length].add(net)
        return True

    for length in sorted(counts):
        want = counts[length]
        share, parents = nesting_for(length)
        parent_lengths = [p for p in parents if p < length and by_length[p]]
        parent_weights = [parents[p] for p in parent_lengths]
        if length < 16:
            # Few short parents: weigh each length by its free room too, or they fill up.
            parent_weights = [w * len(by_length[p]) << (length - p)
                              for w, p in zip(parent_weights, parent_lengths)]
        # The announced shorter prefixes, most numerous first (they fill while this length is
        # placed only at this length).
        shorter = sorted(((mask4(p), present[p]) for p in range(8, length) if present[p]),
                         key=lambda e: -len(e[1]))
        made = attempts = 0
        while made < want:
            attempts += 1
            if attempts > want * 20 + 1000:
                raise SystemExit(f"gen_prefixes: cannot place {want} /{length} prefixes")
            # Nested or not is decided once per placement; candidates are then drawn until
            # one is new (and, for an allocation of its own, lies in free space).
            nested = parent_lengths and rng.random() < share
            for _ in range(200):
                if nested:
                    pl = rng.choices(parent_lengths, parent_weights)[0]
                    parent = rng.choice(by_length[pl])
                    net = parent | (rng.getrandbits(length - pl) << (32 - length))
                    if (net, length) not in seen:
                        break
                else:
                    net = space.random_prefix(length)
                    if (net, length) not in seen and (
                            not covered(net, shorter) or rng.random() < V4_COVERED_ANYWAY):
                        break
            if nested:
                asn = seen[(parent, pl)] if rng.random() < SAME_ORIGIN else origins.draw()
                limit = parent | ((1 << (32 - pl)) - 1)
            else:
                asn = origins.draw()
                limit = 0xFFFFFFFF
            # /24s come in runs of adjacent networks (a block announced piecewise).
            run = 1
            if length == 24:
                while run < 16 and rng.random() < 0.6:
                    run += 1
            step = 1 << (32 - length)
            for i in range(run):
                n = net + i * step
                if n > limit or made >= want:
                    break
                if add(n, length, asn):
                    made += 1
    return seen


def write_v4(f, seen, origins, rng):
    for (net, length) in sorted(seen):
        asn = seen[(net, length)]
        f.write(f"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}.{net & 255}\t{length}\t"
                f"{origins.label(asn, rng)}\n")


# --- IPv6 -----------------------------------------------------------------------------
def gen_v6(rng, total, origins):
    counts = counts_for(V6_LENGTHS, total, fill_length=48, fill_share=V6_SHARE_48)
    pools = [(int(ipaddress.IPv6Address(a)), n) for a, n, _ in V6_POOLS]
    pool_weights = [w for _, _, w in V6_POOLS]
    seen = {}
    by_length = {n: [] for n in range(129)}
    for length in sorted(counts):
        want = counts[length]
        parent_lengths = [p for p in range(19, length) if by_length[p]]
        share = 0.25 if length <= 32 else V6_NESTING_SHARE
        # Covering prefixes of /29-/32 (the usual LIR allocations) are the common parents.
        parent_weights = [(8 if 29 <= p <= 32 else 2 if p < 29 else 1) * len(by_length[p])
                          for p in parent_lengths]
        made = attempts = 0
        while made < want:
            attempts += 1
            if attempts > want * 50 + 1000:
                raise SystemExit(f"gen_prefixes: cannot place {want} /{length} IPv6 prefixes")
            if parent_lengths and rng.random() < share:
                pl = rng.choices(parent_lengths, parent_weights)[0]
                parent = rng.choice(by_length[pl])
                net = parent | (rng.getrandbits(length - pl) << (128 - length))
                asn = seen[(parent, pl)] if rng.random() < SAME_ORIGIN else origins.draw()
            else:
                base, bl = rng.choices(pools, pool_weights)[0]
                net = base | (rng.getrandbits(length - bl) << (128 - length))
                asn = origins.draw()
            if (net, length) in seen:
                continue
            seen[(net, length)] = asn
            by_length[length].append(net)
            made += 1
    return seen, pools, pool_weights


def write_v6(f, seen, origins, rng):
    for (net, length) in sorted(seen):
        f.write(f"{ipaddress.IPv6Address(net).compressed}\t{length}\t"
                f"{origins.label(seen[(net, length)], rng)}\n")


# --- queries --------------------------------------------------------------------------
def random_v4_queries(rng, n, space_rng_seed):
    space = V4Space(random.Random(space_rng_seed))
    ok_top = bytearray(256)
    for o in space.public_octets:
        ok_top[o] = 1
    special_tops = space.special_octets
    special = [(a, n_) for a, n_ in space.special if n_ > 8]
    out = array.array("I")
    while len(out) < n:
        chunk = array.array("I")
        chunk.frombytes(rng.randbytes(4 * min(n, 1 << 22)))
        for u in chunk:
            top = u >> 24
            if not ok_top[top]:
                continue
            if top in special_tops and any(u >> (32 - m) == a >> (32 - m) for a, m in special):
                continue
            out.append(u)
        del out[n:]
    return out


def zipf_cum(n, s):
    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


def burst_lengths(rng, n, mean):
    """Lengths of bursts (geometric, given mean) adding up to exactly n."""
    p = 1.0 / mean
    out = []
    left = n
    while left > 0:
        k = 1
        while rng.random() > p and k < 64:
            k += 1
        k = min(k, left)
        out.append(k)
        left -= k
    return out


def clustered_v4_queries(rng, n, seen):
    """Addresses inside announced prefixes: a burst picks a prefix by popularity (Zipf over a
    random ranking), then a /24 (or the prefix itself when longer) inside it, then draws
    hosts there; the next burst usually moves elsewhere, popular prefixes recur."""
    prefixes = list(seen)
    prefixes.sort()
    rng.shuffle(prefixes)               # the popularity ranking
    cum = zipf_cum(len(prefixes), ZIPF_TRAFFIC)
    bursts = burst_lengths(rng, n, 6.0)
    picks = rng.choices(prefixes, cum_weights=cum, k=len(bursts))
    out = array.array("I")
    getrandbits = rng.getrandbits
    for (net, length), k in zip(picks, bursts):
        if length < 24:
            base = net | (getrandbits(24 - length) << 8)
            host_bits = 8
        else:
            base = net
            host_bits = 32 - length
        if host_bits == 0:
            out.extend([base] * k)
        else:
            for _ in range(k):
                out.append(base | getrandbits(host_bits))
    return out


def v6_queries(rng, n, seen, pools, pool_weights):
    """80% like the clustered IPv4 set (a /64 inside a popular prefix, hosts within it), 20%
    uniform over the RIR pools. 16 bytes each, network order."""
    prefixes = sorted(seen)
    rng.shuffle(prefixes)
    cum = zipf_cum(len(prefixes), ZIPF_TRAFFIC)
    clustered = round(n * 0.8)
    bursts = burst_lengths(rng, clustered, 4.0)
    picks = rng.choices(prefixes, cum_weights=cum, k=len(bursts))
    addrs = []
    for (net, length), k in zip(picks, bursts):
        if length < 64:
            base = net | (rng.getrandbits(64 - length) << 64)
            host_bits = 64
        else:
            base = net
            host_bits = 128 - length
        for _ in range(k):
            addrs.append(base | (rng.getrandbits(host_bits) if host_bits else 0))
    for _ in range(n - clustered):
        base, bl = rng.choices(pools, pool_weights)[0]
        addrs.append(base | rng.getrandbits(128 - bl))
    # Interleave the uniform ones among the bursts, keeping each burst's order.
    uniform = addrs[clustered:]
    del addrs[clustered:]
    slots = sorted(rng.sample(range(n), len(uniform)))
    merged = []
    ai = ui = 0
    for i in range(n):
        if ui < len(uniform) and slots[ui] == i:
            merged.append(uniform[ui])
            ui += 1
        else:
            merged.append(addrs[ai])
            ai += 1
    return b"".join(a.to_bytes(16, "big") for a in merged)


def write_u32le(path, values):
    if sys.byteorder != "little":
        values = array.array("I", values)
        values.byteswap()
    assert values.itemsize == 4
    with open(path, "wb") as f:
        values.tofile(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory for the files")
    ap.add_argument("--v4", type=int, default=1_000_000, help="IPv4 prefixes (1000000)")
    ap.add_argument("--v6", type=int, default=200_000, help="IPv6 prefixes (200000)")
    ap.add_argument("--queries", type=int, default=10_000_000,
                    help="addresses in each IPv4 query file (10000000)")
    ap.add_argument("--v6-queries", type=int, default=1_000_000,
                    help="addresses in the IPv6 query file (1000000)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    if args.v4 < 1000 or args.v6 < 1000 or args.queries < 1 or args.v6_queries < 1:
        ap.error("--v4 and --v6 must be at least 1000, the query counts at least 1")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    # One generator per product, so changing one count leaves the other files alone.
    origins = Origins(random.Random(args.seed))
    v4 = gen_v4(random.Random(args.seed + 1), args.v4, origins)
    v6, pools, pool_weights = gen_v6(random.Random(args.seed + 2), args.v6, origins)
    with open(out / "prefix2as.txt", "w", encoding="ascii", newline="\n") as f:
        label_rng = random.Random(args.seed + 3)
        write_v4(f, v4, origins, label_rng)
        write_v6(f, v6, origins, label_rng)
    log(f"{len(v4):,} IPv4 and {len(v6):,} IPv6 prefixes in {time.perf_counter() - t0:.1f} s")

    t1 = time.perf_counter()
    write_u32le(out / "random_v4.bin",
                random_v4_queries(random.Random(args.seed + 4), args.queries, args.seed))
    write_u32le(out / "clustered_v4.bin",
                clustered_v4_queries(random.Random(args.seed + 5), args.queries, v4))
    (out / "v6_queries.bin").write_bytes(
        v6_queries(random.Random(args.seed + 6), args.v6_queries, v6, pools, pool_weights))
    log(f"queries in {time.perf_counter() - t1:.1f} s")

    hist4 = {}
    for _, length in v4:
        hist4[length] = hist4.get(length, 0) + 1
    hist6 = {}
    for _, length in v6:
        hist6[length] = hist6.get(length, 0) + 1
    manifest = {
        "generator": "bench/lookup/gen_prefixes.py",
        "seed": args.seed,
        "v4_prefixes": len(v4),
        "v6_prefixes": len(v6),
        "v4_lengths": {str(k): hist4[k] for k in sorted(hist4)},
        "v6_lengths": {str(k): hist6[k] for k in sorted(hist6)},
        "files": {
            "prefix2as": "prefix2as.txt",
            "random_v4": {"file": "random_v4.bin", "count": args.queries},
            "clustered_v4": {"file": "clustered_v4.bin", "count": args.queries},
            "v6_queries": {"file": "v6_queries.bin", "count": args.v6_queries},
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    log(f"done in {time.perf_counter() - t0:.1f} s, files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
