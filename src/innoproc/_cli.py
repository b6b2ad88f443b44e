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
from decimal import Decimal
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
from innoproc._text import LANGUAGES, Text
from innoproc._version import __version__

_PROCEDURES = ("innovation-partnership", "pre-commercial-procurement", "triple-diamond")

# -- every text of the command line, in one place ----------------------------------------------

T: dict[str, Text] = {
    "description": Text(
        en="Innovation procurement procedures as explainable state machines: every step "
        "checks its legal and organisational preconditions, and says why when it refuses.",
        nb="Innovative anskaffelser som forklarbare tilstandsmaskiner: hvert steg kontrollerer "
        "sine rettslige og organisatoriske vilkår, og sier hvorfor når det avvises.",
    ),
    "examples": Text(
        en="""examples:
  innoproc demo                              walk an innovation partnership, needs to purchase
  innoproc demo triple-diamond --lang nb     the #StimuLab method, in Norwegian
  innoproc diagram pre-commercial-procurement --format dot > pcp.dot
  innoproc diagram --case case.json          a stored case, its state highlighted
  innoproc check case.json                   audit a stored or imported case
  innoproc simulate innovation-partnership --runs 10000 --processes 2 \\
      --set market_solution=0.2 --set phase_miss=0.3
  innoproc simulate stimulab-2018 --set applications=3000
                                             a whole call against its budget""",
        nb="""eksempler:
  innoproc demo                              et innovasjonspartnerskap fra behov til kjøp
  innoproc demo triple-diamond --lang nb     StimuLab-metoden, på norsk
  innoproc diagram pre-commercial-procurement --format dot > pcp.dot
  innoproc diagram --case case.json          en lagret sak, med tilstanden uthevet
  innoproc check case.json                   kontroller en lagret eller importert sak
  innoproc simulate innovation-partnership --runs 10000 --processes 2 \\
      --set market_solution=0.2 --set phase_miss=0.3
  innoproc simulate stimulab-2018 --set applications=3000
                                             en hel utlysning mot budsjettet""",
    ),
    "procedures": Text(en="procedures:", nb="prosedyrer:"),
    "schemes": Text(en="funding schemes:", nb="tilskuddsordninger:"),
    "version": Text(en="show the version and exit", nb="vis versjonen og avslutt"),
    "usage": Text(en="usage:", nb="bruk:"),
    "positionals": Text(en="positional arguments", nb="argumenter"),
    "optionals": Text(en="options", nb="valg"),
    "help": Text(en="show this help and exit", nb="vis denne hjelpen og avslutt"),
    "lang": Text(
        en="language of the messages: en or nb (default: en)",
        nb="språk for meldingene: en eller nb (standard: en)",
    ),
    "commands": Text(en="commands", nb="kommandoer"),
    "demo": Text(en="walk a realistic case from start to end", nb="gå gjennom en realistisk sak"),
    "demo_description": Text(
        en="Walk a realistic case of a procedure from start to end, showing refused steps "
        "with every unmet precondition and its source.",
        nb="Gå gjennom en realistisk sak fra start til slutt, med avviste steg, hvert vilkår "
        "som ikke er oppfylt og kilden.",
    ),
    "procedure": Text(
        en="a procedure id (default: innovation-partnership)",
        nb="en prosedyre-id (standard: innovation-partnership)",
    ),
    "diagram": Text(en="draw a procedure or a stored case", nb="tegn en prosedyre eller en sak"),
    "diagram_description": Text(
        en="Print a diagram of a procedure (Mermaid or Graphviz DOT), or of a stored case "
        "with its current state highlighted and its next steps marked.",
        nb="Skriv ut et diagram av en prosedyre (Mermaid eller Graphviz DOT), eller av en "
        "lagret sak med tilstanden uthevet og neste steg merket.",
    ),
    "diagram_procedure": Text(
        en="a procedure id (or use --case)", nb="en prosedyre-id (eller --case)"
    ),
    "case": Text(
        en="a case file written by innoproc.dumps", nb="en saksfil skrevet av innoproc.dumps"
    ),
    "format": Text(
        en="output format: mermaid, dot or svg (svg needs the graphviz extra and Graphviz's "
        "dot program; default: mermaid)",
        nb="format: mermaid, dot eller svg (svg krever graphviz-tillegget og Graphviz' "
        "dot-program; standard: mermaid)",
    ),
    "check": Text(en="audit a case file; exit 1 on violations", nb="kontroller en saksfil"),
    "check_description": Text(
        en="Load a case file (also one whose steps are out of order), replay its history "
        "through its procedure and print every violation with code and source. Exit status: "
        "0 complies, 1 violations, 2 unreadable file or usage error.",
        nb="Les en saksfil (også en med steg i feil rekkefølge), spill av historikken gjennom "
        "prosedyren og skriv ut hvert brudd med kode og kilde. Avslutningskode: 0 i orden, "
        "1 brudd, 2 uleselig fil eller feil bruk.",
    ),
    "file": Text(en="a case file (JSON)", nb="en saksfil (JSON)"),
    "simulate": Text(
        en="run a scenario or a whole call many times and summarise the outcomes",
        nb="kjør et scenario eller en hel utlysning mange ganger og oppsummer",
    ),
    "simulate_description": Text(
        en="Simulate many cases of a procedure, applications to a scheme, or whole calls of a "
        "scheme against its budget, with per-step probabilities; print where they end, after "
        "how long and at what cost.",
        nb="Simuler mange saker i en prosedyre, søknader til en ordning eller hele utlysninger "
        "mot budsjettet, med sannsynligheter per steg; skriv ut hvor de ender, etter hvor lang "
        "tid og til hvilken kostnad.",
    ),
    "scenario": Text(
        en="a scenario id: a procedure, a scheme (a whole call) or SCHEME-application",
        nb="en scenario-id: en prosedyre, en ordning (en hel utlysning) eller ORDNING-application",
    ),
    "runs": Text(
        en="number of runs (default: 1000 cases, or 20 calls)",
        nb="antall kjøringer (standard: 1000 saker, eller 20 utlysninger)",
    ),
    "seed": Text(
        en="start value of the random numbers: the same value gives the same result (0)",
        nb="startverdi for tilfeldige tall: samme verdi gir samme resultat (0)",
    ),
    "processes": Text(en="worker processes (1)", nb="arbeidsprosesser (1)"),
    "set": Text(
        en="a scenario parameter, e.g. market_solution=0.2 (repeatable; see below)",
        nb="en parameter i scenariet, f.eks. market_solution=0.2 (kan gjentas; se under)",
    ),
    "progress": Text(en="show a progress bar on stderr", nb="vis fremdrift på stderr"),
    "notice": Text(
        en="read eForms notices (TED, Doffin) and check their time limits",
        nb="les eForms-kunngjøringer (TED, Doffin) og kontroller fristene",
    ),
    "notice_description": Text(
        en="Read eForms notices (TED, Doffin) and work with them.",
        nb="Les eForms-kunngjøringer (TED, Doffin) og arbeid med dem.",
    ),
    "notice_commands": Text(en="subcommands", nb="underkommandoer"),
    "notice_check": Text(
        en="check each lot's time limit against the legal minimum",
        nb="kontroller fristen i hver delkontrakt mot lovens minstefrist",
    ),
    "notice_check_description": Text(
        en="Read eForms notices and check each lot's time limit against the legal minimum for "
        "its procedure type and legal basis, counted under Regulation 1182/71 with Norwegian "
        "public holidays. A change notice is counted from its original when both are given. "
        "Exit status: 0 all met (or not assessed), 1 some time limit too short, 2 unreadable "
        "input.",
        nb="Les eForms-kunngjøringer og kontroller fristen i hver delkontrakt mot minstefristen "
        "for prosedyren og rettsgrunnlaget, beregnet etter forskrift om tidsfrister i "
        "EØS-avtalen med norske helligdager. En endringskunngjøring regnes fra den "
        "opprinnelige når begge er gitt. Avslutningskode: 0 alle oppfylt (eller ikke "
        "vurdert), 1 en frist er for kort, 2 uleselig fil.",
    ),
    "notice_files": Text(en="eForms XML files", nb="eForms XML-filer"),
    "notice_json": Text(en="print the verdicts as JSON", nb="skriv resultatene som JSON"),
    "notice_progress": Text(
        en="show a progress bar on stderr (shown anyway for 10 files or more on a terminal)",
        nb="vis fremdrift på stderr (vises uansett for 10 filer eller flere i en terminal)",
    ),
    "notices_read": Text(en="notices", nb="kunngjøringer"),
    "scenarios_head": Text(
        en="scenarios and their parameters (--set NAME=VALUE; range, default):",
        nb="scenarier og parametrene deres (--set NAVN=VERDI; område, standard):",
    ),
    "call_of": Text(
        en="a whole call of the scheme: applications ranked and funded within the budget; "
        "funded projects continue in their procedure case",
        nb="en hel utlysning i ordningen: søknader rangert og innvilget innenfor budsjettet; "
        "innvilgede prosjekter fortsetter i sin prosedyresak",
    ),
    "projects_follow": Text(
        en="projects funded by {schemes} follow {procedure}; its parameters {names} "
        "(above) apply to them too",
        nb="prosjekter innvilget av {schemes} følger {procedure}; parametrene {names} "
        "(over) gjelder for dem også",
    ),
    "application_of": Text(
        en="one application from draft to closing, on its own (no budget), e.g. "
        "stimulab-2018-application",
        nb="én søknad fra utkast til avslutning, alene (uten budsjett), f.eks. "
        "stimulab-2018-application",
    ),
    "needs_budget": Text(
        en="{scheme} states no budget: give --set budget=NOK",
        nb="{scheme} oppgir ikke budsjett: gi --set budget=KRONER",
    ),
    # -- errors
    "error": Text(en="error", nb="feil"),
    "see_help": Text(
        en="see '{prog} --help' for the valid choices", nb="se '{prog} --help' for gyldige valg"
    ),
    "unknown_procedure": Text(
        en="there is no procedure {id!r}; choose one of: {known}",
        nb="det finnes ingen prosedyre {id!r}; velg en av: {known}",
    ),
    "unknown_scheme": Text(
        en="there is no funding scheme {id!r}; choose one of: {known}",
        nb="det finnes ingen tilskuddsordning {id!r}; velg en av: {known}",
    ),
    "unknown_scenario": Text(
        en="there is no scenario {id!r}; choose one of: {known}",
        nb="det finnes ikke noe scenario {id!r}; velg et av: {known}",
    ),
    "unknown_parameter": Text(
        en="scenario {scenario!r} has no parameter {name!r}; its parameters are: {known}",
        nb="scenariet {scenario!r} har ingen parameter {name!r}; parametrene er: {known}",
    ),
    "invalid_parameter": Text(
        en="{name} must be {expected}; got {value}",
        nb="{name} må være {expected}; fikk {value}",
    ),
    "unknown_language": Text(
        en="there are no texts in language {language!r}; choose one of: {known}",
        nb="det finnes ikke tekster på språket {language!r}; velg et av: {known}",
    ),
    "missing_dependency": Text(
        en="{feature} needs {package}, which is not installed: pip install 'innoproc[{extra}]'",
        nb="{feature} krever {package}, som ikke er installert: pip install 'innoproc[{extra}]'",
    ),
    "no_dot": Text(
        en="--format svg needs Graphviz's dot program, which was not found; install Graphviz "
        "(for example apt-get install graphviz) or use --format dot or mermaid",
        nb="--format svg krever Graphviz' dot-program, som ikke ble funnet; installer Graphviz "
        "(for eksempel apt-get install graphviz) eller bruk --format dot eller mermaid",
    ),
    "svg_feature": Text(en="--format svg", nb="--format svg"),
    "case_format": Text(en="{file}: {message}", nb="{file}: kan ikke leses: {message}"),
    "not_found": Text(en="{file}: no such file", nb="{file}: filen finnes ikke"),
    "unreadable": Text(
        en="{file}: cannot be read ({reason})", nb="{file}: kan ikke leses ({reason})"
    ),
    "give_subject": Text(
        en="give a procedure id or --case FILE (procedures: {known})",
        nb="oppgi en prosedyre-id eller --case FIL (prosedyrer: {known})",
    ),
    "set_form": Text(
        en="--set {item!r}: write NAME=VALUE, e.g. market_solution=0.2",
        nb="--set {item!r}: skriv NAVN=VERDI, f.eks. market_solution=0.2",
    ),
    "count_at_least": Text(
        en="must be a whole number of at least {low}, got {value!r}",
        nb="må være et heltall på minst {low}, fikk {value!r}",
    ),
    "whole_number": Text(
        en="must be a whole number, got {value!r}", nb="må være et heltall, fikk {value!r}"
    ),
    "choice": Text(
        en="must be one of {known}, got {value!r}", nb="må være en av {known}, fikk {value!r}"
    ),
    "interrupted": Text(en="interrupted", nb="avbrutt"),
    # -- simulation output
    "runs_head": Text(
        en="{name}: {runs} runs (seed {seed})", nb="{name}: {runs} kjøringer (startverdi {seed})"
    ),
    "end_state": Text(en="end state", nb="sluttilstand"),
    "runs_col": Text(en="runs", nb="kjøringer"),
    "share": Text(en="share", nb="andel"),
    "median_days": Text(en="median days", nb="median dager"),
    "mean_cost": Text(en="mean cost NOK", nb="snittkostnad kr"),
    "purchases": Text(
        en="reached the purchase step: {n} runs ({share}), median day {days}",
        nb="nådde kjøpet: {n} kjøringer ({share}), median dag {days}",
    ),
    "speed": Text(
        en="{steps} case steps in {seconds} s ({rate}/s)",
        nb="{steps} steg i sakene på {seconds} s ({rate}/s)",
    ),
    "call_head": Text(
        en="{name}: {runs} calls of {applications} applications, budget NOK {budget} (seed {seed})",
        nb="{name}: {runs} utlysninger med {applications} søknader, budsjett kr {budget} "
        "(startverdi {seed})",
    ),
    "per_call": Text(en="per call", nb="per utlysning"),
    "mean": Text(en="mean", nb="snitt"),
    "min": Text(en="min", nb="min"),
    "max": Text(en="max", nb="maks"),
    "m_applications": Text(en="applications", nb="søknader"),
    "m_eligible": Text(en="eligible", nb="kvalifisert"),
    "m_assessed": Text(en="passed the must criteria", nb="oppfylte absolutte krav"),
    "m_funded": Text(en="funded", nb="innvilget"),
    "m_purchases": Text(en="reached purchase", nb="nådde kjøp"),
    "m_completions": Text(en="completed", nb="fullført"),
    "m_granted": Text(en="granted (NOK)", nb="innvilget (kr)"),
    "m_budget_share": Text(en="share of budget granted", nb="andel av budsjettet"),
    "m_median_days_to_purchase": Text(
        en="median days, submission to purchase", nb="median dager, søknad til kjøp"
    ),
    "m_cost_to_purchase": Text(
        en="grants and costs of projects reaching purchase (NOK)",
        nb="tilskudd og kostnader for prosjekter som nådde kjøp (kr)",
    ),
    "audit_head": Text(
        en="Case {ref!r} ({proc}): {steps}, {violations}.",
        nb="Sak {ref!r} ({proc}): {steps}, {violations}.",
    ),
    "steps_1": Text(en="1 step checked", nb="1 steg kontrollert"),
    "steps_n": Text(en="{n} steps checked", nb="{n} steg kontrollert"),
    "violations_0": Text(en="no violations", nb="ingen brudd"),
    "violations_1": Text(en="1 violation", nb="1 brudd"),
    "violations_n": Text(en="{n} violations", nb="{n} brudd"),
}

