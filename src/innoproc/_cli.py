"""The command line: ``innoproc`` (also ``python -m innoproc``).

One entry point, ``main``: it reads ``--lang`` first, builds the parser with help in that
language, runs the chosen command's handler (``set_defaults(handler=...)`` on each
subcommand), and turns every user mistake (a usage error from argparse, any
``InnoprocError``, an unreadable file) into one message in the chosen language with the
valid choices, exit status 2, and never a traceback. A new subcommand slots in by adding a
subparser in ``_parser`` with its handler: its errors are handled by ``main``.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from innoproc._errors import (
    CaseFormatError,
    InnoprocError,
    InvalidParameter,
    MissingDependency,
    NoticeFormatError,
    UnknownLanguage,
    UnknownParameter,
    UnknownProcedure,
    UnknownScenario,
    UnknownScheme,
)
from innoproc._i18n import number as _number
from innoproc._i18n import percent as _percent
from innoproc._text import LANGUAGES, Text
from innoproc._version import __version__

_PROCEDURES = ("innovation-partnership", "pre-commercial-procurement", "triple-diamond")

# -- every text of the command line, in one place ----------------------------------------------

T: dict[str, Text] = {
    "description": Text(
        "Innovation procurement procedures as explainable state machines: every step "
        "checks its legal and organisational preconditions, and says why when it refuses."
    ),
    "examples": Text("""examples:
  innoproc demo                              walk an innovation partnership, needs to purchase
  innoproc demo triple-diamond --lang nb     the #StimuLab method, in Norwegian
  innoproc diagram pre-commercial-procurement --format dot > pcp.dot
  innoproc diagram --case case.json          a stored case, its state highlighted
  innoproc check case.json                   audit a stored or imported case
  innoproc simulate innovation-partnership --runs 10000 --processes 2 \\
      --set market_solution=0.2 --set phase_miss=0.3
  innoproc simulate stimulab-2018 --set applications=3000
                                             a whole call against its budget"""),
    "procedures": Text("procedures:"),
    "schemes": Text("funding schemes:"),
    "version": Text("show the version and exit"),
    "usage": Text("usage:"),
    "positionals": Text("positional arguments"),
    "optionals": Text("options"),
    "help": Text("show this help and exit"),
    "lang": Text("language of the messages: en, nb or nn (default: en)"),
    "commands": Text("commands"),
    "demo": Text("walk a realistic case from start to end"),
    "demo_description": Text(
        "Walk a realistic case of a procedure from start to end, showing refused steps "
        "with every unmet precondition and its source."
    ),
    "procedure": Text("a procedure id (default: innovation-partnership)"),
    "diagram": Text("draw a procedure or a stored case"),
    "diagram_description": Text(
        "Print a diagram of a procedure (Mermaid or Graphviz DOT), or of a stored case "
        "with its current state highlighted and its next steps marked."
    ),
    "diagram_procedure": Text("a procedure id (or use --case)"),
    "case": Text("a stored case file (JSON)"),
    "format": Text(
        "output format: mermaid, dot or svg (svg needs the graphviz extra and Graphviz's "
        "dot program; default: mermaid)"
    ),
    "check": Text("audit a case file; exit 1 on violations"),
    "check_description": Text(
        "Load a case file (also one whose steps are out of order), replay its history "
        "through its procedure and print every violation with code and source. Exit status: "
        "0 complies, 1 violations, 2 unreadable file or usage error."
    ),
    "file": Text("a case file (JSON)"),
    "simulate": Text("run a scenario or a whole call many times and summarise the outcomes"),
    "simulate_description": Text(
        "Simulate many cases of a procedure, applications to a scheme, or whole calls of a "
        "scheme against its budget, with per-step probabilities; print where they end, after "
        "how long and at what cost."
    ),
    "scenario": Text("a scenario id: a procedure, a scheme (a whole call) or SCHEME-application"),
    "runs": Text("number of runs (default: 1000 cases, or 20 calls)"),
    "seed": Text("start value of the random numbers: the same value gives the same result (0)"),
    "processes": Text("worker processes (1)"),
    "set": Text("a scenario parameter, e.g. market_solution=0.2 (repeatable; see below)"),
    "progress": Text("show a progress bar on stderr"),
    "notice": Text("read eForms notices (TED, Doffin) and check their time limits"),
    "notice_description": Text("Read eForms notices (TED, Doffin) and work with them."),
    "notice_commands": Text("subcommands"),
    "notice_check": Text("check each lot's time limit against the legal minimum"),
    "notice_check_description": Text(
        "Read eForms notices and check each lot's time limit against the legal minimum for "
        "its procedure type and legal basis, counted under Regulation 1182/71 with Norwegian "
        "public holidays. A change notice is counted from its original when both are given. "
        "Exit status: 0 all met (or not assessed), 1 some time limit too short, 2 unreadable "
        "input."
    ),
    "notice_files": Text("eForms XML files"),
    "notice_json": Text("print the verdicts as JSON"),
    "notice_progress": Text(
        "show a progress bar on stderr (shown anyway for 10 files or more on a terminal)"
    ),
    "notices_read": Text("notices"),
    "scenarios_head": Text("scenarios and their parameters (--set NAME=VALUE; range, default):"),
    "call_of": Text(
        "a whole call of the scheme: applications ranked and funded within the budget; "
        "funded projects continue in their procedure case"
    ),
    "projects_follow": Text(
        "projects funded by {schemes} follow {procedure}; its parameters {names} "
        "(above) apply to them too"
    ),
    "application_of": Text(
        "one application from draft to closing, on its own (no budget), e.g. "
        "stimulab-2018-application"
    ),
    "needs_budget": Text("{scheme} states no budget: give --set budget=NOK"),
    # -- errors
    "error": Text("error"),
    "see_help": Text("see '{prog} --help' for the valid choices"),
    "unknown_procedure": Text("there is no procedure {id!r}; choose one of: {known}"),
    "unknown_scheme": Text("there is no funding scheme {id!r}; choose one of: {known}"),
    "unknown_scenario": Text("there is no scenario {id!r}; choose one of: {known}"),
    "unknown_parameter": Text(
        "scenario {scenario!r} has no parameter {name!r}; its parameters are: {known}"
    ),
    "invalid_parameter": Text("{name} must be {expected}; got {value}"),
    "unknown_language": Text("there are no texts in language {language!r}; choose one of: {known}"),
    "missing_dependency": Text(
        "{feature} needs {package}, which is not installed: pip install 'innoproc[{extra}]'"
    ),
    "no_dot": Text(
        "--format svg needs Graphviz's dot program, which was not found; install Graphviz "
        "(for example apt-get install graphviz) or use --format dot or mermaid"
    ),
    "svg_feature": Text("--format svg"),
    "case_format": Text("{file}: {message}"),
    "not_found": Text("{file}: no such file"),
    "unreadable": Text("{file}: cannot be read ({reason})"),
    "give_subject": Text("give a procedure id or --case FILE (procedures: {known})"),
    "set_form": Text("--set {item!r}: write NAME=VALUE, e.g. market_solution=0.2"),
    "count_at_least": Text("must be a whole number of at least {low}, got {value!r}"),
    "whole_number": Text("must be a whole number, got {value!r}"),
    "choice": Text("must be one of {known}, got {value!r}"),
    "interrupted": Text("interrupted"),
    # -- simulation output
    "runs_head": Text("{name}: {runs} runs (start value {seed})"),
    "end_state": Text("end state"),
    "runs_col": Text("runs"),
    "share": Text("share"),
    "median_days": Text("median days"),
    "mean_cost": Text("mean cost NOK"),
    "purchases": Text("reached the purchase step: {n} runs ({share}), median day {days}"),
    "speed": Text("{steps} case steps in {seconds} s ({rate}/s)"),
    "call_head": Text(
        "{name}: {runs} calls of {applications} applications, budget NOK {budget} "
        "(start value {seed})"
    ),
    "per_call": Text("per call"),
    "mean": Text("mean"),
    "min": Text("min"),
    "max": Text("max"),
    "m_applications": Text("applications"),
    "m_eligible": Text("eligible"),
    "m_assessed": Text("passed the must criteria"),
    "m_funded": Text("funded"),
    "m_purchases": Text("reached purchase"),
    "m_completions": Text("completed"),
    "m_granted": Text("granted (NOK)"),
    "m_budget_share": Text("share of budget granted"),
    "m_median_days_to_purchase": Text("median days, submission to purchase"),
    "m_cost_to_purchase": Text("grants and costs of projects reaching purchase (NOK)"),
}

#: argparse's own messages in Norwegian (argparse writes them in English).
_ARGPARSE: dict[str, tuple[tuple[str, str], ...]] = {
    "nb": (
        (r"^the following arguments are required: (.*)$", r"disse argumentene mangler: \1"),
        (r"^unrecognized arguments: (.*)$", r"ukjente argumenter: \1"),
        (r"^argument (\S+): expected one argument$", r"argumentet \1 trenger én verdi"),
        (
            r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
            r"argumentet \1: ugyldig valg: \2 (velg blant \3)",
        ),
        (r"^argument (\S+): (.*)$", r"argumentet \1: \2"),
        (r"^ambiguous option: (.*)$", r"tvetydig valg: \1"),
    ),
    "nn": (
        (r"^the following arguments are required: (.*)$", r"desse argumenta manglar: \1"),
        (r"^unrecognized arguments: (.*)$", r"ukjende argument: \1"),
        (r"^argument (\S+): expected one argument$", r"argumentet \1 treng éin verdi"),
        (
            r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
            r"argumentet \1: ugyldig val: \2 (vel mellom \3)",
        ),
        (r"^argument (\S+): (.*)$", r"argumentet \1: \2"),
        (r"^ambiguous option: (.*)$", r"tvitydig val: \1"),
    ),
}


def _say(key: str, lang: str, **values: Any) -> str:
    return T[key].get(lang).format(**values)


def _sayer(lang: str) -> Callable[[str], str]:
    def say(key: str) -> str:
        return _say(key, lang)

    return say


# -- usage errors ----------------------------------------------------------------------------


class _UsageError(Exception):
    """A mistake on the command line, already in the user's language."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(prog, message)
        self.prog = prog
        self.message = message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing and exiting, so that ``main``
    writes every error the same way."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        self._positionals.title = _say("positionals", lang)
        self._optionals.title = _say("optionals", lang)

    def format_usage(self) -> str:
        return self._usage_in_language(super().format_usage())

    def format_help(self) -> str:
        return self._usage_in_language(super().format_help())

    def _usage_in_language(self, text: str) -> str:
        prefix = "usage: "
        if text.startswith(prefix):
            return _say("usage", self.lang) + text[len(prefix) - 1 :]
        return text

    def error(self, message: str) -> NoReturn:
        if self.lang in _ARGPARSE:
            for pattern, replacement in _ARGPARSE[self.lang]:
                message, n = re.subn(pattern, replacement, message)
                if n:
                    break
        raise _UsageError(self.prog, message)


