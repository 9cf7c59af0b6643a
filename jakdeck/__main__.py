"""``python -m jakdeck``."""

from .cli import run

run()
