"""Benchmark: whole-process times of jakdeck, each beside the import floor measured in the same run.

    .venv/bin/python bench/run.py               # 10 interleaved runs of every case
    .venv/bin/python bench/run.py --quick       # 3 runs
    .venv/bin/python bench/run.py --runs 20 --json results.json --case build --case help
    .venv/bin/python bench/run.py --phases      # also the in-process phases of one build (bench/phases.py)

Every case is a new process of this checkout's jakdeck (``python -m jakdeck`` with the repository on
PYTHONPATH), timed with Python's own clock; peak memory is the process's maximum resident set size
as the kernel reports it at exit (``os.wait4``; for a command with worker processes, the largest
one).  The rounds are interleaved - one run of every case, the floor included, in a rotating order,
then the next round - so noise from a busy machine hits the floor and the cases alike, and every
ratio is to the floor of the same run.  One unmeasured round warms the file cache and the bytecode
first.  A case the CLI does not offer (``--only``, ``build --watch``, ``batch``, found in its
``--help``) is reported as n/a.  Timing is reported here,
never asserted by the tests.  Only the standard library and PyYAML are used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

FLOOR_IMPORTS = "import pptx, reportlab.pdfgen.canvas, PIL.Image, yaml"
SLIDE_COUNTS = (30, 100, 300)
BULLET_REPEAT = 4      # each generated section's bullets, repeated: about 4 slides a section, so that a
                       # 300-slide talk needs only ~80 sections and its outline still fits
BATCH_SIZE = 100
WATCH_TIMEOUT = 30.0   # seconds for a rebuild to land before the case is reported as failed
WATCH_SETTLE = 1.0     # no further output change for this long: the rebuild is over
FIRST_BUILD_TIMEOUT = 120.0


class CaseError(Exception):
    """A case that ran but failed (non-zero exit, missing output, timeout)."""


# ---------------------------------------------------------------- processes


@dataclass
class Env:
    """How to run this checkout's jakdeck."""

    root: Path
    tmp: Path = Path(".")
    content: Path = Path()         # the default content file
    abstract: Path = Path()        # the default abstract as plain text
    python: str = sys.executable

    @property
    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(self.root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env.pop("JAKDECK_DEBUG", None)
        # Python as installed caches compiled modules (pip precompiles the libraries); a machine that
        # turns that off for its own reasons would time jakdeck's compiling, not its work
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def jakdeck(self, *args: str) -> list[str]:
        return [self.python, "-m", "jakdeck", *args]

    def out_dir(self, name: str) -> Path:
        """A new, empty output directory, so that no run finds the previous run's files."""
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.tmp))


