"""Generate ``src/innoproc/_holiday_table.py``: Norway's public holidays for a range of years,
taken from the ``holidays`` package, so that computing a time limit does not import it.

Run at release time (and whenever ``holidays`` changes Norway's calendar):

    .venv/bin/python tools/gen_holiday_table.py

``tests/test_holiday_table.py`` checks that the table equals what the installed ``holidays``
says for every year of its range (every year ``holidays`` knows Norway's holidays for);
outside the range innoproc asks ``holidays`` itself.
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path

import holidays

#: Every year the holidays package knows Norway's holidays for (it knows none outside them).
FIRST_YEAR = holidays.country_holidays("NO").start_year
LAST_YEAR = holidays.country_holidays("NO").end_year
TARGET = Path(__file__).resolve().parent.parent / "src" / "innoproc" / "_holiday_table.py"

HEADER = '''"""Norway's public holidays, {first} to {last}, generated from ``holidays`` {version}.

Do not edit: ``tools/gen_holiday_table.py`` writes this file, and
``tests/test_holiday_table.py`` checks it against the installed ``holidays``. Each year's
holidays are written as month and day (``MMDD``); Sundays are not listed unless a holiday
falls on one (Regulation 1182/71 counts Sundays apart in any case).
"""

#: The first and the last year of the table.
FIRST_YEAR = {first}
LAST_YEAR = {last}
#: The ``holidays`` release the table was generated from.
SOURCE_VERSION = "{version}"

#: For each year, its public holidays as ``MMDD``, in order.
DAYS: dict[int, str] = {{
'''


def days(first: int, last: int) -> dict[int, str]:
    """Each year's holidays as the table writes them."""
    return {
        year: " ".join(f"{d:%m%d}" for d in sorted(holidays.country_holidays("NO", years=year)))
        for year in range(first, last + 1)
    }


def generate(first: int, last: int) -> str:
    lines = [HEADER.format(first=first, last=last, version=holidays.__version__)]
    for year, listed in days(first, last).items():
        lines.append(f'    {year}: "{listed}",\n')
    lines.append("}\n")
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=FIRST_YEAR)
    parser.add_argument("--last", type=int, default=LAST_YEAR)
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if the table's years or holidays differ from the installed holidays package",
    )
    args = parser.parse_args()
    if args.check:
        table = runpy.run_path(str(TARGET))
        if table["DAYS"] != days(args.first, args.last) or (
            table["FIRST_YEAR"],
            table["LAST_YEAR"],
        ) != (args.first, args.last):
            raise SystemExit(f"{TARGET} is out of date: run tools/gen_holiday_table.py")
        return
    TARGET.write_text(generate(args.first, args.last), "utf-8")
    print(f"wrote {TARGET} ({args.first}-{args.last})")


if __name__ == "__main__":
    main()
