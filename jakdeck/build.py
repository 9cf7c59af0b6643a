"""The build: load inputs, compose scenes, render bytes.  No printing, no writing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .compose_handout import compose_handout
from .compose_poster import compose_poster
from .compose_talk import compose_talk
from .config import Config, load_config
from .errors import Diagnostic, JakdeckError
from .importer import is_abstract_file, load_abstract
from .model import Document, load_document
from .render_pdf import render_pdf
from .render_png import render_png
from .render_pptx import render_pptx
from .render_svg import render_svg
from .resources import DEFAULT_CONTENT, data_dir
from .scene import Box, Group, Page, Scene, transform, walk
from .style import Theme, load_poster_layout, load_theme
from .talk_layout import load_talk_layout
from .text import Typesetter
from .units import to_mm
from .verify import scene_problems


def default_content_path() -> Path:
    """The built-in content file (the JAK-inhibitor abstract)."""
    return data_dir("content") / f"{DEFAULT_CONTENT}.yaml"


@dataclass
class Inputs:
    """Everything a build reads, loaded and validated."""

    doc: Document
    config: Config
    theme: Theme
    warnings: list[Diagnostic] = field(default_factory=list)   # from importing an abstract


@dataclass
class Built:
    """Scenes and rendered files of one build, keyed by output file name."""

    scenes: dict[str, Scene]
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


def load_inputs(content: str | Path | None = None, config: str | Path | None = None) -> Inputs:
    """Load and validate the config, its theme and the content."""
    cfg = load_config(config)
    theme = load_theme(cfg.theme)
    if content is not None and is_abstract_file(content):   # plain text, Markdown or .docx: import it
        doc, warnings = load_abstract(content)
        return Inputs(doc, cfg, theme, warnings)
    doc = load_document(content or default_content_path())
    return Inputs(doc, cfg, theme)


def compose(inputs: Inputs) -> dict[str, Scene]:
    """Compose the talk and poster scenes."""
    ts = Typesetter(inputs.theme.families)
    talk = compose_talk(inputs.doc, inputs.config, inputs.theme,
                        load_talk_layout(inputs.config.talk_layout, inputs.theme), ts)
    poster = compose_poster(inputs.doc, inputs.config, inputs.theme,
                            load_poster_layout(inputs.config.poster["layout"], inputs.theme), Typesetter(
                                inputs.theme.families))
    return {"talk": talk, "poster": poster}


PPTX_MAX = 56 * 72.0  # PowerPoint's largest slide side: 56 inches


def poster_for_pptx(poster: Scene) -> tuple[Scene, str | None]:
    """The poster scene scaled to fit PowerPoint's 56-inch limit, with a warning when it had to be."""
    page = poster.pages[0]
    k = min(1.0, PPTX_MAX / max(page.width, page.height))
    if k >= 1.0:
        return poster, None
    scaled = Page(page.width * k, page.height * k, tuple(transform(i, k, 0, 0) for i in page.items), page.notes,
                  page.role, page.background)
    warning = (f"poster.pptx: the poster ({to_mm(page.width):.0f} × {to_mm(page.height):.0f} mm) is larger than "
               f"PowerPoint's 56-inch limit, so the slide is scaled to {k:.0%} "
               f"({to_mm(scaled.width):.0f} × {to_mm(scaled.height):.0f} mm); print it at {1 / k:.0%}")
    return replace(poster, pages=(scaled,)), warning


def figure_files(talk: Scene) -> dict[str, bytes]:
    """``figures/<id>.svg`` and ``.png`` for each pathway figure, as drawn on the talk's slides."""
    out: dict[str, bytes] = {}
    for page in talk.pages:
        for item in walk(page.items):
            if isinstance(item, Group) and "figure:" in item.role.rsplit("/", 1)[-1]:
                fid = item.role.rsplit("figure:", 1)[-1]
                if f"figures/{fid}.svg" in out:
                    continue
                margin = 6.0
                box = Box(item.box.x - margin, item.box.y - margin, item.box.w + 2 * margin, item.box.h + 2 * margin)
                out[f"figures/{fid}.svg"] = render_svg(talk, (item,), box, fid.replace("-", " "), item.alt)
                out[f"figures/{fid}.png"] = render_png(talk, (item,), box, dpi=200)
    return out


def build(content: str | Path | None = None, config: str | Path | None = None, *, handout: bool = False,
          poster_pptx: bool = False) -> Built:
    """Run the whole pipeline in memory: returns scenes and file bytes
    (talk.pptx, poster.pdf, and on request handout.pdf and poster.pptx)."""
    inputs = load_inputs(content, config)
    scenes = compose(inputs)
    if handout:
        scenes["handout"] = compose_handout(scenes["talk"], inputs.theme, Typesetter(inputs.theme.families),
                                            inputs.config.data["handout"]["per_page"])
    problems = [p for s in scenes.values() for p in scene_problems(s)]
    if problems:  # a layout bug, caught before anything is rendered or written
        raise JakdeckError([Diagnostic(f"layout check failed: {p}") for p in problems])
    files = {"talk.pptx": render_pptx(scenes["talk"]),
             "poster.pdf": render_pdf(scenes["poster"], cmyk=inputs.config.poster["cmyk"])}
    if handout:
        files["handout.pdf"] = render_pdf(scenes["handout"])
    files.update(figure_files(scenes["talk"]))
    warnings = [w.format().replace("warning: ", "", 1) for w in inputs.warnings]   # located, as the scenes' are
    warnings += [w for s in scenes.values() for w in s.warnings]
    if poster_pptx:
        scaled, warning = poster_for_pptx(scenes["poster"])
        files["poster.pptx"] = render_pptx(scaled)
        warnings += [warning] if warning else []
    return Built(scenes, files, warnings)
