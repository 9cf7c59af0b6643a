"""The build: load inputs, compose the scenes the asked outputs need, render bytes, collect warnings.

No printing, no writing.  Which outputs exist, and which scenes and renderers each needs, is the
registry's (:mod:`jakdeck.registry`); composers and renderer backends are imported here only when an
asked output needs them.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from . import DEFAULT_DATE, forked
from .config import Config, footer_problems, load_config
from .content import load_document
from .errors import Diagnostic, InputError, JakdeckError, display_path
from .memo import NO_MEMO, Memo
from .model import Document
from .poster_layout import load_poster_layout
from .registry import DEFAULT_OUTPUTS, OUTPUTS, renderer
from .render_base import Renderer, RenderOptions
from .resources import DEFAULT_CONTENT, builtin, data_dir
from .scene import Page, Scene, TextBlock, transform, walk
from .talk_layout import load_talk_layout
from .text import Typesetter
from .theme import Theme, load_theme
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

    scenes: dict[str, Scene]                                    # the composed ones: talk, poster, handout
    files: dict[str, bytes]
    warnings: list[Diagnostic] = field(default_factory=list)   # sorted, each once
    inputs: dict = field(default_factory=dict)                  # what was read, for the output manifest
    only: tuple[str, ...] | None = None                         # the outputs asked for with --only, if any

    def owns(self, name: str) -> bool:
        """Whether a file *name* in the output folder is this build's to write or remove: every name for
        a whole build, only the names of its outputs for a build of some (``--only``)."""
        return self.only is None or any(OUTPUTS[o].owns(name) for o in self.only)


LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z: the last second a PDF date can hold


def build_date() -> datetime:
    """The date written into the outputs: ``$SOURCE_DATE_EPOCH`` when set, else :data:`DEFAULT_DATE`."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return DEFAULT_DATE
    if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) > LATEST_EPOCH:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise JakdeckError(Diagnostic(f"must be a whole number of seconds since 1970-01-01 UTC, from 0 to "
                                      f"{LATEST_EPOCH} (got {shown!r})", "SOURCE_DATE_EPOCH"))
    return datetime.fromtimestamp(int(raw), UTC)


@dataclass
class Session:
    """What one process keeps from one build to the next (``build --watch``): the loaded theme and
    layouts, the typesetters with what they measured, what composing made of each part of the content
    (a :class:`~jakdeck.memo.Memo`: slides, poster units and packings, checks) and each scene's rendered
    files.  A loaded part is reused while the files it came from are unchanged – :meth:`forget` drops
    them all, for the caller that sees another input than the content change; a scene equal to the last
    one rendered gets the same files without rendering.  Reuse never changes what a build makes: the
    result is the bytes a fresh process would write.

    With *workers*, the poster's outputs are made in a :class:`~jakdeck.forked.Worker` forked after
    the first build, while this process makes the talk's: the worker keeps its own copy of the session,
    and its memo serves the poster as this one serves the talk.  :meth:`close` stops it."""

    loaded: dict = field(default_factory=dict)     # (kind, name, ...) -> theme, layout or typesetter
    rendered: dict = field(default_factory=dict)   # (format, scene kind, options) -> (scene, files)
    memo: Memo = field(default_factory=Memo)       # what composing and checking made, by its input
    workers: bool = False                          # may make the poster's side in a worker process
    worker: forked.Worker | None = None

    def keep(self, key: tuple, make: Callable[[], object]):
        """The value loaded for *key* before, else ``make()`` (remembered)."""
        if key not in self.loaded:
            self.loaded[key] = make()
        return self.loaded[key]

    def render(self, fmt: str, kind: str, scene: Scene, options: RenderOptions,
               draw: Renderer | None = None) -> dict[str, bytes]:
        """The files of *scene* in *fmt* (drawn by *draw*, default the format's renderer): those of the
        last build when its scene was the same."""
        key = (fmt, kind, options)
        last = self.rendered.get(key)
        if last is not None and last[0] == scene:
            return last[1]
        files = (draw or renderer(fmt))(scene, options)
        self.rendered[key] = (scene, files)
        return files

    def forget(self) -> None:
        """Drop everything kept (an input other than the content changed: a scene may be the same while
        an image it names is not)."""
        self.loaded.clear()
        self.rendered.clear()
        self.memo.clear()
        self.close()   # (it holds the old parts too)

    def next_build(self) -> None:
        """A new build begins: what the last build did not use is dropped from the memo."""
        self.memo.next_build()

    def close(self) -> None:
        """Stop the worker process, if any."""
        if self.worker is not None:
            self.worker.close()
            self.worker = None

    def _worker(self) -> forked.Worker | None:
        return self.worker if self.worker is not None and self.worker.alive else None


