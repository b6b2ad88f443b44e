"""Periods, deadlines and calendars: time limits computed the way the law computes them.

Norway computes every time limit of the procurement rules under the regulation on time
limits in the EEA Agreement (FOA § 7-6, "forskrift om tidsfrister i EØS-avtalen"), which
carries Regulation (EEC, Euratom) No 1182/71 into Norwegian law; the directive points to the
same regulation (Directive 2014/24/EU recital 106). Its rules, as applied here:

- art. 3(1) second subparagraph: a period in days, weeks, months or years that runs from an
  event starts the day *after* the event;
- art. 3(2)(b): a period in days ends with the expiry of the last hour of its last day; one
  in weeks, months or years ends on the day of the last week, month or year that has the
  same weekday or date as the event's day, or, where that date does not exist in the last
  month, on the last day of that month;
- art. 3(3): periods include Saturdays, Sundays and public holidays;
- art. 3(4): if the last day is a Saturday, Sunday or public holiday, the period ends with the
  expiry of the last hour of the following working day;
- art. 3(5): a period of two days or more includes at least two working days;
- art. 2(2): working days are all days other than public holidays, Sundays and Saturdays.

All instants are timezone-aware; the default zone is Europe/Oslo, and "the end of a day" is
its last instant there (23:59:59.999999). Public holidays come from the maintained
`holidays <https://pypi.org/project/holidays/>`_ package, loaded on first use so that
``import innoproc`` stays fast; pass another ``HolidayCalendar`` for another country.

```pycon
>>> from datetime import datetime
>>> from innoproc import OSLO, deadlines
>>> sent = datetime(2024, 3, 1, 10, 0, tzinfo=OSLO)
>>> p = deadlines.period(sent, 30)
>>> p.last_day          # 31 March 2024 is Easter Sunday, 1 April Easter Monday
datetime.date(2024, 4, 2)
>>> p.end.isoformat()
'2024-04-02T23:59:59.999999+02:00'

```
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs

from innoproc._errors import InnoprocError, InvalidArgument, NaiveDatetimeError, shown
from innoproc._time import OSLO, require_aware

if TYPE_CHECKING:  # pragma: no cover - typing only
    from dateutil.relativedelta import relativedelta

__all__ = [
    "NORWAY",
    "Calendar",
    "DateParseError",
    "HolidayCalendar",
    "Period",
    "Unit",
    "WeekendCalendar",
    "describe",
    "end_of_day",
    "is_working_day",
    "lateness",
    "next_working_day",
    "parse_deadline",
    "period",
    "recurrences",
    "schedule",
    "working_days_between",
]

Unit = Literal["days", "weeks", "months", "years", "working-days"]
_UNITS = ("days", "weeks", "months", "years", "working-days")
_ONE_DAY = timedelta(days=1)


class DateParseError(InnoprocError, ValueError):
    """A date or deadline text could not be read, or could be read in more than one way."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message, text)
        self.message = message
        self.text = text

    def __str__(self) -> str:
        return self.message


# -- checking arguments --------------------------------------------------------------------------


def _day(value: object, argument: str, tz: tzinfo = OSLO) -> date:
    """``value`` as a day: a date as it is, an aware datetime as its day in ``tz``."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(argument, value)
        try:
            local = value.astimezone(tz)
        except OverflowError:
            raise InvalidArgument(
                f"{argument!r} is too close to the first or last day a date can have "
                f"to be read in {tz}, got {shown(value)}",
                argument,
            ) from None
        return local.date()
    if isinstance(value, date):
        return value
    raise InvalidArgument(
        f"{argument!r} must be a date or an aware datetime, got {shown(value)}", argument
    )


def _instant(value: object, argument: str) -> datetime:
    """``value`` as an aware datetime, or a typed error naming ``argument``."""
    if not isinstance(value, datetime):
        raise InvalidArgument(
            f"{argument!r} must be an aware datetime, got {shown(value)}", argument
        )
    return require_aware(argument, value)


def _zone(tz: object) -> tzinfo:
    if not isinstance(tz, tzinfo):
        raise InvalidArgument(
            f"'tz' must be a time zone (a datetime.tzinfo such as ZoneInfo('Europe/Oslo')), "
            f"got {shown(tz)}",
            "tz",
        )
    return tz


def _calendar(calendar: object) -> Calendar:
    if not callable(getattr(calendar, "is_holiday", None)):
        raise InvalidArgument(
            "'calendar' must be a calendar (an object with an is_holiday(day) method, such as "
            f"deadlines.NORWAY), got {shown(calendar)}",
            "calendar",
        )
    return calendar  # type: ignore[return-value]


def _beyond(argument: str, value: object) -> InvalidArgument:
    return InvalidArgument(
        f"{argument!r} leads beyond the last day a date can have (9999-12-31), got {shown(value)}",
        argument,
    )


# -- calendars ---------------------------------------------------------------------------------


class Calendar(Protocol):
    """What period computations need to know of a calendar: which days are public holidays."""

    def is_holiday(self, day: date) -> bool:
        """True if ``day`` is a public holiday (Saturdays and Sundays are handled apart)."""
        ...


@attrs.frozen
class WeekendCalendar:
    """A calendar with no public holidays: only Saturdays and Sundays are not working days."""

    def is_holiday(self, day: date) -> bool:
        """Always false (``day`` is a date or an aware datetime)."""
        _day(day, "day")
        return False

    def _holidays(self, year: int) -> frozenset[date]:
        return frozenset()


def _table_year(year: int) -> frozenset[date] | None:
    """Norway's holidays of ``year`` from the table generated from ``holidays``, if it has it."""
    from innoproc import _holiday_table as table

    listed = table.DAYS.get(year)
    if listed is None:
        return None
    return frozenset(date(year, int(d[:2]), int(d[2:])) for d in listed.split())


