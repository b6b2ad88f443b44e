"""A reference case-worker web app, built only on innoproc's public API.

A case list from the SQL case store (state, next time limit, overdue ones highlighted); a
case page with the history in words, the procedure's diagram with the case's state, the
steps possible now each with a form generated from the step's JSON Schema
(``innoproc.forms``), and forms to record the information the rules read. Submitting a form
applies the step or records the fact through the store, with the revision the page was read
at: a refusal lists every unmet rule with its source in the user's language, and a
concurrent change by someone else is reported as such, with the user's input kept.

Run it with ``python -m examples.caseworker`` (see ``--help``); ``create_app`` builds the
Flask application for a WSGI server or a test.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_currency
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

import innoproc
from innoproc import forms
from innoproc.eforms import open_case_from_notice, read_notice
from innoproc.store import CaseStore, CaseSummary

from .demo import seed
from .texts import LANGUAGE_NAMES, text

#: Babel locales of the app's languages.
LOCALES = {"en": "en_GB", "nb": "nb_NO", "nn": "nn_NO"}
#: How soon a time limit is highlighted as coming up.
SOON = timedelta(days=14)


@functools.cache
def library_language(lang: str) -> str:
    """The language to ask innoproc for: ``lang`` where innoproc has texts in it, else
    bokmål (what a nynorsk reader reads next)."""
    try:
        innoproc.procedure("innovation-partnership").title.get(lang)
    except innoproc.UnknownLanguage:
        return "nb"
    return lang


def procedure_of(procedure_id: str, version: int) -> innoproc.Procedure | None:
    """A built-in procedure (or a built-in scheme's application procedure) by id."""
    with contextlib.suppress(innoproc.UnknownProcedure):
        return innoproc.procedure(procedure_id, version)
    for scheme in innoproc.schemes().values():
        if scheme.application.id == procedure_id:
            return scheme.application
    return None


def when(instant: datetime, lang: str) -> str:
    """An instant as the user reads it: Norwegian time, in words."""
    pattern = "d MMMM y 'at' HH:mm" if lang == "en" else "d. MMMM y 'kl.' HH.mm"
    return format_datetime(instant, pattern, tzinfo=innoproc.OSLO, locale=LOCALES[lang])


# -- what a page shows ---------------------------------------------------------------------------


@dataclass
class FindingView:
    code: str
    kind: str
    message: str
    source: str
    record: list[tuple[str, str]]  # facts whose recording could meet the rule: (name, title)


@dataclass
class FormView:
    """One form: a step to take or a fact to record, with what the user posted."""

    kind: str  # "event" or "fact"
    name: str
    schema: dict[str, Any]
    status: str = "ok"
    findings: list[FindingView] = field(default_factory=list)
    advice: list[FindingView] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    refused: bool = False  # refused on the submission just made
    opened: bool = False

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.name}"


@dataclass
class Notice:
    """What the top of a page says after a submission."""

    kind: str  # "ok", "refused", "errors", "conflict", "info"
    head: str
    body: str = ""


def _findings(
    case: innoproc.Case, found: Iterable[innoproc.Finding], lang: str, lib: str
) -> list[FindingView]:
    out = []
    preconditions = case.procedure.preconditions
    for finding in found:
        pre = preconditions.get(finding.code)
        reads = [] if pre is None else [(f.name, f.title.get(lib)) for f in pre.reads]
        out.append(
            FindingView(
                finding.code,
                finding.label(lib),
                finding.message(lib),
                str(finding.source),
                [(name, title) for name, title in reads if name not in case.facts],
            )
        )
    return out


def _posted_values(posted: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in posted.items() if not k.startswith("_")}


# -- the application -------------------------------------------------------------------------------


