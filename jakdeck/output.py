"""Writing outputs safely: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import Diagnostic, JakdeckError


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that readers see either the old file or the complete new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every output atomically; raise a located error if the directory is unusable."""
    written = []
    for path, data in outputs.items():
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise JakdeckError(Diagnostic(f"cannot write: {exc.strerror or exc}", str(path))) from None
        written.append(path)
    return written