@attrs.define
class HolidayCalendar:
    """Public holidays of a country (and optionally a subdivision) from ``holidays``.

    Norway's holidays from 1970 to 2100 come from a table generated from ``holidays`` when
    innoproc is released (and tested to be the same); other years and other countries ask the
    ``holidays`` package itself, imported and computed only when first needed. Lookups
    afterwards are a set membership test. Safe to share between threads.

    ```pycon
    >>> from datetime import date
    >>> NORWAY.is_holiday(date(2024, 5, 17)), NORWAY.is_holiday(date(2024, 5, 16))
    (True, False)

    ```
    """

    country: str = "NO"
    subdiv: str | None = None
    _years: dict[int, frozenset[date]] = attrs.field(factory=dict, init=False, repr=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)

    def _holidays(self, year: int) -> frozenset[date]:
        found = self._years.get(year)
        if found is None:
            with self._lock:
                found = self._years.get(year)
                if found is None:
                    found = self._compute(year)
                    self._years[year] = found
        return found

    def _compute(self, year: int) -> frozenset[date]:
        if self.country == "NO" and self.subdiv is None:
            listed = _table_year(year)
            if listed is not None:
                return listed
        return frozenset(self._table(year))

    def _table(self, year: int, **options: Any) -> Any:
        import holidays  # deferred: the package is large and only needed here

        if not isinstance(self.country, str):
            raise InvalidArgument(
                f"'country' must be a country code such as 'NO', got {shown(self.country)}",
                "country",
            )
        if self.subdiv is not None and not isinstance(self.subdiv, str):
            raise InvalidArgument(
                f"'subdiv' must be a subdivision code or None, got {shown(self.subdiv)}", "subdiv"
            )
        try:
            return holidays.country_holidays(
                self.country, subdiv=self.subdiv, years=year, **options
            )
        except NotImplementedError as exc:
            culprit = "subdiv" if "subdivision" in str(exc) else "country"
            what = "a subdivision" if culprit == "subdiv" else "a country"
            value = self.subdiv if culprit == "subdiv" else self.country
            raise InvalidArgument(
                f"{culprit!r} must be {what} the holidays package knows, got {shown(value)} "
                f"({shown(str(exc), 120)})",
                culprit,
            ) from None

    def is_holiday(self, day: date) -> bool:
        """True if ``day`` (a date, or an aware datetime taken as its day in Oslo) is a
        public holiday in this country."""
        if type(day) is not date:
            day = _day(day, "day")
        return day in self._holidays(day.year)

    def names(self, year: int) -> dict[date, str]:
        """The public holidays of ``year`` with their names (in English)."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
            raise InvalidArgument(
                f"'year' must be a year from 1 to 9999, got {shown(year)}", "year"
            )
        table = self._table(year, language="en_US")
        return dict(sorted(table.items()))


#: Norway's public holidays ("helligdager" and 1 and 17 May), the default calendar.
NORWAY = HolidayCalendar("NO")


def _working(day: date, calendar: Calendar) -> bool:
    return day.weekday() < 5 and not calendar.is_holiday(day)


def _next_working(day: date, calendar: Calendar, argument: str) -> date:
    try:
        while not _working(day, calendar):
            day += _ONE_DAY
    except OverflowError:
        raise _beyond(argument, day) from None
    return day


def _weekdays(first: date, last: date) -> int:
    """The number of Mondays to Fridays from ``first`` to ``last``, both included."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)


