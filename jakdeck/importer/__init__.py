"""Turning an abstract (plain text, Markdown or Word) into a content mapping, and that into commented YAML.

:func:`content_from_text` is a pure function – text in, content mapping and
warnings out – so a batch build can call it in worker processes.
:func:`import_file` reads a file first; :func:`content_yaml` writes the mapping
as a content file meant for editing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic
from ..records import record
from .read import IMPORT_SUFFIXES, is_abstract_file, read_abstract

if TYPE_CHECKING:
    from .parse import RawAbstract

__all__ = ["IMPORT_SUFFIXES", "Imported", "content_from_text", "content_yaml", "import_file", "is_abstract_file"]


@record(frozen=False)
class Imported:
    """A content mapping made from an abstract, the notes the YAML carries as comments, and warnings."""

    data: dict[str, Any]
    source_name: str
    warnings: list[Diagnostic] = field(default_factory=list)
    section_notes: dict[str, list[str]] = field(default_factory=dict)   # section id → comment lines
    safety_generic: bool = False


def _slug(text: str, used: set[str], n: int) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_.lower()))[:40].strip("-") or f"section-{n}"
    base, k = slug, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def _byline(raw: RawAbstract, name: str) -> tuple[list[dict], list[dict], list[Diagnostic]]:
    warnings = []
    affs = [{"id": i + 1, "name": text} for i, (_mark, text) in enumerate(raw.affiliations)]
    by_mark = {m: i + 1 for i, (m, _t) in enumerate(raw.affiliations) if m}
    authors = []
    for a in raw.authors:
        ids: list[int] = []
        for m in a.marks:
            if m in by_mark:
                ids.append(by_mark[m])
            elif not by_mark and m.isdigit() and 1 <= int(m) <= len(affs):
                ids.append(int(m))
            elif m.isdigit():
                warnings.append(Diagnostic(f"author '{a.name}' is marked {m}, but no affiliation has that number",
                                           name, None, None, "number the affiliation lines 1, 2, ...", "warning"))
        if not a.marks and len(affs) == 1:
            ids = [1]
        authors.append({"name": a.name, "affiliations": list(dict.fromkeys(ids))})
    if authors:
        authors[0]["presenting"] = True
    return authors, affs, warnings


def content_from_text(text: str, name: str) -> Imported:
    """The content mapping for the abstract *text* (decoded); *name* locates warnings and errors."""
    # imported here: a build from a content file asks only whether its file is an abstract
    from .biology import drug_rows, figure_specs, mentions, unknown_names
    from .parse import parse_abstract
    from .summarise import heading, key_points, rules, safety_line
    raw = parse_abstract(text, name)
    authors, affs, warnings = _byline(raw, name)
    r = rules()
    paragraphs = [p.text for p in raw.paragraphs]
    safety, safety_index = safety_line(paragraphs)
    everything = mentions("\n\n".join(paragraphs))
    named_drugs = list(dict.fromkeys(m.key for m in everything if m.kind == "drug"))
    sections: list[dict] = []
    figures: dict[str, dict] = {}
    notes: dict[str, list[str]] = {}
    used_ids: set[str] = set()
    used_headings: set[str] = set()
    warned: set[str] = set()
    drawn: set[str] = set()
    for i, p in enumerate(raw.paragraphs):
        ms = mentions(p.text)
        title = heading(p.text, ms, i, p.label, used_headings, len(raw.paragraphs))
        used_headings.add(title.lower())
        sid = _slug(title, used_ids, i + 1)
        section: dict[str, Any] = {"id": sid, "heading": title}
        points = key_points(p.text, ms)
        if points:
            section["key_points"] = points
        comments = [f"paragraph {i + 1} (line {p.line} of the abstract)"]
        specs = figure_specs(sid, ms, named_drugs, drawn)
        for fid, spec in specs:
            figures[fid] = spec
        if specs:
            section["figure"] = specs[0][0]
            if len(specs) > 1:
                section["blocks"] = [{"figure": fid} for fid, _ in specs[1:]]
            names = sorted({m.key for m in ms if m.kind == "cytokine"})
            comments.append("figure: drawn from the knowledge base for " + ", ".join(names))
        for m in ms:
            if m.kind == "not_drawn" and m.key not in warned:
                warned.add(m.key)
                warnings.append(Diagnostic(f"{m.key} is named, but JAK-STAT figures do not draw it: no figure for it",
                                           name, p.line, None, None, "warning"))
                comments.append(f"no figure for {m.key}: the knowledge base keeps it out of JAK-STAT figures")
        for what, n in unknown_names(p.text, ms):
            if n in warned:
                continue
            warned.add(n)
            warnings.append(Diagnostic(f"{what} '{n}' is not in the knowledge base: no figure for it", name, p.line,
                                       None, None, "warning"))
            comments.append(f"no figure for {n}: the knowledge base does not have this {what}")
        if i == safety_index:
            comments.append("the footer (safety) is taken from this paragraph")
        section["source"] = p.text
        notes[sid] = comments
        sections.append(section)
    if named_drugs:
        sid = _slug(r["drugs_heading"], used_ids, len(sections) + 1)
        sections.append({"id": sid, "heading": r["drugs_heading"],
                         "blocks": [{"table": {"header": list(r["drugs_header"]), "rows": drug_rows(named_drugs)}}]})
        notes[sid] = ["the drugs the abstract names, with their targets and route from the knowledge base"]
    data: dict[str, Any] = {"title": raw.title, "authors": authors}
    if affs:
        data["affiliations"] = affs
    data["safety"] = safety
    if figures:
        data["figures"] = figures
    data["sections"] = sections
    if safety_index is None:
        warnings.append(Diagnostic("the abstract says nothing about safety: the footer is a generic line, marked as "
                                   "not the author's", name, None, None, "write your own line under 'safety'",
                                   "warning"))
    return Imported(data, name, raw.warnings + warnings, notes, safety_index is None)


def import_file(path: str | Path) -> Imported:
    """Read and import the abstract at *path* (.txt, .md or .docx)."""
    text, warnings = read_abstract(path)
    imported = content_from_text(text, warnings[0].file if warnings else _display(path))
    imported.warnings[:0] = warnings
    return imported


def _display(path: str | Path) -> str:
    from ..errors import display_path
    return display_path(path)


def content_yaml(imported: Imported) -> str:
    """The commented content file for *imported* (see :func:`jakdeck.importer.write.content_yaml`)."""
    from .write import content_yaml as write  # (imports PyYAML's writer: only an import needs it)
    return write(imported)


def load_abstract(path: str | Path):
    """The :class:`~jakdeck.model.Document` for the abstract at *path*, and the import's warnings.

    The mapping is the one :func:`content_yaml` writes, checked by the same loader as any
    content file; errors name the abstract file.
    """
    from ..content import document_from_source
    from ..yamlsrc import Source
    imported = import_file(path)
    return document_from_source(Source(imported.source_name, imported.data, {})), imported.warnings
