from __future__ import annotations

import psycopg
import pytest
from sync_support import new_project

from storage.project import Project
from sync.errors import StoreError
from sync.ingest import enrol_device, ingest, init_store
from sync.keys import StoreKeys
from sync.postgres import PostgresStore, add_member, init_schema
from sync.workstation import enrolment_request, join, pull, push

pytestmark = pytest.mark.postgres


def _as(url: str, role: str, password: str) -> str:
    params = psycopg.conninfo.conninfo_to_dict(url)
    params.update(user=role, password=password)
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items()})


class _Site:
    def __init__(self, admin: str, site_id: str, suffix: str) -> None:
        self.keys = StoreKeys.generate(site_id)
        role, password = add_member(admin, site_id, "lead", f"{site_id}-{suffix}")
        self.lead_url = _as(admin, role, password)
        self.lead = PostgresStore(self.lead_url)
        init_store(self.lead, self.keys)
        self.admin = admin

    def enrol(self, project: Project) -> PostgresStore:
        role, password = add_member(
            self.admin, self.keys.site_id, "workstation", project.workstation_id
        )
        join(project, enrol_device(self.lead, self.keys, enrolment_request(project)))
        return PostgresStore(_as(self.admin, role, password))


@pytest.fixture(scope="module")
def admin(postgres_url: str) -> str:
    init_schema(postgres_url)
    init_schema(postgres_url)  # a second run changes nothing
    return postgres_url


def test_push_ingest_pull_through_postgres_with_roles_and_rls(
    admin: str, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    site_a = _Site(admin, "pg-a", "one")
    site_b = _Site(admin, "pg-b", "one")
    alpha = new_project(tmp_path / "alpha", workstation="pg-alpha")  # type: ignore[operator]
    beta = new_project(tmp_path / "beta", workstation="pg-beta")  # type: ignore[operator]
    bravo = new_project(tmp_path / "bravo", workstation="pg-bravo")  # type: ignore[operator]
    with alpha, beta, bravo:
        alpha_store = site_a.enrol(alpha)
        beta_store = site_a.enrol(beta)
        bravo_store = site_b.enrol(bravo)
        roi = alpha.records.create("roi", {"label": "lesion"})

        pushed = push(alpha, alpha_store)
        push(alpha, alpha_store)  # nothing new: no second row
        report = ingest(site_a.lead, site_a.keys)
        pulled = pull(beta, beta_store)

        assert report.accepted == [pushed.bundle_hash]
        assert pulled.applied == [pushed.bundle_hash]
        assert beta.records.head(roi.record_id).body == {"label": "lesion"}
        # Row-level security: site B sees nothing of site A.
        assert bravo_store.accepted() == []
        assert site_b.lead.inbox() == []
        assert [a.bundle_hash for a in alpha_store.accepted()] == [pushed.bundle_hash]
        assert len(site_b.lead.accepted()) == 0

        # A workstation role may insert into the inbox, nothing more.
        with pytest.raises(StoreError, match="InsufficientPrivilege"):
            alpha_store.inbox()
        with pytest.raises(StoreError, match="InsufficientPrivilege"):
            alpha_store.put_roster(b"{}", 99)
        with pytest.raises(StoreError):
            alpha_store._execute(
                "INSERT INTO haiops.inbox (site_id, entry, data) VALUES ('pg-b', "
                "encode(sha256('x'::bytea), 'hex'), 'x'::bytea)"
            )
        with pytest.raises(StoreError, match="InsufficientPrivilege"):
            alpha_store._execute("SET ROLE haiops_lead")
        # A damaged bundle is quarantined, kept, and decided on with a reason.
        entry = alpha_store.put_inbox(b"HAIOPS-SEALED-BUNDLE\nnot json\n")
        again = ingest(site_a.lead, site_a.keys)
        assert again.quarantined == [(entry, "malformed")]
        site_a.lead.decide(entry, "released", "retry after the fix", "lead1")
        assert site_a.lead.inbox() == [entry]
        ingest(site_a.lead, site_a.keys)
        site_a.lead.decide(entry, "rejected", "not a bundle", "lead1")
        (kept,) = site_a.lead.quarantined()
        assert (kept.entry, kept.reason) == (entry, "malformed")
        assert (kept.decision, kept.decision_reason) == ("rejected", "not a bundle")
        assert site_a.lead.inbox() == []
        for store in (alpha_store, beta_store, bravo_store):
            store.close()


def test_tables_are_append_only_and_unique_even_for_the_owner(admin: str) -> None:
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO haiops.members VALUES ('nobody_x', 'pg-x', 'lead', NULL)"
        )
        for statement in (
            "UPDATE haiops.members SET site_id = 'pg-y'",
            "DELETE FROM haiops.members",
            "TRUNCATE haiops.members",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                connection.execute(statement.encode())
        row = "('pg-x', %s, 'device-x', 1, 'x'::bytea)"
        insert = (
            "INSERT INTO haiops.accepted (site_id, bundle_hash, device_id, sequence, "
            f"data) VALUES {row}"
        )
        connection.execute(insert.encode(), ("a" * 64,))
        with pytest.raises(psycopg.errors.UniqueViolation):
            connection.execute(insert.encode(), ("b" * 64,))
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            connection.execute(b"DELETE FROM haiops.accepted")


def test_a_store_that_cannot_be_reached_names_the_store(
    admin: str, tmp_path: pytest.TempPathFactory
) -> None:
    url = _as(admin, "haiops_nobody", "wrong")
    with pytest.raises(StoreError) as raised:
        PostgresStore(url)
    assert "password" not in str(raised.value.path)
    assert "haiops_nobody" in str(raised.value.path)