def _count_working(first: date, last: date, calendar: Calendar) -> int:
    """Working days from ``first`` to ``last``: arithmetic for calendars that list their
    holidays by year (linear in years), a walk over the days for any other calendar."""
    if last < first:
        return 0
    holidays_of = getattr(calendar, "_holidays", None)
    if holidays_of is not None:
        count = _weekdays(first, last)
        for year in range(first.year, last.year + 1):
            for day in holidays_of(year):
                if first <= day <= last and day.weekday() < 5:
                    count -= 1
        return count
    count = 0
    day = first
    while True:
        count += _working(day, calendar)
        if day == last:
            return count
        day += _ONE_DAY


def _has_working_days(first: date, last: date, wanted: int, calendar: Calendar) -> bool:
    """True when there are at least ``wanted`` working days from ``first`` to ``last`` (a
    walk that stops as soon as they are found: a few days for any real period)."""
    found = 0
    day = first
    while day <= last:
        found += _working(day, calendar)
        if found >= wanted:
            return True
        if day == date.max:
            break
        day += _ONE_DAY
    return False


def is_working_day(day: date, calendar: Calendar = NORWAY) -> bool:
    """True unless ``day`` is a Saturday, a Sunday or a public holiday (1182/71 art. 2(2)).

    ``day`` is a date, or an aware datetime taken as its day in Oslo (a naive datetime
    raises ``NaiveDatetimeError``).
    """
    return _working(_day(day, "day"), _calendar(calendar))


def next_working_day(day: date, calendar: Calendar = NORWAY) -> date:
    """``day`` itself if it is a working day, else the first working day after it (``day``
    a date, or an aware datetime taken as its day in Oslo)."""
    return _next_working(_day(day, "day"), _calendar(calendar), "day")


def working_days_between(first: date, last: date, calendar: Calendar = NORWAY) -> int:
    """The number of working days from ``first`` to ``last``, both included (0 when
    ``last`` is before ``first``). Each is a date, or an aware datetime taken as its day in
    Oslo."""
    return _count_working(_day(first, "first"), _day(last, "last"), _calendar(calendar))


def end_of_day(day: date, tz: tzinfo = OSLO) -> datetime:
    """The last instant of ``day`` in ``tz`` (23:59:59.999999), an aware datetime (``day`` a
    date, or an aware datetime taken as its day in ``tz``)."""
    zone = _zone(tz)
    return datetime.combine(_day(day, "day", zone), time.max, tzinfo=zone)


def describe(instant: datetime, tz: tzinfo = OSLO) -> str:
    """``instant`` as local wall-clock time in ``tz``; the end of a day reads ``24:00``.

    ```pycon
    >>> from datetime import timezone
    >>> describe(end_of_day(date(2024, 4, 2)))
    '2024-04-02 24:00'
    >>> describe(datetime(2020, 4, 16, 15, 0, tzinfo=timezone.utc))
    '2020-04-16 17:00'

    ```
    """
    zone = _zone(tz)
    try:
        local = _instant(instant, "instant").astimezone(zone)
    except OverflowError:
        raise _beyond("instant", instant) from None
    if local.time() == time.max:
        return f"{local:%Y-%m-%d} 24:00"
    if local.second or local.microsecond:
        return f"{local:%Y-%m-%d %H:%M:%S}"
    return f"{local:%Y-%m-%d %H:%M}"


# -- periods -----------------------------------------------------------------------------------


@attrs.frozen
class Period:
    """A period computed under Regulation 1182/71: its first and last day and its end instant.

    ``nominal_last_day`` is where the period would end before art. 3(4) and 3(5) moved it;
    ``end`` is the last instant of ``last_day`` in the period's time zone.
    """

    event: datetime
    length: int
    unit: str
    first_day: date
    nominal_last_day: date
    last_day: date
    end: datetime

    @property
    def extended(self) -> bool:
        """True when a weekend, a holiday or the two-working-day rule moved the end."""
        return self.last_day != self.nominal_last_day

    def admits(self, deadline: datetime) -> bool:
        """True when ``deadline`` is not earlier than the end of the period."""
        return _instant(deadline, "deadline") >= self.end


