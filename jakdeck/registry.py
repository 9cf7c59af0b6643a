"""The outputs a build can make, by name, and the renderer backends they use – imported only when asked.

Each output draws one or more scenes with one or more formats; a format names the module that
renders it (:mod:`jakdeck.render_base` gives the one signature).  Importing this module imports no
backend: ``jakdeck build --only poster`` never loads python-pptx, ``--only talk`` never loads
reportlab's PDF writer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the CLI imports this module for --help: it stays light
    from .render_base import Renderer

BACKENDS = {"pptx": "render_pptx", "pdf": "render_pdf", "svg": "render_svg", "png": "render_png",
            "json": "render_json"}


class Output(NamedTuple):
    """One output: the scenes it draws, the formats it writes them in, and the file names it owns."""

    name: str
    scenes: tuple[str, ...]       # talk | poster | handout | figures | poster-pptx (scaled to PowerPoint's limit)
    formats: tuple[str, ...]
    files: tuple[str, ...]        # the names it writes, as patterns: its part of the output folder
    help: str

    def owns(self, name: str) -> bool:
        """Whether the file *name* is one this output writes."""
        import fnmatch
        return any(fnmatch.fnmatchcase(name, p) for p in self.files)


OUTPUTS = {o.name: o for o in (
    Output("talk", ("talk",), ("pptx",), ("talk.pptx",), "the editable talk"),
    Output("poster", ("poster",), ("pdf",), ("poster.pdf",), "the print-ready poster"),
    Output("figures", ("figures",), ("svg", "png"), ("figures/*.svg", "figures/*.png"),
           "each pathway figure as SVG and PNG"),
    Output("handout", ("handout",), ("pdf",), ("handout.pdf",), "the slides as a PDF handout"),
    Output("poster-pptx", ("poster-pptx",), ("pptx",), ("poster.pptx",), "the poster as one editable slide"),
    Output("scene", ("talk", "poster"), ("json",), ("talk.json", "poster.json"),
           "the laid-out talk and poster scenes as JSON"),
)}
DEFAULT_OUTPUTS = ("talk", "poster", "figures")


def parse_only(text: str) -> tuple[str, ...]:
    """The output names in a comma-separated ``--only`` value, in registry order; an unknown name is an
    :class:`InputError` with the nearest known name."""
    import difflib

    from .errors import Diagnostic, InputError

    names = [n.strip() for n in text.split(",") if n.strip()]
    problems = []
    for n in names:
        if n not in OUTPUTS:
            near = difflib.get_close_matches(n, list(OUTPUTS), n=1)
            hint = f"did you mean '{near[0]}'?" if near else None
            problems.append(Diagnostic(f"unknown output '{n}' (known: {', '.join(OUTPUTS)})", "--only", hint=hint))
    if not names:
        problems.append(Diagnostic(f"names no output (known: {', '.join(OUTPUTS)})", "--only"))
    if problems:
        raise InputError(problems)
    return tuple(o for o in OUTPUTS if o in names)


def renderer(fmt: str) -> Renderer:
    """The ``render`` function of the backend for *fmt*, importing it now."""
    return importlib.import_module(f"{__package__}.{BACKENDS[fmt]}").render
