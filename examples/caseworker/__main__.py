"""``python -m examples.caseworker``: serve the case-worker app on this machine."""

from __future__ import annotations

import argparse
from datetime import datetime

import innoproc

from .app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m examples.caseworker",
        description="A case worker's screens for innovation procurement cases, on innoproc.",
    )
    parser.add_argument(
        "--db",
        default="sqlite:///caseworker.db",
        help="the case store's database, as a SQLAlchemy URL (default: sqlite:///caseworker.db, "
        "a file in the current folder; demo cases are stored when it is empty)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--no-demo", action="store_true", help="do not store demo cases")
    parser.add_argument(
        "--now",
        help="pretend the app started at this moment (ISO 8601, e.g. 2025-03-10T09:00+01:00); "
        "time runs on from there. For demonstrations and tests.",
    )
    args = parser.parse_args(argv)
    clock = None
    if args.now:
        start = innoproc.deadlines.parse_deadline(args.now)
        began = datetime.now(innoproc.OSLO)

        def clock() -> datetime:
            return (start + (datetime.now(innoproc.OSLO) - began)).astimezone(innoproc.OSLO)

    app = create_app(args.db, now=clock, demo=not args.no_demo)
    print(f"innoproc case-worker app on http://{args.host}:{args.port}/ (database {args.db})")
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
