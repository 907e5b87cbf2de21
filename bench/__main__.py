"""``python -m bench`` runs the benchmark (see :mod:`bench.cli`)."""

import sys

from .cli import main

sys.exit(main())
