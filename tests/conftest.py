"""Shared fixtures: the default build (made once per session) and paths."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# the suite keeps jakdeck's cache (font facts, parsed YAML) in a folder of its own, never the user's; set
# before anything is built, and inherited by the jakdeck processes the tests start
_OWN_CACHE = None if "JAKDECK_CACHE" in os.environ else tempfile.mkdtemp(prefix="jakdeck-test-cache-")
if _OWN_CACHE:
    os.environ["JAKDECK_CACHE"] = _OWN_CACHE

from jakdeck.build import Built, build  # noqa: E402

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


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001 - pytest's hook signature
    if _OWN_CACHE:
        import shutil
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)
