"""Build configuration: the keys a ``--config`` YAML file may set, their defaults and checks.

A config file holds only what differs from the defaults, e.g.::

    talk: {aspect: "4:3"}
    poster: {size: A1, orientation: landscape}
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError, suggest
from .images import check_image
from .model import qr_problem
from .records import record
from .resources import available, builtin
from .schema import S, Spec, defaults_of, validate
from .theme import PALETTE_KEYS, Theme, contrast_ratio, parse_color
from .units import parse_paper
from .yamlsrc import Path_, Source, by_place, load_yaml

CONFIG_SPEC = Spec("map", "a jakdeck build configuration (only the keys that differ from the defaults)", fields={
    "content": S("the content file (relative to this config file; default: the built-in abstract)"),
    "output": S("the output folder (relative to this config file)", default="output"),
    "theme": S("a built-in theme name or a theme file", default="default"),
    "talk": Spec("map", "the lecture talk", fields={
        "aspect": Spec("enum", "slide shape", choices=("16:9", "4:3"), default="16:9"),
        "layout": S("a built-in talk layout or a layout file; default follows the aspect"),
        "event": S("event name for the title slide"),
        "date": S("date for the title slide"),
        "slides": Spec("list", "which slides, in order: title, outline, a section id, closing; or "
                               "{section: ID, template: NAME, title: TEXT, hide: [figure]}; or a slide of "
                               "your own {template: NAME, title: TEXT, <block kind>: ...} (default: every "
                               "section of the content)", items=Spec("any")),
        "duration": Spec("number", "minutes: keep about as many slides as the layout's minutes per slide allow, "
                                   "leaving out the lowest-priority sections first", minimum=1, maximum=600),
    }),
    "poster": Spec("map", "the print poster", fields={
        "layout": S("a built-in poster layout or a layout file", default="poster"),
        "size": S("A0, A1, A2, 36x48in, 48x36in or WxH in mm/in", default="A0"),
        "orientation": Spec("enum", "portrait or landscape (default: portrait for A sizes, as written for WxH)",
                            choices=("portrait", "landscape")),
        "columns": Spec("int", "number of body columns (default: the layout's)", minimum=2, maximum=5),
        "bleed_mm": Spec("number", "bleed around the trim size, in mm (the page grows by twice this)",
                         default=0, minimum=0, maximum=20),
        "crop_marks": Spec("bool", "draw crop marks at the trim corners (default: yes when there is a bleed)"),
        "cmyk": Spec("bool", "write colours as CMYK instead of RGB", default=False),
        "qr_url": S("link for the QR code (default: the content's url)"),
        "qr_caption": S("caption under the QR code", default="Scan for further reading"),
        "logos": Spec("list", "up to two logo images (PNG or JPEG) for the header band", items=S(), default=[],
                      max_items=2),
        "message": S("the central message of the takeaway layout (default: the first take-home message)"),
    }),
    "handout": Spec("map", "the PDF handout of the talk (jakdeck build --handout)", fields={
        "per_page": Spec("enum", "1: one slide per page; 2: two slides per A4 page with their notes",
                         choices=(1, 2), default=1),
    }),
    "footer": Spec("map", "style of the fixed safety footer (it cannot be removed)", fields={
        "size": Spec("number", "talk footer size in pt (default: the layout's)", minimum=12, maximum=40),
        "color": S("text colour as #RRGGBB or a palette name (default: the theme's footer_text)"),
        "fill": S("background colour as #RRGGBB or a palette name (default: the theme's footer_fill)"),
    }),
})

_FOOTER_REMOVERS = ("show", "enabled", "visible", "hidden", "hide", "remove", "disabled", "text", "off")


@record
class Config:
    """A validated build configuration with every default filled in."""

    data: dict[str, Any]
    file: str = ""
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    source: Source | None = None   # the parsed file, for loading the blocks of talk.slides entries

    def span(self, *path: str | int) -> tuple[str, int | None, int | None]:
        """Where the key at *path* (``"talk", "event"``) was written: (file, line, column)."""
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        line, col = self.marks.get(p, (None, None))
        return (self.file, line, col)

    def given(self, *path: str) -> bool:
        """True when the config file itself set the key at *path*."""
        return tuple(path) in self.marks

    @property
    def talk(self) -> dict[str, Any]:
        return self.data["talk"]

    @property
    def poster(self) -> dict[str, Any]:
        return self.data["poster"]

    @property
    def footer(self) -> dict[str, Any]:
        return self.data["footer"]

    @property
    def theme(self) -> str:
        return self.data["theme"]

    @property
    def talk_layout(self) -> str:
        """The talk layout to use: the explicit one, else the one for the aspect ratio."""
        return self.talk["layout"] or ("talk-4x3" if self.talk["aspect"] == "4:3" else "talk-16x9")


def default_config() -> Config:
    """The configuration used when no ``--config`` is given."""
    return Config(defaults_of(CONFIG_SPEC))


def config_from_source(src: Source) -> Config:
    """Validate a parsed config; raise :class:`InputError` listing every problem."""
    if src.data is None:
        return Config(defaults_of(CONFIG_SPEC), src.file)
    diags = []
    raw = src.data
    if isinstance(raw, dict) and "footer" in raw:
        foot = raw["footer"]
        if foot is None or foot is False or (isinstance(foot, str) and not foot.strip()):
            diags.append(src.diag(("footer",), "the safety footer is fixed: a config may style it "
                                               "(size, color, fill) but not remove or empty it"))
        elif isinstance(foot, dict):
            for key in foot:
                if key in _FOOTER_REMOVERS:
                    diags.append(src.diag(("footer", key), f"footer.{key}: the safety footer is fixed; its text "
                                                          "comes from the content's safety statement and it "
                                                          "cannot be hidden (style it with size, color, fill)"))
    if diags:
        raise InputError(diags)
    data, diags = validate(src, CONFIG_SPEC)
    if isinstance(raw, dict) and isinstance(raw.get("poster"), dict) and "size" in raw["poster"]:
        try:
            parse_paper(str(data["poster"]["size"]), data["poster"]["orientation"])
        except ValueError as exc:
            diags.append(src.diag(("poster", "size"), f"poster.size: {exc}"))
    for key in ("color", "fill"):
        value = (data.get("footer") or {}).get(key)
        if value is not None and value not in PALETTE_KEYS:
            try:
                parse_color(value)
            except ValueError:
                named = ", ".join(k for k in PALETTE_KEYS if not k.startswith("figure_"))
                diags.append(src.diag(("footer", key), f"footer.{key} must be #RRGGBB or a palette colour "
                                                       f"({named}) (got {value!r})"))
    poster_raw = raw.get("poster") if isinstance(raw, dict) else None
    base = Path(src.file).parent if src.file else Path(".")
    for i, logo in enumerate(data["poster"]["logos"] or []):
        path = Path(logo) if Path(logo).is_absolute() else base / logo
        if path.is_dir():
            diags.append(src.diag(("poster", "logos", i), f"poster.logos[{i}]: '{logo}' is a folder, not an image"))
            continue
        if not path.is_file():
            diags.append(src.diag(("poster", "logos", i), f"poster.logos[{i}]: image '{logo}' not found"))
            continue
        try:
            check_image(path)
        except ValueError as exc:
            diags.append(src.diag(("poster", "logos", i), f"poster.logos[{i}]: '{logo}' {exc}"))
        data["poster"]["logos"][i] = str(path)
    problem = qr_problem("poster.qr_url", data["poster"]["qr_url"])
    if problem:
        diags.append(src.diag(("poster", "qr_url"), problem, "use a shorter link"))
    for key in ("content", "output"):
        if data[key] and key in (raw if isinstance(raw, dict) else {}):
            data[key] = str(Path(data[key]) if Path(data[key]).is_absolute() else base / data[key])
    if data["content"] and not Path(data["content"]).is_file():
        diags.append(src.diag(("content",), f"content: file '{raw['content']}' not found (paths are relative to "
                                            "the config file)"))
    data["theme"] = _input_file(src, ("theme",), data["theme"], "themes", "theme", base, diags)
    for part in ("talk", "poster"):
        if data[part]["layout"]:
            data[part]["layout"] = _input_file(src, (part, "layout"), data[part]["layout"], "layouts",
                                               f"{part} layout", base, diags)
    if isinstance(poster_raw, dict) and poster_raw.get("crop_marks") and not data["poster"]["bleed_mm"]:
        diags.append(src.diag(("poster", "crop_marks"), "poster.crop_marks needs poster.bleed_mm > 0 to sit in"))
    slides = data["talk"]["slides"]
    if isinstance(slides, list) and "slides" in (raw.get("talk") or {}):
        if not slides:
            diags.append(src.diag(("talk", "slides"), "talk.slides must list at least one slide"))
        seen = set()
        for i, s in enumerate(slides):
            if isinstance(s, str) and s in seen:
                diags.append(src.diag(("talk", "slides", i), f"talk.slides lists '{s}' twice"))
            seen.add(s if isinstance(s, str) else None)
    if diags:
        raise InputError(by_place(diags))
    return Config(data, src.file, dict(src.marks), src)


def _input_file(src: Source, path: Path_, value: str, kind: str, what: str, base: Path,
                diags: list[Diagnostic]) -> str:
    """A built-in *kind* name, or a YAML file resolved relative to the config file's folder."""
    name = ".".join(str(p) for p in path)
    looks_like_path = value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value
    if looks_like_path:
        p = Path(value) if Path(value).is_absolute() else base / value
        if not p.is_file():
            diags.append(src.diag(path, f"{name}: {what} file '{value}' not found (paths are relative to the "
                                        "config file)"))
        return str(p)
    if builtin(kind, value) is None:
        hint = suggest(value, available(kind), "built in")
        diags.append(src.diag(path, f"{name}: no built-in {what} called '{value}'",
                              hint if hint.startswith("did") else hint + ", or give a .yaml file"))
    return value


