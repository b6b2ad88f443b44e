"""Every public function of ``innoproc.deadlines`` takes dates and aware datetimes alike and
refuses anything else with a typed error naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from innoproc import OSLO, InnoprocError, InvalidArgument, NaiveDatetimeError
from innoproc.deadlines import (
    NORWAY,
    DateParseError,
    HolidayCalendar,
    WeekendCalendar,
    describe,
    end_of_day,
    is_working_day,
    lateness,
    next_working_day,
    parse_deadline,
    period,
    recurrences,
    schedule,
    working_days_between,
)

UTC = timezone.utc
AWARE = datetime(2024, 5, 17, 9, 0, tzinfo=OSLO)


class TestNaiveAndAware:
    def test_naive_datetime_is_refused(self) -> None:
        """A naive datetime is not silently taken as its date (17 May 2024 is a holiday)."""
        with pytest.raises(NaiveDatetimeError) as info:
            is_working_day(datetime(2024, 5, 17, 9))
        assert info.value.argument == "day"
        assert "'day'" in str(info.value)

    @pytest.mark.parametrize(
        ("instant", "working"),
        [
            (datetime(2024, 5, 17, 9, 0, tzinfo=OSLO), False),  # Constitution Day
            (datetime(2024, 5, 16, 23, 30, tzinfo=UTC), False),  # 01:30 on 17 May in Oslo
            (datetime(2024, 5, 16, 21, 30, tzinfo=UTC), True),  # 23:30 on 16 May in Oslo
        ],
    )
    def test_aware_datetime_is_its_day_in_oslo(self, instant: datetime, working: bool) -> None:
        """An aware datetime counts as the day it falls on in Oslo."""
        assert is_working_day(instant) is working
        assert NORWAY.is_holiday(instant) is not working

    def test_between_accepts_dates_and_datetimes(self) -> None:
        """working_days_between takes dates and aware datetimes, in any mix."""
        by_date = working_days_between(date(2024, 5, 1), date(2024, 5, 31))
        assert by_date == 19  # May 2024: 23 weekdays less 1, 9, 17 and 20 May
        mixed = working_days_between(datetime(2024, 5, 1, 8, tzinfo=OSLO), date(2024, 5, 31))
        assert mixed == by_date
        assert working_days_between(date(2024, 5, 31), date(2024, 5, 1)) == 0

    def test_next_working_day_of_a_datetime(self) -> None:
        """next_working_day of an aware instant is a date in Oslo."""
        assert next_working_day(AWARE) == date(2024, 5, 21)  # the weekend, then Whit Monday

    def test_end_of_day_of_a_datetime(self) -> None:
        """end_of_day of an aware instant is the end of its day in the zone asked for."""
        assert end_of_day(datetime(2024, 5, 16, 23, 30, tzinfo=UTC)) == end_of_day(
            date(2024, 5, 17)
        )


def _naive_event() -> None:
    period(datetime(2024, 1, 1, 12), 30)


CALLS: list[tuple[str, Callable[[], Any], type[InnoprocError], str]] = [
    ("is_working_day", lambda: is_working_day("2024-05-17"), InvalidArgument, "day"),
    (
        "is_working_day",
        lambda: is_working_day(date(2024, 5, 17), calendar=3),
        InvalidArgument,
        "calendar",
    ),
    ("next_working_day", lambda: next_working_day(None), InvalidArgument, "day"),
    (
        "working_days_between",
        lambda: working_days_between(date(2024, 1, 1), 5),
        InvalidArgument,
        "last",
    ),
    (
        "working_days_between",
        lambda: working_days_between(datetime(2024, 1, 1), date(2024, 2, 1)),
        NaiveDatetimeError,
        "first",
    ),
    ("end_of_day", lambda: end_of_day(date(2024, 1, 1), tz="Europe/Oslo"), InvalidArgument, "tz"),
    ("describe", lambda: describe(date(2024, 1, 1)), InvalidArgument, "instant"),
    ("describe", lambda: describe(datetime(2024, 1, 1)), NaiveDatetimeError, "instant"),
    ("period", lambda: period("2024-01-01", 30), InvalidArgument, "event"),
    ("period", _naive_event, NaiveDatetimeError, "event"),
    ("period", lambda: period(date(2024, 1, 1), 2.5), InvalidArgument, "length"),
    ("period", lambda: period(date(2024, 1, 1), True), InvalidArgument, "length"),
    ("period", lambda: period(date(2024, 1, 1), 3, "fortnights"), InvalidArgument, "unit"),
    ("period", lambda: period(date(2024, 1, 1), 3, calendar=None), InvalidArgument, "calendar"),
    ("period", lambda: period(date(2024, 1, 1), 3, tz=1), InvalidArgument, "tz"),
    (
        "admits",
        lambda: period(date(2024, 1, 1), 3).admits(date(2024, 2, 1)),
        InvalidArgument,
        "deadline",
    ),
    (
        "admits",
        lambda: period(date(2024, 1, 1), 3).admits(datetime(2024, 2, 1)),
        NaiveDatetimeError,
        "deadline",
    ),
    ("lateness", lambda: lateness(date(2024, 1, 1), AWARE), InvalidArgument, "at"),
    ("lateness", lambda: lateness(AWARE, datetime(2024, 1, 1)), NaiveDatetimeError, "deadline"),
    ("parse_deadline", lambda: parse_deadline(20240101), InvalidArgument, "text"),
    ("parse_deadline", lambda: parse_deadline("2024-01-01", tz="UTC"), InvalidArgument, "tz"),
    (
        "schedule",
        lambda: schedule(date(2024, 1, 1), timedelta(days=1), 2),
        InvalidArgument,
        "start",
    ),
    ("schedule", lambda: schedule(AWARE, 7, 2), InvalidArgument, "every"),
    ("schedule", lambda: schedule(AWARE, timedelta(days=1), -1), InvalidArgument, "count"),
    ("schedule", lambda: schedule(AWARE, timedelta(days=1), "2"), InvalidArgument, "count"),
    ("recurrences", lambda: recurrences(None, AWARE), InvalidArgument, "rule"),
    (
        "recurrences",
        lambda: recurrences("FREQ=DAILY", datetime(2024, 1, 1)),
        NaiveDatetimeError,
        "start",
    ),
    ("names", lambda: NORWAY.names("2024"), InvalidArgument, "year"),
    (
        "is_holiday",
        lambda: HolidayCalendar("XX").is_holiday(date(2024, 1, 1)),
        InvalidArgument,
        "country",
    ),
    (
        "is_holiday",
        lambda: HolidayCalendar("NO", subdiv="99").is_holiday(date(2024, 1, 1)),
        InvalidArgument,
        "subdiv",
    ),
    ("is_holiday", lambda: NORWAY.is_holiday("2024-01-01"), InvalidArgument, "day"),
    (
        "is_holiday",
        lambda: WeekendCalendar().is_holiday(datetime(2024, 1, 1)),
        NaiveDatetimeError,
        "day",
    ),
]


class TestTypedErrors:
    @pytest.mark.parametrize(
        ("function", "call", "error", "argument"), CALLS, ids=[f"{c[0]}-{c[3]}" for c in CALLS]
    )
    def test_wrong_argument_is_named(
        self, function: str, call: Callable[[], Any], error: type[InnoprocError], argument: str
    ) -> None:
        """A wrong argument raises a typed error that names it (and is still a ValueError
        or TypeError for code that catches those)."""
        with pytest.raises(error) as info:
            call()
        assert info.value.argument == argument
        assert f"'{argument}'" in str(info.value)
        assert isinstance(info.value, ValueError)

    def test_eagerly_checked_recurrences(self) -> None:
        """recurrences checks its arguments when called, not when first iterated."""
        with pytest.raises(DateParseError):
            recurrences("FREQ=SOMETIMES", AWARE)


class TestTheEndsOfTheCalendar:
    def test_period_past_year_9999(self) -> None:
        """A period ending after 9999-12-31 is refused by name, not with OverflowError."""
        with pytest.raises(InvalidArgument) as info:
            period(date(9999, 12, 20), 30)
        assert info.value.argument == "length"
        with pytest.raises(InvalidArgument):
            period(date(9999, 1, 1), 2, "years")
        with pytest.raises(InvalidArgument):
            period(date(2024, 1, 1), 10**12)
        with pytest.raises(InvalidArgument):
            period(date(9999, 12, 1), 30, "working-days")

    def test_first_day_of_the_calendar(self) -> None:
        """The first day a date can have still gives a period."""
        assert period(date(1, 1, 1), 1, calendar=WeekendCalendar()).last_day == date(1, 1, 2)

    def test_no_working_day_left(self) -> None:
        """With no working day before 9999-12-31 the search ends in a typed error."""

        class AllHolidays:
            def is_holiday(self, day: date) -> bool:
                return True

        with pytest.raises(InvalidArgument) as info:
            next_working_day(date(9999, 12, 1), AllHolidays())
        assert info.value.argument == "day"

    def test_instants_near_the_ends(self) -> None:
        """Instants whose day in Oslo is outside the calendar are refused by name."""
        last = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)  # already year 10000 in Oslo
        for call, argument in (
            (lambda: is_working_day(last), "day"),
            (lambda: end_of_day(last), "day"),
            (lambda: describe(last), "instant"),
            (lambda: period(last, 1), "event"),
        ):
            with pytest.raises(InvalidArgument) as info:
                call()
            assert info.value.argument == argument

    def test_schedule_past_year_9999(self) -> None:
        """A schedule reaching past 9999-12-31 is refused by name."""
        with pytest.raises(InvalidArgument) as info:
            schedule(AWARE, relativedelta(years=5000), 2)
        assert info.value.argument == "count"

    def test_unreadable_iso_text(self) -> None:
        """'24:00' on the last day a date can have is an unreadable deadline, not a crash."""
        with pytest.raises(DateParseError):
            parse_deadline("9999-12-31T24:00")


def _naive_walk(first: date, last: date, calendar: Any) -> int:
    count, day = 0, first
    while day <= last:
        count += day.weekday() < 5 and not calendar.is_holiday(day)
        day += timedelta(days=1)
    return count


class _Tuesdays:
    """A calendar of one's own: every Tuesday is a holiday."""

    def is_holiday(self, day: date) -> bool:
        return day.weekday() == 1


