"""Norway's EEA thresholds, dated: which rules apply to a procurement of a given value.

Above the EEA threshold ("EØS-terskelverdi", forskrift om offentlige anskaffelser § 5-3) a
procurement follows part III of the regulation, with the directive's minimum time limits;
below it (part II) there is no statutory minimum time limit: the time limit must fit the
contract's complexity (DOMAIN V4; the ministry's guidance on time limits). The thresholds are
amounts in NOK excluding VAT, set for two years at a time by kind of authority and contract.

Norway adjusts them some weeks after the EU's 1 January (9 February 2016, 6 April 2018,
12 February 2020, 23 March 2022, 14 March 2024): until then the earlier figures apply, so
each period starts on its Norwegian date.

Figures read in the ministry's or DFØ's own text are ``verified``; figures only found in
secondary sources (law firms, KS, municipalities), or where sources disagree, are marked
``verified=False`` and their ``note`` says why. Norway's 2026 adjustment could not be
confirmed: from 1 January 2026 the 2024 figures are listed, unverified, until it is.

```pycon
>>> from datetime import date, datetime
>>> from innoproc import thresholds
>>> t = thresholds.eea_threshold(date(2024, 6, 1), authority="sub-central", contract="services")
>>> t.amount, t.valid_from, t.verified
(Decimal('2300000'), datetime.date(2024, 3, 14), True)

```
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import attrs

from innoproc._errors import InvalidArgument, UnknownThreshold, shown
from innoproc._text import Source
from innoproc._time import OSLO, require_aware

__all__ = [
    "AUTHORITY_KINDS",
    "CONTRACT_KINDS",
    "THRESHOLDS",
    "Threshold",
    "eea_threshold",
]

#: Kinds of contracting authority: central government authorities ("statlige myndigheter")
#: and all others ("andre oppdragsgivere": municipalities, county municipalities, ...).
AUTHORITY_KINDS: tuple[str, ...] = ("central-government", "sub-central")
#: Kinds of contract: supplies and services share one threshold, works have their own.
CONTRACT_KINDS: tuple[str, ...] = ("supplies", "services", "works")


@attrs.frozen
class Threshold:
    """One EEA threshold: for ``authority`` and ``contract`` kinds, ``amount`` NOK excluding
    VAT, in force from ``valid_from`` until the next period starts."""

    authority: str
    contract: str
    amount: Decimal
    valid_from: date
    source: Source
    verified: bool = True
    note: str = ""


_KLUGE = Source(
    "Kluge Advokatfirma: Nye terskelverdier for offentlige anskaffelser (2016)",
    "forskrift om offentlige anskaffelser § 5-3",
    url="https://www.kluge.no/fagforum/nyhetsbrev/nye-terskelverdier-for-offentlige-anskaffelser/",
    publisher="Kluge Advokatfirma",
)
_KS_2018 = Source(
    "KS Advokatene: Nye terskelverdier for kunngjøring av offentlige anskaffelser (2018; "
    "endringsforskrift FOR-2018-04-04-533)",
    "forskrift om offentlige anskaffelser § 5-3",
    url="https://www.ks.no/ks-advokatene/nyheter/nye-terskelverdier-for-kunngjoring-av-offentlige-"
    "anskaffelser/",
    publisher="KS Advokatene",
)
_DFO_2020 = Source(
    "DFØ: EØS-terskelverdiene er endret (2020; endringsforskrift FOR-2020-02-12-128)",
    "forskrift om offentlige anskaffelser § 5-3",
    url="https://www.anskaffelser.no/nyhet/2020/02/eos-terskelverdiene-er-endret",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
)
_KS_2022 = Source(
    "KS Advokatene: Nye EØS-terskelverdier for 2022-2024",
    "forskrift om offentlige anskaffelser § 5-3",
    url="https://www.ks.no/ks-advokatene/nyheter/nye-eos-terskelverdier-for-2022-2024/",
    publisher="KS Advokatene",
)
_DFO_2024 = Source(
    "DFØ: Nye EØS-terskelverdier for offentlige anskaffelser har trådt i kraft (2024)",
    "forskrift om offentlige anskaffelser § 5-3",
    url="https://anskaffelser.no/nyhetsarkiv/nye-eos-terskelverdier-offentlige-anskaffelser-har-"
    "tradt-i-kraft",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
)

_SECONDARY = "read in a secondary source, not in the regulation or the ministry's own text"


def _period(
    valid_from: date,
    central: int,
    sub_central: int,
    works: int,
    source: Source,
    verified: tuple[bool, bool, bool],
    notes: tuple[str, str, str] = ("", "", ""),
) -> tuple[Threshold, ...]:
    rows = []
    for authority, amount, ok, note in (
        ("central-government", central, verified[0], notes[0]),
        ("sub-central", sub_central, verified[1], notes[1]),
    ):
        for contract in ("supplies", "services"):
            rows.append(
                Threshold(authority, contract, Decimal(amount), valid_from, source, ok, note)
            )
    for authority in AUTHORITY_KINDS:
        rows.append(
            Threshold(authority, "works", Decimal(works), valid_from, source, verified[2], notes[2])
        )
    return tuple(rows)


#: Every threshold innoproc knows, oldest period first.
THRESHOLDS: tuple[Threshold, ...] = (
    # In force 9 February 2016 (under the 2006 regulation) and kept unchanged by the new
    # regulation from 1 January 2017.
    *_period(
        date(2016, 2, 9),
        1_100_000,
        1_750_000,
        44_000_000,
        _KLUGE,
        (False, False, False),
        (_SECONDARY, _SECONDARY, _SECONDARY),
    ),
    *_period(
        date(2018, 4, 6),
        1_300_000,
        2_000_000,
        51_000_000,
        _KS_2018,
        (False, False, False),
        (_SECONDARY, _SECONDARY, _SECONDARY),
    ),
    # DFØ gives 12 February 2020 as the day the change came into force; one secondary source
    # says 13 February.
    *_period(
        date(2020, 2, 12),
        1_300_000,
        2_050_000,
        51_500_000,
        _DFO_2020,
        (True, True, True),
    ),
    *_period(
        date(2022, 3, 23),
        1_400_000,
        2_200_000,
        56_000_000,
        _KS_2022,
        (False, False, False),
        (
            _SECONDARY,
            _SECONDARY + "; other secondary sources give 2 210 000 and 2 400 000",
            _SECONDARY,
        ),
    ),
    # DFØ's announcement gives 57.9 million for works under the regulation, its own overview
    # page, KS and the ministry's figures for utilities and defence 57.8 million: the lower,
    # stricter figure is used until the regulation's text is read.
    *_period(
        date(2024, 3, 14),
        1_490_000,
        2_300_000,
        57_800_000,
        _DFO_2024,
        (True, True, False),
        ("", "", "DFØ gives both 57 800 000 and 57 900 000; the lower figure is used"),
    ),
    # Norway's adjustment for 2026-2027 could not be found: the 2024 figures stay listed,
    # unverified, until it is.
    *_period(
        date(2026, 1, 1),
        1_490_000,
        2_300_000,
        57_800_000,
        _DFO_2024,
        (False, False, False),
        ("Norway's figures for 2026-2027 could not be confirmed; the 2024 figures are used",) * 3,
    ),
)


def eea_threshold(on: date, *, authority: str, contract: str) -> Threshold:
    """The EEA threshold in force on ``on`` for this kind of ``authority`` and ``contract``.

    Raises ``UnknownThreshold`` for a day before the first period innoproc knows
    (9 February 2016) and ``InvalidArgument`` for an unknown kind.
    """
    if not isinstance(on, date):
        raise InvalidArgument(f"'on' must be a date or an aware datetime, got {shown(on)}", "on")
    if authority not in AUTHORITY_KINDS:
        raise InvalidArgument(
            f"'authority' must be one of {', '.join(AUTHORITY_KINDS)}, got {shown(authority)}",
            "authority",
        )
    if contract not in CONTRACT_KINDS:
        raise InvalidArgument(
            f"'contract' must be one of {', '.join(CONTRACT_KINDS)}, got {shown(contract)}",
            "contract",
        )
    try:
        day = require_aware("on", on).astimezone(OSLO).date() if isinstance(on, datetime) else on
    except OverflowError:  # an instant at the very end of year 9999, moved to Oslo time
        raise InvalidArgument(
            f"'on' is beyond the dates innoproc knows: {shown(on)}", "on"
        ) from None
    found: Threshold | None = None
    for row in THRESHOLDS:
        if row.authority == authority and row.contract == contract and row.valid_from <= day:
            found = row
    if found is None:
        raise UnknownThreshold(day, THRESHOLDS[0].valid_from)
    return found
