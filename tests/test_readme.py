"""The README's config reference is the schema's: regenerate it with docs/make_config_reference.py."""

from __future__ import annotations

import importlib.util

from jakdeck.project import config_keys

from .conftest import ROOT


def _script():
    spec = importlib.util.spec_from_file_location("make_config_reference", ROOT / "docs" / "make_config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_config_reference_matches_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _script().with_reference(readme) == readme, "run .venv/bin/python docs/make_config_reference.py"


def test_the_reference_has_a_row_for_every_key_with_its_default():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key, spec in config_keys().items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{key}` |"))
        if spec.default not in (None, []):
            assert f"| `{spec.default}` |".replace("`False`", "`false`") in row, row


def test_the_readme_shows_the_modeline_init_writes():
    from jakdeck.commands.init import starter_config
    modeline = starter_config().splitlines()[0]
    assert modeline in (ROOT / "README.md").read_text(encoding="utf-8")
