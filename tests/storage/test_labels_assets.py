from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.assets import get_asset, list_assets, put_asset
from storage.errors import RecordError
from storage.labels import (
    Label,
    LabelSetError,
    current_label_set,
    label_set_version,
    load_label_set_json,
    save_label_set,
)
from storage.project import open_project
from tests.storage.helpers import ADMIN


@pytest.fixture
def project(folder: Path):  # type: ignore[no-untyped-def]
    with open_project(folder, user_id="ada", password=ADMIN[2]) as opened:
        yield opened


LUNG = Label("lung nodule", "#ff8800", "1", "solid or part-solid")
EFFUSION = Label("effusion", "#0088ff", "2")


def test_label_sets_are_versioned_per_scope(project) -> None:  # type: ignore[no-untyped-def]
    assert current_label_set(project.records, "image").version == 0
    save_label_set(project.records, "image", [LUNG])
    saved = save_label_set(project.records, "image", [LUNG, EFFUSION], reason="add")
    assert saved.version == 2
    assert current_label_set(project.records, "image").labels == (LUNG, EFFUSION)
    assert label_set_version(project.records, "image", 1).labels == (LUNG,)
    assert current_label_set(project.records, "document").version == 0


def test_label_set_rules(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LabelSetError, match="label names repeat"):
        save_label_set(project.records, "image", [LUNG, LUNG])
    with pytest.raises(LabelSetError, match="is not #rrggbb"):
        save_label_set(project.records, "image", [Label("x", "orange")])
    with pytest.raises(LabelSetError, match="unknown scope"):
        save_label_set(project.records, "video", [LUNG])


def test_label_json_import(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(
        json.dumps({"labels": [{"name": "nodule", "colour": "#112233", "key": "3"}]})
    )
    assert load_label_set_json(path) == [Label("nodule", "#112233", "3")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "Expecting property name"),
        ('{"labels": 3}', "expected a list of labels"),
        ('[{"name": "a"}]', "label 1 needs a name and a colour"),
        ('[{"name": "a", "colour": "#12"}]', "is not #rrggbb"),
        ('[{"name": "a", "colour": "#123456", "key": "0"}]', "is not 1-9"),
    ],
)
def test_label_json_errors_name_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "labels.json"
    path.write_text(text)
    with pytest.raises(LabelSetError, match=message) as caught:
        load_label_set_json(path)
    assert caught.value.path == str(path)


def test_assets_are_written_once_per_version(project) -> None:  # type: ignore[no-untyped-def]
    assert put_asset(project, "meddra", "llt", b"abc", version="27.0") is True
    assert put_asset(project, "meddra", "llt", b"abc", version="27.0") is False
    with pytest.raises(RecordError, match="exists with other content"):
        put_asset(project, "meddra", "llt", b"xyz", version="27.0")
    put_asset(project, "meddra", "llt", b"def", version="27.1")
    assert get_asset(project, "meddra", "llt", version="27.0") == b"abc"
    assert get_asset(project, "meddra", "llt") == b"def"
    assert get_asset(project, "meddra", "pt") is None
    assert [row[:2] for row in list_assets(project, "meddra")] == [
        ("llt", "27.0"),
        ("llt", "27.1"),
    ]
    assert [e.action for e in project.audit.entries(action="asset.put")] == [
        "asset.put",
        "asset.put",
    ]