def _language_of(argv: Sequence[str]) -> str:
    """The ``--lang`` of the command line (read before parsing, for the help texts)."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            if value not in LANGUAGES:
                raise UnknownLanguage(value, LANGUAGES)
            return value
    return "en"


def _count(lang: str, low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_say("whole_number", lang, value=text)) from None
        if value < low:
            raise argparse.ArgumentTypeError(_say("count_at_least", lang, low=low, value=value))
        return value

    return parse


def _whole(lang: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_say("whole_number", lang, value=text)) from None

    return parse


def _choice(lang: str, known: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in known:
            raise argparse.ArgumentTypeError(
                _say("choice", lang, known=", ".join(known), value=text)
            )
        return text

    return parse


# -- the parser ------------------------------------------------------------------------------


def _listing(lang: str) -> str:
    from innoproc._schemes import schemes

    lines = [_say("procedures", lang)]
    lines += [f"  {pid}" for pid in _PROCEDURES]
    lines.append(_say("schemes", lang))
    for scheme in schemes().values():
        lines.append(f"  {scheme.id:<38}{scheme.title.get(lang)}")
    return "\n".join(lines)


def _scenario_help(lang: str) -> str:
    from innoproc import scenarios
    from innoproc._schemes import schemes

    def rows(params: Sequence[Any]) -> list[str]:
        out = []
        for p in params:
            head = f"      {p.name:<18}{p.describe(lang)}, {p.default_shown(lang)}"
            text = f"{head:<62}{p.help.get(lang)}"
            if len(head) > 60:
                out.append(head)
                text = p.help.get(lang)
            out += textwrap.wrap(
                text,
                width=_WIDTH,
                initial_indent="" if text.startswith(head) else " " * 62,
                subsequent_indent=" " * 62,
            )
        return out

    def wrapped(text: str) -> list[str]:
        return textwrap.wrap(text, width=_WIDTH, initial_indent="    ", subsequent_indent="    ")

    lines = [_say("scenarios_head", lang)]
    for pid in _PROCEDURES:
        lines.append(f"  {pid}")
        lines += rows(scenarios.parameters(pid))
    ids = list(schemes())
    lines += textwrap.wrap(f"  SCHEME: {', '.join(ids)}", width=_WIDTH, subsequent_indent="  ")
    lines += wrapped(_say("call_of", lang))
    lines += rows(scenarios.CALL_PARAMETERS)
    follows: dict[str, list[str]] = {}
    for scheme in schemes().values():
        if scheme.leads_to is not None:
            follows.setdefault(scheme.leads_to, []).append(scheme.id)
    for procedure, ids_of in follows.items():
        names = [p.name for p in scenarios.parameters(ids_of[0])[len(scenarios.CALL_PARAMETERS) :]]
        lines += wrapped(
            _say(
                "projects_follow",
                lang,
                schemes=", ".join(ids_of),
                procedure=procedure,
                names=", ".join(names),
            )
        )
    for scheme in schemes().values():
        if scheme.budget is None:
            lines += wrapped(_say("needs_budget", lang, scheme=scheme.id))
    lines.append("  SCHEME-application")
    lines += wrapped(_say("application_of", lang))
    lines += rows(scenarios.APPLICATION_PARAMETERS)
    return "\n".join(lines)


_WIDTH = 100


def _parser(lang: str = "en") -> _Parser:
    say = _sayer(lang)
    parser = _Parser(
        prog="innoproc",
        lang=lang,
        description=textwrap.fill(say("description"), width=_WIDTH),
        epilog=f"{_listing(lang)}\n\n{say('examples')}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=say("help"))
    parser.add_argument(
        "--version", action="version", version=f"innoproc {__version__}", help=say("version")
    )
    languages = _choice(lang, LANGUAGES)
    parser.add_argument(
        "--lang", type=languages, default=argparse.SUPPRESS, metavar="{en,nb,nn}", help=say("lang")
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title=say("commands")
    )

    def command(name: str, description: str, epilog: str = "") -> _Parser:
        sub = commands.add_parser(
            name,
            help=say(name),
            description=textwrap.fill(say(description), width=_WIDTH),
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            add_help=False,
            lang=lang,
        )
        sub.add_argument("-h", "--help", action="help", help=say("help"))
        sub.add_argument(
            "--lang",
            type=languages,
            default=argparse.SUPPRESS,
            metavar="{en,nb,nn}",
            help=say("lang"),
        )
        return sub

    procedures_list = f"{say('procedures')}\n" + "\n".join(f"  {p}" for p in _PROCEDURES)
    demo = command("demo", "demo_description", procedures_list)
    demo.add_argument(
        "procedure", nargs="?", default="innovation-partnership", help=say("procedure")
    )
    demo.set_defaults(handler=_demo)

    diagram = command("diagram", "diagram_description", procedures_list)
    diagram.add_argument("procedure", nargs="?", help=say("diagram_procedure"))
    diagram.add_argument("--case", type=Path, help=say("case"))
    diagram.add_argument(
        "--format",
        type=_choice(lang, ("mermaid", "dot", "svg")),
        default="mermaid",
        metavar="{mermaid,dot,svg}",
        help=say("format"),
    )
    diagram.set_defaults(handler=_diagram)

    check = command("check", "check_description")
    check.add_argument("file", type=Path, help=say("file"))
    check.set_defaults(handler=_check)

    simulate = command("simulate", "simulate_description", _scenario_help(lang))
    simulate.add_argument("scenario", help=say("scenario"))
    simulate.add_argument("--runs", type=_count(lang, 0), default=None, help=say("runs"))
    simulate.add_argument("--seed", type=_whole(lang), default=0, help=say("seed"))
    simulate.add_argument("--processes", type=_count(lang, 1), default=1, help=say("processes"))
    simulate.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help=say("set")
    )
    simulate.add_argument("--progress", action="store_true", help=say("progress"))
    simulate.set_defaults(handler=_simulate)

    notice = command("notice", "notice_description")
    notice_commands = notice.add_subparsers(
        dest="notice_command", required=True, metavar="SUBCOMMAND", title=say("notice_commands")
    )
    notice_check = notice_commands.add_parser(
        "check",
        help=say("notice_check"),
        description=textwrap.fill(say("notice_check_description"), width=_WIDTH),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
        lang=lang,
    )
    notice_check.add_argument("-h", "--help", action="help", help=say("help"))
    notice_check.add_argument(
        "--lang", type=languages, default=argparse.SUPPRESS, metavar="{en,nb,nn}", help=say("lang")
    )
    notice_check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=say("notice_files")
    )
    notice_check.add_argument("--json", action="store_true", help=say("notice_json"))
    notice_check.add_argument("--progress", action="store_true", help=say("notice_progress"))
    notice_check.set_defaults(handler=_notice)
    return parser


# -- the commands ----------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from innoproc._demo import run_demo

    if args.procedure not in _PROCEDURES:
        raise UnknownProcedure(args.procedure, _PROCEDURES)
    run_demo(args.procedure, lang=args.lang)
    return 0


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _diagram(args: argparse.Namespace) -> int:
    from innoproc._diagram import diagram
    from innoproc._procedures import procedures
    from innoproc._storage import loads

    if args.case is not None:
        subject: Any = loads(_read(args.case).decode("utf-8", "replace"), for_audit=True)
    elif args.procedure:
        subject = args.procedure
    else:
        raise _Failure("give_subject", known=", ".join(procedures()))
    d = diagram(subject, lang=args.lang)
    if args.format == "mermaid":
        sys.stdout.write(d.to_mermaid())
    elif args.format == "dot":
        sys.stdout.write(d.to_dot())
    else:
        import shutil

        try:
            import graphviz  # noqa: F401
        except ImportError:
            raise MissingDependency(
                _say("svg_feature", args.lang), "graphviz", "graphviz"
            ) from None
        if shutil.which("dot") is None:
            raise _Failure("no_dot")
        sys.stdout.write(d.to_svg())
    return 0


def _check(args: argparse.Namespace) -> int:
    from innoproc._audit import audit

    report = audit(_read(args.file))
    print(report.explain(args.lang))
    return 0 if report.ok else 1


def _simulate(args: argparse.Namespace) -> int:
    from innoproc import scenarios
    from innoproc._call import CallResult, CallScenario
    from innoproc._simulate import simulate

    lang = args.lang
    known = {p.name: p for p in scenarios.parameters(args.scenario)}
    values: dict[str, Any] = {}
    for item in args.set:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise _Failure("set_form", item=item)
        name = name.strip().replace("-", "_")
        if name not in known:
            raise UnknownParameter(name, args.scenario, tuple(known))
        values[name] = known[name].parse(text)
    scenario = scenarios.build(args.scenario, **values)
    runs = (
        args.runs if args.runs is not None else (20 if isinstance(scenario, CallScenario) else 1000)
    )
    if args.processes > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(args.processes) as pool:
            result: Any = simulate(
                scenario, runs, seed=args.seed, executor=pool, progress=args.progress
            )
    else:
        result = simulate(scenario, runs, seed=args.seed, progress=args.progress)
    if isinstance(result, CallResult):
        _print_call(result, scenario, lang)
    else:
        _print_runs(result, lang)
    return 0


def _print_runs(result: Any, lang: str) -> None:
    print(
        _say(
            "runs_head",
            lang,
            name=result.scenario,
            runs=_number(len(result.runs), lang),
            seed=result.seed,
        )
    )
    say = _sayer(lang)
    print(
        f"{say('end_state'):<34}{say('runs_col'):>10}{say('share'):>9}"
        f"{say('median_days'):>14}{say('mean_cost'):>18}"
    )
    for row in result.summary():
        end = f"{result.state_title(row['end'], lang)} [{row['end']}]"
        print(
            f"{end:<34}{_number(row['runs'], lang):>10}{_percent(row['share'], lang):>9}"
            f"{_number(row['median_days'], lang, 1):>14}{_number(row['mean_cost'], lang):>18}"
        )
    bought = [r.purchase_days for r in result.runs if r.purchase_days is not None]
    if bought:
        from statistics import median

        print(
            _say(
                "purchases",
                lang,
                n=_number(len(bought), lang),
                share=_percent(len(bought) / len(result.runs), lang),
                days=_number(median(bought), lang),
            )
        )
    rate = result.case_steps / result.seconds if result.seconds else 0
    print(
        _say(
            "speed",
            lang,
            steps=_number(result.case_steps, lang),
            seconds=_number(result.seconds, lang, 2),
            rate=_number(rate, lang),
        )
    )


def _print_call(result: Any, scenario: Any, lang: str) -> None:
    print(
        _say(
            "call_head",
            lang,
            name=result.scenario,
            runs=_number(len(result.runs), lang),
            applications=_number(scenario.applications, lang),
            budget=_number(result.budget, lang),
            seed=result.seed,
        )
    )
    say = _sayer(lang)
    print(f"{say('per_call'):<52}{say('mean'):>14}{say('min'):>14}{say('max'):>14}")
    for row in result.summary():
        measure = row["measure"]
        cells = []
        for column in ("mean", "min", "max"):
            value = row[column]
            if value is None:
                cells.append("-")
            elif measure == "budget_share":
                cells.append(_percent(value, lang))
            else:
                whole = measure in ("granted", "cost_to_purchase") or float(value).is_integer()
                cells.append(_number(value, lang, 0 if whole else 1))
        print(f"{say('m_' + measure):<52}" + "".join(f"{c:>14}" for c in cells))
    rate = sum(a.steps for r in result.runs for a in r.applications)
    print(
        _say(
            "speed",
            lang,
            steps=_number(rate, lang),
            seconds=_number(result.seconds, lang, 2),
            rate=_number(rate / result.seconds if result.seconds else 0, lang),
        )
    )


# -- errors in the user's language -----------------------------------------------------------


def _notice(args: argparse.Namespace) -> int:
    """``notice check``: one verdict per file; exit 0 met, 1 not met, 2 unreadable."""
    import json

    from innoproc._eforms_check import check_notice
    from innoproc._eforms_read import Notice, read_notice
    from innoproc._errors import InvalidPayload

    files: list[Path] = args.files
    shown = args.progress or (len(files) >= 10 and sys.stderr.isatty())
    notices: list[tuple[Path, Notice | str]] = []
    for path in _with_progress(files, shown, _say("notices_read", args.lang)):
        try:
            notices.append((path, read_notice(path)))
        except (OSError, NoticeFormatError) as exc:
            notices.append((path, _file_problem(exc, path, args.lang)))
    by_reference = {n.reference: n for _, n in notices if isinstance(n, Notice)}
    status = 0
    results: list[dict[str, Any]] = []
    for path, notice in notices:
        if isinstance(notice, str):
            status = 2
            print(f"innoproc notice check: {notice}", file=sys.stderr)
            results.append({"file": str(path), "error": notice})
            continue
        original = by_reference.get(notice.changes) if notice.changes else None
        try:
            verdict = check_notice(notice, original=original)
        except InvalidPayload as exc:  # pragma: no cover - the index matches references
            status = 2
            print(f"innoproc notice check: {path}: {exc}", file=sys.stderr)
            continue
        if not verdict.ok:
            status = max(status, 1)
        if args.json:
            results.append({"file": str(path), "check": verdict.to_dict()})
        else:
            print(f"== {path}")
            print(verdict.explain(args.lang))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return status


def _with_progress(files: list[Path], shown: bool, unit: str) -> Iterator[Path]:
    """``files``, with a progress bar on stderr when ``shown`` (tqdm if installed)."""
    if not shown:
        yield from files
        return
    try:
        from tqdm.auto import tqdm
    except ImportError:  # the 'progress' extra is not installed: a plain counter
        for done, path in enumerate(files, 1):
            sys.stderr.write(f"\r{done}/{len(files)} {unit}")
            yield path
        sys.stderr.write("\n")
        return
    yield from tqdm(files, file=sys.stderr, unit=unit)


class _Failure(Exception):
    """A command-line mistake with a text of ``T`` (``key``) and its values."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key, values)
        self.key = key
        self.values = values


