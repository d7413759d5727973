"""Files and folders that only their owner may read: 0600 and 0700 on POSIX.

Projects, their key files, backups and the workstation's keys hold patient
data and key material (APPI, 21 CFR 11.10(d)); the process umask (often 022)
would leave them readable by every user of the machine. On Windows the modes
are ignored and the folder's access control list applies.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = [
    "PRIVATE_FILE_MODE",
    "PRIVATE_FOLDER_MODE",
    "copy_private",
    "create_private_file",
    "make_private_folder",
    "write_private_text",
]

PRIVATE_FILE_MODE = 0o600
"""Read and write for the owner only."""
PRIVATE_FOLDER_MODE = 0o700
"""List, enter and change for the owner only."""

_POSIX = os.name == "posix"


def make_private_folder(folder: Path) -> Path:
    """Create ``folder`` (and missing parents) with mode 0700.

    Parameters
    ----------
    folder
        The folder; when it exists already its mode is set to 0700.

    Returns
    -------
    Path
        ``folder``.
    """
    folder = Path(folder)
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    if _POSIX:
        folder.chmod(PRIVATE_FOLDER_MODE)
    return folder


def create_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 unless it exists (then set 0600).

    SQLite gives a database's -wal and -shm files the database file's mode,
    so a database pre-created here keeps them private too.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        if _POSIX:
            os.fchmod(descriptor, PRIVATE_FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def write_private_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` (replacing its contents) with mode 0600.

    Parameters
    ----------
    path
        The file.
    text
        What it holds.
    encoding
        The text encoding.

    Returns
    -------
    Path
        ``path``.
    """
    create_private_file(path)
    Path(path).write_text(text, encoding=encoding)
    return Path(path)


def copy_private(source: Path, target: Path) -> Path:
    """Copy the bytes of ``source`` to ``target``, which gets mode 0600.

    Parameters
    ----------
    source
        The file to copy.
    target
        The copy; replaced when it exists.

    Returns
    -------
    Path
        ``target``.
    """
    create_private_file(target)
    shutil.copyfile(source, target)
    return Path(target)
