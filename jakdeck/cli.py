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
    _project_options(b)
    b.add_argument("--only", metavar="OUTPUTS", help="build only these outputs, comma-separated: "
                   + ", ".join(f"{o.name} ({o.help})" for o in OUTPUTS.values())
                   + f". Default: {','.join(DEFAULT_OUTPUTS)}. Files of other outputs in the folder are kept")
    b.add_argument("--handout", action="store_true", help="also write handout.pdf: the slides, one per page "
                                                              "(or two per page with notes: handout.per_page: 2); "
                                                              "the same as adding 'handout' to the outputs")
    b.add_argument("--poster-pptx", action="store_true", help="also write poster.pptx: the poster as one "
                                                                  "editable slide at poster size; the same as "
                                                                  "adding 'poster-pptx' to the outputs")
    b.add_argument("--out", metavar="DIR", help="output directory (default: the config's output, else output)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors: write nothing and exit 1 "
                                                         "if there are any")
    b.add_argument("--force", action="store_true", help="replace output files even when they were changed "
                                                        "since jakdeck wrote them, or were not written by it")
    b.add_argument("--watch", "-w", action="store_true", help="rebuild whenever the config, content, theme, "
                                                              "layout or an image changes (Ctrl-C stops)")
    _subcommands(sub)
    return p


def _project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", metavar="FILE", help="content YAML file, or an abstract as .txt, .md or .docx "
                                                     "(imported on the fly; default: the config's content, else "
                                                     "the built-in abstract)")
    p.add_argument("--config", metavar="FILE", help="config YAML holding only the keys that differ from the "
                                                    "defaults (default: ./jakdeck.yaml when there is one)")
    p.add_argument("--no-config", action="store_true", help="ignore ./jakdeck.yaml")
    p.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="sets",
                   help="override a config key, e.g. --set talk.aspect=4:3 (repeatable)")


def _subcommands(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("init", help="write a starter jakdeck.yaml, its schema and content.yaml",
                       description="Write a commented starter jakdeck.yaml (every key with its default), "
                                   "jakdeck.schema.json for editors, and a starter content.yaml.")
    i.add_argument("folder", nargs="?", default=".", help="where to write them (default: here)")
    i.add_argument("--force", action="store_true", help="replace the files if they exist")
    c = sub.add_parser("check", help="check config, content, theme and layout without writing anything",
                       description="Load and validate every input and lay out the talk and the poster; report "
                                   "every problem and warning. Exit 0 when there are no errors.")
    _project_options(c)
    c.add_argument("--strict", action="store_true", help="count warnings as errors")
    s = sub.add_parser("schema", help="print the JSON Schema of the config (or of the content file)")
    s.add_argument("--content", action="store_true", help="the content file's schema instead")
    ls = sub.add_parser("list", help="list what a config may name: templates, themes, layouts or slides")
    ls.add_argument("what", choices=("templates", "themes", "layouts", "slides"))
    _project_options(ls)
    pv = sub.add_parser("preview", help="write PNGs of every slide, a contact sheet and the poster",
                        description="Render every slide and the poster to PNG from the same scene the build "
                                    "renders, plus contact-sheet.png of the whole talk.")
    _project_options(pv)
    pv.add_argument("--out", metavar="DIR", default="preview", help="where to write them (default: preview)")
    pv.add_argument("--dpi", type=float, default=96, help="resolution of the slide PNGs (default: 96)")
    sv = sub.add_parser("serve", help="serve a page of the slides and the poster on 127.0.0.1, live",
                        description="Watch the inputs and serve a page showing the talk's slides and the poster "
                                    "on 127.0.0.1 only; the page reloads after each rebuild.")
    _project_options(sv)
    sv.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one)")
    sv.add_argument("--dpi", type=float, default=96, help="resolution of the slide images (default: 96)")
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


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def _project(args: argparse.Namespace):  # noqa: ANN202 - a jakdeck.project.Project
    from .project import load_project
    return load_project(args.config, args.no_config, args.sets)


def _build(args: argparse.Namespace) -> int:
    import time
    from dataclasses import replace
    from pathlib import Path

    from .build import build, sort_diagnostics
    from .commands.summary import Progress, summary_line
    from .output import commit, prepare
    from .registry import parse_only

    if args.watch:
        from .commands.watch import watch_build
        return watch_build(args)
    start = time.perf_counter()
    only = parse_only(args.only) if args.only is not None else None
    project = _project(args)
    progress = Progress()
    try:
        result = build(args.content, project.config, handout=args.handout, poster_pptx=args.poster_pptx,
                       only=only, progress=progress.step)
    finally:
        progress.done()
    out = Path(args.out or project.output)
    plan = prepare(out, list(result.files), None if only is None else result.owns, force=args.force)
    warnings = sort_diagnostics(result.warnings + plan.warnings)
    if args.strict and warnings:
        return _fail([replace(w, severity="error").format() + " [--strict]" for w in warnings])
    done = commit(plan, result.files, result.inputs)
    for path in sorted(done.written + done.unchanged, key=lambda p: plan.names.index(p.relative_to(out).as_posix())):
        print(path)
    for path in done.removed:
        print(f"{path}: removed: an earlier build wrote it, this one did not", file=sys.stderr)
    for w in warnings:  # once, at the end, in a stable order
        print(w.format(), file=sys.stderr)
    print(summary_line(list(result.files), result.scenes, len(warnings), time.perf_counter() - start),
          file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .errors import Diagnostic
    from .importer import content_yaml, import_file
    from .output import replace_file

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


def _command(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(args)
    if args.command == "import":
        return _import(args)
    if args.command == "batch":
        from .batch_cli import run
        return run(args)
    if args.command == "init":
        from pathlib import Path

        from .commands.init import init
        for path in init(Path(args.folder), args.force):
            print(path)
        return 0
    if args.command == "check":
        from .commands.check import check
        return check(args)
    if args.command == "schema":
        from .commands.schema_cmd import schema
        return schema(args.content)
    if args.command == "list":
        from .commands.listing import listing
        return listing(args.what, args, _project(args))
    if args.command == "preview":
        from .commands.preview import preview
        return preview(args, _project(args))
    if args.command == "serve":
        from .commands.serve import serve
        return serve(args)
    raise AssertionError(args.command)


def run() -> None:
    """The ``jakdeck`` command (and ``python -m jakdeck``): :func:`main`, then exit at once.

    Everything a command makes is written, flushed and closed before :func:`main` returns, so the
    process ends with ``os._exit`` after flushing standard output and error: tearing down the
    interpreter – freeing every object of the build one by one – would add a tenth of a build."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):   # a closed or broken pipe: the status still stands
        status = status or 1
    os._exit(status)


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
        return _command(args)
    except JakdeckError as exc:
        return _fail([d.format() for d in exc.diagnostics])
    except KeyboardInterrupt:
        return _fail(["interrupted"], 130)
    except Exception as exc:  # an unexpected bug: one line, details only on request
        if os.environ.get("JAKDECK_DEBUG"):
            raise
        return _fail([f"internal error: {type(exc).__name__}: {exc} (set JAKDECK_DEBUG=1 for details)"], 70)