class TestCountingAgreesWithWalking:
    @settings(max_examples=200, deadline=None)
    @given(
        first=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 1, 1)),
        days=st.integers(min_value=-10, max_value=1200),
        calendar=st.sampled_from([NORWAY, WeekendCalendar(), _Tuesdays()]),
    )
    def test_working_days_between(self, first: date, days: int, calendar: Any) -> None:
        """Counting working days by weeks and holiday tables gives what walking gives."""
        last = first + timedelta(days=days)
        assert working_days_between(first, last, calendar) == _naive_walk(first, last, calendar)

    @settings(max_examples=100, deadline=None)
    @given(
        event=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)),
        length=st.integers(min_value=1, max_value=400),
        calendar=st.sampled_from([NORWAY, WeekendCalendar(), _Tuesdays()]),
    )
    def test_working_days_period(self, event: date, length: int, calendar: Any) -> None:
        """A period of N working days ends on the N-th working day, found by walking."""
        day, counted = event, 0
        while counted < length:
            day += timedelta(days=1)
            counted += day.weekday() < 5 and not calendar.is_holiday(day)
        assert period(event, length, "working-days", calendar=calendar).last_day == day

    def test_kept_periods_are_the_same(self) -> None:
        """A period asked for again (kept once computed) is the same, for another instant
        of the same day too."""
        first = period(datetime(2024, 3, 1, 9, tzinfo=OSLO), 30)
        again = period(datetime(2024, 3, 1, 15, tzinfo=OSLO), 30)
        assert (first.last_day, first.end) == (again.last_day, again.end)
        assert again.event.hour == 15


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, OSLO, timezone(timedelta(hours=-14))])),
    st.timedeltas(),
    st.just(NORWAY),
)