def create_app(
    database: str = "sqlite:///caseworker.db",
    *,
    now: Callable[[], datetime] | None = None,
    demo: bool = True,
    secret_key: str | None = None,
) -> Flask:
    """The case-worker app on the case store at ``database`` (a SQLAlchemy URL).

    The store's schema is created if the database has none, and with ``demo`` a few demo
    cases are stored when the store is empty. ``now`` is the clock (the real time in
    Norway by default).
    """
    clock = now or (lambda: datetime.now(innoproc.OSLO))
    store = CaseStore(database)
    if store.schema_version() is None:
        store.create_schema()
    if demo and not store.find(limit=1):
        seed(store, clock())

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("CASEWORKER_SECRET") or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=innoproc.eforms.MAX_BYTES + 64 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.extensions["caseworker.store"] = store
    has_dot = shutil.which("dot") is not None

    @app.before_request
    def _language_and_user() -> Response | None:
        chosen = request.args.get("lang")
        if chosen in LANGUAGE_NAMES:
            session["lang"] = chosen
            return redirect(request.path)
        g.lang = session.get("lang", "nb")
        g.lib = library_language(g.lang)
        g.user = session.get("user") or {"en": "Case worker"}.get(g.lang, "Saksbehandler")
        session.setdefault("csrf", secrets.token_urlsafe(24))
        if request.method == "POST" and request.form.get("_csrf") != session["csrf"]:
            abort(400, text("bad_request", g.lang))
        return None

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {
            "t": lambda key, **values: text(key, g.lang, **values),
            "lang": g.get("lang", "nb"),
            "languages": LANGUAGE_NAMES,
            "user": g.get("user", ""),
            "csrf": session.get("csrf", ""),
            "when": lambda instant: when(instant, g.lang),
        }

    @app.post("/user")
    def set_user() -> Response:
        name = " ".join(request.form.get("name", "").split())[:80]
        if name:
            session["user"] = name
        return redirect(request.form.get("_back") or url_for("case_list"))

    # -- the case list --------------------------------------------------------------------

    @app.get("/")
    def case_list() -> str:
        at = clock()
        rows = []
        for summary in store.find():
            rows.append(_row(summary, at))
        rows.sort(key=lambda r: (r["due"] is None, r["due"] or at, r["reference"]))
        return render_template("cases.html", rows=rows, now=at)

    def _row(summary: CaseSummary, at: datetime) -> dict[str, Any]:
        procedure = procedure_of(summary.procedure, summary.procedure_version)
        state = summary.state
        title = summary.procedure
        if procedure is not None:
            title = procedure.title.get(g.lib)
            if summary.state in procedure.states:
                state = procedure.states[summary.state].title.get(g.lib)
        limit_title = None
        if summary.next_due is not None:
            # The row has the time limit's code; its title is the case's own.
            limits = innoproc.time_limits(store.get(summary.reference))
            limit_title = next(
                (x.title.get(g.lib) for x in limits if x.code == summary.next_due_code),
                summary.next_due_code,
            )
        due = summary.next_due
        return {
            "reference": summary.reference,
            "authority": summary.authority,
            "procedure": title,
            "state": state,
            "due": due,
            "due_title": limit_title,
            "overdue": due is not None and due < at,
            "soon": due is not None and at <= due < at + SOON,
        }

    # -- opening cases --------------------------------------------------------------------

    @app.route("/new", methods=["GET", "POST"])
    def new_case() -> str | Response:
        choices = {pid: p.title.get(g.lib) for pid, p in innoproc.procedures().items()}
        values = {"procedure": "innovation-partnership", "reference": "", "authority": ""}
        values["title"] = ""
        problem = None
        if request.method == "POST":
            values = {k: request.form.get(k, "").strip() for k in values}
            details = {"title": values["title"]} if values["title"] else {}
            try:
                case = innoproc.open_case(
                    values["procedure"],
                    reference=values["reference"],
                    authority=values["authority"],
                    **details,
                )
                store.add(case)
            except innoproc.DuplicateCase:
                problem = text("duplicate", g.lang, reference=values["reference"])
            except innoproc.InnoprocError as error:
                problem = str(error)
            else:
                session["notice"] = {"kind": "ok", "head": text("opened", g.lang)}
                return redirect(url_for("case_page", reference=case.reference))
        return render_template("new.html", choices=choices, values=values, problem=problem)

    @app.route("/notice", methods=["GET", "POST"])
    def from_notice() -> str | Response:
        problem = None
        partners = request.form.get("partners", "")
        if request.method == "POST":
            upload = request.files.get("notice")
            data = upload.read() if upload is not None else b""
            extra: dict[str, Any] = {"partners": partners} if partners else {}
            try:
                notice = read_notice(data)
                result = open_case_from_notice(notice, at=clock(), by=g.user, **extra)
                store.add(result.case)
            except innoproc.DuplicateCase as error:
                problem = text("duplicate", g.lang, reference=error.reference)
            except innoproc.InnoprocError as error:
                problem = text("notice_error", g.lang, why=str(error))
            else:
                case = result.case
                if result.published:
                    session["notice"] = {"kind": "ok", "head": text("notice_published", g.lang)}
                else:
                    session["notice"] = {
                        "kind": "info",
                        "head": text("opened", g.lang),
                        "body": text("notice_not_published", g.lang),
                    }
                    payload = {**extra, "notice_sent": notice.dispatched}
                    lot = next(x for x in notice.lots if x.id == result.lot_id)
                    if lot.request_deadline is not None:
                        payload["request_deadline"] = lot.request_deadline
                    shown = forms.form_values(case, "publish-notice", payload, lang=g.lang)
                    session["prefill"] = {
                        "kind": "event",
                        "name": "publish-notice",
                        "values": shown,
                    }
                return redirect(url_for("case_page", reference=case.reference))
        return render_template("notice.html", problem=problem, partners=partners)

    # -- a case ---------------------------------------------------------------------------

    @app.get("/cases/<path:reference>")
    def case_page(reference: str) -> Any:
        try:
            case = store.get(reference)
        except innoproc.CaseNotFound:
            return render_template("missing.html", reference=reference), 404
        banner = session.pop("notice", None)
        prefill = session.pop("prefill", None)
        submitted: dict[str, Any] | None = None
        if prefill is not None:
            submitted = {
                "kind": prefill["kind"],
                "name": prefill["name"],
                "values": {
                    k: v if isinstance(v, list) else [v] for k, v in prefill["values"].items()
                },
            }
        return _render_case(
            case,
            notice=Notice(**banner) if banner else None,
            submitted=submitted,
            judge=submitted is not None,
        )

    def _render_case(
        case: innoproc.Case,
        *,
        notice: Notice | None = None,
        submitted: dict[str, Any] | None = None,
        judge: bool = False,
        form_errors: dict[str, str] | None = None,
        refused_assessment: innoproc.Assessment | None = None,
        status: int = 200,
    ) -> Any:
        lang, lib = g.lang, g.lib
        at = clock()
        steps: list[FormView] = []
        needed: dict[str, None] = {}
        for assessment in case.available(at=at):
            view = FormView(
                "event",
                assessment.event,
                forms.event_schema(case, assessment.event, lang=lang),
                status=assessment.status,
                findings=_findings(case, assessment.unmet, lang, lib),
                advice=_findings(case, assessment.advice, lang, lib),
            )
            view.opened = assessment.status != "refused"
            for finding in view.findings:
                for name, _title in finding.record:
                    needed[name] = None
            steps.append(view)
        facts = [
            FormView("fact", name, forms.fact_schema(case, name, lang=lang))
            for name in case.procedure.facts
        ]
        # What the user just submitted: their values back in their form, with the verdict.
        if submitted is not None:
            target = next(
                (
                    v
                    for v in (steps if submitted["kind"] == "event" else facts)
                    if v.name == submitted["name"]
                ),
                None,
            )
            if target is not None:
                target.values = submitted["values"]
                target.errors = form_errors or {}
                target.opened = True
                verdict = refused_assessment
                if verdict is None and judge and target.kind == "event" and not target.errors:
                    with contextlib.suppress(innoproc.InnoprocError):
                        payload = forms.parse(case, target.name, target.values, lang=lang)
                        verdict = case.check(target.name, at=at, **payload)
                if verdict is not None:
                    target.refused = refused_assessment is not None
                    target.status = verdict.status
                    target.findings = _findings(case, verdict.unmet, lang, lib)
                    target.advice = _findings(case, verdict.advice, lang, lib)
                    labels = target.schema["properties"]
                    target.missing = [labels[m]["title"] for m in verdict.missing]
                    for finding in target.findings:
                        for name, _title in finding.record:
                            needed[name] = None
            else:
                notice = notice or Notice("conflict", text("your_input", lang))
                notice.body = "; ".join(
                    f"{k}: {', '.join(v)}" for k, v in submitted["values"].items() if any(v)
                )
        facts.sort(key=lambda f: f.name not in needed)
        for fact in facts:
            fact.opened = fact.opened or fact.name in needed
        procedure = case.procedure
        limits = [
            {
                "title": x.title.get(lib),
                "due": x.due,
                "done": x.done,
                "overdue": not x.done and x.due < at,
                "source": str(x.source),
            }
            for x in innoproc.time_limits(case)
        ]
        page = render_template(
            "case.html",
            case=case,
            procedure_title=procedure.title.get(lib),
            state_title=procedure.states[case.state].title.get(lib),
            details_title=case.details.get("title"),
            history=_history(case, lang, lib),
            diagram=_diagram(case, lib, refused_assessment),
            steps=steps,
            facts=facts,
            needed=needed,
            limits=limits,
            notice=notice,
            now=at,
        )
        return page, status

    def _diagram(
        case: innoproc.Case, lib: str, refused: innoproc.Assessment | None
    ) -> tuple[str, str]:
        picture = innoproc.diagram(case, lang=lib, refused=refused)
        if has_dot:
            with contextlib.suppress(Exception):
                svg = picture.to_svg()
                return "svg", Markup(svg[svg.index("<svg") :])
        return "text", picture.to_mermaid()

    def _history(case: innoproc.Case, lang: str, lib: str) -> list[dict[str, Any]]:
        out = []
        for entry in reversed(case.history):
            item: dict[str, Any] = {"seq": entry.seq, "at": entry.at, "by": entry.by, "values": []}
            version = case.procedure_at(entry.seq)
            if isinstance(entry, innoproc.StepRecord):
                event = version.events[entry.event]
                item["what"] = text("step_taken", lang)
                item["title"] = event.title.get(lib)
                states = version.states
                item["move"] = (
                    states[entry.source].title.get(lib),
                    states[entry.target].title.get(lib),
                )
                schema = forms.event_schema(version, entry.event, lang=lang)
                item["values"] = _said(schema, entry.payload, lang)
            elif isinstance(entry, innoproc.FactRecord):
                item["what"] = text("recorded", lang)
                item["title"] = version.facts[entry.fact].title.get(lib)
                schema = forms.fact_schema(version, entry.fact, lang=lang)
                item["values"] = _said(schema, entry.payload, lang)
            else:
                item["what"] = text("upgraded", lang, version=entry.to_version)
                item["title"] = ""
            if entry.entered_at != entry.at:
                item["entered"] = entry.entered_at
            out.append(item)
        return out

    def _said(
        schema: dict[str, Any], payload: Mapping[str, Any], lang: str
    ) -> list[tuple[str, str]]:
        out = []
        for name, value in payload.items():
            prop = schema["properties"].get(name, {"title": name, "x-kind": "text"})
            kind = prop["x-kind"]
            if kind == "datetime":
                said = when(value, lang)
            elif kind == "boolean":
                said = text("yes" if value else "no", lang)
            elif kind == "amount":
                said = format_currency(Decimal(value), "NOK", locale=LOCALES[lang])
            elif kind == "texts":
                said = "; ".join(value)
            else:
                said = str(value)
            out.append((prop["title"], said))
        return out

    # -- taking a step, recording a fact ----------------------------------------------------

    @app.post("/cases/<path:reference>/<kind>/<name>")
    def submit(reference: str, kind: str, name: str) -> Any:
        if kind not in ("event", "fact"):
            abort(404)
        try:
            case = store.get(reference)
        except innoproc.CaseNotFound:
            abort(404)
        lang = g.lang
        posted = {k: request.form.getlist(k) for k in request.form}
        values = _posted_values(posted)
        submitted = {"kind": kind, "name": name, "values": values}
        try:
            read = int(request.form.get("_revision", ""))
        except ValueError:
            abort(400, text("bad_request", lang))
        if read != case.revision:
            return _conflict(case, read, submitted)
        try:
            payload = forms.parse(case, name, values, kind=kind, lang=lang)
        except innoproc.FormError as error:
            errors = {e.field: e.message(lang) for e in error.errors}
            return _render_case(
                case,
                notice=Notice("errors", text("form_errors", lang)),
                submitted=submitted,
                form_errors=errors,
                status=400,
            )
        except (innoproc.UnknownEvent, innoproc.UnknownFact):
            abort(404)
        at = clock()
        # Judge first, so that missing fields and every unmet rule are shown together.
        fill_in = text("fill_in", lang)
        if kind == "event":
            verdict = case.check(name, at=at, **payload)
            if not verdict.ok:
                blocked = not verdict.allowed or bool(verdict.unmet)
                return _render_case(
                    case,
                    notice=Notice(
                        "refused", text("refused_head", lang), text("refused_intro", lang)
                    )
                    if blocked
                    else Notice("errors", text("missing_head", lang)),
                    submitted=submitted,
                    refused_assessment=verdict,
                    form_errors={field: fill_in for field in verdict.missing},
                    status=422,
                )
        else:
            required = forms.fact_schema(case, name, lang=lang)["required"]
            missing = [field for field in required if field not in payload]
            if missing:
                return _render_case(
                    case,
                    notice=Notice("errors", text("missing_head", lang)),
                    submitted=submitted,
                    form_errors={field: fill_in for field in missing},
                    status=422,
                )
        try:
            if kind == "event":
                case.apply(name, at=at, by=g.user, expected_revision=read, **payload)
                title = case.procedure.events[name].title.get(g.lib)
                done = text("applied", lang, what=title)
            else:
                case.record(name, at=at, by=g.user, expected_revision=read, **payload)
                title = case.procedure.facts[name].title.get(g.lib)
                done = text("saved_fact", lang, what=title)
            store.save(case, expected_revision=read)
        except innoproc.StepRefused as refusal:
            return _render_case(
                store.get(reference),
                notice=Notice("refused", text("refused_head", lang), text("refused_intro", lang)),
                submitted=submitted,
                refused_assessment=refusal.assessment,
                status=422,
            )
        except innoproc.ConcurrencyConflict:
            return _conflict(store.get(reference), read, submitted)
        except innoproc.InvalidPayload as error:
            return _render_case(
                store.get(reference),
                notice=Notice("errors", text("form_errors", lang), str(error)),
                submitted=submitted,
                status=400,
            )
        session["notice"] = {"kind": "ok", "head": done}
        return redirect(url_for("case_page", reference=reference) + f"#entry-{case.revision}")

    def _conflict(case: innoproc.Case, read: int, submitted: dict[str, Any]) -> Any:
        others = sorted({e.by for e in case.history[read:]}) or ["?"]
        return _render_case(
            case,
            notice=Notice(
                "conflict",
                text("conflict_head", g.lang),
                text("conflict_body", g.lang, who=", ".join(others)),
            ),
            submitted=submitted,
            judge=True,
            status=409,
        )

    @app.get("/cases/<path:reference>/diagram.svg")
    def diagram_svg(reference: str) -> Response:
        """The case's diagram on its own, full size (Graphviz's ``dot`` is needed)."""
        try:
            case = store.get(reference)
        except innoproc.CaseNotFound:
            abort(404)
        kind, drawn = _diagram(case, g.lib, None)
        if kind != "svg":
            abort(404)
        return Response(str(drawn), mimetype="image/svg+xml")

    @app.errorhandler(400)
    def _bad_request(error: Exception) -> tuple[str, int]:
        description = getattr(error, "description", "")
        return render_template("missing.html", reference=None, problem=description), 400

    return app
