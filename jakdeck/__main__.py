"""``python -m jakdeck``."""

import sys

from .cli import main

sys.exit(main())
