"""The user's settings: language, theme, recent project folders, window layout."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from storage.private_files import create_private_file, make_private_folder

SETTINGS_FILE_NAME = "haiops.ini"
LANGUAGES = ("en", "ja")
THEMES = ("dark", "light")
MAX_RECENT = 8
DEFAULT_IDLE_MINUTES = 15


def default_config_dir() -> Path:
    """Return the folder for settings: ``HAIOPS_CONFIG_DIR`` or the platform's.

    Returns
    -------
    Path
        The folder (not created here).
    """
    override = os.environ.get("HAIOPS_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("haiops-workstation", appauthor=False))


class Settings:
    """Typed access to one INI file of settings.

    Only folder paths, choices and window layout are stored: never patient
    names, user passwords or anything read from a project.

    Parameters
    ----------
    config_dir
        Folder of the INI file; ``default_config_dir()`` when not given.
    """

    def __init__(self, config_dir: Path | None = None) -> None:
        folder = config_dir if config_dir is not None else default_config_dir()
        # Owner-only: the recent project folders and layout are the user's own.
        make_private_folder(folder)
        self.path = create_private_file(folder / SETTINGS_FILE_NAME)
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to the file now."""
        self._qsettings.sync()

    def _text(self, key: str, default: str) -> str:
        value = self._qsettings.value(key, default)
        return str(value) if value is not None else default

    @property
    def language(self) -> str:
        """The interface language, ``"en"`` or ``"ja"``."""
        value = self._text("ui/language", "en")
        return value if value in LANGUAGES else "en"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; expected one of {LANGUAGES}")
        self._qsettings.setValue("ui/language", value)

    @property
    def theme(self) -> str:
        """The colour theme, ``"dark"`` (default) or ``"light"``."""
        value = self._text("ui/theme", "dark")
        return value if value in THEMES else "dark"

    @theme.setter
    def theme(self, value: str) -> None:
        if value not in THEMES:
            raise ValueError(f"unknown theme {value!r}; expected one of {THEMES}")
        self._qsettings.setValue("ui/theme", value)

    @property
    def idle_minutes(self) -> int:
        """Minutes without input before the screen locks (15 by default)."""
        try:
            minutes = int(str(self._qsettings.value("session/idle_minutes", "")))
        except ValueError:
            return DEFAULT_IDLE_MINUTES
        return minutes if minutes > 0 else DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, value: int) -> None:
        if value <= 0:
            raise ValueError(f"idle timeout must be positive minutes, got {value}")
        self._qsettings.setValue("session/idle_minutes", int(value))

    @property
    def last_project(self) -> Path | None:
        """The folder of the project signed in to last."""
        value = self._text("projects/last", "")
        return Path(value) if value else None

    @property
    def last_user(self) -> str:
        """The user ID typed at the last successful sign-in."""
        return self._text("projects/last_user", "")

    @last_user.setter
    def last_user(self, value: str) -> None:
        self._qsettings.setValue("projects/last_user", value)

    @property
    def recent_projects(self) -> list[Path]:
        """Recently opened project folders, newest first (paths only)."""
        value = self._qsettings.value("projects/recent", [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [Path(str(item)) for item in value if str(item)]

    def add_recent_project(self, folder: Path) -> None:
        """Put ``folder`` first in the recent list and make it the last project.

        Parameters
        ----------
        folder
            The project folder.
        """
        text = str(folder)
        recent = [str(p) for p in self.recent_projects if str(p) != text]
        recent.insert(0, text)
        self._qsettings.setValue("projects/recent", recent[:MAX_RECENT])
        self._qsettings.setValue("projects/last", text)

    def clear_recent_projects(self) -> None:
        """Forget the recent project folders."""
        self._qsettings.remove("projects/recent")

    def window_state(self, name: str) -> QByteArray | None:
        """Return a saved geometry or dock state by ``name``, if any.

        Parameters
        ----------
        name
            ``"geometry"``, ``"state"`` or a splitter's name.

        Returns
        -------
        QByteArray or None
            The bytes Qt saved, or None when nothing was saved.
        """
        value = self._qsettings.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, name: str, data: QByteArray) -> None:
        """Save a geometry or dock state under ``name``.

        Parameters
        ----------
        name
            ``"geometry"``, ``"state"`` or a splitter's name.
        data
            The bytes from ``saveGeometry()`` or ``saveState()``.
        """
        self._qsettings.setValue(f"window/{name}", data)
