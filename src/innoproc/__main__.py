"""``python -m innoproc``: the command line."""

import sys

from innoproc._cli import main

if __name__ == "__main__":
    sys.exit(main())
