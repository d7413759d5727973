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


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_settings_folder_and_file_are_owner_only(qapp, tmp_path: Path) -> None:
    folder = tmp_path / "config"
    settings = Settings(folder)
    settings.language = "ja"
    settings.sync()

    assert folder.stat().st_mode & 0o777 == 0o700
    assert settings.path.stat().st_mode & 0o777 == 0o600
    assert Settings(folder).language == "ja"
    assert settings.path.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_log_folder_and_files_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.logs

    monkeypatch.setattr(app.logs, "_MAX_BYTES", 300)
    folder = tmp_path / "logs"
    path = setup_logging(folder)
    try:
        for n in range(20):
            logging.getLogger("haiops.test").warning("line %d of the rotation", n)
        assert folder.stat().st_mode & 0o777 == 0o700
        files = sorted(folder.iterdir())
        assert [f.name for f in files][:2] == ["haiops.log", "haiops.log.1"]
        assert {f.stat().st_mode & 0o777 for f in files} == {0o600}
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", "") == str(path):
                logging.getLogger().removeHandler(handler)
                handler.close()