def _keep(session: Session | None, key: tuple, make: Callable[[], object]):
    return session.keep(key, make) if session is not None else make()


def load_inputs(content: str | Path | None = None, config: str | Path | Config | None = None,
                session: Session | None = None) -> Inputs:
    """Load and validate the config, its theme and the content (*content*, else the config's, else the
    built-in abstract); the theme from *session* when it has it."""
    from .importer import is_abstract_file, load_abstract  # the importer's parsers load only for an abstract
    cfg = load_config(config)
    theme = _keep(session, ("theme", cfg.theme), lambda: load_theme(cfg.theme))
    problems = footer_problems(cfg, theme)
    if problems:
        raise InputError(problems)
    content = content or cfg.data.get("content")
    if content is not None and is_abstract_file(content):   # plain text, Markdown or .docx: import it
        doc, warnings = load_abstract(content)
        return Inputs(doc, cfg, theme, warnings)
    doc = load_document(content or default_content_path())
    return Inputs(doc, cfg, theme)


def typesetter(theme: Theme) -> Typesetter:
    """A typesetter for *theme*'s families and fallback fonts."""
    return Typesetter(theme.families, theme.fallback)


def _typesetter(session: Session | None, cfg: Config, theme: Theme, kind: str) -> Typesetter:
    """A new typesetter, or the one *session* kept for this theme and scene kind: what it measured for the
    last build is measured alike again (a scene lists the faces it draws, not those its typesetter met)."""
    return _keep(session, ("typesetter", cfg.theme, kind), lambda: typesetter(theme))


SCENES_FIRST = ("talk", "poster")   # what the derived scenes (handout, figures, poster-pptx) are made from


def compose(inputs: Inputs, kinds: tuple[str, ...] | set[str] = SCENES_FIRST,
            session: Session | None = None) -> dict[str, Scene]:
    """Compose the scenes named in *kinds* (talk, poster, handout, figures, poster-pptx) and the ones they
    are made from; nothing else is composed, and no other composer imported.  Layouts come from
    *session* when it has them.

    The cyclic garbage collector is paused meanwhile: composing makes tens of thousands of short-lived
    objects and no reference cycles, so its passes (a fifth of the time) would find nothing to free."""
    with paused_gc():
        return _compose(inputs, set(kinds), session)


