"""The names of Norway's public holidays, as a refusal says them.

The dates come from the ``holidays`` package (``innoproc.deadlines.NORWAY``), which names them
in American English; these are the names a Norwegian reader knows. The days are those of
lov 24. februar 1995 nr. 12 om helligdager og helligdagsfred § 2 and the act on 1 and 17 May
as public high days (lov om 1. og 17. mai som høgtidsdager).
"""

from __future__ import annotations

from innoproc._i18n import Plain, Series
from innoproc._text import Text

#: The holidays package's English name of each holiday, with its name for readers.
HOLIDAY_NAMES: dict[str, Text] = {
    "New Year's Day": Text("New Year's Day", context="holiday"),
    "Maundy Thursday": Text("Maundy Thursday", context="holiday"),
    "Good Friday": Text("Good Friday", context="holiday"),
    "Easter Sunday": Text("Easter Sunday", context="holiday"),
    "Easter Monday": Text("Easter Monday", context="holiday"),
    "Labor Day": Text("1 May, public holiday", context="holiday"),
    "Constitution Day": Text("17 May, Constitution Day", context="holiday"),
    "Ascension Day": Text("Ascension Day", context="holiday"),
    "Pentecost": Text("Whit Sunday", context="holiday"),
    "Pentecost Monday": Text("Whit Monday", context="holiday"),
    "Christmas Day": Text("Christmas Day", context="holiday"),
    "Second Day of Christmas": Text("Boxing Day", context="holiday"),
}


def holiday_name(name: str) -> Text:
    """The reader's name of the holiday the ``holidays`` package calls ``name`` (the name
    itself for a holiday of another calendar). Two holidays on one day (17 May on Whit Monday)
    come joined by "; " and are named both."""
    parts = name.split("; ")
    if len(parts) > 1:
        return Text("{names}", names=Series([holiday_name(part) for part in parts]))
    found = HOLIDAY_NAMES.get(name)
    return found if found is not None else Text("{name}", name=Plain(name))