def _event_day(event: object, tz: tzinfo) -> tuple[datetime, date]:
    if type(event) is datetime and event.utcoffset() is not None:
        try:
            return event, event.astimezone(tz).date()
        except OverflowError:
            pass  # said below
    if isinstance(event, datetime):
        return event, _day(event, "event", tz)
    if isinstance(event, date):
        return datetime.combine(event, time.min, tzinfo=tz), event
    raise InvalidArgument(
        f"'event' must be a date or an aware datetime, got {shown(event)}", "event"
    )


def _nth_working_day(day0: date, length: int, calendar: Calendar) -> date:
    """The ``length``-th working day after ``day0`` (art. 3(3): only working days count)."""
    if getattr(calendar, "_holidays", None) is None or length < 30:
        last = day0
        counted = 0
        while counted < length:
            last += _ONE_DAY
            counted += _working(last, calendar)
        return last
    # Counting is arithmetic for these calendars: find the first day with enough of them.
    first = day0 + _ONE_DAY
    low = day0 + timedelta(days=length)  # each day holds at most one working day
    high = low
    while _count_working(first, high, calendar) < length:
        high = min(date.max, high + timedelta(days=max(7, (high - first).days)))
        if high == date.max and _count_working(first, high, calendar) < length:
            raise OverflowError
    while low < high:
        middle = low + (high - low) // 2
        if _count_working(first, middle, calendar) >= length:
            high = middle
        else:
            low = middle + _ONE_DAY
    return low


_PERIODS: dict[tuple[date, int, str], tuple[date, date, date, datetime]] = {}
_PERIOD_SETTERS = tuple(
    getattr(Period, name).__set__
    for name in ("event", "length", "unit", "first_day", "nominal_last_day", "last_day", "end")
)


def _period(
    event: datetime, length: int, unit: str, first: date, nominal: date, last: date, end: datetime
) -> Period:
    """A ``Period`` of values already checked (what ``Period(...)`` builds, faster)."""
    made: Period = object.__new__(Period)
    s_event, s_length, s_unit, s_first, s_nominal, s_last, s_end = _PERIOD_SETTERS
    s_event(made, event)
    s_length(made, length)
    s_unit(made, unit)
    s_first(made, first)
    s_nominal(made, nominal)
    s_last(made, last)
    s_end(made, end)
    return made


def period(
    event: datetime | date,
    length: int,
    unit: Unit = "days",
    *,
    calendar: Calendar = NORWAY,
    tz: tzinfo = OSLO,
) -> Period:
    """The period of ``length`` ``unit`` running from ``event`` (Regulation 1182/71 art. 3).

    ``unit`` is ``"days"``, ``"weeks"``, ``"months"``, ``"years"`` or ``"working-days"``
    (a period expressed in working days counts only working days, art. 3(3)). An event given
    as a date is taken as happening on that day in ``tz``. Wrong arguments raise
    ``InvalidArgument`` (or ``NaiveDatetimeError``) naming them, as does a period that would
    end after 9999-12-31.

    ```pycon
    >>> from datetime import date
    >>> period(date(2024, 1, 31), 1, "months").last_day      # no 31 February
    datetime.date(2024, 2, 29)
    >>> period(date(2024, 5, 15), 2).last_day               # 17 May, then a weekend
    datetime.date(2024, 5, 21)

    ```
    """
    if not isinstance(unit, str) or unit not in _UNITS:
        raise InvalidArgument(
            f"'unit' must be one of {', '.join(_UNITS)}, got {shown(unit)}", "unit"
        )
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise InvalidArgument(
            f"'length' must be a whole number of at least 1, got {shown(length)}", "length"
        )
    if calendar is not NORWAY:
        calendar = _calendar(calendar)
    zone = tz if tz is OSLO else _zone(tz)
    instant, day0 = _event_day(event, zone)
    # Periods in Norway's calendar and time zone are kept once computed (the calendar and the
    # zone never change): the time-limit rules of every case ask for the same few.
    key = (day0, length, unit) if calendar is NORWAY and zone is OSLO else None
    known = _PERIODS.get(key) if key is not None else None
    if known is not None:
        return _period(instant, length, unit, *known)
    try:
        first = day0 + _ONE_DAY  # art. 3(1): the event's day is not counted
        if unit == "working-days":
            last = nominal = _nth_working_day(day0, length, calendar)
        else:
            if unit == "days":
                nominal = day0 + timedelta(days=length)
            elif unit == "weeks":
                nominal = day0 + timedelta(weeks=length)
            else:
                from dateutil.relativedelta import relativedelta

                # Clamps to the month's last day where the date does not exist.
                step = (
                    relativedelta(months=length)
                    if unit == "months"
                    else relativedelta(years=length)
                )
                nominal = day0 + step
            last = _next_working(nominal, calendar, "length")  # art. 3(4)
            # art. 3(5): two days or more include at least two working days.
            if (nominal - day0).days >= 2:
                while not _has_working_days(first, last, 2, calendar):
                    last = _next_working(last + _ONE_DAY, calendar, "length")
        end = datetime.combine(last, time.max, tzinfo=zone)
    except InnoprocError:
        raise
    except (OverflowError, ValueError):
        raise InvalidArgument(
            f"a period of {shown(length)} {unit} from {day0.isoformat()} would end after the last "
            "day a date can have (9999-12-31)",
            "length",
        ) from None
    if key is not None:
        if len(_PERIODS) >= 4096:
            _PERIODS.clear()
        _PERIODS[key] = (first, nominal, last, end)
    return _period(instant, length, unit, first, nominal, last, end)


