"""Finding font files and measuring text with their real advance widths.

A :class:`FontBook` resolves a family named by the theme (e.g. Liberation Sans,
shown in office software as its metric twin Arial) to TrueType files, and a
:class:`Metrics` object gives advance widths from the file's ``hmtx`` table.
The same files are embedded in PDFs, so what is measured is what is drawn.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .errors import FontError

STYLES = ("regular", "bold", "italic", "bold_italic")
NBSP = "\u00a0"

# fontTools logs a warning for fonts with odd 'head' timestamps (Carlito has one); it is noise here
logging.getLogger("fontTools").setLevel(logging.ERROR)


def font_dirs() -> list[Path]:
    """Directories searched for font files, in order: $JAKDECK_FONT_PATH, user, system."""
    dirs = [Path(p) for p in os.environ.get("JAKDECK_FONT_PATH", "").split(os.pathsep) if p]
    home = Path.home()
    dirs += [home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts"),
             Path("/usr/share/fonts"), Path("/Library/Fonts"), Path("/System/Library/Fonts"),
             Path("C:/Windows/Fonts")]
    return dirs


@lru_cache(maxsize=1)
def _index(dirs: tuple[Path, ...]) -> dict[str, str]:
    """Map lower-cased file names to full paths (first directory wins)."""
    found: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".otf")):
                    found.setdefault(name.lower(), os.path.join(root, name))
    return found


def find_font_file(name: str) -> str | None:
    """Return the path of the font file called *name*, or None."""
    if os.path.isabs(name):
        return name if os.path.isfile(name) else None
    return _index(tuple(font_dirs())).get(name.lower())


class Metrics:
    """Advance widths of one font file, in font units, with a per-character cache."""

    def __init__(self, path: str):
        self.path = path
        font = TTFont(path, lazy=True)
        self.units_per_em = font["head"].unitsPerEm
        self._cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        self._advance = {cp: hmtx[g][0] for cp, g in self._cmap.items() if g in hmtx}
        self.family = font["name"].getBestFamilyName() or Path(path).stem
        self._cache: dict[str, float] = {}
        font.close()

    def has(self, char: str) -> bool:
        """True when the font maps *char* to a glyph."""
        return ord(char) in self._advance

    def missing(self, text: str) -> list[str]:
        """The distinct characters of *text* the font cannot draw (line breaks excepted; a no-break
        space is drawn as a space, as office software does, so it counts as present)."""
        return sorted({c for c in text if c not in "\n\t" and ord(c) not in self._advance
                       and not (c == NBSP and 32 in self._advance)})

    def width(self, text: str, size: float) -> float:
        """Advance width of *text* at *size* points, in points (no kerning: a safe upper bound)."""
        em = self._cache.get(text)
        if em is None:
            adv = self._advance
            space = adv.get(32, 0)
            em = sum(adv.get(ord(c), space if c == "\u00a0" else 0) for c in text) / self.units_per_em
            if len(self._cache) < 200_000:
                self._cache[text] = em
        return em * size


@lru_cache(maxsize=64)
def load_metrics(path: str) -> Metrics:
    """Load (once per process) the metrics of the font file at *path*."""
    return Metrics(path)


@dataclass(frozen=True)
class FamilySpec:
    """A theme's font family: files per style, the office name and the package that provides it."""

    family: str
    office_name: str
    files: dict[str, str]
    package: str = ""

    def resolve(self, style: str) -> str:
        """Return the path of the file for *style*; raise :class:`FontError` saying what to install."""
        name = self.files.get(style) or self.files["regular"]
        path = find_font_file(name)
        if path is None:
            how = f"install the Debian package {self.package}" if self.package else "install it"
            raise FontError(f"font {self.family} ({name}) not found: {how}, or put the file in a "
                            f"directory named by JAKDECK_FONT_PATH")
        return path
