"""Periods under Regulation 1182/71, Norwegian holidays, deadline parsing and schedules."""

from __future__ import annotations

import calendar as stdcal
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import innoproc
from innoproc import OSLO
from innoproc.deadlines import (
    NORWAY,
    DateParseError,
    HolidayCalendar,
    WeekendCalendar,
    describe,
    end_of_day,
    is_working_day,
    lateness,
    parse_deadline,
    period,
    recurrences,
    schedule,
    working_days_between,
)


class TestHolidays:
    @pytest.mark.parametrize(
        "day",
        [
            date(2024, 1, 1),
            date(2024, 3, 28),  # Maundy Thursday
            date(2024, 3, 29),  # Good Friday
            date(2024, 4, 1),  # Easter Monday
            date(2024, 5, 1),
            date(2024, 5, 9),  # Ascension Day
            date(2024, 5, 17),  # Constitution Day
            date(2024, 5, 20),  # Whit Monday
            date(2024, 12, 25),
            date(2024, 12, 26),
        ],
    )
    def test_norwegian_holidays(self, day: date) -> None:
        """Norway's public holidays are not working days."""
        assert NORWAY.is_holiday(day)
        assert not is_working_day(day)

    def test_ordinary_days(self) -> None:
        """Weekdays are working days; Saturdays and Sundays are not."""
        assert is_working_day(date(2024, 5, 16))
        assert not is_working_day(date(2024, 5, 18))
        assert not is_working_day(date(2024, 5, 19))
        assert not NORWAY.is_holiday(date(2024, 12, 24))  # Christmas Eve is not a holiday

    def test_another_country(self) -> None:
        """The calendar is a parameter: Sweden's national day is a holiday there, not here."""
        sweden = HolidayCalendar("SE")
        assert sweden.is_holiday(date(2024, 6, 6))
        assert not NORWAY.is_holiday(date(2024, 6, 6))
        assert period(date(2024, 6, 5), 1, calendar=sweden).last_day == date(2024, 6, 7)

    def test_names(self) -> None:
        """The holidays of a year can be listed with their names."""
        names = NORWAY.names(2024)
        assert names[date(2024, 5, 17)] == "Constitution Day"

    def test_import_is_lazy(self) -> None:
        """`import innoproc` does not import the holidays package."""
        code = "import sys, innoproc; print('holidays' in sys.modules)"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == "False"