def _describe(exc: BaseException, lang: str) -> str:
    """The message for a user's mistake, in ``lang``."""
    if isinstance(exc, _Failure):
        return _say(exc.key, lang, **exc.values)
    if isinstance(exc, UnknownProcedure):
        return _say("unknown_procedure", lang, id=exc.procedure_id, known=", ".join(exc.known))
    if isinstance(exc, UnknownScheme):
        return _say("unknown_scheme", lang, id=exc.scheme_id, known=", ".join(exc.known))
    if isinstance(exc, UnknownScenario):
        return _say("unknown_scenario", lang, id=exc.scenario_id, known=", ".join(exc.known))
    if isinstance(exc, UnknownParameter):
        known = ", ".join(exc.known)
        return _say("unknown_parameter", lang, scenario=exc.scenario, name=exc.name, known=known)
    if isinstance(exc, InvalidParameter):
        return _say(
            "invalid_parameter",
            lang,
            name=exc.argument,
            expected=exc.expected.get(lang),
            value=exc.value,
        )
    if isinstance(exc, UnknownLanguage):
        return _say("unknown_language", lang, language=exc.lang, known=", ".join(exc.known))
    if isinstance(exc, MissingDependency):
        return _say(
            "missing_dependency",
            lang,
            feature=exc.feature,
            package=exc.package,
            extra=exc.extra,
        )
    return str(exc)


