"""Fixtures for sync: a site with a folder store and enrolled workstations."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_support import Site, enrol, make_site, new_project

from storage.project import Project


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its smallest: these tests open many projects."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "store")


@pytest.fixture
def workstation(tmp_path: Path, site: Site) -> Iterator[Callable[[str], Project]]:
    opened: list[Project] = []

    def make(name: str) -> Project:
        project = new_project(tmp_path / name, workstation=name)
        enrol(project, site)
        opened.append(project)
        return project

    yield make
    for project in opened:
        if project.connection is not None:
            project.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and the server refuse to run as root.
    return (
        ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL 15 server on loopback for the session; its admin URL."""
    binaries = Path("/usr/lib/postgresql/15/bin")
    if not (binaries / "initdb").exists():
        message = "PostgreSQL 15 server binaries are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="haiops-pg-"))
    data = folder / "data"
    password = secrets.token_urlsafe(16)
    (folder / "pw").write_text(password, encoding="ascii")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "pw", "postgres", "postgres")
    port = _free_port()
    log = folder / "server.log"
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "scram-sha-256",
                    f"--pwfile={folder / 'pw'}",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        message = f"PostgreSQL did not start: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield (
            f"host=127.0.0.1 port={port} dbname=postgres user=postgres "
            f"password={password}"
        )
    finally:
        subprocess.run(
            _as_postgres(
                [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(folder, ignore_errors=True)