# -- deadlines ---------------------------------------------------------------------------------


def lateness(at: datetime, deadline: datetime) -> timedelta | None:
    """How late ``at`` is for ``deadline`` (``None`` when in time; the deadline is inclusive).

    ```pycon
    >>> from datetime import datetime, timezone
    >>> d = datetime(2020, 4, 16, 17, 0, tzinfo=OSLO)
    >>> lateness(d, d) is None
    True
    >>> lateness(datetime(2020, 4, 16, 15, 1, tzinfo=timezone.utc), d)   # 17:01 in Oslo
    datetime.timedelta(seconds=60)

    ```
    """
    _instant(at, "at")
    _instant(deadline, "deadline")
    return at - deadline if at > deadline else None


_MONTHS = {
    "jan": 1,
    "januar": 1,
    "january": 1,
    "feb": 2,
    "februar": 2,
    "february": 2,
    "mar": 3,
    "mars": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mai": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}

# The forms users paste deadlines in (compiled on first use: few hosts parse deadlines).
_ISO = r"^\d{4}-\d{2}-\d{2}"
_TIME = r"(?:\s*,?\s*(?:kl\.?|klokken|at)?\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2}))?"
_TEXTUAL = r"^(?P<day>\d{1,2})\.?\s+(?P<month>[a-zæøå]+)\.?\s+(?P<year>\d{4})" + _TIME + r"$"
_TEXTUAL_EN = r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME + r"$"
_DOTTED = r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME + r"$"
_SLASHED = r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{2,4})"


def _build(text: str, tz: tzinfo, year: int, month: int, day: int, m: re.Match[str]) -> datetime:
    try:
        if m.group("hour") is None:
            return datetime.combine(date(year, month, day), time.max, tzinfo=tz)
        clock = time(int(m.group("hour")), int(m.group("minute")))
        return datetime.combine(date(year, month, day), clock, tzinfo=tz)
    except ValueError as exc:
        raise DateParseError(f"not a real date or time: {shown(text)} ({exc})", text) from None


