"""Coverage-guided fuzzing of innoproc.loads with atheris (run by tests/test_durability.py).

Seeds are the golden documents. Any exception other than CaseFormatError is a crash.
Run by hand for longer: python tests/fuzz_loads.py -max_total_time=600
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import innoproc


def target(data: bytes) -> None:
    try:
        case = innoproc.loads(data)
    except innoproc.CaseFormatError:
        return
    text = innoproc.dumps(case)
    if innoproc.dumps(innoproc.loads(text)) != text:
        raise AssertionError("round trip changed the document")


if __name__ == "__main__":
    corpus = Path(__file__).parent / "golden" / "v1"
    argv = (
        [*sys.argv, str(corpus)]
        if not any(not a.startswith("-") for a in sys.argv[1:])
        else sys.argv
    )
    atheris.Setup(argv, target)
    atheris.Fuzz()
