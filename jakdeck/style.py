"""Text styles shared by the talk and poster layouts: the style spec, the backgrounds each style is set
on, and turning a layout's ``styles`` into :class:`TextStyle` objects against a theme.

Layouts themselves live in :mod:`jakdeck.talk_layout` and :mod:`jakdeck.poster_layout`; themes in
:mod:`jakdeck.theme` (re-exported here for older imports).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import Diagnostic, InputError
from .resources import available, builtin
from .scene import RGB
from .schema import S, Spec
from .text import TextStyle
from .theme import (  # noqa: F401 - re-exported: themes used to live here
    LARGE_CONTRAST,
    NORMAL_CONTRAST,
    PALETTE_KEYS,
    THEME_PAIRS,
    THEME_SPEC,
    Theme,
    contrast_message,
    contrast_ratio,
    load_theme,
    parse_color,
)
from .units import parse_length  # noqa: F401 - re-exported
from .yamlsrc import Source

# Text styles set in the theme's heading font; every other style uses the body font.
HEADING_STYLES = ("deck_title", "title", "figure_title", "heading")


def resolve_file(kind: str, name_or_path: str, suffix_hint: str) -> Path:
    """A built-in name (``talk-16x9``) or a path to a YAML file."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    found = builtin(kind, name_or_path)
    if found is None:
        names = available(kind)
        close = difflib.get_close_matches(name_or_path, names, 1, 0.5)
        hint = f"did you mean {close[0]}?" if close else "built-in: " + ", ".join(names)
        raise InputError(Diagnostic(f"no built-in {suffix_hint} called '{name_or_path}'", hint=hint))
    return found


STYLE_SPEC = Spec("map", "a text style", fields={
    "size": Spec("number", "largest size (pt)", required=True, minimum=4, maximum=400),
    "min": Spec("number", "smallest size (pt)", minimum=4, maximum=400),
    "bold": Spec("bool", default=False),
    "italic": Spec("bool", default=False),
    "color": S("a palette colour name or #RRGGBB", default="text"),
    "align": Spec("enum", choices=("left", "center", "right"), default="left"),
    "space_before": Spec("number", "space between paragraphs, in ems", default=0.5, minimum=0, maximum=5),
})

# What each text style is set on, when not the page background.
TALK_BACKGROUNDS = {"cell": ("background", "table_stripe"), "header_cell": ("table_header",),
                     "footer": ("footer_fill",)}
POSTER_BACKGROUNDS = {"title": ("band",), "authors": ("band",), "affiliations": ("band",),
                       "message": ("accent",), "cell": ("background", "table_stripe"), "footer": ("footer_fill",)}


def resolve_styles(src: Source, data: dict, theme: Theme, required: tuple[str, ...], diags: list[Diagnostic],
            backgrounds: dict[str, tuple[str, ...]]) -> dict[str, TextStyle]:
    out: dict[str, TextStyle] = {}
    for name, st in (data.get("styles") or {}).items():
        color_name = st["color"] or "text"
        if color_name in theme.palette:
            color = theme.palette[color_name]
        else:
            try:
                color = parse_color(color_name)
            except ValueError:
                close = difflib.get_close_matches(color_name, list(theme.palette), 1, 0.5)
                diags.append(src.diag(("styles", name, "color"),
                                      f"styles.{name}.color '{color_name}' is neither a palette colour nor #RRGGBB",
                                      f"did you mean {close[0]}?" if close else None))
                color = (0, 0, 0)
        size = st["size"] or 12.0
        mn = st["min"] if st["min"] is not None else size
        if mn > size:
            diags.append(src.diag(("styles", name, "min"),
                                  f"styles.{name}.min ({mn:g}) is larger than size ({size:g})"))
        font = theme.font("heading" if name in HEADING_STYLES else "body")
        out[name] = TextStyle(font, float(size), float(mn), color, st["bold"], st["italic"], st["align"],
                              st["space_before"])
        large = mn >= 18 or (st["bold"] and mn >= 14)
        for back in backgrounds.get(name, ("background",)):
            if back in theme.palette and mn <= size:
                msg = contrast_message(f"styles.{name}.color", color, back, theme.palette[back], large)
                if msg:
                    diags.append(src.diag(("styles", name, "color"), msg))
                    break
    missing = [name for name in required if name not in out]
    if isinstance(data.get("styles"), dict) and missing:
        diags.append(src.diag(("styles",), "styles is missing " + ", ".join(f"'{n}'" for n in missing)))
    return out


def resolve_fill(src: Source, path: tuple, value: str | None, theme: Theme, diags: list[Diagnostic],
                 what: str) -> RGB | None:
    """A slot's or region's ``fill``: a palette colour name or #RRGGBB; None when not given (or wrong,
    with a located problem naming *what*)."""
    if not value:
        return None
    try:
        return theme.palette[value] if value in theme.palette else parse_color(value)
    except ValueError:
        diags.append(src.diag(path + ("fill",), f"{what} '{value}' is neither a palette colour nor #RRGGBB"))
        return None


__all__ = ["Theme", "load_theme", "resolve_styles", "resolve_fill", "POSTER_BACKGROUNDS", "TALK_BACKGROUNDS",
           "resolve_file",
           "parse_color", "parse_length"]
