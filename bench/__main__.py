"""``python -m bench`` (``make bench``): the read path against bare Django (bench/pages.py)."""

import sys

from bench.pages import main

sys.exit(main())