class TestPeriodExamples:
    @pytest.mark.parametrize(
        ("event", "length", "unit", "last"),
        [
            (date(2024, 3, 1), 30, "days", date(2024, 4, 2)),  # Easter
            (date(2024, 4, 17), 30, "days", date(2024, 5, 21)),  # 17 May, Whitsun
            (date(2024, 5, 15), 2, "days", date(2024, 5, 21)),
            (date(2024, 12, 20), 5, "days", date(2024, 12, 27)),  # Christmas
            (date(2024, 2, 1), 10, "days", date(2024, 2, 12)),  # Sunday 11th -> Monday
            (date(2024, 2, 5), 10, "days", date(2024, 2, 15)),  # a Thursday: unmoved
            (date(2024, 1, 31), 1, "months", date(2024, 2, 29)),  # leap year
            (date(2023, 1, 31), 1, "months", date(2023, 2, 28)),
            (date(2024, 2, 29), 1, "years", date(2025, 2, 28)),
            (date(2018, 11, 30), 3, "months", date(2019, 2, 28)),
            (date(2024, 3, 6), 2, "weeks", date(2024, 3, 20)),  # same weekday
            (date(2024, 3, 27), 2, "days", date(2024, 4, 3)),  # two working days (art. 3(5))
            (date(2024, 5, 16), 3, "working-days", date(2024, 5, 23)),
            (date(2024, 12, 31), 1, "days", date(2025, 1, 2)),  # New Year's Day
        ],
    )
    def test_worked_examples(self, event: date, length: int, unit: str, last: date) -> None:
        """Worked examples across month ends, leap years and Norwegian holidays."""
        p = period(event, length, unit)  # type: ignore[arg-type]
        assert p.last_day == last
        assert p.end == end_of_day(last)

    def test_starts_the_day_after(self) -> None:
        """The event's own day is not counted (art. 3(1))."""
        p = period(datetime(2024, 2, 5, 23, 0, tzinfo=OSLO), 1)
        assert p.first_day == date(2024, 2, 6)
        assert p.last_day == date(2024, 2, 6)

    def test_event_day_is_the_oslo_day(self) -> None:
        """An instant given in UTC counts from its day in Oslo."""
        late_utc = datetime(2024, 2, 5, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 6th in Oslo
        assert period(late_utc, 1).last_day == date(2024, 2, 7)

    def test_dst(self) -> None:
        """Ends across daylight-saving changes carry the right offset."""
        assert period(date(2024, 3, 1), 30).end.utcoffset() == timedelta(hours=2)
        assert period(date(2024, 10, 1), 30).end.utcoffset() == timedelta(hours=1)

    def test_admits(self) -> None:
        """A deadline at the end of the last day is admitted; a minute earlier is not."""
        p = period(date(2024, 2, 5), 10)
        assert p.admits(p.end)
        assert not p.admits(p.end - timedelta(minutes=1))
        assert not p.extended

    @pytest.mark.parametrize(("length", "unit"), [(0, "days"), (-1, "days"), (3, "fortnights")])
    def test_bad_arguments(self, length: int, unit: str) -> None:
        """Lengths below 1 and unknown units are refused."""
        with pytest.raises(ValueError):
            period(date(2024, 1, 1), length, unit)  # type: ignore[arg-type]

    def test_naive_event(self) -> None:
        """A naive event instant is refused."""
        with pytest.raises(innoproc.NaiveDatetimeError):
            period(datetime(2024, 1, 1, 12), 30)

    def test_weekend_calendar(self) -> None:
        """With no holidays, only weekends move the end."""
        assert period(date(2024, 3, 1), 30, calendar=WeekendCalendar()).last_day == date(2024, 4, 1)


days_2000_2040 = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


class TestPeriodProperties:
    @settings(max_examples=300, deadline=None)
    @given(event=days_2000_2040, length=st.integers(min_value=1, max_value=120))
    def test_days(self, event: date, length: int) -> None:
        """A period in days ends on a working day, not before day N, with two working days."""
        p = period(event, length)
        assert p.first_day == event + timedelta(days=1)
        assert p.nominal_last_day == event + timedelta(days=length)
        assert p.last_day >= p.nominal_last_day
        assert is_working_day(p.last_day)
        if length >= 2:
            assert working_days_between(p.first_day, p.last_day) >= 2
        # Minimal: ending on any earlier day from the nominal one breaks a rule.
        d = p.nominal_last_day
        while d < p.last_day:
            assert not is_working_day(d) or (
                length >= 2 and working_days_between(p.first_day, d) < 2
            )
            d += timedelta(days=1)
        assert p.end == end_of_day(p.last_day)

    @settings(max_examples=200, deadline=None)
    @given(event=days_2000_2040, months=st.integers(min_value=1, max_value=24))
    def test_months(self, event: date, months: int) -> None:
        """A period in months ends on the same date, or on the last day of a shorter month."""
        p = period(event, months, "months")
        nominal = p.nominal_last_day
        month_length = stdcal.monthrange(nominal.year, nominal.month)[1]
        assert nominal.day == min(event.day, month_length)
        assert (nominal.year * 12 + nominal.month) - (event.year * 12 + event.month) == months
        assert is_working_day(p.last_day)
        assert (p.last_day - nominal).days < 10

    @settings(max_examples=100, deadline=None)
    @given(event=days_2000_2040, length=st.integers(min_value=1, max_value=60))
    def test_monotone(self, event: date, length: int) -> None:
        """A longer period never ends earlier."""
        assert period(event, length + 1).last_day >= period(event, length).last_day

    @settings(max_examples=100, deadline=None)
    @given(event=days_2000_2040, length=st.integers(min_value=1, max_value=40))
    def test_working_days_unit(self, event: date, length: int) -> None:
        """N working days end on the N-th working day after the event."""
        p = period(event, length, "working-days")
        assert working_days_between(p.first_day, p.last_day) == length
        assert is_working_day(p.last_day)

    @given(
        at=st.datetimes(timezones=st.just(timezone.utc)),
        deadline=st.datetimes(timezones=st.just(OSLO)),
    )
    def test_lateness(self, at: datetime, deadline: datetime) -> None:
        """A submission is late exactly when it comes after the (inclusive) deadline."""
        late = lateness(at, deadline)
        assert (late is None) == (at <= deadline)
        if late is not None:
            assert late > timedelta(0)


class TestParseDeadline:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("16. april 2020 kl. 17.00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("16. april 2020 kl 17:00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("16.04.2020 kl. 17.00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("16 April 2020 17:00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("April 16, 2020 at 17:00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("2020-04-16T17:00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("2020-04-16T15:00:00Z", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("2020-04-16T17:00+02:00", datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)),
            ("9. mars 2018", end_of_day(date(2018, 3, 9))),
            ("21. august 2017", end_of_day(date(2017, 8, 21))),
            ("2018-03-09", end_of_day(date(2018, 3, 9))),
            ("  17. mai   2024 ", end_of_day(date(2024, 5, 17))),
        ],
    )
    def test_formats(self, text: str, expected: datetime) -> None:
        """The formats users paste; a date alone means the end of that day in Oslo."""
        got = parse_deadline(text)
        assert got == expected
        assert got.tzinfo is not None

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("03/04/2020", "ambiguous"),
            ("31. april 2020", "not a real date"),
            ("16. aprol 2020", "unknown month"),
            ("16.04.20", "cannot read"),
            ("next Friday", "cannot read"),
            ("", "empty"),
            ("2020-13-01", "not a valid ISO 8601"),
            ("16. april 2020 kl. 25.00", "not a real date or time"),
        ],
    )
    def test_refused(self, text: str, words: str) -> None:
        """Ambiguous or unreadable texts raise DateParseError saying why."""
        with pytest.raises(DateParseError) as info:
            parse_deadline(text)
        assert words in str(info.value)
        assert isinstance(info.value, innoproc.InnoprocError)


