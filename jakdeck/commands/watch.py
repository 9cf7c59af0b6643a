"""``jakdeck build --watch``: rebuild in this process whenever an input changes.

The inputs – config, content, theme, layouts, logos and images – are polled every
:data:`INTERVAL` seconds by modification time and size (a few ``stat`` calls: no extra dependency,
no measurable load).  A rebuild runs in the same process with one :class:`~jakdeck.build.Session`:
font metrics, the knowledge base, the theme and the layouts stay loaded while only the content
changes, and an output whose scene did not change is not rendered again.  From the second build on,
the poster's outputs are made in a worker process beside this one, which keeps its own session.  A
failed rebuild prints its located errors and keeps the last good outputs; Ctrl-C stops.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..build import Built, _theme_file, default_content_path
from ..errors import JakdeckError, display_path
from ..resources import builtin
from ..scene import Image, Scene, walk

INTERVAL = 0.004   # 250 polls a second of a few files: about 1 % of a core
Stamp = tuple[float, int] | None


def input_files(args: argparse.Namespace, config_file: str | None, config, scenes: dict[str, Scene]) -> set[Path]:  # noqa: ANN001
    """Every file a build with *config* reads: config, content, theme, layouts, logos, images."""
    files: set[Path] = set()
    if config_file:
        files.add(Path(config_file))
    elif not getattr(args, "no_config", False):
        files.add(Path("jakdeck.yaml"))   # appearing later counts as a change
    if config is None:
        if args.content:
            files.add(Path(args.content))
        return files
    files.add(Path(args.content or config.data.get("content") or default_content_path()))
    theme = _theme_file(config.theme)
    if theme:
        files.add(Path(theme))
    for layout in (config.talk_layout, config.poster["layout"]):
        found = builtin("layouts", layout) if not layout.endswith((".yaml", ".yml")) else Path(layout)
        if found:
            files.add(Path(found))
    files.update(Path(p) for p in config.poster["logos"] or [])
    for scene in scenes.values():
        for page in scene.pages:
            files.update(Path(i.path) for i in walk(page.items) if isinstance(i, Image))
    return files


def stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime, st.st_size)


def changed(stamps: dict[Path, Stamp]) -> list[Path]:
    """The files whose stamp differs from *stamps* (appeared, vanished or modified)."""
    return sorted(p for p, s in stamps.items() if stamp(p) != s)


class Watcher:
    """Runs *rebuild* now and again after every change to the files it reports reading.

    *rebuild* gets the files that changed (none the first time) and returns the set of input files it
    read; it may raise :class:`JakdeckError`, whose lines *report* gets, and then the files *known*
    returns (those read so far) are watched.
    """

    def __init__(self, rebuild: Callable[[list[Path]], set[Path]], report: Callable[[str], None],
                 known: Callable[[], set[Path]] | None = None, interval: float = INTERVAL):
        self.rebuild, self.report, self.interval = rebuild, report, interval
        self.known = known or (lambda: set(self.stamps))
        self.stop = threading.Event()
        self.stamps: dict[Path, Stamp] = {}

    def once(self, moved: list[Path] | None = None) -> None:
        # stamps taken before the rebuild reads the files: a save during the rebuild is seen next round
        before = {p: stamp(p) for p in self.known() | set(self.stamps)}
        try:
            files = self.rebuild(moved or [])
        except JakdeckError as exc:
            for d in exc.diagnostics:
                self.report(d.format())
            self.report("watch: the last good outputs are kept; fix the input and save it")
            files = self.known() | set(self.stamps)
        self.stamps = {p: before[p] if p in before else stamp(p) for p in files}

    def run(self) -> None:
        self.once()
        self.loop()

    def loop(self) -> None:
        """Poll until :attr:`stop` is set, rebuilding after each change."""
        while not self.stop.wait(self.interval):
            moved = changed(self.stamps)
            if moved:
                self.report("changed: " + ", ".join(display_path(p) for p in moved))
                self.once(moved)


def watch_build(args: argparse.Namespace) -> int:
    """The build command's ``--watch`` loop: build, then rebuild on every change until Ctrl-C."""
    from ..build import Session, build, sort_diagnostics
    from ..output import commit, prepare
    from ..project import load_project
    from .summary import summary_line

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    state: dict = {"files": set(), "content": None}
    session = Session(workers=True)   # the poster's side in a worker process from the second build on

    def rebuild(moved: list[Path]) -> set[Path]:
        start = time.perf_counter()
        if any(p != state["content"] for p in moved):   # a config, theme, layout or image: load it all again
            session.forget()
        try:
            project = load_project(args.config, args.no_config, args.sets)
        except JakdeckError:
            state["files"] |= input_files(args, args.config, None, {})
            raise
        state["files"] = input_files(args, project.config_file, project.config, {})
        state["content"] = Path(args.content or project.config.data.get("content") or default_content_path())
        result: Built = build(args.content, project.config, handout=args.handout, poster_pptx=args.poster_pptx,
                              session=session)
        plan = prepare(Path(args.out or project.output), list(result.files), force=args.force)
        warnings = sort_diagnostics(result.warnings + plan.warnings)
        done = commit(plan, result.files, result.inputs)
        for w in warnings:
            say(w.format())
        say(summary_line(list(result.files), result.scenes, len(warnings), time.perf_counter() - start,
                         verb=f"rebuilt {len(done.written)} file{'s' if len(done.written) != 1 else ''}"
                              + (f" ({len(done.unchanged)} unchanged)" if done.unchanged else "")))
        state["files"] = input_files(args, project.config_file, project.config, result.scenes)
        return state["files"]

    watcher = Watcher(rebuild, say, lambda: state["files"])
    say("watching the inputs; Ctrl-C stops")
    try:
        watcher.run()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        session.close()
    return 0

