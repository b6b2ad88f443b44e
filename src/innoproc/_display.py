"""Readable display of cases, procedures, assessments and audits: HTML in Jupyter, text in a
terminal, in the language asked for (the process's default language when ``None``). The
engine's classes call these lazily from their ``_repr_html_`` and ``__str__`` methods.

Steps, states and facts are shown by their titles (the name a program uses follows in small
type), dates and numbers as the language writes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from innoproc._engine.declare import titled
from innoproc._i18n import Plain, Short, number, percent, resolve, say
from innoproc._text import Text
from innoproc._time import OSLO

if TYPE_CHECKING:  # pragma: no cover - typing only
    from datetime import datetime

    from innoproc._audit import AuditReport
    from innoproc._call import CallResult
    from innoproc._engine.assessment import Assessment
    from innoproc._engine.case import Case
    from innoproc._engine.declare import Event, FactType, Procedure, State
    from innoproc._simulate import SimulationResult

_STYLE = (
    "<style>.innoproc table{border-collapse:collapse;margin:4px 0}"
    ".innoproc td,.innoproc th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}.innoproc .ok{color:#2e7d32}.innoproc .no{color:#c62828}"
    ".innoproc code{font-size:90%}.innoproc .num{text-align:right}"
    ".innoproc .bar{background:#4c78a8;height:.8em;display:inline-block}</style>"
)

_T: dict[str, Text] = {
    "state": Text("State: {state} (revision {revision})"),
    "next": Text("next step"),
    "why": Text("why not / what is needed"),
    "needs": Text("needs {fields}"),
    "closed": Text("(no further steps)"),
    "number": Text("#"),
    "at": Text("at"),
    "kind": Text("kind"),
    "entry": Text("entry"),
    "by": Text("by"),
    "step": Text("step"),
    "fact": Text("fact"),
    "upgrade": Text("upgrade"),
    "from": Text("from"),
    "to": Text("to"),
    "stays": Text("(stays)"),
    "preconditions": Text("preconditions"),
    "document": Text("document"),
    "rule": Text("rule"),
    "finding": Text("finding"),
    "source": Text("source"),
    "complies": Text("complies"),
    "violations": Text("{n} violation", plural="{n} violations"),
    "checked": Text("{n} step checked", plural="{n} steps checked"),
    "runs": Text("{n} runs, start value {seed}"),
    "end": Text("end state"),
    "count": Text("runs"),
    "share": Text("share"),
    "median_days": Text("median days"),
    "mean_cost": Text("mean cost (NOK)"),
    "purchases": Text("{n} runs reached the purchase step ({share})"),
    "calls": Text("{n} calls, budget {budget}, start value {seed}"),
    "measure": Text("per call"),
    "mean": Text("mean"),
    "min": Text("min"),
    "max": Text("max"),
    "funnel": Text("of the applications, on average"),
}

#: What each measure of a simulated call is called in its tables.
_MEASURE_TITLES: dict[str, Text] = {
    "applications": Text("applications"),
    "eligible": Text("eligible"),
    "assessed": Text("assessed"),
    "funded": Text("funded"),
    "purchases": Text("reached purchase"),
    "completions": Text("completed"),
    "granted": Text("granted (NOK)"),
    "budget_share": Text("share of the budget granted"),
    "median_days_to_purchase": Text("median days to purchase"),
    "cost_to_purchase": Text("grants and costs of projects reaching purchase (NOK)"),
}


# What a next step's mark says: may be done now, needs input first, refused by a rule.
_MARKS = {"ok": "✔", "needs-input": "✎", "refused": "✘", "not-possible": "✘"}
_HTML_MARKS = {
    "ok": '<span class="ok">✔</span>',
    "needs-input": "<span>✎</span>",
    "refused": '<span class="no">✘</span>',
    "not-possible": '<span class="no">✘</span>',
}


def _t(key: str, lang: str, **values: object) -> str:
    return _T[key].with_values(**values).get(lang)


def _table(head: Sequence[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _titled(title: str, name: str) -> str:
    """A title with the name a program uses in small type after it."""
    return f"{escape(title)} <small><code>{escape(name)}</code></small>"


def _when(at: datetime, lang: str) -> str:
    return say(at.astimezone(OSLO), lang)


def _title_of(specs: Mapping[str, State | Event | FactType], name: str, lang: str) -> str:
    return say(titled(specs.get(name), name), lang)


def assessment_html(a: Assessment, lang: str | None = None) -> str:
    """An assessment: verdict, then each unmet precondition with its source."""
    lang = resolve(lang)
    if a.ok:
        text = escape(a.explain(lang))
        return f'<div class="innoproc">{_STYLE}<span class="ok">✔</span> {text}</div>'
    items = "".join(
        f"<li>{escape(f.message(lang))} <small><code>{escape(f.code)}</code></small>"
        f"<br><small>{escape(f.source.cite(lang))}</small></li>"
        for f in a.unmet
    )
    extra = ""
    if a.missing:
        fields = [a.field_title(name, lang) for name in a.missing]
        extra += f"<li>{escape(_t('needs', lang, fields=fields))}</li>"
    head = escape(a.explain(lang).splitlines()[0])
    mark = '<span class="no">✘</span>'
    return f'<div class="innoproc">{_STYLE}{mark} {head}<ul>{items}{extra}</ul></div>'


def case_html(case: Case, lang: str | None = None) -> str:
    """A case: identity and state, what may happen next, and the latest history."""
    lang = resolve(lang)
    procedure = case.procedure
    title = procedure.title.get(lang)
    state = procedure.states[case.state].title.get(lang)
    head = (
        f"<b>{escape(case.reference)}</b> · {escape(case.authority)} · {escape(title)}<br>"
        + escape(_t("state", lang, state=state, revision=Plain(case.revision)))
    )
    rows = []
    for a in case.available():
        mark = _HTML_MARKS[a.status]
        why = "; ".join(
            f"{escape(f.message(lang))} <small><code>{escape(f.code)}</code></small>"
            for f in a.unmet
        )
        if a.missing:
            fields = [a.field_title(name, lang) for name in a.missing]
            why = (why + "; " if why else "") + escape(_t("needs", lang, fields=fields))
        event = procedure.events[a.event].title.get(lang)
        rows.append([mark, _titled(event, a.event), why])
    heads = ["", _t("next", lang), _t("why", lang)]
    nxt = _table(heads, rows) if rows else escape(_t("closed", lang))
    hist = [
        [
            str(e.seq),
            escape(_when(e.at, lang)),
            escape(_t(e.kind if e.kind in _T else "entry", lang)),
            _titled(_entry_title(case, e.kind, e.name, lang), e.name),
            escape(e.by),
        ]
        for e in case.history[-10:]
    ]
    columns = [_t(k, lang) for k in ("number", "at", "kind", "entry", "by")]
    history = _table(columns, hist) if hist else ""
    return f'<div class="innoproc">{_STYLE}{head}{nxt}{history}</div>'


def _entry_title(case: Case, kind: str, name: str, lang: str) -> str:
    procedure = case.procedure
    if kind == "step":
        return _title_of(procedure.events, name, lang)
    if kind == "fact":
        return _title_of(procedure.facts, name, lang)
    return _t(kind, lang) if kind in _T else name


def procedure_html(procedure: Procedure, lang: str | None = None) -> str:
    """A procedure: its source, states and events with their preconditions."""
    lang = resolve(lang)
    rows = []
    for e in procedure.events.values():
        pres = "<br>".join(
            f"{escape(p.rule.get(lang))} <small><code>{escape(p.code)}</code> "
            f"{escape(p.source.cite(lang))}</small>"
            for p in e.requires
        )
        sources = [procedure.states[s].title.get(lang) for s in e.source]
        dest = procedure.states[e.dest].title.get(lang) if e.dest else _t("stays", lang)
        rows.append(
            [_titled(e.title.get(lang), e.name), escape(", ".join(sources)), escape(dest), pres]
        )
    head = f"<b>{escape(procedure.title.get(lang))}</b> ({escape(procedure.source.cite(lang))})"
    columns = [_t(k, lang) for k in ("step", "from", "to", "preconditions")]
    return f'<div class="innoproc">{_STYLE}{head}{_table(columns, rows)}</div>'


def audit_html(report: AuditReport, lang: str | None = None) -> str:
    """An audit report: one row per finding."""
    lang = resolve(lang)
    rows = [
        [
            escape(_t("document", lang)) if v.seq is None else str(v.seq),
            escape(v.title.get(lang) if v.title is not None else (v.name or "")),
            f"<code>{escape(f.code)}</code>",
            escape(f.message(lang)),
            escape(f.source.cite(lang)),
        ]
        for v in report.violations
        for f in v.findings
    ]
    if report.ok:
        verdict = f'<span class="ok">✔ {escape(_t("complies", lang))}</span>'
    else:
        count = _t("violations", lang, n=len(report.violations))
        verdict = f'<span class="no">✘ {escape(count)}</span>'
    checked = _t("checked", lang, n=report.steps_checked)
    procedure = (
        report.procedure_title.get(lang)
        if report.procedure_title is not None
        else report.procedure_id
    )
    head = f"<b>{escape(report.reference)}</b> ({escape(procedure)}): {verdict}, {checked}"
    columns = [_t(k, lang) for k in ("entry", "step", "rule", "finding", "source")]
    table = _table(columns, rows) if rows else ""
    return f'<div class="innoproc">{_STYLE}{head}{table}</div>'


def case_text(case: Case, lang: str | None = None) -> str:
    """A case as plain text for a terminal."""
    lang = resolve(lang)
    procedure = case.procedure
    state = procedure.states[case.state].title.get(lang)
    lines = [
        f"{case.reference} · {case.authority} · {procedure.title.get(lang)}",
        _t("state", lang, state=state, revision=Plain(case.revision)),
    ]
    for a in case.available():
        mark = _MARKS[a.status]
        why = ", ".join(a.codes)
        needs = ""
        if a.missing:
            fields = [a.field_title(name, lang) for name in a.missing]
            needs = " (" + _t("needs", lang, fields=fields) + ")"
        event = procedure.events[a.event].title.get(lang)
        lines.append(f"  {mark} {event}{(' [' + why + ']') if why else ''}{needs}")
    for e in case.history[-5:]:
        day = say(Short(e.at.astimezone(OSLO).date()), lang)
        title = _entry_title(case, e.kind, e.name, lang)
        lines.append(f"  {e.seq:>3} {day}  {title} ({e.by})")
    return "\n".join(lines)


# -- simulation results ------------------------------------------------------------------------


def _bar(share: float) -> str:
    width = max(0.0, min(1.0, share)) * 120
    return f'<span class="bar" style="width:{width:.0f}px"></span>'


def _num(value: object, lang: str, digits: int = 0) -> str:
    if value is None:
        return "-"
    return number(float(value), lang, digits)  # type: ignore[arg-type]


def simulation_html(result: SimulationResult, lang: str | None = None) -> str:
    """A simulation: one row per end state with its share, median days and mean cost."""
    lang = resolve(lang)
    head = f"<b>{escape(result.scenario)}</b>: " + escape(
        _t("runs", lang, n=len(result.runs), seed=Plain(result.seed))
    )
    rows = [
        [
            _titled(result.state_title(row["end"], lang), row["end"]),
            f'<span class="num">{_num(row["runs"], lang)}</span>',
            f"{_bar(row['share'])} {percent(row['share'], lang)}",
            _num(row["median_days"], lang, 1),
            _num(row["mean_cost"], lang),
        ]
        for row in result.summary()
    ]
    columns = [_t(k, lang) for k in ("end", "count", "share", "median_days", "mean_cost")]
    table = _table(columns, rows)
    bought = result.purchases
    tail = ""
    if bought:
        share = percent(bought / len(result.runs), lang)
        tail = escape(_t("purchases", lang, n=bought, share=Plain(share)))
    return f'<div class="innoproc">{_STYLE}{head}{table}{tail}</div>'


def call_html(result: CallResult, lang: str | None = None) -> str:
    """A simulated call: the funnel from applications to completed projects, then the
    measures per call (mean, min, max)."""
    lang = resolve(lang)
    head = f"<b>{escape(result.scenario)}</b>: " + escape(
        _t("calls", lang, n=len(result.runs), budget=result.budget, seed=Plain(result.seed))
    )
    funnel = result.funnel()
    total = funnel["applications"] or 1.0
    stages = [
        [
            _titled(_MEASURE_TITLES[stage].get(lang), stage),
            f"{_bar(value / total)} {_num(value, lang, 1)}",
        ]
        for stage, value in funnel.items()
    ]
    rows = [
        [
            _titled(_MEASURE_TITLES[row["measure"]].get(lang), row["measure"]),
            *(
                percent(row[c], lang)
                if row["measure"] == "budget_share" and row[c] is not None
                else _num(row[c], lang, 1 if "days" in row["measure"] else 0)
                for c in ("mean", "min", "max")
            ),
        ]
        for row in result.summary()
    ]
    columns = [_t(k, lang) for k in ("measure", "mean", "min", "max")]
    return (
        f'<div class="innoproc">{_STYLE}{head}'
        f"{_table(['', _t('funnel', lang)], stages)}"
        f"{_table(columns, rows)}</div>"
    )
