"""``jakdeck check``: every input validated and the layout run (compose + verify), nothing written."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

from ..build import compose, default_content_path, load_inputs, scene_warnings, sort_diagnostics
from ..content import load_document
from ..errors import Diagnostic, JakdeckError
from ..verify import scene_problems
from .summary import summary_line


def run_check(args: argparse.Namespace) -> tuple[list[Diagnostic], dict]:
    """All problems and warnings of the inputs *args* name, and the scenes when the layout ran."""
    from ..project import load_project
    try:
        project = load_project(args.config, args.no_config, args.sets)
    except JakdeckError as exc:   # still check the content, so both files' problems show at once
        found = list(exc.diagnostics)
        try:
            load_document(args.content or default_content_path())
        except JakdeckError as more:
            found += more.diagnostics
        return found, {}
    inputs = load_inputs(args.content, project.config)
    scenes = compose(inputs)
    found = [Diagnostic(f"layout check failed: {p}", inputs.doc.source_file or None)
             for s in scenes.values() for p in scene_problems(s)]
    found += [w for kind in ("talk", "poster") for w in scene_warnings(inputs, kind, scenes[kind])]
    return found, scenes


def check(args: argparse.Namespace) -> int:
    """Print every problem, then a one-line verdict; 1 when there are errors (or warnings with --strict)."""
    start = time.perf_counter()
    try:
        found, scenes = run_check(args)
    except JakdeckError as exc:
        found, scenes = list(exc.diagnostics), {}
    found = sort_diagnostics(found)
    if args.strict:
        found = [replace(d, severity="error") for d in found]
    for d in found:
        print(d.format(), file=sys.stderr)
    errors = sum(d.severity == "error" for d in found)
    if errors:
        print(f"check: {errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
        return 1
    names = ["talk.pptx", "poster.pdf"]
    print(summary_line(names, scenes, len(found), time.perf_counter() - start, verb="checked"), file=sys.stderr)
    return 0
