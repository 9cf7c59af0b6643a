"""The command line: ``jakdeck build``.  Prints diagnostics one per line; never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .build import build
from .errors import JakdeckError
from .output import write_all


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
    i = sub.add_parser("import", help="turn an abstract (.txt, .md, .docx) into a content file to edit",
                       description="Read an abstract (title, authors, affiliations, paragraphs) and write a "
                                   "commented content YAML: headings, key points, figures and the safety footer "
                                   "drawn from it, the author's text kept verbatim.")
    i.add_argument("abstract", metavar="FILE", help="the abstract: plain text, Markdown or Word .docx")
    i.add_argument("-o", "--output", metavar="FILE", help="where to write the content YAML (default: FILE with "
                                                          "the suffix .yaml; '-' for standard output)")
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
        return _fail([f"{out}: error: the output would replace the abstract (hint: give -o FILE.yaml)"])
    write_all({out: text.encode("utf-8")})  # noqa: one file, atomically
    print(out)
    return 0


def _fail(lines: list[str], code: int = 1) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with *argv*; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "import":
            return _import(args)
        result = build(args.content, args.config, handout=args.handout, poster_pptx=args.poster_pptx)
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            return _fail([f"{out}: error: --out must be a directory"])
        written = write_all({out / name: data for name, data in result.files.items()})
    except JakdeckError as exc:
        return _fail([d.format() for d in exc.diagnostics])
    except KeyboardInterrupt:
        return _fail(["interrupted"], 130)
    except Exception as exc:  # an unexpected bug: one line, details only on request
        if os.environ.get("JAKDECK_DEBUG"):
            raise
        return _fail([f"internal error: {type(exc).__name__}: {exc} (set JAKDECK_DEBUG=1 for details)"], 70)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for path in written:
        print(path)
    return 0
