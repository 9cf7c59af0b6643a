"""Where the built-in content, layouts and themes live, in a checkout and when installed."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of built-in *name* files (``content``, ``layouts``, ``themes``).

    An installed wheel carries them inside the package (``jakdeck/layouts``); a
    source checkout keeps them at the top of the repository.
    """
    inside = _PKG / name
    if inside.is_dir():
        return inside
    return _PKG.parent / name


def builtin(name: str, stem: str) -> Path | None:
    """Return the built-in file ``<name>/<stem>.yaml`` if it exists."""
    path = data_dir(name) / f"{stem}.yaml"
    return path if path.is_file() else None


def available(name: str) -> list[str]:
    """Names of the built-in files of kind *name*, without extension, sorted."""
    d = data_dir(name)
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


DEFAULT_CONTENT = "jak-inhibitors"
