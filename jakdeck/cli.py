"""The command line: ``jakdeck build``.  Prints diagnostics one per line; never a traceback.

The pipeline is imported only when a build runs, so that ``--help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .registry import DEFAULT_OUTPUTS, OUTPUTS


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jakdeck", description="Turn a scientific abstract into an editable "
                                "talk (.pptx) and a print-ready poster (.pdf).")
    p.add_argument("--version", action="version", version=f"jakdeck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build the talk and the poster",
                       description="Build the talk (talk.pptx) and the poster (poster.pdf). With no options, "
                                   "builds the built-in JAK-inhibitor abstract into ./output/.")
    b.add_argument("--content", metavar="FILE", help="content YAML file (default: the built-in abstract)")
    b.add_argument("--config", metavar="FILE", help="config YAML holding only the keys that differ from the "
                                                    "defaults")
    b.add_argument("--only", metavar="OUTPUTS", help="build only these outputs, comma-separated: "
                   + ", ".join(f"{o.name} ({o.help})" for o in OUTPUTS.values())
                   + f". Default: {','.join(DEFAULT_OUTPUTS)}. Files of other outputs in the folder are kept")
    b.add_argument("--handout", action="store_true", help="also write handout.pdf: the slides, one per page "
                                                              "(or two per page with notes: handout.per_page: 2); "
                                                              "the same as adding 'handout' to the outputs")
    b.add_argument("--poster-pptx", action="store_true", help="also write poster.pptx: the poster as one "
                                                                  "editable slide at poster size; the same as "
                                                                  "adding 'poster-pptx' to the outputs")
    b.add_argument("--out", metavar="DIR", default="output", help="output directory (default: output)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing and exit 1 "
                                                         "if there are any")
    b.add_argument("--force", action="store_true", help="replace output files even when they were changed "
                                                        "since jakdeck wrote them, or were not written by it")
    return p


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def _build(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from .build import build, sort_diagnostics
    from .output import commit, prepare
    from .registry import parse_only

    only = parse_only(args.only) if args.only is not None else None
    result = build(args.content, args.config, handout=args.handout, poster_pptx=args.poster_pptx, only=only)
    plan = prepare(Path(args.out), list(result.files), None if only is None else result.owns,
                   force=args.force)
    warnings = sort_diagnostics(result.warnings + plan.warnings)
    if args.strict and warnings:
        return _fail([replace(w, severity="error").format() + " [--strict]" for w in warnings])
    done = commit(plan, result.files, result.inputs)
    for path in done.written:
        print(path)
    for path in done.removed:
        print(f"{path}: removed: an earlier build wrote it, this one did not", file=sys.stderr)
    for w in warnings:  # once, at the end, in a stable order
        print(w.format(), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with *argv*; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    import contextlib
    import signal

    from .errors import JakdeckError

    if hasattr(signal, "SIGXFSZ"):  # past a file-size limit (ulimit -f) a write then fails with EFBIG
        with contextlib.suppress(ValueError):  # not the main thread: leave the signal as it is
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        return _build(args)
    except JakdeckError as exc:
        return _fail([d.format() for d in exc.diagnostics])
    except KeyboardInterrupt:
        return _fail(["interrupted"], 130)
    except Exception as exc:  # an unexpected bug: one line, details only on request
        if os.environ.get("JAKDECK_DEBUG"):
            raise
        return _fail([f"internal error: {type(exc).__name__}: {exc} (set JAKDECK_DEBUG=1 for details)"], 70)