@contextmanager
def paused_gc():
    """The cyclic garbage collector paused for the block (and turned back on after it, if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compose(inputs: Inputs, kinds: set[str], session: Session | None) -> dict[str, Scene]:
    scenes: dict[str, Scene] = {}
    theme, cfg = inputs.theme, inputs.config
    memo = session.memo if session is not None else Memo()   # (within one build, the poster's search asks
    #                                                            for the same units and packings again)
    if kinds & {"talk", "handout", "figures"}:
        from .compose_talk import compose_talk
        layout = _keep(session, ("talk layout", cfg.talk_layout, cfg.theme),
                       lambda: load_talk_layout(cfg.talk_layout, theme))
        scenes["talk"] = compose_talk(inputs.doc, cfg, theme, layout, _typesetter(session, cfg, theme, "talk"),
                                      memo)
    if kinds & {"poster", "poster-pptx"}:
        from .compose_poster import compose_poster
        layout = _keep(session, ("poster layout", cfg.poster["layout"], cfg.theme),
                       lambda: load_poster_layout(cfg.poster["layout"], theme))
        scenes["poster"] = compose_poster(inputs.doc, cfg, theme, layout,
                                          _typesetter(session, cfg, theme, "poster"), memo)
    if "handout" in kinds:
        from .compose_handout import compose_handout
        scenes["handout"] = compose_handout(scenes["talk"], inputs.theme, typesetter(inputs.theme),
                                            inputs.config.data["handout"]["per_page"])
    if "figures" in kinds:
        from .compose_figures import compose_figures
        scenes["figures"] = compose_figures(scenes["talk"])
    if "poster-pptx" in kinds:
        scaled, warning = poster_for_pptx(scenes["poster"])
        scenes["poster-pptx"] = replace(scaled, warnings=(warning,) if warning else ())
    return scenes


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


RASTER_FIRST = ("png",)   # formats whose work is mostly in C that lets other threads run (drawn first)


def render_all(tasks: list[tuple[str, str, RenderOptions]], scenes: dict[str, Scene],
               session: Session | None = None, threads: bool = True) -> dict[str, bytes]:
    """The files of every (format, scene kind, options) task, in task order.

    Tasks of one format run one after another; different formats run on two threads where the
    process may use two cores and *threads* allows it (not where other processes use them already).
    Renderers are pure functions of their scene, so the bytes are the same either way; what runs in
    parallel is the C work of one (PNG quantising and encoding, zlib) beside the Python work of another."""
    by_format: dict[str, list[tuple[str, str, RenderOptions]]] = {}
    for task in tasks:
        by_format.setdefault(task[0], []).append(task)
    draw = {fmt: renderer(fmt) for fmt in by_format}   # imported here, not in a thread

    def run(fmt: str) -> list[dict[str, bytes]]:
        return [session.render(fmt, kind, scenes[kind], options, draw[fmt]) if session is not None
                else draw[fmt](scenes[kind], options) for _, kind, options in by_format[fmt]]

    formats = sorted(by_format, key=lambda f: f not in RASTER_FIRST)
    if threads and len(formats) > 1 and forked.cores() > 1:
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(2, thread_name_prefix="jakdeck-render") as pool:
            done = dict(zip(formats, pool.map(run, formats)))
    else:
        done = {fmt: run(fmt) for fmt in formats}
    files: dict[str, bytes] = {}
    position = {fmt: iter(results) for fmt, results in done.items()}
    for fmt, _, _ in tasks:
        files.update(next(position[fmt]))
    return files


def figure_files(talk: Scene, date: datetime = DEFAULT_DATE) -> dict[str, bytes]:
    """``figures/<id>.svg`` and ``.png`` for each pathway figure, as drawn on the talk's slides."""
    from .compose_figures import compose_figures
    figures = compose_figures(talk)
    return {**renderer("svg")(figures, RenderOptions(date)), **renderer("png")(figures, RenderOptions(date))}


def _theme_file(name_or_path: str) -> str | None:
    """The file a theme setting names (a path, or a built-in theme), for locating warnings."""
    found = builtin("themes", name_or_path) if not name_or_path.endswith((".yaml", ".yml")) else None
    return display_path(found or name_or_path)


def _section_span(doc: Document, key: str) -> tuple[str | None, int | None, int | None]:
    """Where the section (or top-level part, e.g. ``drugs``) *key* was written in the content file."""
    section = doc.section(key)
    file, line, col = section.span if section is not None and section.span[0] else doc.span(key)
    return (file or doc.source_file or None, line, col)


def _warn(message: str, where: tuple[str | None, int | None, int | None] | str | None) -> Diagnostic:
    file, line, col = where if isinstance(where, tuple) else (where, None, None)
    return Diagnostic(message, file or None, line, col, severity="warning")


