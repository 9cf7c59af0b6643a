"""Errors and diagnostics: every problem names where it came from.

One base class, :class:`JakdeckError`; families that also subclass the
matching builtin.  Library code raises; only the CLI prints.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One problem with an input, located by file, line and column (1-based)."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: str = "error"

    def format(self) -> str:
        """Return the one-line ``file:line:col: severity: message`` form (hint appended)."""
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class JakdeckError(Exception):
    """Base of every error jakdeck raises on purpose; carries one or more diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):  # pickled (from a worker process) with its diagnostics, not only their text
        return (type(self), (self.diagnostics,))


class InputError(JakdeckError, ValueError):
    """A content, config, layout or theme file is malformed or inconsistent."""


class FitError(JakdeckError, ValueError):
    """Text does not fit its slot at the style's minimum size."""


class FontError(JakdeckError, FileNotFoundError):
    """A font the theme names cannot be found or lacks a glyph."""


def display_path(path: str | Path) -> str:
    """Return *path* relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def suggest(name: str, known: list[str] | tuple[str, ...], what: str = "known") -> str:
    """A hint for an unknown *name*: the one close known name ("did you mean X?"), else the known names.

    Close means a similarity of at least 0.7, or *name* beginning a known name; a looser match
    suggested ``questions`` for ``conclusions``.
    """
    close = difflib.get_close_matches(name, list(known), 1, 0.7)
    if not close and len(name) >= 3:
        close = [k for k in known if k.startswith(name)][:1]
    return f"did you mean {close[0]}?" if close else f"{what}: " + ", ".join(known)
