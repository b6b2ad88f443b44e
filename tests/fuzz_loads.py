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

    has_corpus = any(not a.startswith("-") for a in sys.argv[1:])
    if not has_corpus:
        # libFuzzer writes what it finds into the corpus folder: work on a copy of the golden
        # documents, so that the golden folders stay as released.
        import shutil
        import tempfile

        corpus = Path(tempfile.mkdtemp(prefix="innoproc-fuzz-"))
        for golden in (Path(__file__).parent / "golden").glob("v*/*.json"):
            shutil.copy(golden, corpus / f"{golden.parent.name}-{golden.name}")
        sys.argv.append(str(corpus))
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