def scene_warnings(inputs: Inputs, kind: str, scene: Scene) -> list[Diagnostic]:
    """The warnings of one scene, located: what compose reported, plus what the scene shows –
    parts continued on "(cont.)" slides, sections set at their minimum size, faces the theme lacks."""
    doc = inputs.doc
    out = []
    for w in scene.warnings:
        if isinstance(w, Diagnostic):
            out.append(replace(w, severity="warning"))
        elif w.startswith("logo "):   # logos are named by the config
            out.append(_warn(w, inputs.config.file or None))
        else:
            out.append(_warn(w, doc.source_file))
    continued = Counter(p.role.split("~", 1)[0] for p in scene.pages for i in p.items
                        if isinstance(i, TextBlock) and i.placeholder == "title" and i.text.endswith("(cont.)"))
    for role, n in sorted(continued.items()):
        key = role.removeprefix("section:")
        out.append(_warn(f"{kind}: '{key}' does not fit one slide and continues on {n} more "
                         f"(\"(cont.)\") slide{'s' if n > 1 else ''}", _section_span(doc, key)))
    at_min: dict[str, float] = {}
    for page in scene.pages:
        for item in walk(page.items):
            if (isinstance(item, TextBlock) and item.role.startswith("section:") and "/figure:" not in item.role
                    and item.min_size > 0 and item.paragraphs
                    and max(p.size for p in item.paragraphs) <= item.min_size + 1e-6):
                at_min.setdefault(item.role.split("/", 1)[0].split("~", 1)[0], item.min_size)
    for role, size in sorted(at_min.items()):
        if role in continued:
            continue
        key = role.removeprefix("section:")
        out.append(_warn(f"{kind}: '{key}' is set at its minimum size ({size:g} pt); shorten it to make it "
                         "larger", _section_span(doc, key)))
    for face in scene.fonts:
        fam = max((f for f in inputs.theme.families if face.key == f or face.key.startswith(f + "-")),
                  key=len, default=None)
        if fam is None:
            continue
        style = face.key[len(fam) + 1:].replace("-", "_") or "regular"
        spec = inputs.theme.families[fam]
        if style != "regular" and style not in spec.files:
            out.append(_warn(f"font family {spec.family} has no {style.replace('_', ' ')} face; that text is set "
                             "in the regular face", _theme_file(inputs.config.theme)))
    return out


