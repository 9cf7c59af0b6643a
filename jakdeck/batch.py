"""Building every abstract in a folder: worker processes, one abstract at a time each, into ``OUT/<stem>/``.

Each job runs :func:`build_one` in a worker process forked from a fork server that has imported jakdeck
and read its built-in data (spawned where there is no fork server).  A worker builds up to
:data:`JOBS_PER_WORKER` abstracts, one after another, as ``build --watch`` builds in one process:
what a build keeps is what every build may share – measured font files, parsed data files, fonts
registered with reportlab under names made from the file they come from – so a job writes the bytes
a fresh process would, whatever ran before it in its worker.  A job writes through the
same all-or-nothing output code as ``jakdeck build`` (:func:`~jakdeck.output.prepare` /
:func:`~jakdeck.output.commit`); a failed job writes nothing and reports its located diagnostics,
and the others go on.  :func:`run_batch` returns one
:class:`JobResult` per abstract in file order; :mod:`jakdeck.batch_index` writes the index.  Nothing
here prints: progress goes to a callback.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic, JakdeckError, display_path

CONTENT_SUFFIXES = (".yaml", ".yml")
THUMB_WIDTH = 240   # pixels: the poster's thumbnail on the contact sheet
THUMB_GREEK_PX = 8  # text smaller than this on the thumbnail (all but the title) is drawn as bars


@dataclass
class JobResult:
    """What one abstract's build did."""

    file: str                                   # the abstract, as given
    out: str                                    # its output folder
    status: str = "failed"                      # ok | failed
    title: str = ""
    slides: int = 0
    poster: str = ""                            # e.g. "A0 841 × 1189 mm"
    figures: int = 0
    warnings: list[str] = field(default_factory=list)    # formatted, one line each
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    thumbnail: bytes = b""                      # PNG of the poster, THUMB_WIDTH wide
    pid: int = 0                                # the worker process that built it

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def message(self) -> str:
        """The first error line, or ''."""
        return self.errors[0] if self.errors else ""


def find_inputs(folder: Path) -> list[Path]:
    """The abstracts (.txt, .md, .docx) and content files (.yaml, .yml) directly in *folder*, sorted."""
    from .importer import IMPORT_SUFFIXES
    if not folder.is_dir():
        raise JakdeckError(Diagnostic("not a folder: batch builds every abstract in a folder", str(folder)))
    found = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() in (*IMPORT_SUFFIXES, *CONTENT_SUFFIXES))
    if not found:
        raise JakdeckError(Diagnostic("no abstracts here (.txt, .md, .docx or content .yaml)", str(folder)))
    return found


def output_names(files: list[Path]) -> dict[Path, str]:
    """The output folder name of each input: its stem, or stem-suffix where two inputs share a stem."""
    stems: dict[str, int] = {}
    for f in files:
        stems[f.stem] = stems.get(f.stem, 0) + 1
    return {f: f.stem if stems[f.stem] == 1 else f"{f.stem}-{f.suffix.lstrip('.').lower()}" for f in files}


def poster_size(scene) -> str:
    """The poster's page as "A0 841 × 1189 mm" (the ISO name when it is one, bleed included)."""
    from .units import PAPER_MM, to_mm
    page = scene.pages[0]
    w, h = round(to_mm(page.width)), round(to_mm(page.height))
    name = next((n for n, (a, b) in PAPER_MM.items() if sorted((w, h)) == [a, b]), "")
    return f"{name} {w} × {h} mm".strip()


def _thumbnail(scene) -> bytes:
    from .render_png import PngRenderer
    page = scene.pages[0]
    return PngRenderer(scene, THUMB_WIDTH / (page.width / 72.0), greek_px=THUMB_GREEK_PX).render(page)


