"""Write the config reference into README.md, between its markers, from the config's JSON Schema.

Run it after changing a config key: ``.venv/bin/python docs/make_config_reference.py``.
``tests/test_readme.py`` fails while README.md and the schema disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jakdeck.json_schema import markdown_reference  # noqa: E402

START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def with_reference(readme: str) -> str:
    """*readme* with the text between the markers replaced by the generated reference."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{markdown_reference()}{END}{tail}"


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(with_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