def parse_deadline(text: str, *, tz: tzinfo = OSLO) -> datetime:
    """Read a deadline as users paste it; a date without a time means the end of that day.

    Accepted: ISO 8601 (``2020-04-16``, ``2020-04-16T17:00``, ``2020-04-16T17:00+02:00``),
    Norwegian (``16. april 2020 kl. 17.00``, ``16.04.2020 kl. 17:00``, ``16. april 2020``)
    and English (``16 April 2020 17:00``, ``April 16, 2020``). A text without a zone is read
    in ``tz``. Slashed dates such as ``03/04/2020`` are refused as ambiguous (3 April or
    March 4?), as are two-digit years and anything else that cannot be read one way only.

    ```pycon
    >>> parse_deadline("16. april 2020 kl. 17.00").isoformat()
    '2020-04-16T17:00:00+02:00'
    >>> parse_deadline("9. mars 2018").isoformat()
    '2018-03-09T23:59:59.999999+01:00'

    ```
    """
    if not isinstance(text, str):
        raise InvalidArgument(f"'text' must be a str, got {shown(text)}", "text")
    tz = _zone(tz)
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise DateParseError("empty deadline text", text)
    if re.match(_ISO, cleaned):
        from dateutil.parser import isoparse

        try:
            value = isoparse(cleaned)
        except (ValueError, OverflowError) as exc:
            raise DateParseError(
                f"not a valid ISO 8601 date or time: {shown(text)} ({exc})", text
            ) from None
        if len(cleaned) == 10:
            return datetime.combine(value.date(), time.max, tzinfo=tz)
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    for pattern in (_TEXTUAL, _TEXTUAL_EN):
        m = re.match(pattern, cleaned, re.IGNORECASE)
        if m:
            month = _MONTHS.get(m.group("month").lower())
            if month is None:
                raise DateParseError(
                    f"unknown month {shown(m.group('month'))} in {shown(text)}", text
                )
            return _build(text, tz, int(m.group("year")), month, int(m.group("day")), m)
    m = re.match(_DOTTED, cleaned)
    if m:  # day.month.year is the Norwegian numeric order: not ambiguous
        return _build(text, tz, int(m.group("year")), int(m.group("month")), int(m.group("day")), m)
    if re.match(_SLASHED, cleaned):
        raise DateParseError(
            f"ambiguous date {shown(text)}: write it as ISO 8601 (YYYY-MM-DD) or '16. april 2020'",
            text,
        )
    raise DateParseError(
        f"cannot read {shown(text)} as a deadline; use ISO 8601 (2020-04-16T17:00) or "
        f"'16. april 2020 kl. 17.00'",
        text,
    )


# -- schedules ---------------------------------------------------------------------------------


def schedule(start: datetime, every: relativedelta | timedelta, count: int) -> tuple[datetime, ...]:
    """``count`` instants after ``start``, each ``every`` further on, counted from ``start``.

    Counting each from the start (not from the previous one) keeps month ends right: a status
    check three months after a kick-off on 30 November 2018 is on 28 February 2019, and the
    next on 30 May 2019.

    ```pycon
    >>> from dateutil.relativedelta import relativedelta
    >>> kickoff = datetime(2018, 11, 30, 10, 0, tzinfo=OSLO)
    >>> for d in schedule(kickoff, relativedelta(months=3), 2):
    ...     print(d.date())
    2019-02-28
    2019-05-30

    ```
    """
    from dateutil.relativedelta import relativedelta

    _instant(start, "start")
    if not isinstance(every, (timedelta, relativedelta)):
        raise InvalidArgument(
            f"'every' must be a datetime.timedelta or a dateutil relativedelta, got {shown(every)}",
            "every",
        )
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidArgument(
            f"'count' must be a whole number of at least 0, got {shown(count)}", "count"
        )
    tz = start.tzinfo
    local = start.replace(tzinfo=None)
    result = []
    try:
        if count:
            (local + every * count).replace(tzinfo=tz)  # the last one first: fails fast
        for k in range(1, count + 1):
            step: Any = every * k
            # Wall-clock arithmetic in the start's zone: 10:00 stays 10:00 across DST changes.
            result.append((local + step).replace(tzinfo=tz))
    except (OverflowError, ValueError):
        raise InvalidArgument(
            f"the schedule of {shown(count)} from {start.isoformat()} every {shown(every)} would "
            "end after the last day a date can have (9999-12-31)",
            "count",
        ) from None
    return tuple(result)


def recurrences(rule: str, start: datetime) -> Iterator[datetime]:
    """The instants of an RFC 5545 recurrence ``rule`` from ``start`` (via dateutil.rrule).

    The arguments are checked when this is called; an unreadable rule raises
    ``DateParseError``.

    ```pycon
    >>> monday = datetime(2024, 1, 1, 9, 0, tzinfo=OSLO)
    >>> for d in recurrences("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", monday):
    ...     print(d.date())
    2024-01-01
    2024-02-05
    2024-03-04

    ```
    """
    from dateutil.rrule import rrulestr

    if not isinstance(rule, str):
        raise InvalidArgument(f"'rule' must be a str, got {shown(rule)}", "rule")
    _instant(start, "start")
    try:
        rule_set = rrulestr(rule, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
        raise DateParseError(
            f"'rule' is not a recurrence rule: {shown(rule)} ({shown(str(exc), 120)})", rule
        ) from None
    return _recur(iter(rule_set), start.tzinfo)


def _recur(instants: Iterator[datetime], tz: tzinfo | None) -> Iterator[datetime]:
    while True:
        try:
            instant = next(instants)
        except StopIteration:
            return
        except (ValueError, OverflowError):
            return  # dateutil gives up past the year 9999: the rule has no later instants
        yield instant.replace(tzinfo=tz)
