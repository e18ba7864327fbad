"""Writing files and folders safely and deterministically.

A leaf module: every layer may import it, and it imports nothing from the package.

Every file or folder the package writes goes through this module:

- :func:`atomic_write_bytes` writes one file through a temporary file beside it and a rename, so
  the file is either the old one or the new one, never half-written.
- :func:`write_folder` writes a whole output folder (``--out`` of ``reproduce``, ``hypotheses``,
  ``export`` ...): every file goes into a staging folder beside the destination, which is then
  swapped in whole. The destination therefore holds exactly the files of one run (a manifest
  written by the run lists exactly the folder's files, with matching hashes); files an earlier
  run wrote and this one did not are gone; a failed or interrupted run leaves the previous folder
  as it was.
- Temporary files and staging folders carry the writing process's id in their names
  (``.<name>.<pid>.<random>.walt-tmp``, ``.walt-staging``, ``.walt-old``). Every write first
  removes such leftovers of processes that no longer run (an earlier crash or kill), so they do
  not pile up.
- Files and folders get ordinary permissions: ``0o666`` and ``0o777`` minus the process's umask
  (``0644`` and ``0755`` under the usual umask ``022``), like files written with ``open()``.

A folder that already exists is replaced only when it is empty or when ``replaceable`` (given by
the command) recognises it as an earlier output of the same command; anything else (a folder
holding the user's own files) raises :class:`UnsafeOutputError` and nothing is written.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "UnsafeOutputError",
    "atomic_write_bytes",
    "check_folder",
    "clean_leftovers",
    "csv_bytes",
    "current_umask",
    "folder_files",
    "json_marker",
    "only_names",
    "write_folder",
]

#: Suffixes of the temporary names this module creates (and cleans up after a crash).
TMP_SUFFIX = ".walt-tmp"
STAGING_SUFFIX = ".walt-staging"
OLD_SUFFIX = ".walt-old"
_SUFFIXES = (TMP_SUFFIX, STAGING_SUFFIX, OLD_SUFFIX)


class UnsafeOutputError(OSError):
    """The destination folder holds files this command did not write; nothing was written."""


def current_umask() -> int:
    """Return the process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no portable way to read it without setting it
    os.umask(mask)
    return mask


def _temp_name(name: str, suffix: str) -> str:
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OSError:
        return False
    return True


def _leftover_pid(entry: str, name: str) -> int | None:
    """The pid in a temporary name made for ``name``, or None if ``entry`` is not one."""
    if not entry.startswith(f".{name}.") or not entry.endswith(_SUFFIXES):
        return None
    middle = entry[len(name) + 2:].rsplit(".", 1)[0]  # "<pid>.<random>"
    pid, _, rand = middle.partition(".")
    if not pid.isascii() or not pid.isdigit() or not rand:
        return None
    return int(pid)


