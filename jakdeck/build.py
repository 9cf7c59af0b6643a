"""The build: load inputs, compose scenes, render bytes.  No printing, no writing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .compose_handout import compose_handout
from .compose_poster import compose_poster
from .compose_talk import compose_talk
from .config import Config, load_config
from .errors import Diagnostic, JakdeckError
from .model import Document, load_document
from .render_pdf import render_pdf
from .render_pptx import render_pptx
from .resources import DEFAULT_CONTENT, data_dir
from .scene import Scene
from .style import Theme, load_poster_layout, load_talk_layout, load_theme
from .text import Typesetter
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


def build(content: str | Path | None = None, config: str | Path | None = None, *, handout: bool = False) -> Built:
    """Run the whole pipeline in memory: returns scenes and file bytes (talk.pptx, poster.pdf[, handout.pdf])."""
    inputs = load_inputs(content, config)
    scenes = compose(inputs)
    if handout:
        scenes["handout"] = compose_handout(scenes["talk"], inputs.theme, Typesetter(inputs.theme.families),
                                            inputs.config.data["handout"]["per_page"])
    problems = [p for s in scenes.values() for p in scene_problems(s)]
    if problems:  # a layout bug, caught before anything is rendered or written
        raise JakdeckError([Diagnostic(f"layout check failed: {p}") for p in problems])
    files = {"talk.pptx": render_pptx(scenes["talk"]), "poster.pdf": render_pdf(scenes["poster"])}
    if handout:
        files["handout.pdf"] = render_pdf(scenes["handout"])
    warnings = [w for s in scenes.values() for w in s.warnings]
    return Built(scenes, files, warnings)
