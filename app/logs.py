"""The application's rotating log file and the hashing of identifiers for it."""

from __future__ import annotations

import hashlib
import io
import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

from storage.private_files import create_private_file, make_private_folder

LOG_FILE_NAME = "haiops.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_MAX_BYTES = 2_000_000
_BACKUP_COUNT = 5

logger = logging.getLogger(__name__)


def default_log_dir() -> Path:
    """Return the folder for log files: ``HAIOPS_LOG_DIR`` or the platform's.

    Returns
    -------
    Path
        The folder (not created here).
    """
    override = os.environ.get("HAIOPS_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("haiops-workstation", appauthor=False))


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file whose every new file is created with mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        create_private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(log_dir: Path | None = None) -> Path:
    """Send the root logger's records to a rotating file.

    Each line holds the time, level, logger name and message. Calling this
    again with the same folder does not add a second handler.

    Parameters
    ----------
    log_dir
        Folder for the log file; ``default_log_dir()`` when not given.

    Returns
    -------
    Path
        The log file.
    """
    folder = log_dir if log_dir is not None else default_log_dir()
    # Owner-only: log lines name hashed IDs, file names and counts of the work.
    make_private_folder(folder)
    path = folder / LOG_FILE_NAME

    root = logging.getLogger()
    for handler in root.handlers:
        if (
            isinstance(handler, logging.handlers.RotatingFileHandler)
            and Path(handler.baseFilename) == path.resolve()
        ):
            return path

    handler = _PrivateRotatingFileHandler(
        path, maxBytes=_MAX_BYTES, backupCount=_BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logger.info("logging to %s", path)
    return path


def short_hash(text: str) -> str:
    """Return the first 12 hex digits of the SHA-256 of ``text``.

    Use it for UIDs and user IDs in log lines so that a line can be matched
    to a record without naming it.

    Parameters
    ----------
    text
        The identifier.

    Returns
    -------
    str
        Twelve lowercase hex digits.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
