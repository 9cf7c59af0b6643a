"""``jakdeck batch DIR --out OUT``: the command's terminal side – progress bar, messages, summary."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from .batch import JobResult, find_inputs, run_batch
from .batch_index import summary_table, write_index
from .errors import Diagnostic, JakdeckError


class Progress:
    """A one-line progress bar on a terminal (standard error); silent when it is not a terminal."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.live = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.monotonic()

    def __call__(self, done: int, total: int, result: JobResult) -> None:
        if not result.ok:
            self.clear()
            for line in result.errors:
                print(line, file=self.stream)
        if not self.live:
            return
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 40))
        filled = round(width * done / total)
        elapsed = time.monotonic() - self.start
        eta = elapsed / done * (total - done)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {elapsed:.0f} s"
                          f"{f', about {eta:.0f} s left' if done < total else ''}\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Run ``jakdeck batch``; 0 when every abstract built, 1 otherwise."""
    if args.jobs is not None and args.jobs < 1:
        raise JakdeckError(Diagnostic("--jobs must be at least 1", "--jobs"))
    files = find_inputs(Path(args.folder))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise JakdeckError(Diagnostic("--out must be a folder, and this is a file", str(out)))
    out.mkdir(parents=True, exist_ok=True)
    progress = Progress()
    results = run_batch(files, out, jobs=args.jobs, config=args.config, force=args.force, progress=progress)
    progress.clear()
    write_index(results, out)
    sys.stdout.write(summary_table(results))
    print(f"index: {out / 'index.html'}, {out / 'index.csv'}, {out / 'contact-sheet.png'}; "
          f"every message: {out / 'batch.log'}")
    return 0 if all(r.ok for r in results) else 1
