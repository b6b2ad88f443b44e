"""The command line: ``innoproc`` (also ``python -m innoproc``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser().parse_args(argv)
    handlers = {"demo": _demo, "diagram": _diagram, "check": _check, "simulate": _simulate}
    return handlers[args.command](args)
