"""The command line: ``innoproc demo`` (also ``python -m innoproc demo``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from innoproc._text import LANGUAGES
from innoproc._version import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="innoproc",
        description="Innovation procurement procedures as explainable state machines.",
    )
    parser.add_argument("--version", action="version", version=f"innoproc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="walk a realistic case from needs to purchase",
        description="Walk a realistic case of a procedure from start to end, showing "
        "refused steps with every unmet precondition and its source.",
    )
    demo.add_argument(
        "procedure",
        nargs="?",
        default="innovation-partnership",
        choices=["innovation-partnership", "pre-commercial-procurement", "triple-diamond"],
        help="the procedure to demonstrate (default: innovation-partnership)",
    )
    demo.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the messages (default: en)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from innoproc._demo import run_demo

        run_demo(args.procedure, lang=args.lang)
    return 0
