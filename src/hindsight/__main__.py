"""``python -m hindsight``."""

import sys

from hindsight.cli import main

if __name__ == "__main__":
    sys.exit(main())