def build_one(path: str, out: str, config: str | None = None, force: bool = False) -> JobResult:
    """Build the abstract at *path* into the folder *out*; never raises for a bad input."""
    start = time.perf_counter()
    result = JobResult(path, out, pid=os.getpid())
    try:
        from .build import build, sort_diagnostics
        from .output import commit, prepare
        built = build(path, config, threads=False)   # the other cores are building other abstracts
        plan = prepare(Path(out), list(built.files), force=force)
        commit(plan, built.files, built.inputs)
        talk, poster = built.scenes["talk"], built.scenes["poster"]
        result.status = "ok"
        result.title = talk.title
        result.slides = len(talk.pages)
        result.poster = poster_size(poster)
        result.figures = sum(1 for name in built.files if name.startswith("figures/") and name.endswith(".svg"))
        result.warnings = [w.format() for w in sort_diagnostics(built.warnings + plan.warnings)]
        try:
            result.thumbnail = _thumbnail(poster)
        except Exception as exc:  # the outputs are written; only the contact sheet misses this one
            result.warnings.append(f"{display_path(path)}: warning: no thumbnail for the contact sheet "
                                   f"({type(exc).__name__}: {exc})")
    except JakdeckError as exc:
        result.errors = [d.format() for d in exc.diagnostics]
    except Exception as exc:  # a bug in one job must not stop the others
        result.errors = [f"{display_path(path)}: internal error: {type(exc).__name__}: {exc}"]
    result.seconds = time.perf_counter() - start
    return result


def default_jobs() -> int:
    """All the cores this process may use."""
    from .forked import cores
    return cores()


# imported once, by the fork server, so that no job pays for them: every module a build and its thumbnail
# use (the pipeline imports composers and backends lazily, and its libraries import parts of themselves late)
PRELOAD = ["jakdeck.build", "jakdeck.output", "jakdeck.importer", "jakdeck.importer.parse",
           "jakdeck.compose_talk", "jakdeck.compose_poster", "jakdeck.compose_figures", "jakdeck.render_pptx",
           "jakdeck.render_pdf", "jakdeck.render_svg", "jakdeck.render_png", "pptx.chart.data", "pptx.chart.xlsx",
           "xlsxwriter", "PIL.PngImagePlugin", "reportlab.lib.fonts", "jakdeck.batch_warm"]


JOBS_PER_WORKER = 50   # then a new worker: what the caches hold stays small over a long batch


def worker_context() -> multiprocessing.context.BaseContext:
    """Processes for the jobs: forked from a fork server that has imported jakdeck's pipeline
    (:data:`PRELOAD`) and read the built-in data every job reads alike (:mod:`jakdeck.batch_warm`), but
    nothing that depends on a job (no theme, layout or font loaded) where the platform has one, else
    spawned."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def run_batch(files: list[Path], out: Path, *, jobs: int | None = None, config: str | dict[Path, str] | None = None,
              force: bool = False, progress: Callable[[int, int, JobResult], None] | None = None) -> list[JobResult]:
    """Build every file in *files* into ``out/<name>/`` with *jobs* worker processes (default: all
    cores); call ``progress(done, total, result)`` as each finishes.  *config* is one config file for all,
    or a config file per input (missing ones: the defaults).  Results come back in file order."""
    names = output_names(files)
    jobs = max(1, min(jobs or default_jobs(), len(files)))
    results: dict[Path, JobResult] = {}
    context = worker_context()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, max_tasks_per_child=JOBS_PER_WORKER) as pool:
        configs = config if isinstance(config, dict) else dict.fromkeys(files, config)
        futures = {pool.submit(build_one, str(f), str(out / names[f]), configs.get(f), force): f for f in files}
        for future in as_completed(futures):
            f = futures[future]
            try:
                res = future.result()
            except Exception as exc:  # the worker died (killed, out of memory)
                res = JobResult(str(f), str(out / names[f]),
                                errors=[f"{display_path(f)}: error: the worker building it stopped ({exc})"])
            results[f] = res
            if progress is not None:
                progress(len(results), len(files), res)
    return [results[f] for f in files]
