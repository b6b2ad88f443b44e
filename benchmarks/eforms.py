"""Reading and checking eForms notices: notices per second over a generated batch.

Run from the repository after the quick start's test command:

    .venv/bin/python benchmarks/eforms.py              # 3000 notices
    .venv/bin/python benchmarks/eforms.py --count 500  # fewer

The batch is generated from three templates shipped as test data: the eForms SDK's
``cn_24_maximal.xml`` (75 KB, two lots and a lots group), ``cn_24_minimal.xml`` (11 KB) and
``cn_25.xml`` (21 KB), each copy with its own notice id and its dispatch date and deadlines
moved by a different number of days (so holiday tables for several years are used). The
batch is built in memory first, so file system time is not measured. Reported: notices per
second for reading, for checking and for both, and the median milliseconds to read and check
the 75 KB notice alone.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from innoproc.eforms import check_notice, read_notice  # noqa: E402

DATA = ROOT / "tests" / "data" / "eforms"
TEMPLATES = ("cn_24_maximal.xml", "cn_24_minimal.xml", "cn_25.xml")
_DATE = re.compile(rb"(<cbc:(?:IssueDate|EndDate)>)(\d{4}-\d{2}-\d{2})")
_ID = re.compile(rb'(<cbc:ID schemeName="notice-id">)[^<]+')


def generate(count: int) -> list[bytes]:
    """``count`` notices made from the templates, each with its own id and dates."""
    templates = [(DATA / name).read_bytes() for name in TEMPLATES]
    batch = []
    for i in range(count):
        shift = timedelta(days=(i * 7) % 1500)

        def moved(m: re.Match[bytes], shift: timedelta = shift) -> bytes:
            day = date.fromisoformat(m.group(2).decode()) + shift
            return m.group(1) + day.isoformat().encode()

        doc = _DATE.sub(moved, templates[i % len(templates)])
        new_id = str(uuid.UUID(int=i)).encode()
        doc = _ID.sub(lambda m, new_id=new_id: m.group(1) + new_id, doc, count=1)
        batch.append(doc)
    return batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000, help="notices in the batch (3000)")
    args = parser.parse_args()
    batch = generate(args.count)
    size = sum(len(doc) for doc in batch)
    check_notice(read_notice(batch[0]))  # warm up: imports and the first holiday tables

    started = time.perf_counter()
    notices = [read_notice(doc) for doc in batch]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    verdicts = [check_notice(n) for n in notices]
    check_s = time.perf_counter() - started
    unmet = sum(not v.ok for v in verdicts)

    big = (DATA / "cn_24_maximal.xml").read_bytes()
    singles = []
    for _ in range(200):
        t = time.perf_counter()
        check_notice(read_notice(big))
        singles.append(time.perf_counter() - t)

    print(f"batch: {len(batch)} notices, {size / 1e6:.1f} MB, {unmet} with a time limit too short")
    print(f"read:            {len(batch) / read_s:8.0f} notices/s")
    print(f"check:           {len(batch) / check_s:8.0f} notices/s")
    print(f"read and check:  {len(batch) / (read_s + check_s):8.0f} notices/s")
    print(f"75 KB notice:    {statistics.median(singles) * 1000:8.2f} ms (median of 200)")


if __name__ == "__main__":
    main()
