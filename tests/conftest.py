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


def text_on_backgrounds(page):
    """(text block, the colour it is set on) for every text block of *page*, table cells included: its
    own fill, else its cell's, else the topmost filled rectangle under its centre, else the page's."""
    from jakdeck.scene import Rect, Table, TextBlock, walk
    items = list(walk(page.items))
    for item in items:
        cells = [(c.block, c.fill) for row in item.cells for c in row] if isinstance(item, Table) else []
        for block, cell_fill in cells or ([(item, None)] if isinstance(item, TextBlock) else []):
            bg = block.fill if block.fill is not None else cell_fill
            if bg is None:
                cx, cy = block.box.x + block.box.w / 2, block.box.y + block.box.h / 2
                under = [r for r in items if isinstance(r, Rect) and r.fill and r.box.x <= cx <= r.box.right
                         and r.box.y <= cy <= r.box.bottom]
                bg = under[-1].fill if under else page.background
            yield block, bg


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001 - pytest's hook signature
    if _OWN_CACHE:
        import shutil
        shutil.rmtree(_OWN_CACHE, ignore_errors=True)