def _recover(directory: Path, name: str) -> None:
    """Put back a folder a dead process moved aside and never replaced (killed between renames)."""
    target = directory / name
    if target.exists() or target.is_symlink():
        return
    try:
        olds = [e for e in os.scandir(directory) if e.name.endswith(OLD_SUFFIX)
                and (pid := _leftover_pid(e.name, name)) is not None and not _pid_alive(pid)]
    except OSError:
        return
    if olds:
        newest = max(olds, key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        os.rename(newest.path, target)


def clean_leftovers(directory: Path, name: str) -> list[Path]:
    """Remove temporary files and folders left for ``name`` in ``directory`` by dead processes.

    A folder that a killed run had moved aside and not yet replaced is first put back.

    Parameters
    ----------
    directory : Path
        The folder that holds (or will hold) ``name``.
    name : str
        The file or folder name whose leftovers are removed.

    Returns
    -------
    list of Path
        What was removed.
    """
    removed: list[Path] = []
    try:
        _recover(directory, name)
    except OSError:
        pass
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        pid = _leftover_pid(entry.name, name)
        if pid is None or _pid_alive(pid):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


def _mkdir(path: Path) -> None:
    """Create a folder (and missing parents) with the umask's ordinary permissions."""
    path.mkdir(mode=0o777, parents=True, exist_ok=True)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, with mode 0o666 minus the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (never half-written).

    The file gets ordinary permissions (``0o666`` minus the umask). Temporary files that an
    earlier, interrupted write of the same path left behind are removed first.

    Parameters
    ----------
    path : Path
        The file to write (its folder is created if needed).
    data : bytes
        The file's new content.
    """
    path = Path(path)
    _mkdir(path.parent)
    clean_leftovers(path.parent, path.name)
    tmp = path.parent / _temp_name(path.name, TMP_SUFFIX)
    try:
        _write_new(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_LEGACY_TMP = re.compile(r"^\.(.+)\.[a-z0-9_]{8}$", re.ASCII)


def _is_leftover(name: str, siblings: set[str]) -> bool:
    """A temporary file of an interrupted write: ours, or an older version's (mkstemp) one."""
    if name.startswith(".") and name.endswith(_SUFFIXES):
        return True
    m = _LEGACY_TMP.match(name)
    return bool(m and m.group(1) in siblings)


def folder_files(folder: Path) -> list[str]:
    """Every file under ``folder`` as a sorted relative POSIX path.

    Folders themselves are omitted, and so are temporary files of interrupted writes.
    """
    out = []
    for root, _dirs, files in os.walk(folder):
        names = set(files)
        for f in files:
            if not _is_leftover(f, names):
                out.append((Path(root) / f).relative_to(folder).as_posix())
    return sorted(out)


def only_names(patterns: Iterable[str]) -> Callable[[Path], bool]:
    """A ``replaceable`` test: the folder holds only files whose relative paths match ``patterns``.

    Patterns are :meth:`pathlib.PurePath.match` globs on the relative path (``"*.csv"``,
    ``"samples/*.csv"``).
    """
    pats = tuple(patterns)

    def test(folder: Path) -> bool:
        from pathlib import PurePosixPath

        return all(any(PurePosixPath(rel).match(p) for p in pats) for rel in folder_files(folder))

    return test


def json_marker(manifest: str, marker: Callable[[dict[str, Any]], bool]
                ) -> Callable[[Path], bool]:
    """A ``replaceable`` test: the folder holds a manifest this command writes.

    A folder with the command's own manifest is its output folder, replaced whole by the next
    run, including files an interrupted run of an older version left beside the manifest.

    Parameters
    ----------
    manifest : str
        Relative path of the manifest (``manifest.json``, ``datapackage.json``).
    marker : callable
        Given the parsed manifest (a JSON object), True when this command wrote it (e.g. it
        names the package).
    """
    import json

    def test(folder: Path) -> bool:
        try:
            doc = json.loads((folder / manifest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        try:
            return isinstance(doc, dict) and bool(marker(doc))
        except (KeyError, TypeError, AttributeError):
            return False

    return test


def _copy_kept(old: Path, staging: Path, keep: Callable[[str], bool],
               files: Mapping[str, bytes]) -> None:
    for rel in folder_files(old):
        if rel in files or not keep(rel):
            continue
        dest = staging / rel
        _mkdir(dest.parent)
        _write_new(dest, (old / rel).read_bytes())


def check_folder(out: str | os.PathLike[str], replaceable: Callable[[Path], bool] | None = None,
                 what: str = "output") -> Path:
    """Check that :func:`write_folder` may write ``out``; return it as an absolute path.

    Commands that compute for a long time call this first, so that a bad ``--out`` is refused
    before the work, not after it.

    Raises
    ------
    UnsafeOutputError
        When ``out`` exists and is not a folder, or holds files that ``replaceable`` does not
        recognise as an earlier output of the command.
    """
    given = Path(out)
    # absolute, so that "." or "sub/.." have a name and a parent to stage beside
    target = Path(os.path.abspath(given))
    if target.is_symlink():
        target = target.resolve()
    if target.exists():
        if not target.is_dir():
            raise UnsafeOutputError(f"{given} exists and is not a folder; give a folder for "
                                    f"the {what}")
        if folder_files(target) and not (replaceable is not None and replaceable(target)):
            raise UnsafeOutputError(
                f"{given} is not empty and does not hold an earlier {what} of this command (it "
                "has files this command does not write); nothing was written. Give a new or "
                "empty folder, or remove its contents first.")
    if target.parent == target:
        raise UnsafeOutputError(f"{given} is the root folder; give a folder for the {what}")
    return target


def write_folder(out: str | os.PathLike[str], files: Mapping[str, bytes], *,
                 replaceable: Callable[[Path], bool] | None = None,
                 keep: Callable[[str], bool] | None = None,
                 what: str = "output") -> list[Path]:
    """Write a whole folder: stage every file beside ``out``, then swap the folder in whole.

    Parameters
    ----------
    out : path-like
        The destination folder. It is created, or replaced as a whole: afterwards it holds
        exactly ``files`` (plus, with ``keep``, the earlier files ``keep`` selects).
    files : mapping of str to bytes
        Relative POSIX path -> content.
    replaceable : callable, optional
        Given an existing, non-empty ``out``, True when it is an earlier output of the same
        command and may be replaced. Without it only an empty folder is replaced.
    keep : callable, optional
        Given the relative path of a file in the existing ``out``, True to carry it over
        unchanged (for folders that hold other builders' files too, like the package data).
    what : str
        What the folder is, for the error message.

    Returns
    -------
    list of Path
        The files written, in the order of ``files``, as paths inside ``out``.

    Raises
    ------
    UnsafeOutputError
        When ``out`` exists and is not a folder, or holds files the command did not write.
        Nothing is written then.
    OSError
        When writing fails; ``out`` is then left as it was and the staging folder removed.
    """
    for rel in files:
        p = Path(rel)
        if p.is_absolute() or ".." in p.parts or not p.parts:
            raise ValueError(f"not a relative path inside the folder: {rel!r}")
    given = Path(out)
    out = check_folder(given, replaceable, what)
    parent = out.parent
    _mkdir(parent)
    clean_leftovers(parent, out.name)
    staging = parent / _temp_name(out.name, STAGING_SUFFIX)
    staging.mkdir(mode=0o777)
    try:
        for rel, data in files.items():
            dest = staging / rel
            _mkdir(dest.parent)
            _write_new(dest, data)
        if keep is not None and out.is_dir():
            _copy_kept(out, staging, keep, files)
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [given / rel for rel in files]


def _swap_in(staging: Path, out: Path) -> None:
    """Put ``staging`` in the place of ``out`` (two renames; the old folder is then removed)."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = out.parent / _temp_name(out.name, OLD_SUFFIX)
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def csv_bytes(df: pd.DataFrame) -> bytes:
    r"""Serialise a frame to CSV deterministically (no index, ``\\n`` line ends, UTF-8)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")