def footer_problems(config: Config, theme: Theme) -> list[Diagnostic]:
    """The footer's text and fill after the config's overrides must contrast 4.5:1; a config naming a
    colour the theme lacks is also a problem.  Each names the config line that set the colour."""
    out: list[Diagnostic] = []
    colours = {}
    for key, default in (("color", "footer_text"), ("fill", "footer_fill")):
        value = config.footer.get(key)
        if value is None:
            colours[key] = (default, theme.palette.get(default, (0, 0, 0)))
        elif value in theme.palette:
            colours[key] = (value, theme.palette[value])
        else:
            try:
                colours[key] = (value, parse_color(value))
            except ValueError:
                file, line, col = config.span("footer", key)
                out.append(Diagnostic(f"footer.{key} '{value}' is not a colour of theme '{theme.name}'",
                                      file or None, line, col))
                colours[key] = (value, (0, 0, 0))
    if out or not (config.given("footer", "color") or config.given("footer", "fill")):
        return out
    (tname, text), (fname, fill) = colours["color"], colours["fill"]
    ratio = contrast_ratio(text, fill)
    if ratio < 4.5:
        key = "color" if config.given("footer", "color") else "fill"
        file, line, col = config.span("footer", key)
        tname = "" if tname.startswith("#") else f" ({tname})"
        fname = "" if fname.startswith("#") else f" ({fname})"
        out.append(Diagnostic(f"the footer text {_hex(text)}{tname} on its fill {_hex(fill)}{fname} has a "
                              f"contrast of {ratio:.2f}:1; the fixed footer needs at least 4.5:1",
                              file or None, line, col, "pick a darker text or a lighter fill"))
    return out


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def load_config(path: str | Path | Config | None) -> Config:
    """Load the config at *path*, or the defaults when *path* is None (a loaded :class:`Config` as it is)."""
    if isinstance(path, Config):
        return path
    if path is None:
        return default_config()
    return config_from_source(load_yaml(path))
