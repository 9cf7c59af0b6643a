"""What a build did, in one line for stderr, and progress for a long build on a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from ..scene import Scene
from ..units import to_mm

ISO = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297)}


def page_size(width_pt: float, height_pt: float) -> str:
    """``A1 landscape, 841 × 594 mm`` for an ISO size, else ``600 × 900 mm``."""
    w, h = round(to_mm(width_pt)), round(to_mm(height_pt))
    for name, (a, b) in ISO.items():
        for ww, hh, orient in ((a, b, "portrait"), (b, a, "landscape")):
            if abs(w - ww) <= 1 and abs(h - hh) <= 1:
                return f"{name} {orient}, {w} × {h} mm"
    return f"{w} × {h} mm"


def _aspect(scene: Scene) -> str:
    page = scene.pages[0]
    ratio = page.width / page.height
    return "16:9" if abs(ratio - 16 / 9) < 0.01 else "4:3" if abs(ratio - 4 / 3) < 0.01 else f"{ratio:.2f}:1"


def describe(name: str, scenes: dict[str, Scene]) -> str:
    """One output file as the summary shows it."""
    if name == "talk.pptx" and "talk" in scenes:
        n = len(scenes["talk"].pages)
        return f"talk.pptx ({n} slide{'s' if n != 1 else ''}, {_aspect(scenes['talk'])})"
    if name in ("poster.pdf", "poster.pptx") and "poster" in scenes:
        page = scenes["poster"].pages[0]
        box = page.trim or page.box
        return f"{name} ({page_size(box.w, box.h)})"
    if name == "handout.pdf" and "handout" in scenes:
        n = len(scenes["handout"].pages)
        return f"handout.pdf ({n} page{'s' if n != 1 else ''})"
    return name


def summary_line(files: list[str], scenes: dict[str, Scene], warnings: int, seconds: float,
                 verb: str = "built") -> str:
    """``built in 1.23 s: talk.pptx (14 slides, 16:9), poster.pdf (A0 portrait, 841 × 1189 mm), 6 figure
    files; 2 warnings``."""
    figures = [f for f in files if f.startswith("figures/")]
    parts = [describe(f, scenes) for f in files if not f.startswith("figures/")]
    if figures:
        parts.append(f"{len(figures)} figure file{'s' if len(figures) != 1 else ''}")
    warned = f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else "no warnings"
    return f"{verb} in {seconds:.2f} s: {', '.join(parts) or 'nothing'}; {warned}"


class Progress:
    """Steps of a long job on one rewritten terminal line; silent when *stream* is not a terminal."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._shown = 0

    def step(self, text: str) -> None:
        if self.live:
            line = f"  {text}…"
            self.stream.write("\r" + line.ljust(self._shown))
            self.stream.flush()
            self._shown = len(line)

    def done(self) -> None:
        if self.live and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0
