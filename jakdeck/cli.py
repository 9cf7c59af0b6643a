"""The command line: ``jakdeck build``.  Prints diagnostics one per line; never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .build import build, sort_diagnostics
from .errors import Diagnostic, JakdeckError
from .output import commit, prepare, replace_file


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jakdeck", description="Turn a scientific abstract into an editable "
                                "talk (.pptx) and a print-ready poster (.pdf).")
    p.add_argument("--version", action="version", version=f"jakdeck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build the talk and the poster",
                       description="Build the talk (talk.pptx) and the poster (poster.pdf). With no options, "
                                   "builds the built-in JAK-inhibitor abstract into ./output/.")
    b.add_argument("--content", metavar="FILE", help="content YAML file, or an abstract as .txt, .md or .docx "
                                                     "(imported on the fly; default: the built-in abstract)")
    b.add_argument("--config", metavar="FILE", help="config YAML holding only the keys that differ from the "
                                                    "defaults")
    b.add_argument("--handout", action="store_true", help="also write handout.pdf: the slides, one per page "
                                                              "(or two per page with notes: handout.per_page: 2)")
    b.add_argument("--poster-pptx", action="store_true", help="also write poster.pptx: the poster as one "
                                                                  "editable slide at poster size")
    b.add_argument("--out", metavar="DIR", default="output", help="output directory (default: output)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing and exit 1 "
                                                         "if there are any")
    b.add_argument("--force", action="store_true", help="replace output files even when they were changed "
                                                        "since jakdeck wrote them, or were not written by it")
    i = sub.add_parser("import", help="turn an abstract (.txt, .md, .docx) into a content file to edit",
                       description="Read an abstract (title, authors, affiliations, paragraphs) and write a "
                                   "commented content YAML: headings, key points, figures and the safety footer "
                                   "drawn from it, the author's text kept verbatim.")
    i.add_argument("abstract", metavar="FILE", help="the abstract: plain text, Markdown or Word .docx")
    i.add_argument("-o", "--output", metavar="FILE", help="where to write the content YAML (default: FILE with "
                                                          "the suffix .yaml; '-' for standard output)")
    c = sub.add_parser("batch", help="build every abstract in a folder, in parallel",
                       description="Build every abstract in FOLDER (.txt, .md, .docx, or content .yaml) into "
                                   "OUT/<name>/, in parallel worker processes, and write an index: index.csv, "
                                   "index.html and contact-sheet.png.  Exits 1 if any abstract failed.")
    c.add_argument("folder", metavar="FOLDER", help="the folder of abstracts")
    c.add_argument("--out", metavar="DIR", required=True, help="where each build and the index go")
    c.add_argument("--jobs", "-j", metavar="N", type=int, help="worker processes (default: all cores)")
    c.add_argument("--config", metavar="FILE", help="config YAML for every build")
    c.add_argument("--force", action="store_true", help="as for build: replace output files changed since")
    return p


def _import(args: argparse.Namespace) -> int:
    from .importer import content_yaml, import_file
    imported = import_file(args.abstract)
    text = content_yaml(imported)
    for w in imported.warnings:
        print(w.format(), file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output) if args.output else Path(args.abstract).with_suffix(".yaml")
    if out.resolve() == Path(args.abstract).resolve():
        return _fail([Diagnostic("the output would replace the abstract", str(out), hint="give -o FILE.yaml")
                      .format()])
    replace_file(out, text.encode("utf-8"))   # one file, atomically
    print(out)
    return 0


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def _build(args: argparse.Namespace) -> int:
    result = build(args.content, args.config, handout=args.handout, poster_pptx=args.poster_pptx)
    plan = prepare(Path(args.out), list(result.files), force=args.force)
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
    if hasattr(signal, "SIGXFSZ"):  # past a file-size limit (ulimit -f) a write then fails with EFBIG
        with contextlib.suppress(ValueError):  # not the main thread: leave the signal as it is
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        if args.command == "import":
            return _import(args)
        if args.command == "batch":
            from .batch_cli import run
            return run(args)
        return _build(args)
    except JakdeckError as exc:
        return _fail([d.format() for d in exc.diagnostics])
    except KeyboardInterrupt:
        return _fail(["interrupted"], 130)
    except Exception as exc:  # an unexpected bug: one line, details only on request
        if os.environ.get("JAKDECK_DEBUG"):
            raise
        return _fail([f"internal error: {type(exc).__name__}: {exc} (set JAKDECK_DEBUG=1 for details)"], 70)
