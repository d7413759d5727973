"""Settings round-trip in their INI file; logs go to a rotating file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from app.logs import setup_logging, short_hash
from app.settings import Settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_settings_round_trip(qapp, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert settings.language == "en"
    assert settings.theme == "dark"
    assert settings.idle_minutes == 15
    assert settings.recent_projects == []

    settings.language = "ja"
    settings.theme = "light"
    settings.idle_minutes = 5
    settings.add_recent_project(tmp_path / "a")
    settings.add_recent_project(tmp_path / "b")
    settings.add_recent_project(tmp_path / "a")
    settings.set_window_state("geometry", QByteArray(b"\x01\x02"))
    settings.sync()

    again = Settings(tmp_path)
    assert again.path == tmp_path / "haiops.ini"
    assert again.language == "ja"
    assert again.theme == "light"
    assert again.idle_minutes == 5
    assert again.recent_projects == [tmp_path / "a", tmp_path / "b"]
    assert again.last_project == tmp_path / "a"
    assert again.window_state("geometry") == QByteArray(b"\x01\x02")


def test_settings_refuse_unknown_values(qapp, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        settings.language = "fr"
    with pytest.raises(ValueError, match="unknown theme"):
        settings.theme = "pink"


def test_settings_folder_from_environment(qapp) -> None:
    settings = Settings()
    assert settings.path.parent == Path(os.environ["HAIOPS_CONFIG_DIR"])


def test_short_hash() -> None:
    assert len(short_hash("x")) == 12
    assert short_hash("abc") == "ba7816bf8f01"


def test_log_file_lines(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    assert setup_logging(tmp_path) == path  # no second handler

    logging.getLogger("haiops.test").warning("series opened with %d slices", 140)
    for handler in logging.getLogger().handlers:
        handler.flush()

    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[-1].endswith(" WARNING haiops.test series opened with 140 slices")
    handlers = [
        h
        for h in logging.getLogger().handlers
        if getattr(h, "baseFilename", "") == str(path)
    ]
    assert len(handlers) == 1
    logging.getLogger().removeHandler(handlers[0])
    handlers[0].close()
