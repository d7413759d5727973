"""Create and verify a bundle of 100k records against a json+SHA-256+Ed25519 floor.

The floor, measured in the same run on the same records, is what any signed
export must at least do: ``json.dumps(sort_keys=True)``, one SHA-256 and one
Ed25519 signature.  Creating a bundle adds de-identification, the gate and
RFC 8785 canonical form; verifying adds the roster, DSSE and per-file hashes.
Targets: create within 4x the floor, verify within 3x.

Run: ``python benchmarks/bench_bundles.py [--records N] [--repeat R]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
)

from storage.checkpoints import make_checkpoint
from storage.project import Project, create_project, open_project
from sync.bundle import build_bundle, verify_bundle
from sync.deidentify import Deidentifier
from sync.keys import DeviceKeys, StoreKeys
from sync.roster import Roster, device_entry

CREATE_TARGET = 4.0
VERIFY_TARGET = 3.0


def make_records(count: int) -> list[dict[str, Any]]:
    """Revisions shaped like ROIs on CT slices (UIDs, points in mm, labels)."""
    series = "1.2.840.113619.2.55.3.604688119.969.1268071029.320"
    records = []
    for number in range(count):
        record_id = str(uuid.UUID(int=number * 2 + 1))
        records.append(
            {
                "revision_id": str(uuid.UUID(int=number * 2 + 2)),
                "record_id": record_id,
                "record_type": "roi",
                "item_id": str(uuid.UUID(int=7)),
                "supersedes": None,
                "author": "reader1",
                "workstation_id": "ws-bench",
                "created_at": "2026-12-03T17:40:00.123456+00:00",
                "reason": None,
                "is_deleted": False,
                "body": {
                    "label": "nodule",
                    "series_instance_uid": series,
                    "sop_instance_uid": f"{series}.{number % 300 + 1}",
                    "slice": number % 300,
                    "points_mm": [[10.25 + number % 7, -3.5], [12.75, -1.125]],
                    "colour": "#ff8800",
                },
                "resolves": [],
            }
        )
    return records


def timed(work: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_project(home: Path) -> Project:
    """Open a throwaway project whose audit trail signs the bundles' checkpoints."""
    os.environ["HAIOPS_DATA_DIR"] = str(home / "data")
    os.environ["HAIOPS_CONFIG_DIR"] = str(home / "config")
    password = "benchmark passphrase 42"
    create_project(
        home / "bench",
        name="bench",
        user_id="bench",
        printed_name="Bench",
        password=password,
    )
    return open_project(home / "bench", user_id="bench", password=password)


def main() -> int:
    """Run the benchmark and print records/s, ratios and PASS/MISS."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as home, bench_project(Path(home)) as project:
        return run(arguments, project)


def run(arguments: argparse.Namespace, project: Project) -> int:
    """Measure the floor, creating and verifying, and print the report."""
    records = make_records(arguments.records)
    store = StoreKeys.generate("bench-site")
    device = DeviceKeys.generate(project.workstation_id)
    roster = Roster.first(store).with_key(device_entry(device.enrolment_request()))
    floor_key = Ed25519PrivateKey.generate()

    def floor() -> None:
        data = json.dumps(records, sort_keys=True).encode("utf-8")
        floor_key.sign(hashlib.sha256(data).digest())

    def create() -> bytes:
        cleaner = Deidentifier(store.site_secret, patient_strings=["Yamada^Taro"])
        rows = [cleaner.clean(row) for row in records]
        bundle = build_bundle(
            rows,
            site_id="bench-site",
            device_id=project.workstation_id,
            device_key=device.signing,
            sequence=1,
            previous_bundle_hash="0" * 64,
            checkpoint=lambda: make_checkpoint(project, purpose="bundle"),
            created_at="2026-12-03T17:40:00.000000+00:00",
            gate=cleaner.gate,
        )
        return bundle.to_bytes()

    signed = create()

    def verify() -> None:
        bundle = verify_bundle(signed, roster)
        json.loads(bundle.files["revisions.json"])

    floor_s = timed(floor, arguments.repeat)
    create_s = timed(create, arguments.repeat)
    verify_s = timed(verify, arguments.repeat)
    count = len(records)
    print(f"records: {count}, bundle: {len(signed) / 1e6:.1f} MB")
    print(f"floor  (json.dumps + SHA-256 + Ed25519): {count / floor_s:,.0f} records/s")
    for name, seconds, target in (
        ("create", create_s, CREATE_TARGET),
        ("verify", verify_s, VERIFY_TARGET),
    ):
        ratio = seconds / floor_s
        verdict = "PASS" if ratio <= target else "MISS"
        print(
            f"{name}: {count / seconds:,.0f} records/s, {ratio:.2f}x floor "
            f"(target {target:.0f}x) {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
