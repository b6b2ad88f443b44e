"""Time-zone helpers shared by the engine: every instant innoproc keeps is timezone-aware."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from innoproc._errors import InvalidArgument, NaiveDatetimeError, shown

#: The default time zone of innoproc: Norwegian time.
OSLO = ZoneInfo("Europe/Oslo")


def require_aware(argument: str, value: datetime) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise ``NaiveDatetimeError`` (or
    ``InvalidArgument`` when it is no datetime at all), naming ``argument``."""
    if not isinstance(value, datetime):
        raise InvalidArgument(
            f"{argument!r} must be an aware datetime, got {shown(value)}", argument
        )
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(argument, value)
    return value
