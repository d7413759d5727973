from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from sync_support import PASSWORD, Site, enrol, new_project

from app import cli_sync
from storage.project import open_project
from sync.errors import BundleRefusedError, IdentifierFoundError
from sync.ingest import ingest
from sync.workstation import set_store_location

PASSPHRASE = "site lead passphrase"


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str = "",
) -> str:
    parser = argparse.ArgumentParser(prog="haiops")
    cli_sync.register(parser.add_subparsers(dest="command"))
    arguments = parser.parse_args(list(argv))
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert arguments.handler(arguments) == 0
    return capsys.readouterr().out


def test_a_site_lead_and_two_workstations_sync_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store, keys = str(tmp_path / "store"), str(tmp_path / "lead" / "store.keys")
    (tmp_path / "lead").mkdir()
    key_options = ("--keys", keys, "--passphrase-stdin")
    out = _run(
        monkeypatch,
        capsys,
        "store",
        "init",
        store,
        *key_options,
        "--site",
        "site-a",
        stdin=PASSPHRASE,
    )
    assert "Store for site site-a ready; roster version 1" in out

    for name in ("alpha", "beta"):
        new_project(tmp_path / name, workstation=f"ws-{name}").close()
        options = (
            "--project",
            str(tmp_path / name),
            "--user",
            "reader1",
            "--password-stdin",
        )
        request, package = tmp_path / f"{name}.request", tmp_path / f"{name}.package"
        _run(
            monkeypatch,
            capsys,
            "sync",
            "request",
            *options,
            str(request),
            stdin=PASSWORD,
        )
        out = _run(
            monkeypatch,
            capsys,
            "store",
            "enrol",
            store,
            *key_options,
            "--request",
            str(request),
            "--out",
            str(package),
            stdin=PASSPHRASE,
        )
        assert "package written" in out
        out = _run(
            monkeypatch, capsys, "sync", "join", *options, str(package), stdin=PASSWORD
        )
        assert out.startswith("Joined site site-a")

    alpha = (
        "--project",
        str(tmp_path / "alpha"),
        "--user",
        "reader1",
        "--password-stdin",
    )
    beta = (
        "--project",
        str(tmp_path / "beta"),
        "--user",
        "reader1",
        "--password-stdin",
    )
    # The CLI opens projects as this machine's workstation ID; use it for records.
    with open_project(tmp_path / "alpha", user_id="reader1", password=PASSWORD) as p:
        p.records.create("roi", {"label": "lesion"})

    assert "Pushed bundle 1 (1 records)." in _run(
        monkeypatch, capsys, "sync", "push", *alpha, store, stdin=PASSWORD
    )
    out = _run(
        monkeypatch, capsys, "store", "ingest", store, *key_options, stdin=PASSPHRASE
    )
    assert out.startswith("Accepted 1, quarantined 0")
    out = _run(monkeypatch, capsys, "sync", "pull", *beta, store, stdin=PASSWORD)
    assert out.startswith("Applied 1 bundles (1 records)")
    status = json.loads(
        _run(monkeypatch, capsys, "sync", "status", *beta, "--json", stdin=PASSWORD)
    )
    assert status["site_id"] == "site-a"
    assert status["conflicts"] == 0

    with open_project(tmp_path / "alpha", user_id="reader1", password=PASSWORD) as p:
        p.records.create("roi", {"label": "cyst"})
    usb = tmp_path / "usb"
    out = _run(
        monkeypatch, capsys, "bundle", "export", *alpha, str(usb), stdin=PASSWORD
    )
    assert out.startswith("Exported bundle 2")
    (sealed,) = (usb / "inbox").glob("*.sealed")
    out = _run(
        monkeypatch,
        capsys,
        "bundle",
        "verify",
        str(sealed),
        *key_options,
        "--store",
        store,
        stdin=PASSPHRASE,
    )
    assert out.startswith("OK: bundle 2 of ")
    assert "1 records, 1 signatures" in out

    sealed.write_bytes(sealed.read_bytes()[:-1] + b"\x00")
    with pytest.raises(BundleRefusedError) as refused:
        _run(
            monkeypatch,
            capsys,
            "bundle",
            "verify",
            str(sealed),
            *key_options,
            "--store",
            store,
            stdin=PASSPHRASE,
        )
    assert refused.value.reason == "undecryptable"
    (tmp_path / "store" / "inbox" / sealed.name).write_bytes(sealed.read_bytes())
    out = _run(
        monkeypatch, capsys, "store", "ingest", store, *key_options, stdin=PASSPHRASE
    )
    assert "Quarantined" in out
    assert "undecryptable" in out
    entry = sealed.stem
    out = _run(
        monkeypatch,
        capsys,
        "store",
        "quarantine",
        store,
        "--reject",
        entry,
        "--reason",
        "damaged on the USB drive",
        "--by",
        "lead1",
    )
    assert f"{entry} undecryptable" in out
    assert "rejected: damaged on the USB drive" in out


