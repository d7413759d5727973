"""kill -9 during saves leaves a valid database and chain and loses no commit."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from storage.project import open_project
from tests.storage.helpers import ADMIN

TRIALS = 50


def _child(folder: Path, write_end: int) -> None:
    """Save records as fast as possible, reporting each committed record ID."""
    try:
        project = open_project(folder, user_id="ada", password=ADMIN[2])
        os.write(write_end, b"R")  # signed in: the kill lands among the saves
        number = 0
        while True:
            number += 1
            with project.records.transaction():
                made = project.records.create("roi", {"n": number})
                if number % 3 == 0:
                    project.records.revise(made.record_id, {"n": -number})
            os.write(write_end, (made.record_id + "\n").encode())
    finally:
        os._exit(0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_kill_9_during_saves_loses_nothing_committed(folder: Path) -> None:
    chance = random.Random(20261203)
    committed: list[str] = []
    for _ in range(TRIALS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _child(folder, write_end)
        os.close(write_end)
        os.read(read_end, 1)
        time.sleep(chance.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as stream:
            # Only whole lines were reported after their commit.
            lines = stream.read().decode().split("\n")[:-1]
        committed.extend(lines)

    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        result = project.audit.verify()
        assert result.is_ok, (result.first_bad_seq, result.problem)
        stored = {revision.record_id for revision in project.records.current("roi")}
        missing = [record_id for record_id in committed if record_id not in stored]
        assert missing == []
        creates = project.audit.entries(action="record.create")
        assert len(creates) == len(stored)
    assert len(committed) > TRIALS
