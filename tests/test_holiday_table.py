"""Norway's holiday table, generated from ``holidays``, agrees with ``holidays`` itself."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import holidays
import pytest

from innoproc import _holiday_table as table
from innoproc.deadlines import NORWAY, HolidayCalendar, period

ROOT = Path(__file__).resolve().parent.parent


class TestTable:
    def test_equals_holidays_for_every_year(self) -> None:
        """Every year of the table lists exactly the holidays the holidays package gives."""
        years = range(table.FIRST_YEAR, table.LAST_YEAR + 1)
        assert sorted(table.DAYS) == list(years)
        expected = holidays.country_holidays("NO", years=years)
        for year in years:
            listed = HolidayCalendar("NO")._holidays(year)
            assert listed == {d for d in expected if d.year == year}, year

    def test_covers_every_year_holidays_knows(self) -> None:
        """The table spans every year the holidays package knows Norway's holidays for."""
        known = holidays.country_holidays("NO")
        assert (known.start_year, known.end_year) == (table.FIRST_YEAR, table.LAST_YEAR)
        assert table.FIRST_YEAR <= 1990 and table.LAST_YEAR >= 2090

    def test_generator_is_up_to_date(self) -> None:
        """The file holds what the generator writes from the installed holidays package
        (its years and holidays; the release it was written from may differ)."""
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "gen_holiday_table.py"), "--check"],
            check=True,
        )

    def test_other_years_ask_holidays(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A year the table does not hold is asked of the holidays package, with the same
        answer (the table is shortened here to show it)."""
        shortened = {y: d for y, d in table.DAYS.items() if y != 2024}
        monkeypatch.setattr(table, "DAYS", shortened)
        fresh = HolidayCalendar("NO")
        assert fresh._holidays(2024) == set(holidays.country_holidays("NO", years=2024))
        assert fresh.is_holiday(date(2024, 5, 17))
        assert not fresh.is_holiday(date(2024, 5, 16))

    def test_beyond_the_known_years_only_weekends_count(self) -> None:
        """After 2100 the holidays package knows no Norwegian holidays, so neither does
        innoproc: only Saturdays and Sundays move a time limit there."""
        assert not NORWAY.is_holiday(date(table.LAST_YEAR + 1, 5, 17))

    def test_a_subdivision_asks_holidays(self) -> None:
        """A calendar for a subdivision is not read from the national table."""
        oslo = HolidayCalendar("NO", subdiv="03")
        assert oslo.is_holiday(date(2024, 5, 17))
        assert not oslo.is_holiday(date(2024, 5, 16))


class TestFirstStep:
    def test_time_limits_do_not_import_holidays(self) -> None:
        """Checking a time limit in the table's years does not import the holidays package
        (it takes longer to import than the rest of innoproc)."""
        code = (
            "import sys\n"
            "from datetime import date\n"
            "from innoproc.deadlines import period\n"
            "p = period(date(2024, 3, 1), 30)\n"
            "assert str(p.last_day) == '2024-04-02', p\n"
            "print('holidays' in sys.modules)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"

    def test_periods_agree_across_the_boundary(self) -> None:
        """A period that starts in the table's last year ends in the next."""
        p = period(date(2100, 12, 31), 1)
        assert p.nominal_last_day == date(2101, 1, 1)
        # 1 January 2101 is a Saturday, the 2nd a Sunday.
        assert p.last_day == date(2101, 1, 3)
