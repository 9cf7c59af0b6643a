"""Writing a build's outputs all or nothing, and remembering what was written.

:func:`prepare` looks at the output folder and changes nothing: it refuses a folder that is a file,
a target that is a folder (or in a folder that is a file), and an existing target jakdeck did not
write; it reads the manifest an earlier build left (``.jakdeck-manifest.json``) to find the files
that build wrote and this one will not (stale outputs).  :func:`commit` then

1. writes every new file and the new manifest into a hidden staging folder inside the output
   folder (the same file system, so renames are atomic); a failure here – disk full, a file-size
   limit – removes the staging folder and nothing else has changed;
2. keeps a backup of every file about to be replaced (a hard link, or a copy), so that
3. when it renames the new files over the old ones and moves the stale files away (the manifest
   last), a failed rename puts every file already moved back, byte for byte;
4. removes the staging folder.

The policy, in one place: a build replaces the files it writes only when they are missing or are
exactly what an earlier build wrote (listed in the manifest with the same sha256) – in a folder with
no manifest (an older jakdeck wrote none) it replaces them with a warning; it removes the
files an earlier build wrote and this one does not, unless they were changed since (then it keeps
them and warns); it never touches any other file.  A build of some outputs (``--only``) owns only
their files: the files of other outputs an earlier build wrote are neither removed nor replaced,
and stay listed in the new manifest as they were.  Concurrent builds into one folder are not
supported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import Diagnostic, JakdeckError

MANIFEST = ".jakdeck-manifest.json"
STAGING_PREFIX = ".jakdeck-staging-"
# the only names a manifest may list: what a build can write (never a path outside the folder)
OUTPUT_NAME = re.compile(r"(talk|poster|handout)\.(pptx|pdf|json)|figures/[A-Za-z0-9][A-Za-z0-9_.-]*\.(svg|png)")
HINT_UNKNOWN = ("move it away, delete it or build with --force: jakdeck replaces only the files it wrote itself, "
                "as listed in " + MANIFEST)


@dataclass
class Plan:
    """What a commit will do in *out*: checked, with nothing changed yet."""

    out: Path
    names: list[str]                       # the files to write, in order
    stale: list[str]                       # files an earlier build wrote that this one does not: removed
    warnings: list[Diagnostic] = field(default_factory=list)
    kept: dict[str, dict] = field(default_factory=dict)   # other outputs' files: left alone, listed as they were
    current: dict[str, str] = field(default_factory=dict)  # targets there now as an earlier build wrote them: sha256
    manifest: bytes | None = None                          # the earlier manifest's bytes, if any


@dataclass
class Committed:
    """What a commit did: the paths written, those already holding the same bytes (left untouched), and the
    stale paths removed."""

    written: list[Path]
    removed: list[Path]
    unchanged: list[Path] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    """The hex sha256 of the file at *path*."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _error(path: Path, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(message, str(path), hint=hint)


def read_manifest(out: Path) -> tuple[dict[str, dict], Diagnostic | None]:
    """The files the manifest in *out* lists (name → size and sha256), and a warning if it is unusable."""
    return _read_manifest(out)[:2]


