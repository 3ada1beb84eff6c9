"""``python -m lingyi``: the command line of ``lingyi/cli/``."""

import sys

from lingyi.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
