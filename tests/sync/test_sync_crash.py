from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_support import PASSWORD, Site, enrol, make_site, new_project

from storage.project import Project, open_project
from sync.bundle import read_bundle
from sync.ingest import ingest
from sync.stores import FolderStore
from sync.workstation import push

TRIALS = 50


class Crash(BaseException):
    """Stands for a kill: nothing in the code under test catches it."""


def _crash_at(step: int) -> tuple[Callable[[str], None], list[str]]:
    seen: list[str] = []

    def fault(name: str) -> None:
        seen.append(name)
        if len(seen) == step:
            raise Crash(name)

    return fault, seen


def _reopen(project: Project, folder: Path) -> Project:
    project.connection.close()  # as a kill would: no sign-out, nothing committed
    project.connection = None
    return open_project(
        folder, user_id="reader1", password=PASSWORD, workstation="ws-a"
    )


def _store_revisions(site: Site) -> list[str]:
    ids = []
    for accepted in site.store.accepted():
        bundle = read_bundle(site.store.read_accepted(accepted.bundle_hash))
        ids.extend(
            row["revision_id"] for row in json.loads(bundle.files["revisions.json"])
        )
    return ids


def _local_revisions(project: Project) -> list[str]:
    return [revision.revision_id for _, revision in project.records.since(0)]


def test_a_push_killed_at_any_step_and_resumed_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "store")
    project = new_project(tmp_path / "ws", workstation="ws-a")
    enrol(project, site)
    rng = random.Random(20261203)
    crashes = 0
    for trial in range(TRIALS):
        for _ in range(rng.randint(1, 2)):
            project.records.create("roi", {"label": f"trial {trial}"})
        fault, _ = _crash_at(rng.randint(1, 8))
        store = FolderStore(site.store.root, fault=fault)
        try:
            push(project, store, fault=fault)
        except Crash:
            crashes += 1
            project = _reopen(project, tmp_path / "ws")
            push(project, site.store)  # resumed
        if trial % 7 == 0:
            ingest(site.store, site.keys)
    ingest(site.store, site.keys)

    stored = _store_revisions(site)
    assert crashes > TRIALS // 2
    assert len(stored) == len(set(stored))
    assert sorted(stored) == sorted(_local_revisions(project))
    assert site.store.inbox() == []
    assert site.store.quarantined() == []
    project.close()


def test_an_ingest_killed_at_any_step_and_resumed_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "store")
    project = new_project(tmp_path / "ws", workstation="ws-a")
    enrol(project, site)
    rng = random.Random(1203)
    crashes = 0
    for trial in range(TRIALS):
        for _ in range(rng.randint(1, 2)):
            project.records.create("roi", {"label": f"trial {trial}"})
            push(project, site.store)
        fault, _ = _crash_at(rng.randint(1, 10))
        try:
            ingest(FolderStore(site.store.root, fault=fault), site.keys, fault=fault)
        except Crash:
            crashes += 1
            ingest(site.store, site.keys)  # resumed
        assert site.store.inbox() == []

    stored = _store_revisions(site)
    sequences = [a.sequence for a in site.store.accepted()]
    assert crashes > TRIALS // 2
    assert sequences == list(range(1, len(sequences) + 1))
    assert len(stored) == len(set(stored))
    assert sorted(stored) == sorted(_local_revisions(project))
    assert site.store.quarantined() == []
    project.close()


_CHILD = """
import sys
from pathlib import Path
from storage.project import open_project
from sync.ingest import ingest
from sync.keys import StoreKeys
from sync.stores import FolderStore
from sync.workstation import push

kind, project, store, keys = sys.argv[1:5]
if kind == "push":
    with open_project(Path(project), user_id="reader1", password=sys.argv[5],
                      workstation="ws-a") as opened:
        push(opened, FolderStore(Path(store)))
else:
    ingest(FolderStore(Path(store)), StoreKeys.load(Path(keys), "pass"))
"""


@pytest.mark.slow
def test_push_and_ingest_killed_with_sigkill_and_resumed_lose_nothing(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "store")
    site.keys.save(tmp_path / "store.keys", "pass")
    folder = tmp_path / "ws"
    new_project(folder, workstation="ws-a").close()
    with open_project(
        folder, user_id="reader1", password=PASSWORD, workstation="ws-a"
    ) as project:
        enrol(project, site)
    rng = random.Random(7)
    root = Path(__file__).resolve().parents[2]
    for trial in range(6):
        with open_project(
            folder, user_id="reader1", password=PASSWORD, workstation="ws-a"
        ) as project:
            for _ in range(20):
                project.records.create("roi", {"label": f"trial {trial}"})
        for kind in ("push", "ingest"):
            child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _CHILD,
                    kind,
                    str(folder),
                    str(site.store.root),
                    str(tmp_path / "store.keys"),
                    PASSWORD,
                ],
                cwd=root,
                env={**os.environ, "PYTHONPATH": str(root)},
            )
            time.sleep(rng.uniform(0.0, 1.5))
            child.send_signal(signal.SIGKILL)
            child.wait()
        with open_project(
            folder, user_id="reader1", password=PASSWORD, workstation="ws-a"
        ) as project:
            push(project, site.store)  # resumed
        ingest(site.store, site.keys)

    with open_project(
        folder, user_id="reader1", password=PASSWORD, workstation="ws-a"
    ) as project:
        local = _local_revisions(project)
    stored = _store_revisions(site)
    assert len(stored) == len(set(stored)) == 120
    assert sorted(stored) == sorted(local)
    assert site.store.inbox() == []
    assert site.store.quarantined() == []
