"""Readable display of cases, procedures, assessments and audits: HTML in Jupyter, text in a
terminal. The engine's classes call these lazily from their ``_repr_html_`` methods."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from innoproc._text import Text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from innoproc._audit import AuditReport
    from innoproc._call import CallResult
    from innoproc._engine.assessment import Assessment
    from innoproc._engine.case import Case
    from innoproc._engine.declare import Procedure
    from innoproc._simulate import SimulationResult

_STYLE = (
    "<style>.innoproc table{border-collapse:collapse;margin:4px 0}"
    ".innoproc td,.innoproc th{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}.innoproc .ok{color:#2e7d32}.innoproc .no{color:#c62828}"
    ".innoproc code{font-size:90%}.innoproc .num{text-align:right}"
    ".innoproc .bar{background:#4c78a8;height:.8em;display:inline-block}</style>"
)


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def assessment_html(a: Assessment, lang: str = "en") -> str:
    """An assessment: verdict, then each unmet precondition with its source."""
    if a.ok:
        text = escape(a.explain(lang))
        return f'<div class="innoproc">{_STYLE}<span class="ok">✔</span> {text}</div>'
    items = "".join(
        f"<li><code>{escape(f.code)}</code> {escape(f.message(lang))} "
        f"<br><small>{escape(str(f.source))}</small></li>"
        for f in a.unmet
    )
    extra = ""
    if a.missing:
        extra += f"<li>missing field(s): <code>{escape(', '.join(a.missing))}</code></li>"
    head = escape(a.explain(lang).splitlines()[0])
    mark = '<span class="no">✘</span>'
    return f'<div class="innoproc">{_STYLE}{mark} {head}<ul>{items}{extra}</ul></div>'


def case_html(case: Case, lang: str = "en") -> str:
    """A case: identity and state, what may happen next, and the latest history."""
    title = case.procedure.title.get(lang)
    state = case.procedure.states[case.state].title.get(lang)
    head = (
        f"<b>{escape(case.reference)}</b> · {escape(case.authority)} · {escape(title)}<br>"
        f"state: <b>{escape(state)}</b> (<code>{escape(case.state)}</code>), "
        f"revision {case.revision}"
    )
    rows = []
    for a in case.available():
        mark = '<span class="ok">✔</span>' if not a.unmet else '<span class="no">✘</span>'
        why = "; ".join(escape(f"[{f.code}] {f.message(lang)}") for f in a.unmet)
        if a.missing:
            why = (why + "; " if why else "") + "needs " + escape(", ".join(a.missing))
        rows.append([mark, f"<code>{escape(a.event)}</code>", why])
    nxt = _table(["", "next step", "why not / what is needed"], rows) if rows else "(closed)"
    hist = [
        [
            str(e.seq),
            escape(f"{e.at:%Y-%m-%d %H:%M}"),
            escape(e.kind),
            f"<code>{escape(e.name)}</code>",
            escape(e.by),
        ]
        for e in case.history[-10:]
    ]
    history = _table(["#", "at", "kind", "name", "by"], hist) if hist else ""
    return f'<div class="innoproc">{_STYLE}{head}{nxt}{history}</div>'


def procedure_html(procedure: Procedure, lang: str = "en") -> str:
    """A procedure: its source, states and events with their preconditions."""
    rows = []
    for e in procedure.events.values():
        pres = "<br>".join(
            f"<code>{escape(p.code)}</code> <small>{escape(str(p.source))}</small>"
            for p in e.requires
        )
        rows.append(
            [
                f"<code>{escape(e.name)}</code>",
                escape(", ".join(e.source)),
                escape(e.dest or "(stays)"),
                pres,
            ]
        )
    head = f"<b>{escape(procedure.title.get(lang))}</b> ({escape(str(procedure.source))})"
    return (
        f'<div class="innoproc">{_STYLE}{head}'
        f"{_table(['event', 'from', 'to', 'preconditions'], rows)}</div>"
    )


def audit_html(report: AuditReport, lang: str = "en") -> str:
    """An audit report: one row per finding."""
    rows = [
        [
            "document" if v.seq is None else str(v.seq),
            escape(v.name or ""),
            escape(v.kind),
            f"<code>{escape(f.code)}</code>",
            escape(f.message(lang)),
            escape(str(f.source)),
        ]
        for v in report.violations
        for f in v.findings
    ]
    verdict = (
        '<span class="ok">✔ complies</span>'
        if report.ok
        else '<span class="no">✘ violations</span>'
    )
    steps = report.steps_checked
    checked = f"{steps} step checked" if steps == 1 else f"{steps} steps checked"
    head = (
        f"<b>{escape(report.reference)}</b> ({escape(report.procedure_id)}): {verdict}, {checked}"
    )
    table = _table(["entry", "step", "kind", "code", "message", "source"], rows) if rows else ""
    return f'<div class="innoproc">{_STYLE}{head}{table}</div>'


def case_text(case: Case, lang: str = "en") -> str:
    """A case as plain text for a terminal."""
    lines = [
        f"{case.reference} · {case.authority} · {case.procedure.title.get(lang)}",
        f"state: {case.state} (revision {case.revision})",
    ]
    for a in case.available():
        mark = "✔" if not a.unmet else "✘"
        why = ", ".join(a.codes)
        needs = f" needs {', '.join(a.missing)}" if a.missing else ""
        lines.append(f"  {mark} {a.event}{(' — ' + why) if why else ''}{needs}")
    for e in case.history[-5:]:
        lines.append(f"  {e.seq:>3} {e.at:%Y-%m-%d} {e.kind:<4} {e.name} ({e.by})")
    return "\n".join(lines)


# -- simulation results ------------------------------------------------------------------------

_LABELS: dict[str, Text] = {
    "runs": Text(en="{n:,} runs, seed {seed}", nb="{n:,} kjøringer, startverdi {seed}"),
    "end": Text(en="end state", nb="sluttilstand"),
    "count": Text(en="runs", nb="kjøringer"),
    "share": Text(en="share", nb="andel"),
    "median_days": Text(en="median days", nb="median dager"),
    "mean_cost": Text(en="mean cost (NOK)", nb="snittkostnad (kr)"),
    "purchases": Text(
        en="{n:,} runs reached the purchase step ({share:.1%})",
        nb="{n:,} kjøringer nådde kjøpet ({share:.1%})",
    ),
    "calls": Text(
        en="{n:,} calls, budget NOK {budget:,.0f}, seed {seed}",
        nb="{n:,} utlysninger, budsjett kr {budget:,.0f}, startverdi {seed}",
    ),
    "measure": Text(en="per call", nb="per utlysning"),
    "mean": Text(en="mean", nb="snitt"),
    "min": Text(en="min", nb="min"),
    "max": Text(en="max", nb="maks"),
    "funnel": Text(en="of the applications, on average", nb="av søknadene, i snitt"),
}


def _bar(share: float) -> str:
    width = max(0.0, min(1.0, share)) * 120
    return f'<span class="bar" style="width:{width:.0f}px"></span>'


def _num(value: object, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def simulation_html(result: SimulationResult, lang: str = "en") -> str:
    """A simulation: one row per end state with its share, median days and mean cost."""
    label = {k: v.get(lang) for k, v in _LABELS.items()}
    head = (
        f"<b>{escape(result.scenario)}</b>: "
        f"{escape(label['runs'].format(n=len(result.runs), seed=result.seed))}"
    )
    rows = [
        [
            f"<code>{escape(row['end'])}</code>",
            f'<span class="num">{row["runs"]:,}</span>',
            f"{_bar(row['share'])} {row['share']:.1%}",
            _num(row["median_days"], 1),
            _num(row["mean_cost"]),
        ]
        for row in result.summary()
    ]
    table = _table(
        [label["end"], label["count"], label["share"], label["median_days"], label["mean_cost"]],
        rows,
    )
    bought = result.purchases
    tail = ""
    if bought:
        share = bought / len(result.runs)
        tail = escape(label["purchases"].format(n=bought, share=share))
    return f'<div class="innoproc">{_STYLE}{head}{table}{tail}</div>'


def call_html(result: CallResult, lang: str = "en") -> str:
    """A simulated call: the funnel from applications to completed projects, then the
    measures per call (mean, min, max)."""
    label = {k: v.get(lang) for k, v in _LABELS.items()}
    head = f"<b>{escape(result.scenario)}</b>: " + escape(
        label["calls"].format(n=len(result.runs), budget=result.budget, seed=result.seed)
    )
    funnel = result.funnel()
    total = funnel["applications"] or 1.0
    stages = [
        [escape(stage), f"{_bar(value / total)} {_num(value, 1)}"]
        for stage, value in funnel.items()
    ]
    rows = [
        [
            escape(row["measure"]),
            *(
                f"{row[c]:.1%}"
                if row["measure"] == "budget_share" and row[c] is not None
                else _num(row[c], 1 if "days" in row["measure"] else 0)
                for c in ("mean", "min", "max")
            ),
        ]
        for row in result.summary()
    ]
    return (
        f'<div class="innoproc">{_STYLE}{head}'
        f"{_table(['', label['funnel']], stages)}"
        f"{_table([label['measure'], label['mean'], label['min'], label['max']], rows)}</div>"
    )
