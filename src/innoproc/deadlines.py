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

from innoproc._errors import InnoprocError
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


class DateParseError(InnoprocError, ValueError):
    """A date or deadline text could not be read, or could be read in more than one way."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message, text)
        self.message = message
        self.text = text

    def __str__(self) -> str:
        return self.message


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
        """Always false."""
        return False


@attrs.define
class HolidayCalendar:
    """Public holidays of a country (and optionally a subdivision) from ``holidays``.

    The ``holidays`` package is imported, and each year's holidays computed, only when first
    needed; lookups afterwards are a set membership test. Safe to share between threads.

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

    def _year(self, year: int) -> frozenset[date]:
        found = self._years.get(year)
        if found is None:
            import holidays  # deferred: the package is large and only needed here

            with self._lock:
                table = holidays.country_holidays(self.country, subdiv=self.subdiv, years=year)
                found = frozenset(table)
                self._years[year] = found
        return found

    def is_holiday(self, day: date) -> bool:
        """True if ``day`` is a public holiday in this country."""
        return day in self._year(day.year)

    def names(self, year: int) -> dict[date, str]:
        """The public holidays of ``year`` with their names (in English)."""
        import holidays

        table = holidays.country_holidays(
            self.country, subdiv=self.subdiv, years=year, language="en_US"
        )
        return dict(sorted(table.items()))


#: Norway's public holidays ("helligdager" and 1 and 17 May), the default calendar.
NORWAY = HolidayCalendar("NO")


def is_working_day(day: date, calendar: Calendar = NORWAY) -> bool:
    """True unless ``day`` is a Saturday, a Sunday or a public holiday (1182/71 art. 2(2))."""
    return day.weekday() < 5 and not calendar.is_holiday(day)


def next_working_day(day: date, calendar: Calendar = NORWAY) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def working_days_between(first: date, last: date, calendar: Calendar = NORWAY) -> int:
    """The number of working days from ``first`` to ``last``, both included."""
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day, calendar)
        day += timedelta(days=1)
    return count


def end_of_day(day: date, tz: tzinfo = OSLO) -> datetime:
    """The last instant of ``day`` in ``tz`` (23:59:59.999999), an aware datetime."""
    return datetime.combine(day, time.max, tzinfo=tz)


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
    local = require_aware("instant", instant).astimezone(tz)
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
        return require_aware("deadline", deadline) >= self.end


