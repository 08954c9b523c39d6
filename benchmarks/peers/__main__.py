"""``python -m benchmarks.peers PEER CSV [--vertical AXIS] [--ap AXIS]``."""

import sys

from benchmarks.peers import main

sys.exit(main())
