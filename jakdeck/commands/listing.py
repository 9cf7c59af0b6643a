"""``jakdeck list templates|themes|layouts|slides``: the names a config may use, one per line."""

from __future__ import annotations

import argparse

from ..resources import available


def names(what: str, args: argparse.Namespace | None = None, project=None) -> list[str]:  # noqa: ANN001
    """The lines ``jakdeck list <what>`` prints."""
    if what in ("themes", "layouts"):
        return available(what)
    from ..build import load_inputs
    from ..config import default_config
    from ..talk_layout import load_talk_layout
    from ..theme import load_theme
    if what == "templates":   # the slide templates the talk layout defines, in the layout file's order
        config = project.config if project is not None else default_config()
        return list(load_talk_layout(config.talk_layout, load_theme(config.theme)).templates)
    if what == "slides":      # the planner's slide ids for the current content and config, in talk order
        from ..plan_talk import plan_talk
        inputs = load_inputs(getattr(args, "content", None), project.config if project is not None else None)
        plans = plan_talk(inputs.doc, load_talk_layout(inputs.config.talk_layout, inputs.theme), inputs.config)
        return list(dict.fromkeys(p.unit or p.role for p in plans))
    raise ValueError(what)


def listing(what: str, args: argparse.Namespace, project=None) -> int:  # noqa: ANN001
    for name in names(what, args, project):
        print(name)
    return 0
