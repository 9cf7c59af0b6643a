"""Fallback fonts for the characters a theme's fonts lack, and where to get a font for the rest.

The order of the fallback families and the table of scripts → Debian packages are data
(``jakdeck/fallback.yaml``; a theme may give its own ``fallback:`` list).  :class:`Coverage`
answers, for one character in one style, which face draws it: the theme's family when it has the
glyph, else the first installed fallback family that has it, else none – and then
:func:`missing_glyph` makes the located error that names the character, its code point and a
package to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Diagnostic, FontError
from .fonts import STYLES, FamilySpec, Metrics, find_font_file, load_metrics
from .schema import S, Spec, validate
from .yamlsrc import load_yaml

TABLE = Path(__file__).resolve().parent / "fallback.yaml"
FALLBACK_KEY = "fallback:"   # face keys of fallback families start with this (never a theme's key)

FAMILY_SPEC = Spec("map", fields={
    "family": S("the family of the font files", required=True, nonempty=True),
    "office_name": S("the name written into .pptx, which office software finds the font by", required=True,
                     nonempty=True),
    "package": S("the Debian package that provides the files"),
    "files": Spec("map", required=True, fields={
        s: S(f"file name (or absolute path) of the {s.replace('_', ' ')} face", required=(s == "regular"))
        for s in STYLES}),
})
TABLE_SPEC = Spec("map", "fallback fonts and where to find the others", fields={
    "fallback": Spec("list", "fallback families, tried in order", items=FAMILY_SPEC, required=True),
    "scripts": Spec("list", "code point ranges of a script and a Debian package that draws it", required=True,
                    items=Spec("map", fields={
                        "script": S("the script's name", required=True),
                        "package": S("a Debian package with a TrueType font for it", required=True),
                        "ranges": Spec("list", items=Spec("list", items=Spec("int")), required=True)})),
    "default_package": S("the package to suggest for a character in no listed range", required=True),
})


@dataclass(frozen=True)
class Script:
    name: str
    package: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class FallbackTable:
    """The fallback families in order and the script table."""

    families: tuple[FamilySpec, ...]
    scripts: tuple[Script, ...]
    default_package: str

    def package_for(self, char: str) -> tuple[str, str | None]:
        """A Debian package with a font that draws *char*, and the script's name when known."""
        cp = ord(char)
        for s in self.scripts:
            if any(lo <= cp <= hi for lo, hi in s.ranges):
                return s.package, s.name
        return self.default_package, None


def family_specs(items: list[dict]) -> tuple[FamilySpec, ...]:
    """Validated fallback entries as :class:`FamilySpec` (file names are found when first used)."""
    return tuple(FamilySpec(f["family"], f["office_name"], {k: v for k, v in f["files"].items() if v},
                            f.get("package") or "") for f in items)


@lru_cache(maxsize=1)
def load_table() -> FallbackTable:
    """The built-in fallback table (once per process)."""
    src = load_yaml(TABLE)
    data, diags = validate(src, TABLE_SPEC)
    if diags:
        raise FontError(diags)
    scripts = tuple(Script(s["script"], s["package"], tuple((r[0], r[-1]) for r in s["ranges"] if r))
                    for s in data["scripts"])
    return FallbackTable(family_specs(data["fallback"]), scripts, data["default_package"])


def fallback_key(spec: FamilySpec) -> str:
    """The face key of a fallback family: ``fallback:nanumgothic``."""
    return FALLBACK_KEY + "-".join(spec.family.lower().split())


class Coverage:
    """Which family draws each character: the style's own, or the first installed fallback that has it."""

    def __init__(self, families: tuple[FamilySpec, ...] | None = None):
        self.families = load_table().families if families is None else families
        self._installed: list[tuple[str, FamilySpec]] | None = None
        self._choice: dict[tuple[str, str], str | None] = {}

    def installed(self) -> list[tuple[str, FamilySpec]]:
        """(key, spec) of each fallback family whose regular file is on this machine, in order."""
        if self._installed is None:
            self._installed = [(fallback_key(s), s) for s in self.families
                               if find_font_file(s.files.get("regular", "")) is not None]
        return self._installed

    def spec(self, key: str) -> FamilySpec | None:
        """The fallback family with face key *key*."""
        return next((s for k, s in self.installed() if k == key), None)

    def metrics(self, spec: FamilySpec, style: str) -> Metrics:
        return load_metrics(spec.resolve(style))

    def family_for(self, char: str, style: str) -> str | None:
        """The key of the first installed fallback family that draws *char*, or None."""
        got = self._choice.get((char, style), "?")
        if got == "?":
            got = next((k for k, s in self.installed() if self.metrics(s, style).has(char)), None)
            self._choice[(char, style)] = got
        return got

    def names(self) -> list[str]:
        """The fallback families on this machine, for messages."""
        return [s.family for _k, s in self.installed()]


def missing_glyph(char: str, family: str, coverage: Coverage, where: tuple) -> Diagnostic:
    """The located error for *char*, which neither *family* nor any installed fallback draws."""
    package, script = load_table().package_for(char)
    tried = coverage.names()
    fonts = f"the font {family}" + (f" nor in any fallback font on this machine ({', '.join(tried)})" if tried
                                    else " and no fallback font is installed")
    what = f" ({script})" if script else ""
    file, line, col = where
    return Diagnostic(f"character '{char}' (U+{ord(char):04X}){what} is not in {fonts}", file or None, line, col,
                      f"install the Debian package {package}, or use another character")


def locate(char: str, where: tuple) -> tuple:
    """*where* (file, line, column), made exact by finding *char* in the file when the line is unknown."""
    file, line, col = where
    if not file or line is not None or Path(file).suffix.lower() not in (".txt", ".md", ".markdown", ".yaml",
                                                                          ".yml"):
        return where
    try:
        text = Path(file).read_text("utf-8", errors="replace")
    except OSError:
        return where
    at = text.find(char)
    if at < 0:
        return where
    before = text[:at]
    return (file, before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1)
