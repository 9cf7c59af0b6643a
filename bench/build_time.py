"""Benchmark: how long the default build takes, cold (a new process) and warm (in process).

    .venv/bin/python bench/build_time.py [--runs 5]

Prints the median and best of each, in seconds, and the phases of one warm build
(load, compose, render).  Timing belongs here, not in the tests: a slow machine
must not fail the suite.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jakdeck.build import build, compose, figure_files, load_inputs  # noqa: E402
from jakdeck.render_pdf import render_pdf  # noqa: E402
from jakdeck.render_pptx import render_pptx  # noqa: E402


def cold(runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "jakdeck", "build", "--out", out], check=True, cwd=ROOT,
                           capture_output=True)
            times.append(time.perf_counter() - t0)
    return times


def warm(runs: int) -> list[float]:
    build()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        build()
        times.append(time.perf_counter() - t0)
    return times


def phases() -> dict[str, float]:
    out = {}
    t0 = time.perf_counter()
    inputs = load_inputs()
    out["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scenes = compose(inputs)
    out["compose"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_pptx(scenes["talk"])
    out["render pptx"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_pdf(scenes["poster"])
    out["render pdf"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    figure_files(scenes["talk"])
    out["figures svg+png"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, times in (("cold (new process)", cold(args.runs)), ("warm (in process)", warm(args.runs))):
        print(f"{name:20s} median {statistics.median(times):.3f} s   best {min(times):.3f} s   ({args.runs} runs)")
    for name, t in phases().items():
        print(f"  {name:18s} {t:.3f} s")


if __name__ == "__main__":
    main()
