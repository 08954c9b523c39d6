"""``python -m runform``: the same command line as ``runform``."""

import sys

from runform.cli import main

sys.exit(main())
