#!/usr/bin/env python3
"""Writes the replay fuzzer's seed corpus: the DHCP sample messages of
emulator/dhcp/fuzz/corpus, each wrapped in an Ethernet/IPv4/UDP frame, as
records of [link selector][time step][length, 2 bytes][frame].

    python3 emulator/server/fuzz/make_seeds.py   (from the project root)
"""
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "emulator/dhcp/fuzz/corpus"
OUT = ROOT / "emulator/server/fuzz/corpus"


def frame(payload, src_port=68, dst_port=67, src=b"\0\0\0\0", dst=b"\xff\xff\xff\xff"):
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, dst)
    return b"\xff" * 6 + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + udp


def record(data, step=1, link=0):
    return bytes([link, step]) + struct.pack("!H", len(data)) + data


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    samples = {p.name: p.read_bytes() for p in sorted(SAMPLES.iterdir())}
    for selector, mode in ((0, "model"), (1, "capture"), (2, "auto"), (6, "auto_legacy")):
        for name, payload in samples.items():
            seed = bytes([selector]) + record(frame(payload)) + record(frame(payload), step=0)
            (OUT / f"{mode}_{name}").write_bytes(seed)
        everything = bytes([selector | 8]) + b"".join(
            record(frame(p), step=3) for p in samples.values())
        (OUT / f"{mode}_all_samples").write_bytes(everything)


if __name__ == "__main__":
    main()