def run_process(env: Env, argv: list[str], timeout: float = 600.0,
                extra: dict[str, str] | None = None) -> tuple[float, float]:
    """Run *argv* to completion (with the *extra* environment variables); return (seconds, peak RSS in
    MB).  Raises CaseError on failure."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=env.root, env={**env.environ, **(extra or {})}, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        killed = threading.Event()
        timer = threading.Timer(timeout, lambda: (killed.set(), proc.kill()))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # blocks without polling; usage is this child's alone
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        if killed.is_set():
            raise CaseError(f"timed out after {timeout:.0f} s")
        if proc.returncode != 0:
            err.seek(0)
            lines = [ln for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            raise CaseError(f"exit {proc.returncode}: {lines[-1] if lines else '(no message)'}")
    return seconds, usage.ru_maxrss * 1024 / 1e6  # ru_maxrss is in KiB on Linux


def capture(env: Env, *args: str) -> str:
    res = subprocess.run(env.jakdeck(*args), cwd=env.root, env=env.environ, capture_output=True, text=True,
                         timeout=120)
    return res.stdout + res.stderr


def slide_count(pptx: Path) -> int:
    with zipfile.ZipFile(pptx) as z:
        return sum(1 for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))


# ---------------------------------------------------------------- cases


@dataclass
class Case:
    """One benchmark case: ``setup`` once (unmeasured), then ``run`` once per round."""

    name: str
    label: str
    na: str | None = None           # why the case cannot run with this jakdeck
    error: str | None = None        # why it stopped (set when a run fails)
    method: str = ""
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    def setup(self, env: Env) -> None:
        pass

    def run(self, env: Env) -> tuple[float, float]:
        raise NotImplementedError

    def teardown(self, env: Env) -> None:
        pass

    def note(self) -> str:
        return self.method


@dataclass
class Command(Case):
    """A jakdeck (or python) command; ``expect`` names files it must write into its fresh ``--out``."""

    argv: list[str] = field(default_factory=list)     # "{out}" is replaced by a new output directory
    expect: tuple[str, ...] = ()
    plain_python: bool = False
    empty_cache: bool = False                         # each run with a new, empty JAKDECK_CACHE folder

    def run(self, env: Env) -> tuple[float, float]:
        out = env.out_dir(self.name) if any("{out}" in a for a in self.argv) else None
        argv = [a.replace("{out}", str(out)) for a in self.argv]
        argv = [env.python, *argv] if self.plain_python else env.jakdeck(*argv)
        cache = env.out_dir(self.name + "-cache") if self.empty_cache else None
        try:
            result = run_process(env, argv, extra={"JAKDECK_CACHE": str(cache)} if cache else None)
            if out is not None:
                self.check(out)
            return result
        finally:
            for folder in (out, cache):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)

    def check(self, out: Path) -> None:
        missing = [e for e in self.expect if not any(out.glob(e))]
        if missing:
            raise CaseError(f"wrote no {', '.join(missing)}")


@dataclass
class Talk(Command):
    """A talk of about *slides* slides: the default content's sections repeated."""

    slides: int = 0
    sections: int = 0

    def check(self, out: Path) -> None:
        super().check(out)
        self.info["slides"] = slide_count(out / "talk.pptx")

    def note(self) -> str:
        s = self.info.get("slides")
        return f"{s} slides, {self.sections} sections" + (f"; {self.method}" if self.method else "") if s else ""


