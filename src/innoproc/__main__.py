"""``python -m innoproc``: the command line."""

import sys

from innoproc._cli import main

sys.exit(main())
