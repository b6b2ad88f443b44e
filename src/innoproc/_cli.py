"""The command line: ``innoproc`` (also ``python -m innoproc``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from innoproc._text import LANGUAGES
from innoproc._version import __version__

_PROCEDURES = ["innovation-partnership", "pre-commercial-procurement", "triple-diamond"]
_EXAMPLES = """examples:
  innoproc demo                              walk an innovation partnership, needs to purchase
  innoproc demo triple-diamond --lang nb     the #StimuLab method, in Norwegian
  innoproc diagram pre-commercial-procurement --format dot > pcp.dot
  innoproc diagram --case case.json          a stored case, its state highlighted
  innoproc check case.json                   audit a stored or imported case
  innoproc simulate innovation-partnership --runs 10000 --processes 2 \\
      --set market_solution=0.2 --set phase_miss=0.3
  innoproc notice check notices/*.xml --lang nb   check eForms notices' time limits
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="innoproc",
        description="Innovation procurement procedures as explainable state machines: every "
        "step checks its legal and organisational preconditions, and says why when it refuses.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"innoproc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def lang(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang",
            choices=LANGUAGES,
            default="en",
            help="language of the messages: en or nb (default: en)",
        )

    demo = commands.add_parser(
        "demo",
        help="walk a realistic case from start to end",
        description="Walk a realistic case of a procedure from start to end, showing refused "
        "steps with every unmet precondition and its source.",
    )
    demo.add_argument(
        "procedure",
        nargs="?",
        default="innovation-partnership",
        choices=_PROCEDURES,
        help="default: innovation-partnership",
    )
    lang(demo)

    diagram = commands.add_parser(
        "diagram",
        help="draw a procedure or a stored case",
        description="Print a diagram of a procedure (Mermaid or Graphviz DOT), or of a "
        "stored case with its current state highlighted and its next steps marked.",
    )
    diagram.add_argument("procedure", nargs="?", help="a procedure id (or use --case)")
    diagram.add_argument("--case", type=Path, help="a case file written by innoproc.dumps")
    diagram.add_argument(
        "--format",
        choices=["mermaid", "dot", "svg"],
        default="mermaid",
        help="output format (svg needs the graphviz extra and dot)",
    )
    lang(diagram)

    check = commands.add_parser(
        "check",
        help="audit a case file; exit 1 on violations",
        description="Load a case file (also one whose steps are out of order), replay its "
        "history through its procedure and print every violation with code and source. "
        "Exit status: 0 complies, 1 violations, 2 unreadable file.",
    )
    check.add_argument("file", type=Path, help="a case file (JSON)")
    lang(check)

    simulate = commands.add_parser(
        "simulate",
        help="run a scenario many times and summarise where cases end",
        description="Simulate many cases of a procedure (or applications to a scheme) with "
        "per-step probabilities; print where they end, after how long and at what cost.",
    )
    simulate.add_argument("scenario", help="a procedure id, or a scheme id for applications")
    simulate.add_argument("--runs", type=int, default=1000, help="number of cases (1000)")
    simulate.add_argument("--seed", type=int, default=0, help="random seed (0)")
    simulate.add_argument("--processes", type=int, default=1, help="worker processes (1)")
    simulate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a scenario parameter, e.g. market_solution=0.2 (repeatable)",
    )
    simulate.add_argument("--progress", action="store_true", help="show progress on stderr")
    _notice_parser(commands)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from innoproc._demo import run_demo

    run_demo(args.procedure, lang=args.lang)
    return 0


def _diagram(args: argparse.Namespace) -> int:
    from innoproc._diagram import diagram
    from innoproc._storage import loads

    if args.case is not None:
        subject: object = loads(args.case.read_text(encoding="utf-8"), for_audit=True)
    elif args.procedure:
        subject = args.procedure
    else:
        print("innoproc diagram: give a procedure id or --case FILE", file=sys.stderr)
        return 2
    d = diagram(subject, lang=args.lang)  # type: ignore[arg-type]
    if args.format == "mermaid":
        sys.stdout.write(d.to_mermaid())
    elif args.format == "dot":
        sys.stdout.write(d.to_dot())
    else:
        sys.stdout.write(d.to_svg())
    return 0


def _check(args: argparse.Namespace) -> int:
    from innoproc._audit import audit
    from innoproc._errors import CaseFormatError

    try:
        report = audit(args.file.read_bytes())
    except (OSError, CaseFormatError) as exc:
        print(f"innoproc check: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(report.explain(args.lang))
    return 0 if report.ok else 1


def _simulate(args: argparse.Namespace) -> int:
    from concurrent.futures import ProcessPoolExecutor

    from innoproc import scenarios
    from innoproc._simulate import simulate

    params: dict[str, float | int] = {}
    for item in args.set:
        name, _, value = item.partition("=")
        try:
            params[name.replace("-", "_")] = int(value) if value.isdigit() else float(value)
        except ValueError:
            print(f"innoproc simulate: --set {item!r}: VALUE must be a number", file=sys.stderr)
            return 2
    factories = {
        "innovation-partnership": scenarios.innovation_partnership,
        "pre-commercial-procurement": scenarios.pre_commercial_procurement,
        "triple-diamond": scenarios.triple_diamond,
    }
    try:
        if args.scenario in factories:
            scenario = factories[args.scenario](**params)  # type: ignore[operator]
        else:
            scenario = scenarios.funding_application(args.scenario, **params)  # type: ignore[arg-type]
    except (TypeError, KeyError) as exc:
        print(f"innoproc simulate: {exc}", file=sys.stderr)
        return 2
    if args.processes > 1:
        with ProcessPoolExecutor(args.processes) as pool:
            result = simulate(
                scenario, args.runs, seed=args.seed, executor=pool, progress=args.progress
            )
    else:
        result = simulate(scenario, args.runs, seed=args.seed, progress=args.progress)
    print(f"{result.scenario}: {len(result.runs)} runs, seed {args.seed}")
    print(f"{'end state':<16}{'runs':>8}{'share':>8}{'median days':>13}{'mean cost NOK':>16}")
    for state, row in result.summary().items():
        print(
            f"{state:<16}{row['runs']:>8}{row['share']:>8.1%}{row['median_days']:>13}"
            f"{row['mean_cost']:>16,.0f}"
        )
    rate = result.case_steps / result.seconds if result.seconds else 0
    print(f"{result.case_steps} case-steps in {result.seconds:.2f} s ({rate:,.0f}/s)")
    return 0


def _notice_parser(commands: Any) -> None:
    """The ``notice`` command: ``notice check FILE...``."""
    notice = commands.add_parser(
        "notice",
        help="read eForms notices (TED, Doffin) and check their time limits",
        description="Read eForms notices (TED, Doffin) and work with them.",
    )
    sub = notice.add_subparsers(dest="notice_command", required=True, metavar="SUBCOMMAND")
    check = sub.add_parser(
        "check",
        help="check each lot's time limit against the legal minimum",
        description="Read eForms notices and check each lot's time limit against the legal "
        "minimum for its procedure type and legal basis, counted under Regulation 1182/71 "
        "with Norwegian public holidays. A change notice is counted from its original when "
        "both are given. Exit status: 0 all met (or not assessed), 1 some time limit too "
        "short, 2 unreadable input.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="eForms XML files")
    check.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    check.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the messages (default: en)"
    )
    check.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr (shown anyway for 10 files or more on a terminal)",
    )


def _notice(args: argparse.Namespace) -> int:
    """``notice check``: one verdict per file; exit 0 met, 1 not met, 2 unreadable."""
    import json

    from innoproc._eforms_check import check_notice
    from innoproc._eforms_read import Notice, read_notice
    from innoproc._errors import InvalidPayload, NoticeFormatError

    files: list[Path] = args.files
    shown = args.progress or (len(files) >= 10 and sys.stderr.isatty())
    notices: list[tuple[Path, Notice | str]] = []
    for path in _with_progress(files, shown):
        try:
            notices.append((path, read_notice(path)))
        except (OSError, NoticeFormatError) as exc:
            notices.append((path, str(exc)))
    by_reference = {n.reference: n for _, n in notices if isinstance(n, Notice)}
    status = 0
    results: list[dict[str, Any]] = []
    for path, notice in notices:
        if isinstance(notice, str):
            status = 2
            print(f"innoproc notice check: {path}: {notice}", file=sys.stderr)
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


def _with_progress(files: list[Path], shown: bool) -> Iterator[Path]:
    """``files``, with a progress bar on stderr when ``shown`` (tqdm if installed)."""
    if not shown:
        yield from files
        return
    try:
        from tqdm import tqdm
    except ImportError:  # the 'progress' extra is not installed: a plain counter
        for done, path in enumerate(files, 1):
            sys.stderr.write(f"\r{done}/{len(files)} notices")
            yield path
        sys.stderr.write("\n")
        return
    yield from tqdm(files, file=sys.stderr, unit="notice", desc="reading")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser().parse_args(argv)
    handlers = {
        "demo": _demo,
        "diagram": _diagram,
        "check": _check,
        "simulate": _simulate,
        "notice": _notice,
    }
    return handlers[args.command](args)