def input_record(inputs: Inputs, content: str | Path | None, config: str | Path | Config | None, date: datetime,
                 options: dict[str, bool]) -> dict:
    """What a build read and how it was asked, for the manifest: files with their sha256, options, date."""
    def entry(path: str | Path) -> dict:
        return {"path": display_path(path), "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}

    theme = _theme_file(inputs.config.theme)
    config_file = inputs.config.file if isinstance(config, Config) else config
    content = content or inputs.config.data.get("content")
    return {"content": entry(content or default_content_path()),
            "config": entry(config_file) if config_file and Path(config_file).is_file() else None,
            "theme": entry(theme) if theme and Path(theme).is_file() else inputs.config.theme,
            "options": options, "date": date.isoformat()}


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    """*diags* each once, by file, line, column and message: the same order on every run."""
    return sorted(set(diags), key=lambda d: (d.file or "", d.line or 0, d.column or 0, d.message, d.hint or ""))


VERIFIED = ("talk", "poster", "handout")   # figures and poster-pptx are copies of verified scenes


def outputs_of(only: tuple[str, ...] | None, handout: bool = False, poster_pptx: bool = False) -> tuple[str, ...]:
    """The outputs a build makes: *only* (registry names) or the default ones, plus what ``--handout`` and
    ``--poster-pptx`` add, in registry order."""
    asked = set(only if only is not None else DEFAULT_OUTPUTS)
    asked |= {"handout"} if handout else set()
    asked |= {"poster-pptx"} if poster_pptx else set()
    unknown = sorted(asked - set(OUTPUTS))
    if unknown:
        raise InputError([Diagnostic(f"unknown output '{n}'", "--only") for n in unknown])
    return tuple(o for o in OUTPUTS if o in asked)


def build(content: str | Path | None = None, config: str | Path | Config | None = None, *, handout: bool = False,
          poster_pptx: bool = False, only: tuple[str, ...] | list[str] | None = None,
          progress: Callable[[str], None] | None = None, session: Session | None = None,
          threads: bool = True) -> Built:
    """Run the pipeline in memory for the asked outputs: by default talk.pptx, poster.pdf and figures/,
    and on request handout.pdf and poster.pptx; with *only*, just those outputs (registry names, see
    :data:`jakdeck.registry.OUTPUTS`).  Returns scenes, file bytes and the build's warnings.  A *session*
    carries what an earlier build in this process loaded and rendered (see :class:`Session`); *threads*
    lets renderers run side by side (see :func:`render_all`).  The cyclic
    garbage collector is paused while it runs (see :func:`compose`; rendering makes few cycles, and what it
    leaves is collected after the build)."""
    with paused_gc():
        built = _build(content, config, handout=handout, poster_pptx=poster_pptx, only=only, progress=progress,
                       session=session, threads=threads)
    if session is not None:   # (forked with the collector on: the worker lives long)
        _start_worker(session, outputs_of(tuple(only) if only is not None else None, handout, poster_pptx))
    return built


POSTER_SCENES = {"poster", "poster-pptx"}   # what the poster's outputs are drawn from


class LayoutCheckFailed(JakdeckError):
    """A composed scene failed :mod:`jakdeck.verify`: a layout bug, caught before anything is rendered."""


Task = tuple[str, str, RenderOptions]   # (format, scene kind, options): one renderer call


def _composed(outputs: tuple[str, ...], inputs: Inputs, date: datetime,
              session: Session | None) -> tuple[dict[str, Scene], list[Task]]:
    """Compose and check the scenes of *outputs*; the scenes and the render tasks, in output order."""
    scenes = compose(inputs, {k for o in outputs for k in OUTPUTS[o].scenes}, session)
    memo = session.memo if session is not None else NO_MEMO
    problems = [p for kind in VERIFIED if kind in scenes for p in scene_problems(scenes[kind], memo)]
    if problems:
        raise LayoutCheckFailed([Diagnostic(f"layout check failed: {p}", inputs.doc.source_file or None)
                                 for p in problems])
    cmyk = bool(inputs.config.poster["cmyk"])
    return scenes, [(fmt, kind, RenderOptions(date, cmyk=kind == "poster" and cmyk, memo=memo))
                    for name in outputs for kind in OUTPUTS[name].scenes for fmt in OUTPUTS[name].formats]


def _make(outputs: tuple[str, ...], inputs: Inputs, date: datetime, session: Session | None, threads: bool,
          step: Callable[[str], None] = lambda _: None) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """Compose, check and render *outputs*: their scenes and their files, in output order."""
    scenes, tasks = _composed(outputs, inputs, date, session)
    step("rendering")
    return scenes, render_all(tasks, scenes, session, threads)


def _sides(outputs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """*outputs* split into the poster's side (drawn from the poster scene alone) and the talk's."""
    poster = tuple(o for o in outputs if set(OUTPUTS[o].scenes) <= POSTER_SCENES)
    return poster, tuple(o for o in outputs if o not in poster)


SENT = ("png",)   # the talk side's formats a build's child draws once the poster is done (C work, and
#                   what balances the two sides: the parent has python-pptx to import and the deck to write)


def _make_sides(outputs: tuple[str, ...], inputs: Inputs, date: datetime, session: Session | None, threads: bool,
                step: Callable[[str], None]) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """:func:`_make` for *outputs*, on two cores where it can be: the poster's side in a child – the
    session's worker, which remembers the last poster, or one forked for this build, which then also
    draws the figures' PNGs – while the talk's is made here.  Problems are reported as one process
    would report them."""
    poster_side, talk_side = _sides(outputs)
    worker = session._worker() if session is not None and poster_side and talk_side else None
    if worker is not None:
        try:
            worker.submit(_poster_side, poster_side, inputs.doc, inputs.config, date)
        except forked.ChildFailed:   # it died: this build makes everything here, the next has a new one
            worker = None
    elif threads and session is None and poster_side and talk_side and forked.available():
        try:
            worker = forked.Worker(inputs)
        except OSError:   # no fork to be had: one process
            worker = None
        else:
            worker.submit(_poster_of, poster_side, date)
    if worker is None:
        return _make(outputs, inputs, date, session, threads, step)
    own = worker is not (session.worker if session is not None else None)   # forked for this build
    try:
        return _with_child(worker, own, outputs, poster_side, talk_side, inputs, date, session, threads)
    finally:
        if own:
            worker.close()


def _with_child(worker: forked.Worker, own: bool, outputs: tuple[str, ...], poster_side: tuple[str, ...],
                talk_side: tuple[str, ...], inputs: Inputs, date: datetime, session: Session | None,
                threads: bool) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """The talk's side made here while *worker* makes the poster's (the call sent already)."""
    try:
        scenes, tasks = _composed(talk_side, inputs, date, session)
    except LayoutCheckFailed as mine:   # one process would have composed the poster before checking
        try:
            _poster_answer(worker, own, poster_side, inputs, date, session, threads)
        except LayoutCheckFailed as theirs:
            raise LayoutCheckFailed(mine.diagnostics + theirs.diagnostics) from None
        raise   # (or the poster's own error: the one a single process meets first)
    except BaseException:
        _abandon(worker, own)
        raise
    sent = [t for t in tasks if own and t[0] in SENT]
    if sent:
        worker.submit(_render_sent, sent, {kind: scenes[kind] for _, kind, _ in sent})
    try:
        files = render_all([t for t in tasks if t not in sent], scenes, session, threads)
    except BaseException:
        _abandon(worker, own)
        raise
    poster_scenes, poster_files = _poster_answer(worker, own, poster_side, inputs, date, session, threads)
    if sent:
        files.update(worker.result())
    scenes.update(poster_scenes)
    made = {**files, **poster_files}
    return scenes, {n: made[n] for o in outputs for n in _task_order(made, o)}


def _poster_answer(worker: forked.Worker, own: bool, poster_side: tuple[str, ...], inputs: Inputs,
                   date: datetime, session: Session | None,
                   threads: bool) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """What *worker* made of the poster's side; made here instead when a session's worker died."""
    try:
        return worker.result()
    except forked.ChildFailed:
        if own:
            raise
        return _make(poster_side, inputs, date, session, threads)   # (the next build has a new worker)


def _abandon(worker: forked.Worker, own: bool) -> None:
    """This side failed: a build's own child is stopped (by the caller); a session's worker finishes
    what it was sent, so that its next answer is the next call's."""
    if not own:
        worker.drain()


def _task_order(files: dict[str, bytes], output: str) -> list[str]:
    """The names of *files* that *output* owns, in the order its renderers give them."""
    return [n for n in files if OUTPUTS[output].owns(n)]


def _poster_of(inputs: Inputs, outputs: tuple[str, ...], date: datetime) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """In a build's child: the poster's *outputs* of the build's *inputs*."""
    return _make(outputs, inputs, date, None, threads=False)


def _render_sent(_inputs: Inputs, tasks: list[Task], scenes: dict[str, Scene]) -> dict[str, bytes]:
    """In a build's child: the files of render *tasks* sent with their *scenes*."""
    return render_all(tasks, scenes, None, threads=False)


def _start_worker(session: Session, outputs: tuple[str, ...]) -> None:
    """Fork the session's worker after a build, if it asks for one, has none alive, built both sides
    and may fork: from the next build on, with a copy of all this build knows.  Where the fork fails
    (no memory, no process left), the session goes on in one process."""
    if session.workers and session._worker() is None and all(_sides(outputs)) \
            and forked.available():
        try:
            session.worker = forked.Worker(session)
        except OSError:
            session.worker = None


def _poster_side(session: Session, outputs: tuple[str, ...], doc: Document, config: Config,
                 date: datetime) -> tuple[dict[str, Scene], dict[str, bytes]]:
    """In a session's worker: the poster's *outputs* of *doc*, with the worker's copy of the session."""
    session.next_build()
    theme = session.keep(("theme", config.theme), lambda: load_theme(config.theme))
    return _make(outputs, Inputs(doc, config, theme), date, session, threads=False)


def _build(content: str | Path | None, config: str | Path | Config | None, *, handout: bool, poster_pptx: bool,
           only: tuple[str, ...] | list[str] | None, progress: Callable[[str], None] | None,
           session: Session | None, threads: bool) -> Built:
    step = progress or (lambda _: None)
    only = tuple(only) if only is not None else None
    outputs = outputs_of(only, handout, poster_pptx)
    date = build_date()
    step("loading the inputs")
    if session is not None:
        session.next_build()
    inputs = load_inputs(content, config, session)
    step("laying out " + ", ".join(outputs))
    scenes, files = _make_sides(outputs, inputs, date, session, threads, step)
    warnings = [replace(w, severity="warning") for w in inputs.warnings]   # the import's, located already
    warnings += [w for kind in ("talk", "poster") if kind in scenes
                 for w in scene_warnings(inputs, kind, scenes[kind])]
    warnings += [_warn(w, inputs.config.file or None) for w in scenes["poster-pptx"].warnings] \
        if "poster-pptx" in scenes else []
    record = input_record(inputs, content, config, date, {"handout": "handout" in outputs,
                                                          "poster_pptx": "poster-pptx" in outputs,
                                                          **({"only": list(only)} if only is not None else {})})
    verified = {kind: scenes[kind] for kind in VERIFIED if kind in scenes}
    return Built(verified, files, sort_diagnostics(warnings), record, only=outputs if only is not None else None)