def test_the_store_key_file_may_not_live_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    with pytest.raises(cli_sync.SyncInputError) as refused:
        _run(
            monkeypatch,
            capsys,
            "store",
            "init",
            str(store),
            "--keys",
            str(store / "store.keys"),
            "--passphrase-stdin",
            "--site",
            "site-a",
            stdin=PASSPHRASE,
        )
    assert refused.value.path == str(store / "store.keys")
    assert not store.exists()


def test_push_pull_and_status_use_the_store_saved_in_the_project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    site: Site,
) -> None:
    options = {}
    for name in ("alpha", "beta"):
        project = new_project(tmp_path / name, workstation=f"ws-{name}")
        set_store_location(project, str(site.store.root))
        project.close()
        options[name] = (
            "--project",
            str(tmp_path / name),
            "--user",
            "reader1",
            "--password-stdin",
        )
    # The CLI opens projects as this machine's workstation ID; enrol that too.
    for name in ("alpha", "beta"):
        with open_project(tmp_path / name, user_id="reader1", password=PASSWORD) as p:
            enrol(p, site)
            if name == "alpha":
                p.records.create("roi", {"label": "lesion"})

    alpha, beta = options["alpha"], options["beta"]
    pushed = _run(monkeypatch, capsys, "sync", "push", *alpha, stdin=PASSWORD)
    ingest(site.store, site.keys)
    status = json.loads(
        _run(
            monkeypatch,
            capsys,
            "sync",
            "status",
            *beta,
            "--json",
            stdin=PASSWORD,
        )
    )
    pulled = _run(monkeypatch, capsys, "sync", "pull", *options["beta"], stdin=PASSWORD)
    shown = _run(monkeypatch, capsys, "sync", "status", *beta, stdin=PASSWORD)

    assert pushed == "Pushed bundle 1 (1 records).\n"
    assert (status["store"], status["store_waiting"]) == (str(site.store.root), 1)
    assert pulled.startswith("Applied 1 bundles (1 records)")
    assert f"Store {site.store.root}: 0 accepted bundles not yet pulled" in shown


def test_push_without_a_store_given_or_saved_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    new_project(tmp_path / "alpha", workstation="ws-alpha").close()
    with pytest.raises(cli_sync.SyncInputError) as refused:
        _run(
            monkeypatch,
            capsys,
            "sync",
            "push",
            "--project",
            str(tmp_path / "alpha"),
            "--user",
            "reader1",
            "--password-stdin",
            stdin=PASSWORD,
        )
    assert refused.value.path == str(tmp_path / "alpha")
    assert "no store given and none saved" in str(refused.value)


def test_withhold_unblocks_a_refused_push_from_the_command_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    site: Site,
) -> None:
    new_project(tmp_path / "alpha", workstation="ws-alpha").close()
    with open_project(tmp_path / "alpha", user_id="reader1", password=PASSWORD) as p:
        enrol(p, site)
        set_store_location(p, str(site.store.root))
        roi = p.records.create("roi", {"label": "see /home/reader/cases/ct1.dcm"})
    alpha = ("--project", str(tmp_path / "alpha"), "--user", "reader1")
    signed_in = (*alpha, "--password-stdin")

    with pytest.raises(IdentifierFoundError) as refused:
        _run(monkeypatch, capsys, "sync", "push", *signed_in, stdin=PASSWORD)
    with open_project(tmp_path / "alpha", user_id="reader1", password=PASSWORD) as p:
        p.records.revise(roi.record_id, {"label": "nodule"})
    withheld = _run(
        monkeypatch,
        capsys,
        "sync",
        "withhold",
        *signed_in,
        roi.revision_id,
        "--reason",
        "a file path was typed as the label",
        stdin=PASSWORD,
    )
    pushed = _run(monkeypatch, capsys, "sync", "push", *signed_in, stdin=PASSWORD)

    assert refused.value.fields["revision"] == roi.revision_id
    assert withheld.startswith(f"Withheld revision {roi.revision_id}")
    assert pushed == "Pushed bundle 1 (2 records).\n"
