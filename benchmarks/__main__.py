"""`python -m benchmarks [--db PATH] [--rebuild]`: the page benchmark (benchmarks/pages.py)."""

import sys

from benchmarks.pages import main

sys.exit(main())
