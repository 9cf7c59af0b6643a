"""Finding font files and measuring text with their real advance widths.

A :class:`FamilySpec` resolves a family named by the theme (e.g. Liberation Sans,
shown in office software as its metric twin Arial) to TrueType files, and a
:class:`Metrics` object gives advance widths from the file's ``hmtx`` table.
The same files are embedded in PDFs, so what is measured is what is drawn.
A file is parsed (with fontTools) once per content: its facts are kept in jakdeck's
cache (:mod:`jakdeck.cache`) under the sha256 of its bytes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import cache
from .errors import FontError

STYLES = ("regular", "bold", "italic", "bold_italic")
NBSP = "\u00a0"

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


MAX_FONT_BYTES = 50_000_000
FONT_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO")


@dataclass(frozen=True)
class FontFacts:
    """What jakdeck needs of a font file: why it cannot be used (or None), and its metrics when it can."""

    problem: str | None
    units_per_em: int = 0
    family: str = ""                                      # the name table's family; "" when it names none
    advance: dict[int, int] = field(default_factory=dict)  # code point → advance width, in font units
    kept: bool = True                                     # worth keeping in the cache (not a parse that raised)


def _parse(data: bytes) -> FontFacts:
    """Read the facts from the bytes of a font file with fontTools (imported only here: a warm cache
    never loads it)."""
    import io
    import logging

    from fontTools.ttLib import TTFont

    # fontTools logs a warning for fonts with odd 'head' timestamps (Carlito has one); it is noise here
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        try:
            missing = [t for t in ("head", "hmtx", "cmap", "name", "glyf") if t not in font]
            if "glyf" in missing and "CFF " in font:
                return FontFacts("has PostScript (CFF) outlines: jakdeck embeds TrueType (.ttf) fonts only")
            if missing:
                return FontFacts("is not a usable TrueType font (no " + ", ".join(f"'{t}'" for t in missing)
                                 + " table)")
            cmap = font.getBestCmap()
            if not cmap:
                return FontFacts("is not a usable TrueType font (it maps no characters)")
            units_per_em = int(font["head"].unitsPerEm)
            hmtx = font["hmtx"].metrics
            advance = {int(cp): int(hmtx[g][0]) for cp, g in cmap.items() if g in hmtx}
            family = font["name"].getBestFamilyName() or ""
        finally:
            font.close()
    except Exception as exc:  # fontTools raises many kinds on damaged files
        detail = " ".join(str(exc).split())[:80] or type(exc).__name__
        return FontFacts(f"is not a readable TrueType font ({detail})", kept=False)
    return FontFacts(None, units_per_em, family, advance)


def _from_record(value: object) -> FontFacts | None:
    """Facts from a cache entry's value, or None when it is not what :func:`_record` writes."""
    if not (isinstance(value, tuple) and len(value) == 4):
        return None
    problem, upem, family, advance = value
    if problem is not None:
        return FontFacts(problem) if isinstance(problem, str) else None
    if not (isinstance(upem, int) and upem > 0 and isinstance(family, str) and isinstance(advance, dict)
            and advance and all(type(k) is int and type(v) is int for k, v in advance.items())):
        return None
    return FontFacts(None, upem, family, advance)


def _record(facts: FontFacts) -> tuple:
    return (facts.problem, facts.units_per_em, facts.family, facts.advance)


@lru_cache(maxsize=64)
def _facts(path: str, size: int, mtime_ns: int) -> FontFacts:
    if size > MAX_FONT_BYTES:
        return FontFacts(f"is {size // 1_000_000} MB: a font file may be at most {MAX_FONT_BYTES // 1_000_000} MB")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return FontFacts(f"cannot be read ({exc.strerror or exc})")
    if data[:4] not in FONT_MAGIC:
        return FontFacts("is not a TrueType font file")
    key = hashlib.sha256(data).hexdigest()
    facts = _from_record(cache.load("font", key))
    if facts is None:   # not cached yet, or an entry jakdeck cannot use: parse and (re)write it
        facts = _parse(data)
        if facts.kept:   # a parse that raised (a damaged file, or no memory) is tried again next time
            cache.store("font", key, _record(facts))
    return facts


def font_facts(path: str) -> FontFacts:
    """The facts of the font file at *path*: parsed once per file content, then read from the cache."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return FontFacts(f"cannot be read ({exc.strerror or exc})")
    return _facts(os.path.abspath(path), st.st_size, st.st_mtime_ns)


def check_font(path: str) -> str | None:
    """Why the file at *path* cannot be used as a font (one phrase), or None when it can."""
    return font_facts(path).problem


class Metrics:
    """Advance widths of one font file, in font units, with a per-character cache."""

    def __init__(self, path: str):
        facts = font_facts(path)
        if facts.problem is not None:
            raise FontError(f"font file {path} {facts.problem}")
        self.path = path
        self.units_per_em = facts.units_per_em
        self._advance = facts.advance
        self.family = facts.family or Path(path).stem
        self._cache: dict[str, float] = {}

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
