"""OpenPGP clear signatures with a well-formed DSA signature packet (key not in anyone's
keyring: gpg says "No public key").
"""

from __future__ import annotations

import base64
import hashlib
import struct


def _crc24(data):
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def clearsign(text, rng, when, keyid):
    lines = [ln.rstrip(" \t") for ln in text.rstrip("\n").split("\n")]
    data = "\r\n".join(lines).encode("ascii")
    created = int(when.timestamp())
    hashed_sub = bytes([5, 2]) + struct.pack(">I", created)
    hashed = bytes([4, 0x01, 17, 2]) + struct.pack(">H", len(hashed_sub)) + hashed_sub
    unhashed = bytes([9, 16]) + keyid
    digest = hashlib.sha1(data + hashed + b"\x04\xff" + struct.pack(">I", len(hashed))).digest()

    def mpi(bits):
        v = rng.getrandbits(bits) | (1 << (bits - 1))
        return struct.pack(">H", bits) + v.to_bytes(bits // 8, "big")

    body = hashed + struct.pack(">H", len(unhashed)) + unhashed + digest[:2] + mpi(160) + mpi(160)
    packet = bytes([0x88, len(body)]) + body
    b64 = base64.b64encode(packet).decode("ascii")
    crc = base64.b64encode(_crc24(packet).to_bytes(3, "big")).decode("ascii")
    escaped = [("- " + ln) if ln.startswith("-") else ln for ln in lines]
    out = ["-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA1", ""] + escaped
    out += ["-----BEGIN PGP SIGNATURE-----", "Version: GnuPG v1.4.7 (GNU/Linux)", ""]
    out += [b64[i:i + 64] for i in range(0, len(b64), 64)]
    out += ["=" + crc, "-----END PGP SIGNATURE-----", ""]
    return "\n".join(out)
