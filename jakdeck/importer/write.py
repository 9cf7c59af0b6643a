"""Writing an imported content mapping as a commented YAML file meant for editing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from . import Imported

WIDTH = 100

_HEAD = """\
# Content imported by jakdeck from {source}.
# Edit anything here, then build the talk and the poster with
#     jakdeck build --content {{this file}}
# The title, authors, affiliations and each section's `source` are the author's text, verbatim.
# Headings, key points, figures and the safety footer were drawn from it by jakdeck: check them.
# Markup in text: **bold**, *italic*, ^superscript^.
"""

_COMMENTS = {
    "title": "# The title, exactly as written.",
    "authors": "# Authors in byline order. `affiliations` are ids from the list below; the presenting author\n"
               "# is marked.",
    "affiliations": "# Institutions, numbered as the authors cite them.",
    "safety": "# The fixed footer of every slide and the poster: one line.",
    "figures": "# Pathway figures, generated from the knowledge base for the cytokines the abstract names\n"
               "# (kind: receptors – each receptor with its JAKs and STAT; drugs: the named drugs that block\n"
               "# them). Delete a figure here and its `figure:` line below to leave it out.",
    "sections": "# One section per paragraph, in the order of the talk and the poster:\n"
                "#   heading    – the slide title and poster heading (keep it short)\n"
                "#   key_points – the bullets, about twelve words each: reword, add or cut freely\n"
                "#   figure     – a figure from `figures` above, shown beside the key points\n"
                "#   source     – the author's paragraph, verbatim (it becomes the speaker notes)",
}


class _Dumper(yaml.SafeDumper):
    """Block style, except short lists of plain values (ids, names) on one line."""


def _list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    flat = all(isinstance(i, (int, float)) or (isinstance(i, str) and len(i) <= 30) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat and len(str(items)) < 70)


_Dumper.add_representer(list, _list)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH,
                     default_flow_style=False)


def content_yaml(imported: Imported) -> str:
    """The commented content file for *imported*; loading it gives back exactly ``imported.data``."""
    data = imported.data
    out = [_HEAD.format(source=imported.source_name)]
    if imported.safety_generic:
        out.append("# NOTE: the abstract says nothing about safety, so `safety` is a generic line: replace it.\n")
    for w in imported.warnings:
        out.append(f"# {w.severity}: {w.message}" + (f" (line {w.line})" if w.line else "") + "\n")
    for key, value in data.items():
        out.append("\n" + _COMMENTS.get(key, f"# {key}") + "\n")
        if key != "sections":
            out.append(_dump({key: value}))
            continue
        out.append("sections:\n")
        for section in value:
            for line in imported.section_notes.get(section["id"], []):
                out.append(f"  # {line}\n")
            block = _dump([section])
            out.append("".join("  " + ln if ln.strip() else ln for ln in block.splitlines(True)) + "\n")
    text = "".join(out).rstrip("\n") + "\n"
    if yaml.safe_load(text) != data:   # the file must say exactly what was imported
        raise AssertionError("the imported content does not survive a YAML round trip")
    return text