class TestSchedules:
    def test_three_months_after_kickoff(self) -> None:
        """A status check three months after 30 November 2018 is on 28 February 2019."""
        kickoff = datetime(2018, 11, 30, 10, 0, tzinfo=OSLO)
        checks = schedule(kickoff, relativedelta(months=3), 3)
        assert [c.date() for c in checks] == [
            date(2019, 2, 28),
            date(2019, 5, 30),
            date(2019, 8, 30),
        ]

    def test_wall_clock_across_dst(self) -> None:
        """A daily meeting at 10:00 stays at 10:00 when summer time begins."""
        start = datetime(2024, 3, 30, 10, 0, tzinfo=OSLO)
        (next_day,) = schedule(start, timedelta(days=1), 1)
        assert (next_day.hour, next_day.utcoffset()) == (10, timedelta(hours=2))

    def test_recurrences(self) -> None:
        """RFC 5545 rules through dateutil.rrule, aware in the start's zone."""
        start = datetime(2024, 1, 1, 9, 0, tzinfo=OSLO)
        got = list(recurrences("FREQ=WEEKLY;COUNT=2", start))
        assert got == [start, start + timedelta(weeks=1)]
        with pytest.raises(DateParseError):
            list(recurrences("FREQ=SOMETIMES", start))

    def test_describe(self) -> None:
        """Instants read as local wall-clock time; end of day as 24:00."""
        assert describe(end_of_day(date(2020, 4, 16))) == "2020-04-16 24:00"
        assert describe(datetime(2020, 4, 16, 15, 0, tzinfo=timezone.utc)) == "2020-04-16 17:00"
