"""Findings (one unmet precondition) and assessments (the verdict on one event)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from innoproc import _i18n
from innoproc._errors import InvalidDefinition
from innoproc._text import Source, Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._engine.declare import Procedure

#: What a rule is: a legal requirement, a requirement of a funding programme, or good
#: practice. Legal and programme requirements block a step when unmet; good practice is
#: reported as advice and never blocks.
FindingKind = Literal["legal", "programme", "practice"]
KINDS: tuple[str, ...] = ("legal", "programme", "practice")

KIND_LABELS: dict[str, Text] = {
    "legal": Text("legal requirement"),
    "programme": Text("programme requirement"),
    "practice": Text("good practice"),
}


def check_kind(owner: str, kind: object) -> str:
    """``kind`` if it is one of ``KINDS``, else ``InvalidDefinition`` naming ``owner``."""
    if kind not in KINDS:
        raise InvalidDefinition(
            f"{owner}: kind must be one of {', '.join(KINDS)}, got {kind!r}", owner
        )
    return str(kind)


_NO_DETAILS: Mapping[str, Any] = MappingProxyType({})


def _freeze(details: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(details)) if details else _NO_DETAILS


class Shortfall:
    """What a precondition's test returns when the rule is not met, with the particulars.

    ``text`` explains this case's shortfall (the rule itself is stated by the precondition):
    a ``Text``, usually with the figures as values (``Text("Phase {phase} is not evaluated.",
    phase=2)``), or plain English with an optional bokmål translation (``Shortfall("...",
    "...")``, for a host's own rules). ``details`` carries the figures a program may want
    (dates, counts). ``source`` cites the finding where it rests on another source than the
    rule's own (for example the framework in force on the day, for a dated rule).

    ```pycon
    >>> Shortfall("only 2 candidates invited", "bare 2 kandidater invitert", invited=2).details
    mappingproxy({'invited': 2})

    ```
    """

    __slots__ = ("details", "source", "text")

    def __init__(
        self, text: Text | str = "", nb: str = "", /, source: Source | None = None, **details: Any
    ) -> None:
        if isinstance(text, Text):
            self.text: Text | None = text
        elif text:
            self.text = Text(text, nb or None)  # i18n: a host's own text
        else:
            self.text = None
        self.source = source
        self.details: Mapping[str, Any] = _freeze(details)

    @property
    def en(self) -> str:
        """The explanation in English ("" when there is none)."""
        return "" if self.text is None else self.text.get("en")

    @property
    def nb(self) -> str:
        """The explanation in Norwegian bokmål ("" when there is none)."""
        return "" if self.text is None else self.text.get("nb")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Shortfall):
            return NotImplemented
        return (type(self), self.text, self.source, dict(self.details)) == (
            type(other),
            other.text,
            other.source,
            dict(other.details),
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r}, **{dict(self.details)!r})"


class Advice(Shortfall):
    """What a rule's test returns to advise without blocking: the step may go ahead, and the
    advice is reported with it (``Assessment.advice``), as good practice.
    """

    __slots__ = ()


@attrs.frozen
class Finding:
    """One unmet precondition: its stable ``code``, the rule, its ``source`` and particulars.

    ``kind`` says what the rule is: ``"legal"`` (a legal requirement), ``"programme"`` (a
    funding programme's requirement) or ``"practice"`` (good practice, which never blocks).
    ``message(lang)`` gives it in plain language in ``lang`` (``"en"``, ``"nb"``, ``"nn"``;
    ``None``: the process's default).
    """

    code: str
    rule: Text
    source: Source
    explanation: Text | None = None
    details: Mapping[str, Any] = attrs.field(default=_NO_DETAILS, converter=_freeze)
    kind: str = "legal"

    @property
    def blocking(self) -> bool:
        """True when the finding blocks the step (a legal or programme requirement)."""
        return self.kind != "practice"

    def message(self, lang: str | None = None) -> str:
        """The rule, followed by what is wrong in this case, in ``lang``."""
        lang = _i18n.resolve(lang)
        text = self.rule.get(lang)
        if self.explanation is not None:
            text = f"{text} {self.explanation.get(lang)}"
        return text

    def __str__(self) -> str:
        return f"[{self.code}] {self.message()} ({self.source})"

    def label(self, lang: str | None = None) -> str:
        """What kind of rule this is, in ``lang`` (``"legal requirement"``...)."""
        return KIND_LABELS[self.kind].get(lang)

    def lines(self, lang: str | None = None) -> list[str]:
        """The finding as a refusal shows it: the code, the kind and the message, then the
        source."""
        lang = _i18n.resolve(lang)
        return [
            _FINDING.with_values(
                code=self.code, kind=self.label(lang).capitalize(), message=self.message(lang)
            ).get(lang),
            _SOURCE.with_values(source=self.source.cite(lang)).get(lang),
        ]


_FINDING = Text("[{code}] {kind}: {message}")
_SOURCE = Text("Source: {source}")
_OK = Text("{event} may be done now; the case is in {state}.")
_REFUSED = Text("{event} cannot be done now; the case is in {state}.")
_NOT_POSSIBLE = Text(
    "{event} is not possible while the case is in {state}; it is possible from {states}."
)
_UNMET = Text("Rules not met ({n}):")
_MISSING = Text("Still to be filled in: {fields}.")
_UNASSESSED = Text("Judged once those are given: {rules}.")
_ADVICE = Text("Advice, which does not stop the step:")


@attrs.frozen(repr=False)
class Assessment:
    """The verdict on one event for one case at one moment.

    ``ok`` is true only when the event is possible from the current state (``allowed``),
    every precondition is met (``unmet`` is empty) and no required field is ``missing``.
    ``unmet`` lists *every* unmet blocking precondition (legal and programme requirements),
    never only the first; ``advice`` lists findings that do not block (good practice).
    """

    procedure_id: str
    event: str
    state: str
    allowed: bool
    target: str | None
    possible_from: tuple[str, ...]
    met: tuple[str, ...] = ()
    unmet: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    unassessed: tuple[str, ...] = ()
    advice: tuple[Finding, ...] = ()
    procedure: Procedure | None = attrs.field(default=None, eq=False, repr=False)
    """The procedure (version) assessed, for the titles of its states, steps and fields."""

    @property
    def ok(self) -> bool:
        """True when the event may be applied now."""
        return self.allowed and not self.unmet and not self.missing

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the unmet preconditions."""
        return tuple(f.code for f in self.unmet)

    @property
    def status(self) -> str:
        """What a screen should show for the step: ``"ok"`` (may be applied now),
        ``"needs-input"`` (allowed and nothing unmet, but required fields are still to be
        given: offer the form), ``"refused"`` (a blocking rule is unmet) or ``"not-possible"``
        (the step does not start from the case's state)."""
        if not self.allowed:
            return "not-possible"
        if self.unmet:
            return "refused"
        return "needs-input" if self.missing else "ok"

    def __bool__(self) -> bool:
        return self.ok

    def explain(self, lang: str | None = None) -> str:
        """A plain-language explanation in ``lang`` (the process's default when ``None``):
        the verdict, then every unmet rule with its code, kind and source, what is still to
        be filled in, and any advice."""
        lang = _i18n.resolve(lang)
        event, state = self.event_title(lang), self.state_title(self.state, lang)
        if not self.allowed:
            states = _i18n.Series((self.state_title(s, lang) for s in self.possible_from), "or")
            return _NOT_POSSIBLE.with_values(event=event, state=state, states=states).get(lang)
        verdict = _OK if self.ok else _REFUSED
        lines = [verdict.with_values(event=event, state=state).get(lang)]
        if self.unmet:
            lines.append("  " + _UNMET.with_values(n=len(self.unmet)).get(lang))
            lines.extend(_finding_lines(self.unmet, lang))
        if self.missing:
            fields = _i18n.Series(self.field_title(f, lang) for f in self.missing)
            lines.append("  - " + _MISSING.with_values(fields=fields).get(lang))
        if self.unassessed:
            rules = _i18n.Series(f"[{code}]" for code in self.unassessed)
            lines.append("  - " + _UNASSESSED.with_values(rules=rules).get(lang))
        if self.advice:
            lines.append("  " + _ADVICE.get(lang))
            lines.extend(_finding_lines(self.advice, lang))
        return "\n".join(lines)

    def event_title(self, lang: str | None = None) -> str:
        """The step as a person names it: its title in ``lang`` and its code in brackets."""
        spec = self.procedure.events.get(self.event) if self.procedure is not None else None
        if spec is None:
            return self.event
        return f"{spec.title.get(lang)} [{self.event}]"

    def state_title(self, state: str, lang: str | None = None) -> str:
        """The title of ``state`` in ``lang`` (its name when the procedure is not known)."""
        spec = self.procedure.states.get(state) if self.procedure is not None else None
        return state if spec is None else spec.title.get(lang)

    def field_title(self, name: str, lang: str | None = None) -> str:
        """The label of the step's field ``name`` in ``lang``."""
        spec = self.procedure.events.get(self.event) if self.procedure is not None else None
        field = spec.field_map.get(name) if spec is not None else None
        return name if field is None else Text(field.label).get(lang)  # i18n: from Field

    def __str__(self) -> str:
        return self.explain()

    def __repr__(self) -> str:
        """Short: the event, the state, the verdict and the unmet codes (``explain()`` for
        the rules in full)."""
        if not self.allowed:
            verdict = f"not possible (possible from: {', '.join(self.possible_from) or '-'})"
        elif self.ok:
            verdict = "may be applied"
        else:
            parts = []
            if self.unmet:
                parts.append(f"unmet {', '.join(self.codes)}")
            if self.missing:
                parts.append(f"missing {', '.join(self.missing)}")
            verdict = "refused, " + "; ".join(parts)
        return f"<Assessment {self.event} in {self.state}: {verdict}>"

    def _repr_html_(self) -> str:
        from innoproc._display import assessment_html

        return assessment_html(self)


def _finding_lines(findings: tuple[Finding, ...], lang: str) -> list[str]:
    lines = []
    for finding in findings:
        first, source = finding.lines(lang)
        lines.append(f"  - {first}")
        lines.append(f"    {source}")
    return lines