@dataclass
class Watch(Case):
    """``build --watch``: the time from a one-word edit of the content to the last output replaced."""

    proc: subprocess.Popen | None = None
    content: Path | None = None
    out: Path | None = None
    lines: tuple[str, str] = ("", "")
    line_no: int = 0
    flip: int = 0
    snapshot: dict = field(default_factory=dict)
    hashes: dict = field(default_factory=dict)

    def _state(self) -> dict[str, tuple[int, int, int]]:
        """The outputs' (mtime, size, inode) by name; jakdeck's hidden staging folders, which come and go
        while a build commits, are not walked."""
        state = {}
        for root, dirs, files in os.walk(self.out):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue
                p = Path(root) / name
                try:
                    st = p.stat()
                except FileNotFoundError:  # replaced between listing and stat
                    continue
                state[str(p.relative_to(self.out))] = (st.st_mtime_ns, st.st_size, st.st_ino)
        return state

    def _alive(self) -> None:
        if self.proc.poll() is not None:
            self.err.seek(0)
            lines = [ln for ln in self.err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            raise CaseError(f"watcher exited ({self.proc.returncode}): {lines[-1] if lines else '(no message)'}")

    def setup(self, env: Env) -> None:
        wd = Path(tempfile.mkdtemp(prefix="watch-", dir=env.tmp))
        self.content = wd / "content.yaml"
        shutil.copy(env.content, self.content)
        self.out = wd / "out"
        text = self.content.read_text(encoding="utf-8").splitlines(keepends=True)
        self.line_no, self.lines = one_word_edit(text)
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(env.jakdeck("build", "--watch", "--content", str(self.content), "--out",
                                                 str(self.out)), cwd=env.root, env=env.environ,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err)
        # the first build is over when talk and poster exist and nothing changes for WATCH_SETTLE
        deadline, last, stable_since = time.perf_counter() + FIRST_BUILD_TIMEOUT, None, None
        while time.perf_counter() < deadline:
            self._alive()
            state = self._state() if self.out.is_dir() else {}
            if state != last:
                last, stable_since = state, time.perf_counter()
            elif {"talk.pptx", "poster.pdf"} <= state.keys() and time.perf_counter() - stable_since >= WATCH_SETTLE:
                self.settle()
                self.info["outputs"] = len(state)
                return
            time.sleep(0.01)
        raise CaseError(f"no first build within {FIRST_BUILD_TIMEOUT:.0f} s")

    def run(self, env: Env) -> tuple[float, float]:
        self._alive()
        text = self.content.read_text(encoding="utf-8").splitlines(keepends=True)
        self.flip ^= 1
        text[self.line_no] = self.lines[self.flip]
        tmp = self.content.with_name(".content.yaml.tmp")
        tmp.write_text("".join(text), encoding="utf-8")
        before = self.snapshot
        t0 = time.perf_counter()
        os.replace(tmp, self.content)  # as an editor saves: atomically
        changed: dict[str, float] = {}
        last_change = None
        while True:
            now = time.perf_counter()
            state = self._state()
            for name, st in state.items():
                if name not in changed and before.get(name) != st:
                    changed[name] = now
                    last_change = now
            if changed and before.keys() <= changed.keys():
                break  # every output replaced
            if last_change and {"talk.pptx", "poster.pdf"} <= changed.keys() and now - last_change >= WATCH_SETTLE:
                break  # the rest were left alone (unchanged content): the rebuild is over
            if now - t0 > WATCH_TIMEOUT:
                raise CaseError(f"outputs not replaced within {WATCH_TIMEOUT:.0f} s after an edit "
                                f"(replaced: {sorted(changed) or 'none'})")
            self._alive()
            time.sleep(0.002)
        seconds = max(changed.values()) - t0
        self.info["replaced"] = f"{len(changed)}/{len(before)}"
        edited = [n for n in ("talk.pptx", "poster.pdf") if n in before and _sha(self.out / n) != self.hashes.get(n)]
        self.info["edit_reached"] = edited
        self.settle()
        return seconds, peak_rss(self.proc.pid)

    def settle(self) -> None:
        """Wait (unmeasured) until the outputs stop changing; remember them for the next edit."""
        state, since = self._state(), time.perf_counter()
        while time.perf_counter() - since < 0.3:
            time.sleep(0.02)
            now = self._state()
            if now != state:
                state, since = now, time.perf_counter()
        self.snapshot = state
        self.hashes = {n: _sha(self.out / n) for n in ("talk.pptx", "poster.pdf") if n in state}

    def teardown(self, env: Env) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def note(self) -> str:
        r = self.info.get("replaced")
        if not r:
            return ""
        reached = "+".join(n.split(".")[0] for n in self.info.get("edit_reached", [])) or "none"
        return f"{r} outputs replaced, edit seen in {reached}; peak = whole watch session"


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def peak_rss(pid: int) -> float:
    """Peak RSS (MB) of a live process, from /proc (Linux); NaN where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return float("nan")


def one_word_edit(lines: list[str]) -> tuple[int, tuple[str, str]]:
    """A line of the content and the same line with one word changed: the title's first word where
    there is a ``title:`` line, else the first long word of the first value line."""
    candidates = [i for i, ln in enumerate(lines) if re.match(r"\s*title:\s*\S", ln)]
    candidates += [i for i, ln in enumerate(lines)
                   if not ln.lstrip().startswith("#") and re.search(r":\s.*[A-Za-z]{5}", ln)]
    for i in candidates:
        m = re.search(r"(?<=[\s\"'])([A-Za-z]{4,})\b", lines[i].split(":", 1)[1])
        if m:
            head, value = lines[i].split(":", 1)
            word = m.group(1)
            new = "Latest" if word != "Latest" else "Newest"
            return i, (lines[i], f"{head}:{value[:m.start()]}{new}{value[m.end():]}")
    raise CaseError("no word to edit in the content file")


# ---------------------------------------------------------------- the run


TARGETS_TEXT = {
    "build": "≤ 2.2× floor, ≤ 80 MB",
    "help": "≤ 0.08 s", "version": "≤ 0.08 s",
    "watch": "≤ 0.06 s",
    "talk-300": "≤ 3 s; flat ≤ 1.25",
    "batch": "≤ 8 s",
}


def make_cases(env: Env, features: dict[str, bool]) -> list[Case]:
    only_na = None if features["only"] else "n/a: not supported by this jakdeck (no build --only)"
    cases: list[Case] = [
        Command("floor", "import floor", argv=["-c", FLOOR_IMPORTS], plain_python=True),
        Command("build", "default build", argv=["build", "--out", "{out}"],
                expect=("talk.pptx", "poster.pdf", "figures/*")),
        Command("build-first", "default build, empty cache", argv=["build", "--out", "{out}"],
                expect=("talk.pptx", "poster.pdf", "figures/*"), empty_cache=True),
        Command("only-talk", "--only talk", na=only_na, argv=["build", "--only", "talk", "--out", "{out}"],
                expect=("talk.pptx",)),
        Command("only-poster", "--only poster", na=only_na, argv=["build", "--only", "poster", "--out", "{out}"],
                expect=("poster.pdf",)),
        Command("only-figures", "--only figures", na=only_na, argv=["build", "--only", "figures", "--out", "{out}"],
                expect=("figures/*",)),
        Command("help", "jakdeck --help", argv=["--help"]),
        Command("version", "jakdeck --version", argv=["--version"]),
        Watch("watch", "watch rebuild, 1-word edit",
              na=None if features["watch"] else "n/a: not supported by this jakdeck (no build --watch)"),
    ]
    for n in SLIDE_COUNTS:
        cases.append(Talk(f"talk-{n}", f"{n}-slide talk", slides=n))
    cases.append(Command("batch", f"batch of {BATCH_SIZE} abstracts",
                         na=None if features["batch"] else "n/a: not supported by this jakdeck (no batch command)",
                         argv=["batch", str(env.tmp / "abstracts"), "--out", "{out}"]))
    return cases


def talk_argv(env: Env, features: dict[str, bool], content: Path) -> tuple[list[str], bool, str]:
    """How to build only a talk: ``build --only talk`` (the argv, whether it is a plain Python script, a note)."""
    return ["build", "--only", "talk", "--content", str(content), "--out", "{out}"], False, ""


def setup_talks(env: Env, features: dict[str, bool], talks: list[Talk], log) -> None:
    """Choose each talk's section count so that it has about its number of slides.  Slides grow about
    linearly with sections (the outline grows too), so each size is predicted from the last two builds
    and, when a build misses by more than 2 %, rebuilt once from a refined line.  Unmeasured."""
    if not talks:
        return
    base = gen.section_count(env.content)
    points: list[tuple[int, int]] = []

    def slides_for(k: int) -> int:
        path = gen.many_sections(env.content, k, env.tmp / f"sections-{k}.yaml", BULLET_REPEAT)
        argv, plain, _ = talk_argv(env, features, path)
        probe = Talk("calibrate", "", argv=argv, plain_python=plain, expect=("talk.pptx",))
        probe.run(env)
        points.append((k, probe.info["slides"]))
        return probe.info["slides"]

    def predict(n: int) -> int:
        (k1, s1), (k2, s2) = sorted(points[-2:])
        per_section = (s2 - s1) / (k2 - k1) if k2 != k1 and s2 != s1 else 1.0
        return max(1, round(k2 + (n - s2) / per_section))

    try:
        slides_for(base)
        slides_for(2 * base)
        for t in sorted(talks, key=lambda t: t.slides):
            k = predict(t.slides)
            if abs(slides_for(k) - t.slides) > 0.02 * t.slides:
                k = predict(t.slides)
                slides_for(k)
            t.sections = k
    except CaseError as exc:
        for t in talks:
            if features["only"]:
                t.error = f"calibration build failed: {exc}"
            else:
                t.na = f"n/a: the talk-only driver failed ({exc})"
        return
    for t in talks:
        path = env.tmp / f"sections-{t.sections}.yaml"
        t.argv, t.plain_python, t.method = talk_argv(env, features, path)
        t.expect = ("talk.pptx",)
    log("  talks: " + ", ".join(f"{t.sections} sections for {t.slides} slides" for t in talks))


def summarise(case: Case, floor_median: float | None) -> dict:
    d = {"name": case.name, "label": case.label, "status": "ok", "note": case.note(), **case.info}
    if case.na:
        d["status"] = case.na
    elif case.error:
        d["status"] = f"error: {case.error}"
    if case.times and not case.error:
        d.update(runs=len(case.times), times=[round(t, 5) for t in case.times],
                 median=statistics.median(case.times), min=min(case.times), max=max(case.times),
                 peak_mb=max(case.peaks))
        if floor_median:
            d["x_floor"] = d["median"] / floor_median
    return d


def judge(results: dict[str, dict], floor: float | None) -> list[dict]:
    """Each target of issue 13 with the measured value and PASS / FAIL (n/a where unmeasured)."""
    def val(case, key="median"):
        return results.get(case, {}).get(key)

    rows = []

    def target(what, cases, value, limit, unit, fmt="{:.3f}"):
        broken = [results[c]["status"] for c in cases if results.get(c, {}).get("status", "").startswith("error")]
        if broken:  # the feature is there but did not work: that fails its target
            result, shown = "FAIL", "error (see its case)"
        elif value is None:
            result, shown = "n/a", "n/a"
        else:
            result, shown = ("PASS" if value <= limit else "FAIL"), fmt.format(value) + unit
        rows.append({"target": what, "value": value, "limit": limit, "unit": unit, "result": result, "shown": shown})

    target("default build ≤ 2.2× import floor", ["build", "floor"], val("build", "x_floor"), 2.2, "×", "{:.2f}")
    target("default build peak memory ≤ 80 MB", ["build"], val("build", "peak_mb"), 80.0, " MB", "{:.1f}")
    target("jakdeck --help ≤ 0.08 s", ["help"], val("help"), 0.08, " s")
    target("jakdeck --version ≤ 0.08 s", ["version"], val("version"), 0.08, " s")
    target("watch rebuild after a 1-word edit ≤ 0.06 s", ["watch"], val("watch"), 0.06, " s")
    target("300-slide talk ≤ 3 s", ["talk-300"], val("talk-300"), 3.0, " s")
    # Time per slide: above the floor, per talk; and the marginal cost of the slides added from one
    # talk to the next.  The fixed cost of a build makes the former fall as talks grow, whatever the
    # slides cost, so flatness is judged on the latter: the slides added from 100 to 300 may cost at
    # most 25 % more each than those added from 30 to 100.
    points = []
    for n in SLIDE_COUNTS:
        r = results.get(f"talk-{n}", {})
        if r.get("median") is not None and r.get("slides"):
            if floor:
                r["per_slide"] = (r["median"] - floor) / r["slides"]
            if points and r["slides"] > points[-1][1]:
                r["marginal_per_slide"] = (r["median"] - points[-1][0]) / (r["slides"] - points[-1][1])
            points.append((r["median"], r["slides"]))
    marginal = [results[f"talk-{n}"].get("marginal_per_slide") for n in SLIDE_COUNTS[1:] if f"talk-{n}" in results]
    flat = marginal[-1] / marginal[0] if len(marginal) == 2 and None not in marginal and marginal[0] > 0 else None
    target("time per slide flat: marginal 100→300 / 30→100 ≤ 1.25", [f"talk-{n}" for n in SLIDE_COUNTS], flat,
           1.25, "", "{:.2f}")
    target(f"batch of {BATCH_SIZE} abstracts ≤ 8 s", ["batch"], val("batch"), 8.0, " s")
    return rows


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "os": platform.platform(),
            "python": platform.python_version(), "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None}


def git_commit(root: Path) -> str | None:
    try:
        res = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return res.stdout.strip() + ("+dirty" if dirty else "") if res.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def table(results: list[dict], targets: list[dict]) -> str:
    out = [f"{'case':28s} {'median':>7s} {'min':>7s} {'max':>7s} {'peak MB':>8s} {'×floor':>7s}  {'target':22s} note"]
    for r in results:
        if "median" in r:
            x = f"{r['x_floor']:.2f}" if "x_floor" in r else "-"
            note = r["note"]
            if "marginal_per_slide" in r:
                note = f"+{r['marginal_per_slide'] * 1000:.1f} ms per added slide; " + note
            if "per_slide" in r:
                note = f"{r['per_slide'] * 1000:.1f} ms/slide above floor; " + note
            out.append(f"{r['label']:28s} {r['median']:7.3f} {r['min']:7.3f} {r['max']:7.3f} {r['peak_mb']:8.1f} "
                       f"{x:>7s}  {TARGETS_TEXT.get(r['name'], ''):22s} {note}".rstrip())
        else:
            out.append(f"{r['label']:28s} {r['status']}")
    out.append("")
    out.append("targets (issue 13):")
    for t in targets:
        out.append(f"  {t['result']:4s}  {t['target']:56s} {t['shown']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=10, help="measured runs of each case (default 10)")
    p.add_argument("--quick", action="store_true", help="3 runs")
    p.add_argument("--case", action="append", metavar="NAME",
                   help="run only this case (repeatable; the floor always runs): build, only-talk, only-poster, "
                        "build-first, only-figures, help, version, watch, talk-30, talk-100, talk-300, batch")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--phases", action="store_true", help="also print the in-process phases of one build")
    p.add_argument("--repo", metavar="DIR", default=str(HERE.parent),
                   help="the jakdeck checkout to measure (default: the one this file is in)")
    args = p.parse_args(argv)
    runs = 3 if args.quick else args.runs
    if runs < 1:
        p.error("--runs must be at least 1")

    root = Path(args.repo).resolve()
    content = root / "content" / "jak-inhibitors.yaml"
    abstract = root / "content" / "jak-inhibitors-abstract.txt"
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    started = datetime.now().astimezone()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="jakdeck-bench-") as tmp:
        env = Env(root=root, tmp=Path(tmp), content=content, abstract=abstract)
        top, build_help = capture(env, "--help"), capture(env, "build", "--help")
        version = capture(env, "--version").strip()
        features = {"only": "--only" in build_help, "watch": "--watch" in build_help,
                    "batch": re.search(r"\bbatch\b", top) is not None}
        cases = make_cases(env, features)
        if args.case:
            unknown = set(args.case) - {c.name for c in cases}
            if unknown:
                p.error(f"unknown case(s): {', '.join(sorted(unknown))}")
            cases = [c for c in cases if c.name == "floor" or c.name in args.case]
        log(f"jakdeck bench: {version or '?'} at {root} ({git_commit(root) or 'not a git checkout'}); "
            f"{runs} runs; features: " + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in features.items()))
        log("  setting up")
        if any(c.name == "batch" and not c.na for c in cases):
            gen.abstracts(abstract, BATCH_SIZE, env.tmp / "abstracts")
        setup_talks(env, features, [c for c in cases if isinstance(c, Talk) and not c.na], log)
        live = []
        try:
            for c in cases:
                if c.na or c.error:
                    continue
                try:
                    c.setup(env)
                    live.append(c)
                except CaseError as exc:
                    c.error = str(exc)
            for rnd in range(runs + 1):  # round 0 warms up and is not counted
                log(f"  round {rnd}/{runs}" + (" (warm-up)" if rnd == 0 else ""))
                k = rnd % len(live)
                for c in live[k:] + live[:k]:
                    if c.error:
                        continue
                    try:
                        seconds, peak = c.run(env)
                    except CaseError as exc:
                        c.error = str(exc)
                        continue
                    if rnd:
                        c.times.append(seconds)
                        c.peaks.append(peak)
        finally:
            for c in cases:
                c.teardown(env)

    floor = next((statistics.median(c.times) for c in cases if c.name == "floor" and c.times and not c.error), None)
    results = [summarise(c, floor) for c in cases]
    targets = judge({r["name"]: r for r in results}, floor)
    m = machine()
    print(f"jakdeck benchmark, {started:%Y-%m-%d %H:%M %Z}: {version} ({git_commit(root) or '-'}), {runs} interleaved "
          f"runs, seconds")
    m["load_avg_before"] = load_before
    load = f", load average {load_before:.1f} before / {m['load_avg'][0]:.1f} after" if load_before is not None else ""
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']}{load}")
    print(table(results, targets))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "date": started.isoformat(timespec="seconds"), "jakdeck": version, "commit": git_commit(root),
            "runs": runs, "machine": m, "features": features, "floor_command": FLOOR_IMPORTS,
            "cases": results, "targets": targets}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.phases:
        print()
        sys.stdout.flush()
        subprocess.run([sys.executable, str(HERE / "phases.py")], cwd=root, env=Env(root).environ)
    return 0


if __name__ == "__main__":
    sys.exit(main())
