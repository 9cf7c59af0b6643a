"""YAML loading that remembers where every value came from, within hard limits.

:func:`load_yaml` returns a :class:`Source`: the plain Python data plus the
line and column of every mapping key and value, so validation errors can name
``file:line:col`` long after parsing.

Hostile files are refused before they cost time or memory: a file may hold at
most :data:`MAX_FILE_BYTES`, and (:mod:`jakdeck.yamlparse`) nest ``MAX_DEPTH``
levels, expand (aliases included) to ``MAX_NODES`` values, and hold ``MAX_TEXT``
characters in one value.  Aliases are counted while the file is composed, without expanding
them, so an alias bomb is rejected in milliseconds; a recursive alias is an error.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__, cache
from .errors import Diagnostic, InputError, display_path
from .records import record

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000   # a content file is about 10 kB


@record(frozen=False)
class Source:
    """Parsed YAML data and the (line, column) of each value, keyed by its path."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # the text of unquoted base-60 numbers (YAML 1.1 reads 4:3 as 243), to hint that they want quotes
    plain: dict[Path_, str] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Return the (line, column) of *path*, or of its nearest located parent."""
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        return self.marks.get(p, (None, None))

    def diag(self, path: Path_, message: str, hint: str | None = None) -> Diagnostic:
        """Build a diagnostic located at *path*."""
        line, col = self.where(path)
        return Diagnostic(message, self.file, line, col, hint)


def by_place(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in the order of their place in the file (stable for ties)."""
    return sorted(diags, key=lambda d: (d.file or "", d.line or 0, d.column or 0))


def parse_yaml(text: str, file: str) -> Source:
    """Parse YAML *text*; raise :class:`InputError` located at the syntax error or limit hit.

    A text parsed before is not parsed again: what parsing it gave (data, places, base-60 texts) is kept
    in :mod:`jakdeck.cache` under the sha256 of the text and of the parser (its module and PyYAML's), and a
    kept result is read in place of parsing.  Failures are never kept: a bad file is parsed, and
    reported, every time."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(Diagnostic(f"the file holds {len(text)} characters: at most {MAX_FILE_BYTES} allowed",
                                    file))
    parser = _parser_key()
    key = hashlib.sha256(parser.encode() + text.encode("utf-8", "surrogatepass")).hexdigest() if parser else None
    kept = cache.load("yaml", key) if key else None
    if isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[1], dict) and isinstance(kept[2], dict):
        return Source(file, *kept)
    from .yamlparse import parse  # (imports PyYAML)
    data, marks, plain = parse(text, file)
    if key:
        cache.store("yaml", key, (data, marks, plain))   # (not stored when the data holds what marshal cannot)
    return Source(file, data, marks, plain)


@lru_cache(maxsize=1)
def _parser_key() -> str | None:
    """What a parse depends on besides the text: jakdeck's version and the bytes of the parser's module and of
    PyYAML's; None (no caching) when they cannot be read."""
    try:
        spec = importlib.util.find_spec("yaml")
        files = [Path(__file__).with_name("yamlparse.py"), Path(spec.origin if spec and spec.origin else "")]
        digest = hashlib.sha256(__version__.encode())
        for f in files:
            digest.update(f.read_bytes())
        return digest.hexdigest()
    except (OSError, ImportError, ValueError):
        return None


def read_input(path: str | Path, limit: int, expected: str) -> bytes:
    """At most *limit* + 1 bytes of the input file at *path* (one more than allowed shows it is too long),
    with one located line when it cannot be read; *expected* names what a folder should have been."""
    name = display_path(path)
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(Diagnostic("file not found", name)) from None
    except IsADirectoryError:
        raise InputError(Diagnostic(f"is a directory, expected {expected}", name)) from None
    except OSError as exc:
        raise InputError(Diagnostic(f"cannot read: {exc.strerror}", name)) from None


def load_yaml(path: str | Path) -> Source:
    """Read and parse the YAML file at *path* (UTF-8), with located errors."""
    name = display_path(path)
    raw = read_input(path, MAX_FILE_BYTES, "a YAML file")
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(Diagnostic(f"the file is larger than {MAX_FILE_BYTES / 1e6:g} MB, the most a YAML input "
                                    "may be", name))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Diagnostic("not valid UTF-8 text", name, line)) from None
    return parse_yaml(text, name)
