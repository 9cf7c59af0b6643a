"""A small on-disk cache of facts computed from files, keyed by the sha256 of the file's bytes.

Entries live in ``$JAKDECK_CACHE`` when that names a folder, else ``$XDG_CACHE_HOME/jakdeck``,
else ``~/.cache/jakdeck``; ``JAKDECK_CACHE=off`` turns the cache off.  An entry is a marshal
file holding (format, kind, key, digest, data): the value marshalled, and the sha256 of those bytes:
one that cannot be read, is damaged (its value no longer matches its digest), or holds another format,
kind or key is ignored and written anew.  The cache never fails a build: when it cannot be read or
written, the fact is computed as if there were none.  It keeps at most :data:`MAX_ENTRIES` entries of
a kind: writing one more removes the oldest (a watch session writes one for each saved content).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

FORMAT = 2                  # bump when what an entry holds changes meaning
MAX_ENTRIES = 500           # of one kind; then the oldest go
OFF = ("off", "0", "no", "false")


def cache_dir() -> Path | None:
    """The cache folder, or None when ``JAKDECK_CACHE`` turns the cache off."""
    setting = os.environ.get("JAKDECK_CACHE", "").strip()
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "jakdeck"


def _entry(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{kind}-{key}.marshal"


def load(kind: str, key: str) -> object | None:
    """The value stored for (*kind*, *key*), or None when there is none usable."""
    path = _entry(kind, key)
    if path is None:
        return None
    try:
        record = marshal.loads(path.read_bytes())
        if not (isinstance(record, tuple) and len(record) == 5 and record[:3] == (FORMAT, kind, key)
                and isinstance(record[4], bytes)):
            return None
        if hashlib.sha256(record[4]).hexdigest() != record[3]:
            return None   # damaged: these are not the bytes written
        return marshal.loads(record[4])
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store(kind: str, key: str, value: object) -> None:
    """Store *value* (of marshal's types) for (*kind*, *key*), atomically; do nothing if that fails."""
    path = _entry(kind, key)
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
        data = marshal.dumps(value)
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps((FORMAT, kind, key, hashlib.sha256(data).hexdigest(), data)))
        os.replace(tmp, path)
        tmp = None
        _trim(path.parent, kind)
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _trim(folder: Path, kind: str) -> None:
    """Remove the oldest entries of *kind* beyond :data:`MAX_ENTRIES`."""
    entries = list(folder.glob(f"{kind}-*.marshal"))
    if len(entries) <= MAX_ENTRIES:
        return
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(entries, key=age)[:len(entries) - MAX_ENTRIES]:
        try:
            old.unlink()
        except OSError:
            pass
