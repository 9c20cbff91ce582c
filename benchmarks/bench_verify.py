"""verify throughput on N hard copies next to ``openssl dgst -sha256`` over the same
files, in the same run (page cache warm for both).

    python benchmarks/bench_verify.py [N]

Aim: verify >= 0.9x openssl's throughput.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MODERATOR_NOW", "2026-11-25T10:00:00+01:00")

from moderator.archive.hardcopy import HardCopyFacts, render_hardcopy  # noqa: E402
from moderator.archive.verify import verify_archive  # noqa: E402
from moderator.store import Store, audit  # noqa: E402
from moderator.store.items import item_detail  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from bench_delete import TEACHER, seed  # noqa: E402


def build_archive(store: Store, n: int) -> list[Path]:
    """N distinct files of a real hard copy's size, with their rows."""
    seed(store, 1)
    detail = item_detail(store, "post:P0")
    template = render_hardcopy(detail, HardCopyFacts(
        "abuse", TEACHER, "2026-11-25T10:00:00+01:00", None, "INC-2026-0001", 1, "0" * 64))
    with store.write():
        store.execute("INSERT INTO incidents (number, school_id, opened_at, opened_by)"
                      " VALUES ('INC-2026-0001', 's1', 'x', 'juf')")
        rows, paths = [], []
        for i in range(n):
            rel = f"s1/2026/INC-2026-{i // 100:04d}/post-{i}-00000000.pdf"
            data = template + f"\n% copy {i}\n".encode()
            path = store.archives / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o444)
            paths.append(path)
            digest = hashlib.sha256(data).hexdigest()
            rows.append((1, f"post:{i}", rel, len(data), digest, "0" * 64, "abuse", "juf", "x"))
            # verify derives the expected archive from the chain, as deletion records it
            audit.append(store, "juf", "item.delete", f"post:{i}", {
                "incident": "INC-2026-0001", "path": rel, "sha256": digest,
                "size": len(data), "item_sha256": "0" * 64}, "s1")
        store.executemany(
            "INSERT INTO hardcopies (incident_id, item, path, size, sha256, item_sha256, reason,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return paths


def openssl(paths: list[Path]) -> float:
    t0 = time.perf_counter()
    listing = b"\0".join(str(p).encode() for p in paths)
    subprocess.run(["xargs", "-0", "openssl", "dgst", "-sha256"], input=listing,
                   stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        store = Store(Path(tmp) / "bench.db", Path(tmp) / "archives")
        paths = build_archive(store, n)
        total = sum(p.stat().st_size for p in paths)
        openssl(paths)  # warm the page cache
        o_times, v_times = [], []
        for _ in range(3):
            o_times.append(openssl(paths))
            t0 = time.perf_counter()
            report = verify_archive(store)
            v_times.append(time.perf_counter() - t0)
            assert report.ok and report.checked == n, report.as_dict()
        store.close()
    o, v = min(o_times), min(v_times)
    mb = total / 1e6
    print(f"files: {n}, {mb:.0f} MB (best of 3, warm cache)")
    print(f"openssl dgst -sha256  {o:6.2f} s  {n / o:8.0f} files/s  {mb / o:6.0f} MB/s")
    print(f"moderator verify      {v:6.2f} s  {n / v:8.0f} files/s  {mb / v:6.0f} MB/s"
          "  (incl. unknown-file walk and audit chain)")
    print(f"ratio verify/openssl throughput  {o / v:5.2f}x   (aim >= 0.9x)")


if __name__ == "__main__":
    main()
