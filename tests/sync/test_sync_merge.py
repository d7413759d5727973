from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import PASSWORD, Site, enrol, make_site, new_project

from storage.project import Project, open_project
from sync.ingest import ingest
from sync.workstation import apply_file, device_keys, pull, push, status


def _accepted_bytes(site: Site) -> list[bytes]:
    return [site.store.read_accepted(a.bundle_hash) for a in site.store.accepted()]


def _state(project: Project) -> tuple[set[str], list[list[str]]]:
    revisions = {r.revision_id for r in _all_revisions(project)}
    conflicts = sorted(
        sorted(r.revision_id for r in heads) for heads in project.records.conflicts()
    )
    return revisions, conflicts


def _all_revisions(project: Project) -> list:  # type: ignore[type-arg]
    rows = project.connection.execute("SELECT record_id FROM revisions").fetchall()
    found = []
    for record_id in {row[0] for row in rows}:
        found.extend(project.records.history(record_id))
    return found


def test_applying_a_bundle_twice_changes_nothing(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha, beta = workstation("ws-alpha"), workstation("ws-beta")
    alpha.records.create("roi", {"label": "lesion"})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    (data,) = _accepted_bytes(site)

    first = apply_file(beta, data)
    before = _state(beta)
    second = apply_file(beta, data)

    assert (first.status, first.added) == ("applied", 1)
    assert (second.status, second.added) == ("already applied", 0)
    assert _state(beta) == before
    assert pull(beta, site.store).applied == []


def test_a_bundle_that_skips_ahead_is_held_until_the_gap_closes(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha, beta = workstation("ws-alpha"), workstation("ws-beta")
    for label in ("one", "two", "three"):
        alpha.records.create("roi", {"label": label})
        push(alpha, site.store)
    ingest(site.store, site.keys)
    first, second, third = _accepted_bytes(site)

    assert apply_file(beta, first).status == "applied"
    assert apply_file(beta, third).status == "held"
    assert status(beta).gaps == {device_keys(alpha).key_id: [2]}
    assert len(beta.records.current("roi")) == 1
    released = apply_file(beta, second)

    assert (released.status, released.added, len(released.released)) == (
        "applied",
        2,
        1,
    )
    assert status(beta).gaps == {}
    assert status(beta).applied == {device_keys(alpha).key_id: 3}
    assert sorted(r.body["label"] for r in beta.records.current("roi")) == [
        "one",
        "three",
        "two",
    ]


def test_ingest_holds_a_bundle_whose_predecessor_has_not_arrived(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    alpha.records.create("roi", {"label": "one"})
    first = push(alpha, site.store)
    held_path = site.store.root / "inbox" / f"{first.entry}.sealed"
    saved = held_path.read_bytes()
    held_path.unlink()
    alpha.records.create("roi", {"label": "two"})
    push(alpha, site.store)

    report = ingest(site.store, site.keys)
    assert report.accepted == []
    assert [(device, seq, expected) for _, device, seq, expected in report.held] == [
        (device_keys(alpha).key_id, 2, 1)
    ]
    site.store.put_inbox(saved)
    assert len(ingest(site.store, site.keys).accepted) == 2
    assert site.store.inbox() == []


def test_two_workstations_editing_one_roi_offline_end_in_one_conflict(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha, beta = workstation("ws-alpha"), workstation("ws-beta")
    series = alpha.records.create("item", {"kind": "series", "title": "CT chest"})
    roi = alpha.records.create(
        "roi",
        {"label": "nodule", "slice": 12, "points_mm": [[10.5, -3.25]]},
        item_id=series.record_id,
    )
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)

    # Both edit the same ROI revision without syncing.
    mine = alpha.records.revise(roi.record_id, {"label": "nodule", "slice": 13})
    theirs = beta.records.revise(roi.record_id, {"label": "mass", "slice": 12})
    push(alpha, site.store)
    push(beta, site.store)
    ingest(site.store, site.keys)
    for project in (alpha, beta, alpha):
        pull(project, site.store)

    assert _state(alpha) == _state(beta)
    (conflict,) = alpha.records.conflicts()
    assert {r.revision_id for r in conflict} == {mine.revision_id, theirs.revision_id}
    assert len(beta.records.conflicts()) == 1

    # Resolved only by a new revision with a reason; it travels like any other.
    fixed = alpha.records.revise(
        roi.record_id,
        {"label": "nodule", "slice": 13},
        reason="agreed at consensus read",
        supersedes=mine.revision_id,
        resolves=[theirs.revision_id],
    )
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)
    assert beta.records.conflicts() == []
    assert beta.records.head(roi.record_id).revision_id == fixed.revision_id
    assert _state(alpha) == _state(beta)


_bundles: dict[str, object] = {}


def _prepared(root: Path) -> tuple[list[bytes], Path]:
    """Bundles of two devices with a conflict, and an enrolled empty project."""
    site = make_site(root / "store")
    alpha = new_project(root / "alpha", workstation="ws-alpha")
    beta = new_project(root / "beta", workstation="ws-beta")
    target = new_project(root / "target", workstation="ws-target")
    with alpha, beta, target:
        for project in (alpha, beta, target):
            enrol(project, site)
        roi = alpha.records.create("roi", {"label": "a"})
        push(alpha, site.store)
        ingest(site.store, site.keys)
        pull(beta, site.store)
        for number in range(2):
            alpha.records.revise(roi.record_id, {"label": f"alpha {number}"})
            push(alpha, site.store)
            beta.records.create("roi", {"label": f"beta {number}"})
            push(beta, site.store)
        beta.records.revise(roi.record_id, {"label": "beta edit"})
        push(beta, site.store)
        ingest(site.store, site.keys)
    return _accepted_bytes(site), root / "target"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.permutations(range(6)))
def test_the_result_does_not_depend_on_the_order_of_bundles(
    tmp_path: Path, order: list[int]
) -> None:
    if "bundles" not in _bundles:
        _bundles["bundles"], _bundles["target"] = _prepared(tmp_path / "prepared")
        _bundles["expected"] = None
    bundles: list[bytes] = _bundles["bundles"]  # type: ignore[assignment]
    folder = tmp_path / f"run-{'-'.join(map(str, order))}"
    shutil.copytree(_bundles["target"], folder)  # type: ignore[arg-type]

    with open_project(
        folder, user_id="reader1", password=PASSWORD, workstation="ws-target"
    ) as project:
        for index in order:
            apply_file(project, bundles[index])
        for index in order:  # and everything again: nothing changes
            apply_file(project, bundles[index])
        result = _state(project)
        assert status(project).gaps == {}

    assert len(bundles) == 6
    assert len(result[1]) == 1
    if _bundles["expected"] is None:
        _bundles["expected"] = result
    assert result == _bundles["expected"]
