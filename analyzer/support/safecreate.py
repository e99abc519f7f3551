"""Create a new file, never overwriting one, or replace a file whole; never write through a symlink.

The text goes to a temporary file in the target's directory first, which is then hard-linked to the
target's name: link() fails when the name exists in any form (a file, a directory, a symlink, even a
dangling one), so an existing file is never replaced, a symlink is never followed, and no reader ever
sees half a file. The folders on the way are created as needed and each is refused when it is a
symlink. On a filesystem without hard links the file is created with O_CREAT | O_EXCL instead, which
refuses an existing name (a symlink included) the same way.

`replace_file` writes a file that may exist (a report, a baseline): to a temporary file beside it,
then renamed over it, so a reader never sees half a file and a symlink committed under that name
(`lean-lint.sarif -> .git/config`) is refused instead of followed. Only a stream (a terminal, a pipe,
a device such as /dev/stdout) is written in place, as there is no file to replace.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class Refused(Exception):
    """Why a file was not created (`str()` is one short phrase: "it exists", "... is a symlink")."""


def _check_folder(path: Path, shown: str) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        try:
            os.mkdir(path)
        except FileExistsError:  # created meanwhile: check what it is
            _check_folder(path, shown)
        return
    if stat.S_ISLNK(st.st_mode):
        raise Refused(f"{shown} is a symlink")
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(f"{shown} is not a folder")


def existing_kind(path: Path) -> str | None:
    """'symlink', 'file', 'other' (a folder, a socket...) or None when nothing has that name."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return "symlink"
    return "file" if stat.S_ISREG(st.st_mode) else "other"


def create_file(base: Path, rel: str, text: str) -> None:
    """Create `base/rel` (rel: '/'-separated, inside base) holding `text` in UTF-8; raise Refused."""
    data = text.encode("utf-8")  # first: an unencodable name fails before anything is created
    parts = rel.split("/")
    folder = base
    for i, name in enumerate(parts[:-1]):
        folder = folder / name
        _check_folder(folder, "/".join(parts[: i + 1]))
    target = folder / parts[-1]
    kind = existing_kind(target)
    if kind is not None:
        raise Refused("it is a symlink" if kind == "symlink" else "it exists")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    temp = folder / f".{parts[-1]}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            os.link(temp, target)  # the source is the temporary file: nothing to follow
        except FileExistsError:
            raise Refused("it exists") from None
        except OSError:
            _create_exclusive(target, data, nofollow)
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass


def _create_exclusive(target: Path, data: bytes, nofollow: int) -> None:
    """The fallback for filesystems without hard links (FAT, some network shares)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o666)
    except FileExistsError:
        raise Refused("it exists") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` as the whole of `path`: temporary file + rename, keeping an existing file's
    permission bits. Raise Refused for a symlink to a file or folder, or a folder; OSError else."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            target = os.stat(path)  # what a symlink leads to
        except OSError:
            target = None
        if stat.S_ISDIR(st.st_mode) or (target is not None and stat.S_ISDIR(target.st_mode)):
            raise Refused("it is a folder")
        if target is None or stat.S_ISREG(target.st_mode):
            raise Refused("it is a symlink (lean-lint never writes through one)")
        with open(path, "wb") as stream:  # a terminal, a pipe, a device: nothing to replace
            stream.write(data)
        return
    folder = path.parent
    temp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if st is not None:
                os.chmod(handle.fileno(), stat.S_IMODE(st.st_mode))
        os.replace(temp, path)  # replaces the name itself: a symlink put there meanwhile included
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
