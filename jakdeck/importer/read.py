"""Reading an abstract file into clean text: UTF-8 (with or without a BOM), Latin-1, or Word .docx.

The result is one string with ``\\n`` line ends and no BOM, plus warnings.  A
file that is not UTF-8 is decoded as Windows-1252/Latin-1 with a warning naming
the first byte that was not UTF-8 – never as mojibake; bytes that neither
encoding gives as text are refused with a located error.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import Diagnostic, InputError, display_path
from ..yamlsrc import read_input

MAX_BYTES = 2_000_000   # an abstract is a few kB; a file above this is refused

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCX_SUFFIXES = (".docx",)
IMPORT_SUFFIXES = TEXT_SUFFIXES + DOCX_SUFFIXES


def is_abstract_file(path: str | Path) -> bool:
    """True for a file the importer reads (text, Markdown or .docx) rather than a content YAML."""
    return Path(path).suffix.lower() in IMPORT_SUFFIXES


def _control(ch: str) -> bool:
    return (ord(ch) < 32 and ch not in "\n\t\r\f") or 0x7F <= ord(ch) < 0xA0


def decode_text(raw: bytes, name: str) -> tuple[str, list[Diagnostic]]:
    """Decode *raw* abstract bytes; return the text (``\\n`` line ends) and any warnings."""
    warnings: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            warnings.append(Diagnostic(
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02X}); read it as Latin-1/Windows-1252",
                name, line, None, "check the names and symbols in the imported content, or save the file as UTF-8",
                "warning"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").lstrip("\ufeff")
    for n, line_text in enumerate(text.split("\n"), 1):
        bad = next((c for c in line_text if _control(c)), None)
        if bad is not None:
            raise InputError(Diagnostic(f"control character U+{ord(bad):04X} in the text: is this a text file?",
                                        name, n, line_text.index(bad) + 1))
    return text, warnings


def docx_text(raw: bytes, name: str) -> str:
    """The paragraphs of a Word .docx as text, one per line, with a blank line between paragraphs.

    Superscript runs are written as ``^...^`` so that affiliation numbers survive.
    """
    try:
        import docx  # python-docx
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(Diagnostic(f"not a readable Word .docx file ({exc})", name)) from None
    lines = []
    for para in document.paragraphs:
        parts = []
        for run in para.runs:
            t = run.text
            if t and run.font.superscript:
                t = f"^{t.strip()}^"
            parts.append(t)
        text = "".join(parts).replace("\v", "\n")
        style = (para.style.name or "") if para.style is not None else ""
        if style == "Title" or style.startswith("Heading 1"):
            text = "# " + text
        lines.append(text)
    return "\n\n".join(lines)


def read_abstract(path: str | Path) -> tuple[str, list[Diagnostic]]:
    """Read the abstract file at *path*: its text and any warnings."""
    name = display_path(path)
    p = Path(path)
    raw = read_input(p, MAX_BYTES, "an abstract file")
    if len(raw) > MAX_BYTES:
        size = p.stat().st_size
        raise InputError(Diagnostic(f"the file has {size} bytes; an abstract may have at most {MAX_BYTES}", name))
    if p.suffix.lower() in DOCX_SUFFIXES:
        return docx_text(raw, name), []
    return decode_text(raw, name)
