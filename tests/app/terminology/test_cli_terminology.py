from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.cli_terminology import register


def _run(monkeypatch: pytest.MonkeyPatch, *argv: str, password: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(list(argv))


def test_search_a_release_folder(
    meddra_folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status = _run(
        monkeypatch,
        "terminology",
        "search",
        "Fatigue",
        "--folder",
        str(meddra_folder),
        "--meddra-version",
        "27.0",
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "LLT 95000011 Fatigue / 疲労" in out
    assert "*HLT 97000006 Asthenic conditions" in out
    assert "1 results (MedDRA 27.0; * primary SOC)" in out


def test_missing_version_is_a_two_part_message(
    meddra_folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (
        _run(monkeypatch, "terminology", "search", "x", "--folder", str(meddra_folder))
        == 1
    )
    err = capsys.readouterr().err
    assert "version of the terminology" in err
    assert "Give the version" in err


def test_load_search_import_gold_and_export(
    meddra_folder: Path,
    shared_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storage.project import create_project

    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "p"
    password = "Ume-plum 7 Kyoto"
    create_project(folder, name="P", user_id="c1", printed_name="C", password=password)
    sign_in = ("--project", str(folder), "--user", "c1", "--password-stdin")

    assert (
        _run(
            monkeypatch,
            "terminology",
            "load",
            str(meddra_folder),
            "--meddra-version",
            "27.0",
            *sign_in,
            password=password,
        )
        == 0
    )
    assert (
        _run(
            monkeypatch, "terminology", "search", "ずつう", *sign_in, password=password
        )
        == 0
    )
    assert "LLT 95000005 Headache / 頭痛" in capsys.readouterr().out

    xml = shared_data / "tac2017_adr" / "JUBLIA.xml"
    assert (
        _run(monkeypatch, "doc", "import-gold", str(xml), *sign_in, password=password)
        == 0
    )
    out = capsys.readouterr().out
    assert "1 sections, 8 gold spans imported" in out
    assert "labels not in the document label set: AdverseReaction" in out

    out = tmp_path / "gold.jsonl"
    assert (
        _run(
            monkeypatch,
            "doc",
            "export",
            "--format",
            "jsonl",
            str(out),
            *sign_in,
            password=password,
        )
        == 0
    )
    (line,) = out.read_text(encoding="utf-8").splitlines()
    exported = json.loads(line)
    assert len(exported["spans"]) == 8
    assert exported["spans"][0]["gold"] is True
    first = exported["spans"][0]
    start, end = first["fragments"][0]
    assert exported["text"][start:end] == first["text"] == "ingrown toenails"


def test_doc_commands_join_an_existing_doc_parser() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers(dest="command")
    doc = subparsers.add_parser("doc")
    doc.add_subparsers(dest="doc_command").add_parser("open")
    register(subparsers)
    assert parser.parse_args(["doc", "open"]).doc_command == "open"
    parsed = parser.parse_args(
        ["doc", "export", "--format", "brat", "out", "--project", "p", "--user", "u"]
    )
    assert parsed.fmt == "brat"
