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
    from ..style import load_talk_layout, load_theme
    if what == "templates":   # the slide templates the talk layout defines
        config = project.config if project is not None else default_config()
        return sorted(load_talk_layout(config.talk_layout, load_theme(config.theme)).slides)
    if what == "slides":      # the current content's slide ids, in the default lecture order
        from ..compose_talk import default_order
        inputs = load_inputs(getattr(args, "content", None), project.config if project is not None else None)
        return default_order(inputs.doc)
    raise ValueError(what)


def listing(what: str, args: argparse.Namespace, project=None) -> int:  # noqa: ANN001
    for name in names(what, args, project):
        print(name)
    return 0
