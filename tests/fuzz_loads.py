"""Coverage-guided fuzzing of innoproc.loads with atheris (run by tests/test_durability.py).

Seeds are the golden documents. Any exception other than CaseFormatError is a crash.
Run by hand for longer: python tests/fuzz_loads.py -max_total_time=600
"""

from __future__ import annotations

import sys
from pathlib import Path


def target(data: bytes) -> None:
    """Load ``data``; a case that loads must round-trip unchanged."""
    import innoproc

    try:
        case = innoproc.loads(data)
    except innoproc.CaseFormatError:
        return
    text = innoproc.dumps(case)
    if innoproc.dumps(innoproc.loads(text)) != text:
        raise AssertionError("round trip changed the document")


def main() -> None:
    import atheris  # only when run as a fuzzer: pytest imports this file for doctests

    with atheris.instrument_imports():
        import innoproc  # noqa: F401

    corpus = Path(__file__).parent / "golden" / "v1"
    has_corpus = any(not a.startswith("-") for a in sys.argv[1:])
    atheris.Setup(sys.argv if has_corpus else [*sys.argv, str(corpus)], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
