"""Build only the talk of a content file: the benchmark's stand-in while ``jakdeck build --only talk``
does not exist (a talk of hundreds of slides has no poster that fits).

    python bench/talk_only.py CONTENT OUT_DIR

It uses jakdeck's internals, which may change: if they have, it exits with status 3 and says so, and
the benchmark reports the case as n/a.  Once the CLI has ``--only``, the benchmark uses that instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    content, out = sys.argv[1], Path(sys.argv[2])
    try:
        from jakdeck.build import load_inputs
        from jakdeck.compose_talk import compose_talk
        from jakdeck.render_pptx import render_pptx
        from jakdeck.talk_layout import load_talk_layout
        from jakdeck.text import Typesetter
        from jakdeck.verify import scene_problems
    except ImportError as exc:
        print(f"talk_only: jakdeck's internals changed ({exc})", file=sys.stderr)
        return 3
    try:
        inputs = load_inputs(content)
        layout = load_talk_layout(inputs.config.talk_layout, inputs.theme)
        talk = compose_talk(inputs.doc, inputs.config, inputs.theme, layout, Typesetter(inputs.theme.families))
    except (TypeError, AttributeError) as exc:
        print(f"talk_only: jakdeck's internals changed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 3
    problems = scene_problems(talk)
    if problems:
        print(f"talk_only: layout check failed: {problems[0]}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    (out / "talk.pptx").write_bytes(render_pptx(talk))
    return 0


if __name__ == "__main__":
    sys.exit(main())