class TestOnlyTypedErrors:
    @settings(max_examples=300, deadline=None)
    @given(
        name=st.sampled_from(
            [
                "is_working_day",
                "next_working_day",
                "working_days_between",
                "end_of_day",
                "describe",
                "period",
                "lateness",
                "parse_deadline",
                "schedule",
                "recurrences",
            ]
        ),
        a=ANYTHING,
        b=ANYTHING,
        c=st.one_of(ANYTHING, st.sampled_from(["days", "weeks", "months", "working-days"])),
    )
    def test_anything_in_typed_errors_out(self, name: str, a: Any, b: Any, c: Any) -> None:
        """Whatever the arguments, a public function returns or raises an InnoprocError."""
        import innoproc.deadlines as deadlines

        function = getattr(deadlines, name)
        arguments = {
            "is_working_day": (a,),
            "next_working_day": (a,),
            "working_days_between": (a, b),
            "end_of_day": (a,),
            "describe": (a,),
            "period": (a, b, c),
            "lateness": (a, b),
            "parse_deadline": (a,),
            "schedule": (a, b, c),
            "recurrences": (a, b),
        }[name]
        if name == "period" and isinstance(b, int) and b > 10**6:
            b = 10**6  # a long walk is not the point here
        try:
            result = function(*arguments)
            if name == "recurrences":
                for _ in zip(range(3), result, strict=False):
                    pass
        except InnoprocError:
            pass
