"""What every renderer shares: one signature, its options, and how its files are named.

A renderer is a module with ``render(scene, options) -> dict[str, bytes]``: the files it
makes from *scene*, keyed by their name in the output folder.  Names follow the scene:
one file per scene (``talk.pptx``, ``poster.pdf``, ``talk.json``), or one per page for
page formats (``figures/mechanism.svg``).  Renderers import the scene and helpers like
this one – never the text engine, the composers or the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from . import DEFAULT_DATE
from .memo import NO_MEMO, Memo
from .scene import Page, Scene


@dataclass(frozen=True)
class RenderOptions:
    """How to write, never what to draw: the date stamped into files, colour model, raster resolution."""

    date: datetime = DEFAULT_DATE
    cmyk: bool = False            # PDF colours as CMYK (print) instead of RGB
    dpi: float = 144.0            # raster outputs: two pixels a point, so a figure from a 16:9 slide is ~1250 px
    #                               wide: its slide size on a high-density screen, sharp at a document's text width
    memo: Memo = field(default=NO_MEMO, compare=False)   # what a renderer wrote for equal parts of the last
    #                               build (a session's): the bytes are the same either way


class Renderer(Protocol):
    """The one renderer signature."""

    def __call__(self, scene: Scene, options: RenderOptions, /) -> dict[str, bytes]: ...


def scene_file(scene: Scene, ext: str) -> str:
    """The name of the one file a whole-scene format writes: ``<kind>.<ext>``."""
    return f"{scene.kind}.{ext}"


def page_file(scene: Scene, page: Page, ext: str) -> str:
    """The name of the file a page format writes for *page*: ``<kind>/<page role>.<ext>``."""
    return f"{scene.kind}/{page.role}.{ext}"
