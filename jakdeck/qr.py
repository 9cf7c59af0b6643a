"""reportlab's QR encoder, loaded from its own file.

``import reportlab.graphics.barcode.qrencoder`` first runs the barcode package's ``__init__``,
which imports every barcode widget and, through them, reportlab's drawing and platypus modules
(~60 ms of a build).  The encoder module itself needs only the standard library, so it is loaded
here straight from its file; should that file not be where the package says (an unusual install),
the ordinary import is used.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from types import ModuleType

ENCODER = ("graphics", "barcode", "qrencoder.py")


@lru_cache(maxsize=1)
def encoder() -> ModuleType:
    """The ``qrencoder`` module of the installed reportlab."""
    spec = importlib.util.find_spec("reportlab")   # finds the package without importing it
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        path = Path(root).joinpath(*ENCODER)
        if path.is_file():
            file_spec = importlib.util.spec_from_file_location("jakdeck._qrencoder", path)
            if file_spec is not None and file_spec.loader is not None:
                module = importlib.util.module_from_spec(file_spec)
                file_spec.loader.exec_module(module)
                return module
    import reportlab.graphics.barcode.qrencoder as module  # noqa: PLC0415 - the slow way, if need be
    return module


_encoder = encoder()
QRCode = _encoder.QRCode
QRErrorCorrectLevel = _encoder.QRErrorCorrectLevel