def _event_day(event: datetime | date, tz: tzinfo) -> tuple[datetime, date]:
    if isinstance(event, datetime):
        require_aware("event", event)
        return event, event.astimezone(tz).date()
    if isinstance(event, date):
        return datetime.combine(event, time.min, tzinfo=tz), event
    raise TypeError(f"'event' must be a date or an aware datetime, got {event!r}")


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
    as a date is taken as happening on that day in ``tz``.

    ```pycon
    >>> from datetime import date
    >>> period(date(2024, 1, 31), 1, "months").last_day      # no 31 February
    datetime.date(2024, 2, 29)
    >>> period(date(2024, 5, 15), 2).last_day               # 17 May, then a weekend
    datetime.date(2024, 5, 21)

    ```
    """
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {', '.join(_UNITS)}, got {unit!r}")
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ValueError(f"length must be a whole number of at least 1, got {length!r}")
    instant, day0 = _event_day(event, tz)
    first = day0 + timedelta(days=1)  # art. 3(1): the event's day is not counted
    if unit == "working-days":
        last = day0
        counted = 0
        while counted < length:
            last += timedelta(days=1)
            counted += is_working_day(last, calendar)
        nominal = last
    else:
        if unit == "days":
            nominal = day0 + timedelta(days=length)
        elif unit == "weeks":
            nominal = day0 + timedelta(weeks=length)
        elif unit == "months":
            from dateutil.relativedelta import relativedelta

            nominal = day0 + relativedelta(months=length)  # clamps to the month's last day
        else:
            from dateutil.relativedelta import relativedelta

            nominal = day0 + relativedelta(years=length)
        last = next_working_day(nominal, calendar)  # art. 3(4)
        # art. 3(5): two days or more include at least two working days.
        spans_two_days = (nominal - day0).days >= 2
        while spans_two_days and working_days_between(first, last, calendar) < 2:
            last = next_working_day(last + timedelta(days=1), calendar)
    return Period(
        event=instant,
        length=length,
        unit=unit,
        first_day=first,
        nominal_last_day=nominal,
        last_day=last,
        end=end_of_day(last, tz),
    )


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
    require_aware("at", at)
    require_aware("deadline", deadline)
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

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TIME = r"(?:\s*,?\s*(?:kl\.?|klokken|at)?\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2}))?"
_TEXTUAL = re.compile(
    r"^(?P<day>\d{1,2})\.?\s+(?P<month>[a-zæøå]+)\.?\s+(?P<year>\d{4})" + _TIME + r"$", re.I
)
_TEXTUAL_EN = re.compile(
    r"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME + r"$", re.I
)
_DOTTED = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})" + _TIME + r"$")
_SLASHED = re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{2,4})")


def _build(text: str, tz: tzinfo, year: int, month: int, day: int, m: re.Match[str]) -> datetime:
    try:
        if m.group("hour") is None:
            return end_of_day(date(year, month, day), tz)
        clock = time(int(m.group("hour")), int(m.group("minute")))
        return datetime.combine(date(year, month, day), clock, tzinfo=tz)
    except ValueError as exc:
        raise DateParseError(f"not a real date or time: {text!r} ({exc})", text) from None


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
        raise DateParseError(f"expected text, got {text!r}", repr(text))
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise DateParseError("empty deadline text", text)
    if _ISO.match(cleaned):
        from dateutil.parser import isoparse

        try:
            value = isoparse(cleaned)
        except ValueError as exc:
            raise DateParseError(
                f"not a valid ISO 8601 date or time: {text!r} ({exc})", text
            ) from None
        if len(cleaned) == 10:
            return end_of_day(value.date(), tz)
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    for pattern in (_TEXTUAL, _TEXTUAL_EN):
        m = pattern.match(cleaned)
        if m:
            month = _MONTHS.get(m.group("month").lower())
            if month is None:
                raise DateParseError(f"unknown month {m.group('month')!r} in {text!r}", text)
            return _build(text, tz, int(m.group("year")), month, int(m.group("day")), m)
    m = _DOTTED.match(cleaned)
    if m:  # day.month.year is the Norwegian numeric order: not ambiguous
        return _build(text, tz, int(m.group("year")), int(m.group("month")), int(m.group("day")), m)
    if _SLASHED.match(cleaned):
        raise DateParseError(
            f"ambiguous date {text!r}: write it as ISO 8601 (YYYY-MM-DD) or '16. april 2020'",
            text,
        )
    raise DateParseError(
        f"cannot read {text!r} as a deadline; use ISO 8601 (2020-04-16T17:00) or "
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
    require_aware("start", start)
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    tz = start.tzinfo
    local = start.replace(tzinfo=None)
    result = []
    for k in range(1, count + 1):
        step: Any = every * k
        # Wall-clock arithmetic in the start's zone: 10:00 stays 10:00 across DST changes.
        result.append((local + step).replace(tzinfo=tz))
    return tuple(result)


def recurrences(rule: str, start: datetime) -> Iterator[datetime]:
    """The instants of an RFC 5545 recurrence ``rule`` from ``start`` (via dateutil.rrule).

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

    require_aware("start", start)
    tz = start.tzinfo
    try:
        rule_set = rrulestr(rule, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError) as exc:
        raise DateParseError(f"not a recurrence rule: {rule!r} ({exc})", rule) from None
    for instant in rule_set:
        yield instant.replace(tzinfo=tz)