#: argparse's own messages in bokmål (argparse writes them in English).
_ARGPARSE_NB: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (.*)$", r"disse argumentene mangler: \1"),
    (r"^unrecognized arguments: (.*)$", r"ukjente argumenter: \1"),
    (r"^argument (\S+): expected one argument$", r"argumentet \1 trenger én verdi"),
    (
        r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
        r"argumentet \1: ugyldig valg: \2 (velg blant \3)",
    ),
    (r"^argument (\S+): (.*)$", r"argumentet \1: \2"),
    (r"^ambiguous option: (.*)$", r"tvetydig valg: \1"),
)


def _say(key: str, lang: str, **values: Any) -> str:
    return T[key].get(lang).format(**values)


def _sayer(lang: str) -> Callable[[str], str]:
    def say(key: str) -> str:
        return _say(key, lang)

    return say


def _number(value: float | Decimal | int, lang: str, decimals: int = 0) -> str:
    """A number with thousands grouped as the language writes it."""
    text = f"{float(value):,.{decimals}f}"
    if lang == "nb":  # 1 234 567,5
        text = text.replace(",", "\N{NO-BREAK SPACE}").replace(".", ",")
    return text


def _percent(share: float, lang: str) -> str:
    if lang == "nb":  # 12,5 %
        return f"{_number(share * 100, lang, 1)}\N{NO-BREAK SPACE}%"
    return f"{share:.1%}"


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
        if self.lang == "nb":
            for pattern, replacement in _ARGPARSE_NB:
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
        "--lang", type=languages, default=argparse.SUPPRESS, metavar="{en,nb}", help=say("lang")
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
            "--lang", type=languages, default=argparse.SUPPRESS, metavar="{en,nb}", help=say("lang")
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
        "--lang", type=languages, default=argparse.SUPPRESS, metavar="{en,nb}", help=say("lang")
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
    lines = report.explain(args.lang).splitlines()
    steps = report.steps_checked
    found = len(report.violations)
    lines[0] = _say(
        "audit_head",
        args.lang,
        ref=report.reference,
        proc=report.procedure_id,
        steps=_plural("steps", steps, args.lang),
        violations=_plural("violations", found, args.lang),
    )
    print("\n".join(lines))
    return 0 if report.ok else 1


def _plural(key: str, n: int, lang: str) -> str:
    if n == 0 and f"{key}_0" in T:
        return _say(f"{key}_0", lang)
    if n == 1:
        return _say(f"{key}_1", lang)
    return _say(f"{key}_n", lang, n=n)


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
        f"{say('end_state'):<18}{say('runs_col'):>10}{say('share'):>9}"
        f"{say('median_days'):>14}{say('mean_cost'):>18}"
    )
    for row in result.summary():
        print(
            f"{row['end']:<18}{_number(row['runs'], lang):>10}{_percent(row['share'], lang):>9}"
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