def _file_problem(exc: BaseException, path: object, lang: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return _say("not_found", lang, file=path)
    if isinstance(exc, (CaseFormatError, NoticeFormatError)):
        return _say("case_format", lang, file=path, message=exc)
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return _say("unreadable", lang, file=path, reason=reason)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    A user's mistake prints one message in the chosen language and returns 2; ``--help``
    and ``--version`` print and exit with status 0 (``SystemExit``).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = _language_of(args_list)
    except UnknownLanguage as exc:
        print(f"innoproc: {_say('error', 'en')}: {_describe(exc, 'en')}", file=sys.stderr)
        return 2
    parser = _parser(lang)
    prog = "innoproc"
    try:
        args = parser.parse_args(args_list)
        args.lang = lang
        prog = f"innoproc {args.command}"
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except _UsageError as exc:
        print(f"{exc.prog}: {_say('error', lang)}: {exc.message}", file=sys.stderr)
        print(f"{exc.prog}: {_say('see_help', lang, prog=exc.prog)}", file=sys.stderr)
        return 2
    except (OSError, CaseFormatError) as exc:
        path = getattr(exc, "filename", None) or _path_of(args_list)
        print(f"{prog}: {_file_problem(exc, path, lang)}", file=sys.stderr)
        return 2
    except (InnoprocError, _Failure) as exc:
        print(f"{prog}: {_describe(exc, lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: {_say('interrupted', lang)}", file=sys.stderr)
        return 130


def _path_of(argv: Sequence[str]) -> str:
    """The file argument of ``check`` or ``diagram --case`` (for messages)."""
    for i, arg in enumerate(argv):
        if arg == "--case" and i + 1 < len(argv):
            return argv[i + 1]
    candidates = [a for a in argv if a.endswith(".json")]
    return candidates[0] if candidates else "-"