def _read_manifest(out: Path) -> tuple[dict[str, dict], Diagnostic | None, bytes | None]:
    """:func:`read_manifest`, with the manifest's bytes when it is usable."""
    path = out / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None, None
    except OSError as exc:
        return {}, Diagnostic(f"cannot read the manifest ({exc.strerror}); it is replaced", str(path),
                              severity="warning"), None
    try:
        files = json.loads(raw.decode("utf-8"))["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return {}, Diagnostic("not a jakdeck manifest; it is replaced", str(path), severity="warning"), None
    good = {k: v for k, v in files.items() if OUTPUT_NAME.fullmatch(k) and ".." not in k and isinstance(v, dict)
            and isinstance(v.get("sha256"), str) and isinstance(v.get("size"), int)}
    bad = sorted(set(files) - set(good))
    if bad:
        return good, Diagnostic(f"lists {', '.join(repr(b) for b in bad[:3])}{', ...' if len(bad) > 3 else ''}, "
                                "which jakdeck never writes; ignored", str(path), severity="warning"), None
    return good, None, raw


def _kind(path: Path) -> str | None:
    """'file', 'dir', 'other' or None (missing) for *path*, following symbolic links."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return "under-file"
    return "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"


def prepare(out: Path, names: list[str], owns: Callable[[str], bool] | None = None, force: bool = False) -> Plan:
    """Check that *names* can be written into *out* and find stale outputs; change nothing.

    *owns* tells which file names this build is responsible for (default: all): an earlier file it
    does not own is left alone and kept in the manifest.  With *force*, a file jakdeck did not write,
    or one changed since, is replaced like a file in a folder with no manifest (with a warning)
    instead of refusing the build.  Raises :class:`JakdeckError` with one located line per problem."""
    kind = _kind(out)
    if kind is not None and kind != "dir":
        raise JakdeckError(_error(out, {"file": "--out must be a folder, and this is a file",
                                        "under-file": "cannot create the output folder: Not a directory "
                                                      "(a folder above it is a file)"}.get(kind, "--out must be "
                                                                                             "a folder")))
    old, warning, raw = _read_manifest(out) if kind == "dir" else ({}, None, None)
    # a folder with no (usable) manifest: earlier jakdeck versions wrote none, so files with its names are
    # taken as its own and replaced – with a warning, which --strict makes an error
    legacy = not old and (kind != "dir" or warning is not None or not (out / MANIFEST).exists())
    unlisted: list[str] = []
    current: dict[str, str] = {}
    problems: list[Diagnostic] = []
    folders_seen: set[str] = set()
    for name in names:
        target = out / name
        if not OUTPUT_NAME.fullmatch(name) or ".." in name:
            problems.append(_error(target, "cannot write: not a name jakdeck writes (it would leave the folder)"))
            continue
        parent = Path(name).parent
        if str(parent) != "." and str(parent) not in folders_seen:
            folders_seen.add(str(parent))
            pk = _kind(out / parent)
            if pk not in (None, "dir"):
                problems.append(_error(out / parent, "cannot write: Not a directory (a file is where the "
                                                     f"{parent} folder goes)"))
                continue
        tk = _kind(target)
        if tk == "dir":
            problems.append(_error(target, "cannot write: Is a directory"))
        elif tk == "other":
            problems.append(_error(target, "cannot write: not a regular file"))
        elif tk == "file":
            listed = old.get(name)
            try:
                same = listed is not None and listed["sha256"] == sha256_file(target)
            except OSError as exc:
                problems.append(_error(target, f"cannot read: {exc.strerror or exc}"))
                continue
            if same:
                current[name] = listed["sha256"]
            elif legacy or force:
                unlisted.append(name)
            elif not same:
                why = "changed since jakdeck wrote it" if listed else "jakdeck did not write it"
                problems.append(_error(target, f"will not replace this file: {why}", HINT_UNKNOWN))
    if _kind(out / MANIFEST) not in (None, "file"):
        problems.append(_error(out / MANIFEST, "cannot write: Is a directory"))
    if problems:
        raise JakdeckError(problems)
    plan = Plan(out, list(names), [], [warning] if warning else [], current=current, manifest=raw)
    if unlisted:
        shown = ", ".join(unlisted[:3]) + (f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else "")
        why = "--force given" if force and not legacy else "no manifest from an earlier build here"
        plan.warnings.append(Diagnostic(f"{why}, so {len(unlisted)} existing "
                                        f"file{'s' if len(unlisted) > 1 else ''} with jakdeck's names "
                                        f"{'are' if len(unlisted) > 1 else 'is'} replaced ({shown})", str(out),
                                        severity="warning"))
    for name in sorted(set(old) - set(names)):
        target = out / name
        if owns is not None and not owns(name):
            if _kind(target) == "file":   # another output's file: left alone, still listed
                plan.kept[name] = old[name]
            continue
        try:
            same = _kind(target) == "file" and sha256_file(target) == old[name]["sha256"]
        except OSError:
            same = False
        if _kind(target) != "file":
            continue
        if same:
            plan.stale.append(name)
        else:
            plan.warnings.append(Diagnostic("an earlier build wrote this file and this one does not, but it was "
                                            "changed since, so it is kept", str(target), severity="warning"))
    return plan


def manifest_bytes(files: dict[str, bytes], inputs: dict, kept: dict[str, dict] | None = None,
                   shas: dict[str, str] | None = None) -> bytes:
    """The manifest of a build: jakdeck's version, what it read, and every file it wrote (size, sha256),
    with the *kept* entries of an earlier build's files this one left alone.  *shas* are the files' sha256
    where the caller has them already."""
    shas = shas or {}
    listing = {name: {"size": len(data), "sha256": shas.get(name) or hashlib.sha256(data).hexdigest()}
               for name, data in files.items()}
    listing = dict(sorted({**(kept or {}), **listing}.items()))
    doc = {"jakdeck": __version__, "inputs": inputs, "files": listing}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_file(path: Path, data: bytes) -> None:
    """Write *data* to the new file *path* and flush it to disk."""
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def replace_file(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically: a temporary file beside it, flushed, renamed over it.

    For a single file outside a build's output folder (``jakdeck import``'s YAML); on failure the
    old file is as it was and :class:`JakdeckError` names *path*."""
    path = Path(path)
    tmp: Path | None = None
    try:
        if _kind(path) == "dir":
            raise IsADirectoryError(21, "Is a directory")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".jakdeck-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        tmp.unlink()
        write_file(tmp, data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise JakdeckError(_error(path, f"cannot write: {exc.strerror or exc}")) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _backup(src: Path, dst: Path) -> None:
    """Keep the current *src* at *dst*: a hard link where the file system allows one, else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _make_dirs(path: Path, created: list[Path]) -> None:
    """Create *path* and missing parents, recording each folder created (outermost first)."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir()
        created.append(d)


def commit(plan: Plan, files: dict[str, bytes], inputs: dict) -> Committed:
    """Write *files* into ``plan.out`` all or nothing (see the module's docstring), with the manifest.
    A file that is there already with the same bytes, as an earlier build wrote it, is left untouched
    (its time stamp too), and so is a manifest that would not change.

    On failure, raises :class:`JakdeckError` naming the file, with every earlier file as it was."""
    out = plan.out
    shas = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    manifest = manifest_bytes(files, inputs, plan.kept, shas)
    unchanged = [n for n in plan.names if plan.current.get(n) == shas.get(n)]
    names = [n for n in plan.names if n not in unchanged]
    if not names and not plan.stale and manifest == plan.manifest:
        _remove_leftovers(out)
        return Committed([], [], [out / n for n in unchanged])
    created: list[Path] = []
    where = out
    staging: Path | None = None
    undo: list[tuple[Path | None, Path]] = []       # how to put back each rename done so far
    done = False
    try:
        _make_dirs(out, created)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        new, old = staging / "new", staging / "old"
        order = [*names, MANIFEST]
        contents = {**files, MANIFEST: manifest}
        for name in order:  # 1. stage every file
            where = out / name
            (new / name).parent.mkdir(parents=True, exist_ok=True)
            write_file(new / name, contents[name])
        backups: dict[str, Path] = {}
        for name in order:  # 2. folders for the targets, backups of what they replace
            where = out / name
            _make_dirs(where.parent, created)
            if where.exists():
                (old / name).parent.mkdir(parents=True, exist_ok=True)
                _backup(where, old / name)
                backups[name] = old / name
        for name in order[:-1]:  # 3. the new files over the old, the stale ones away, the manifest last
            where = out / name
            os.replace(new / name, where)
            undo.append((backups.get(name), where))
        for name in plan.stale:
            where = out / name
            (old / "stale" / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(where, old / "stale" / name)
            undo.append((old / "stale" / name, where))
        where = out / MANIFEST
        os.replace(new / MANIFEST, where)
        done = True
    except BaseException as exc:  # a failed write, or Ctrl-C between two renames: put everything back
        _roll_back(undo)
        if isinstance(exc, OSError):
            raise JakdeckError(_error(where, f"cannot write: {exc.strerror or exc}")) from None
        raise
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not done:
            for d in reversed(created):
                with contextlib.suppress(OSError):
                    d.rmdir()
    _remove_leftovers(out)
    return Committed([out / n for n in names], [out / n for n in plan.stale], [out / n for n in unchanged])


def _remove_leftovers(out: Path) -> None:
    """Remove staging folders a killed build left in *out*."""
    for leftover in out.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _roll_back(undo: list[tuple[Path | None, Path]]) -> None:
    """Undo the renames, newest first: each (a, b) moves *a* back onto *b*; (None, b) removes a new *b*."""
    for src, dst in reversed(undo):
        with contextlib.suppress(OSError):
            if src is None:
                os.unlink(dst)
            else:
                os.replace(src, dst)
