"""Shared fixtures: the default build (made once per session) and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from jakdeck.build import Built, build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ABSTRACT = ROOT / "content" / "jak-inhibitors-abstract.txt"


@pytest.fixture(scope="session")
def default_build() -> Built:
    """The default content built in memory: scenes and file bytes."""
    return build()


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory, default_build) -> Path:
    """The default build written to a directory."""
    out = tmp_path_factory.mktemp("out")
    for name, data in default_build.files.items():
        (out / name).write_bytes(data)
    return out
