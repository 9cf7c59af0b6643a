"""In-process phases of one default build (load, compose, render): where the time of a build goes.

    .venv/bin/python bench/phases.py [--runs 5]      (or: bench/run.py --phases)

Complements bench/run.py, which times whole processes.  It uses jakdeck's internals, which may
change: a phase it can no longer run is reported as n/a rather than failing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def phases() -> list[tuple[str, float | str]]:
    """(phase, seconds) for one warm build, or (phase, "n/a: why") where an internal is gone."""
    try:
        from jakdeck.build import compose, figure_files, load_inputs
        from jakdeck.registry import renderer
        from jakdeck.render_base import RenderOptions
    except ImportError as exc:
        return [("phases", f"n/a: jakdeck's internals changed ({exc})")]
    rows: list[tuple[str, float | str]] = []
    steps = [("load", lambda: load_inputs()), ("compose", lambda: compose(state["load"])),
             ("render pptx", lambda: renderer("pptx")(state["compose"]["talk"], RenderOptions())),
             ("render pdf", lambda: renderer("pdf")(state["compose"]["poster"], RenderOptions())),
             ("figures svg+png", lambda: figure_files(state["compose"]["talk"]))]
    state: dict = {}
    for name, fn in steps:
        try:
            state[name], seconds = _timed(fn)
            rows.append((name, seconds))
        except Exception as exc:  # an internal changed its signature: say so, keep going
            rows.append((name, f"n/a: {type(exc).__name__}: {exc}"))
    return rows


def warm(runs: int) -> list[float] | str:
    try:
        from jakdeck.build import build
        build()
        return [_timed(build)[1] for _ in range(runs)]
    except Exception as exc:
        return f"n/a: {type(exc).__name__}: {exc}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    times = warm(args.runs)
    if isinstance(times, str):
        print(f"warm build (in process)   {times}")
    else:
        print(f"warm build (in process)   median {statistics.median(times):.3f} s   min {min(times):.3f} s"
              f"   ({args.runs} runs)")
    print("phases of one warm build:")
    for name, t in phases():
        print(f"  {name:18s} {t:.3f} s" if isinstance(t, float) else f"  {name:18s} {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
