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

from innoproc._engine.assessment import Finding
from innoproc._engine.declare import titled
from innoproc._engine.history import FactRecord
from innoproc._i18n import Plain, Series
from innoproc._text import Source, Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.declare import Procedure
    from innoproc._engine.fields import Field

_SOURCE = Source("The versions of the procedure")

_HEAD = Text("Moving {procedure} from version {a} to version {b}: {verdict}.")
_POSSIBLE = Text("possible")
_REFUSED = Text("refused")
_RULES: dict[str, Text] = {
    "upgrade-not-newer": Text("A case can only move to a later version of its procedure."),
    "upgrade-state-unmapped": Text("The state the case is in must exist in the new version."),
    "upgrade-fact-unmapped": Text(
        "Every kind of fact the case has recorded must exist in the new version."
    ),
    "upgrade-field-unmapped": Text("Every field of a recorded fact must exist in the new version."),
    "upgrade-field-missing": Text(
        "The new version asks for more in a fact the case has recorded; record it again "
        "after the upgrade."
    ),
    "upgrade-new-rule": Text("The new version has a rule the case has not been judged by before."),
}


def _label(field: Field | None, name: str) -> Text | Plain:
    return Text(field.label) if field is not None else Plain(name)  # i18n: from Field


def _finding(code: str, text: Text, blocking: bool, **details: object) -> Finding:
    return Finding(
        code,
        _RULES[code],
        _SOURCE,
        text,
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
    #: The procedure's title, for the reader.
    procedure_title: Text | None = None

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

    def explain(self, lang: str | None = None) -> str:
        """The report in plain language, one line per finding, in ``lang`` (``None``: the
        process's default language)."""
        lines = [
            _HEAD.with_values(
                procedure=self.procedure_title or Plain(self.procedure_id),
                a=Plain(self.from_version),
                b=Plain(self.to_version),
                verdict=_POSSIBLE if self.ok else _REFUSED,
            ).get(lang)
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
                Text(
                    "The case is at version {current}; version {requested} is not later.",
                    current=Plain(current.version),
                    requested=Plain(target.version),
                ),
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
                Text(
                    "Version {version} has no state “{state}”.",
                    version=Plain(target.version),
                    state=titled(current.states.get(state), state),
                ),
                True,
                state=state,
            )
        )
        new_state = None
    for name, record in facts.items():
        spec = target.facts.get(name)
        old = current.facts.get(name)
        fact = titled(old if old is not None else spec, name)
        if spec is None:
            unmet.append(
                _finding(
                    "upgrade-fact-unmapped",
                    Text(
                        "Version {version} has no fact “{fact}”.",
                        version=Plain(target.version),
                        fact=fact,
                    ),
                    True,
                    fact=name,
                )
            )
            continue
        unknown = [f for f in record.payload if f not in spec.field_map]
        if unknown:
            fields = old.field_map if old is not None else {}
            unmet.append(
                _finding(
                    "upgrade-field-unmapped",
                    Text(
                        "“{fact}” has fields version {version} does not know: {fields}.",
                        fact=fact,
                        version=Plain(target.version),
                        fields=Series(_label(fields.get(f), f) for f in unknown),
                    ),
                    True,
                    fact=name,
                    fields=tuple(unknown),
                )
            )
        lacking = [f for f in spec.fields if f.required and f.name not in record.payload]
        if lacking:
            advice.append(
                _finding(
                    "upgrade-field-missing",
                    Text(
                        "“{fact}” lacks: {fields}.",
                        fact=spec.title,
                        fields=Series(_label(f, f.name) for f in lacking),
                    ),
                    False,
                    fact=name,
                    fields=tuple(f.name for f in lacking),
                )
            )
    for code, pre in target.preconditions.items():
        if code not in current.preconditions:
            advice.append(
                _finding(
                    "upgrade-new-rule",
                    Text("{rule} [{code}]", rule=pre.rule, code=Plain(code)),
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
        current.title,
    )
