"""Moving a case to a later version of its procedure: what does not fit, and what is new.

A case is judged by the version of its procedure it was opened under. Moving it to a later
version is an explicit entry in its history; before that entry is written, the case is
compared with the new version. What cannot be mapped (the current state, a recorded fact or
one of its fields) blocks the move; what the new version asks more of (a required field a
recorded fact lacks) and the rules that are new are reported as advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from innoproc._engine.assessment import KIND_LABELS, Finding
from innoproc._engine.history import FactRecord
from innoproc._text import Source, Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.declare import Procedure

_SOURCE = Source("innoproc", "versions of a procedure")

_RULES: dict[str, Text] = {
    "upgrade-not-newer": Text(
        en="A case can only move to a later version of its procedure.",
        nb="En sak kan bare flyttes til en senere versjon av prosedyren.",
    ),
    "upgrade-state-unmapped": Text(
        en="The state the case is in must exist in the new version.",
        nb="Tilstanden saken er i, må finnes i den nye versjonen.",
    ),
    "upgrade-fact-unmapped": Text(
        en="Every kind of fact the case has recorded must exist in the new version.",
        nb="Alle typer opplysninger saken har registrert, må finnes i den nye versjonen.",
    ),
    "upgrade-field-unmapped": Text(
        en="Every field of a recorded fact must exist in the new version.",
        nb="Alle felt i en registrert opplysning må finnes i den nye versjonen.",
    ),
    "upgrade-field-missing": Text(
        en="The new version asks for more in a fact the case has recorded; record it again "
        "after the upgrade.",
        nb="Den nye versjonen krever mer av en opplysning saken har registrert; registrer "
        "den på nytt etter oppgraderingen.",
    ),
    "upgrade-new-rule": Text(
        en="The new version has a rule the case has not been judged by before.",
        nb="Den nye versjonen har en regel saken ikke er vurdert etter før.",
    ),
}


def _finding(code: str, en: str, nb: str, blocking: bool, **details: object) -> Finding:
    return Finding(
        code,
        _RULES[code],
        _SOURCE,
        Text(en=en, nb=nb),
        details,
        kind="legal" if blocking else "practice",
    )


@attrs.frozen
class UpgradeReport:
    """What moving a case to another version of its procedure would mean.

    ``unmet`` lists what cannot be mapped (the move is refused while it is not empty),
    ``advice`` what to do after the move; ``state`` is the state the case would be in,
    ``changes`` what the new version changed.
    """

    procedure_id: str
    from_version: int
    to_version: int
    state: str | None
    unmet: tuple[Finding, ...] = ()
    advice: tuple[Finding, ...] = ()
    changes: Text | None = None

    @property
    def ok(self) -> bool:
        """True when the case can be moved."""
        return not self.unmet

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the blocking findings."""
        return tuple(f.code for f in self.unmet)

    def __bool__(self) -> bool:
        return self.ok

    def explain(self, lang: str = "en") -> str:
        """The report in plain language, one line per finding."""
        KIND_LABELS["legal"].get(lang)  # unknown languages raise UnknownLanguage
        head = {
            "en": "Moving {proc} from version {a} to version {b}: {verdict}.",
            "nb": "Flytting av {proc} fra versjon {a} til versjon {b}: {verdict}.",
        }[lang]
        verdict = {
            "en": ("possible", "refused"),
            "nb": ("mulig", "avvist"),
        }[lang][0 if self.ok else 1]
        lines = [
            head.format(
                proc=self.procedure_id, a=self.from_version, b=self.to_version, verdict=verdict
            )
        ]
        if self.changes is not None:
            lines.append("  " + self.changes.get(lang))
        for finding in (*self.unmet, *self.advice):
            lines.append(f"  - [{finding.code}] {finding.message(lang)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.explain()


def assess_upgrade(
    current: Procedure, target: Procedure, state: str, facts: Mapping[str, FactRecord]
) -> UpgradeReport:
    """Compare a case (its procedure version, state and latest facts) with ``target``."""
    unmet: list[Finding] = []
    advice: list[Finding] = []
    if target.version <= current.version:
        unmet.append(
            _finding(
                "upgrade-not-newer",
                f"The case is at version {current.version}; version {target.version} is not later.",
                f"Saken er på versjon {current.version}; versjon {target.version} er ikke senere.",
                True,
                current=current.version,
                requested=target.version,
            )
        )
    new_state: str | None = target.state_map.get(state, state)
    if new_state not in target.states:
        unmet.append(
            _finding(
                "upgrade-state-unmapped",
                f"Version {target.version} has no state {state!r}.",
                f"Versjon {target.version} har ingen tilstand {state!r}.",
                True,
                state=state,
            )
        )
        new_state = None
    for name, record in facts.items():
        spec = target.facts.get(name)
        if spec is None:
            unmet.append(
                _finding(
                    "upgrade-fact-unmapped",
                    f"Version {target.version} has no fact {name!r}.",
                    f"Versjon {target.version} har ingen opplysning {name!r}.",
                    True,
                    fact=name,
                )
            )
            continue
        unknown = [f for f in record.payload if f not in spec.field_map]
        if unknown:
            unmet.append(
                _finding(
                    "upgrade-field-unmapped",
                    f"Fact {name!r} has field(s) version {target.version} does not know: "
                    f"{', '.join(unknown)}.",
                    f"Opplysningen {name!r} har felt versjon {target.version} ikke kjenner: "
                    f"{', '.join(unknown)}.",
                    True,
                    fact=name,
                    fields=tuple(unknown),
                )
            )
        lacking = [f.name for f in spec.fields if f.required and f.name not in record.payload]
        if lacking:
            advice.append(
                _finding(
                    "upgrade-field-missing",
                    f"Fact {name!r} ({spec.title.en}) lacks: {', '.join(lacking)}.",
                    f"Opplysningen {name!r} ({spec.title.nb}) mangler: {', '.join(lacking)}.",
                    False,
                    fact=name,
                    fields=tuple(lacking),
                )
            )
    for code, pre in target.preconditions.items():
        if code not in current.preconditions:
            advice.append(
                _finding(
                    "upgrade-new-rule",
                    f"[{code}] {pre.rule.en}",
                    f"[{code}] {pre.rule.nb}",
                    False,
                    rule=code,
                )
            )
    return UpgradeReport(
        current.id,
        current.version,
        target.version,
        new_state,
        tuple(unmet),
        tuple(advice),
        target.changes,
    )
