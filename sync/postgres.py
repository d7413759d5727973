"""The PostgreSQL store: append-only tables, a role per workstation, per-site RLS.

Schema ``haiops``:

- every table refuses UPDATE, DELETE and TRUNCATE (triggers), so bundles,
  outcomes and rosters are only ever added;
- a workstation logs in with its own role, a member of ``haiops_workstation``,
  which may only insert into the inbox (and read its site's accepted bundles
  and rosters for a pull);
- the site lead's role, a member of ``haiops_lead``, ingests;
- row-level security keys every row to a site, and the site of a session is
  looked up from ``session_user`` (which a client cannot change with SET
  ROLE or a settable variable) in ``haiops.members``;
- ``accepted`` is unique on the bundle hash and on (device, sequence).

Which inbox entries are still waiting is derived from ``outcomes``: an entry
waits while it has no outcome or its latest outcome is a release.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import psycopg
from psycopg import sql

from sync.canonical import sha256_hex
from sync.errors import StoreError
from sync.stores import DECISIONS, AcceptedBundle, QuarantineEntry

logger = logging.getLogger(__name__)

WORKSTATION_GROUP = "haiops_workstation"
LEAD_GROUP = "haiops_lead"

_TABLES = ("members", "inbox", "outcomes", "accepted", "quarantine", "rosters")

_SCHEMA = """
CREATE SCHEMA IF NOT EXISTS haiops;

CREATE TABLE IF NOT EXISTS haiops.members (
    role_name name PRIMARY KEY,
    site_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('workstation', 'lead')),
    device_id text
);

CREATE OR REPLACE FUNCTION haiops.session_site() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, haiops
    AS $$ SELECT site_id FROM haiops.members WHERE role_name = session_user $$;

CREATE TABLE IF NOT EXISTS haiops.inbox (
    id bigserial PRIMARY KEY,
    site_id text NOT NULL DEFAULT haiops.session_site(),
    entry text NOT NULL UNIQUE,
    data bytea NOT NULL,
    submitted_by name NOT NULL DEFAULT session_user,
    received_at timestamptz NOT NULL DEFAULT now(),
    CHECK (entry = encode(sha256(data), 'hex'))
);

CREATE TABLE IF NOT EXISTS haiops.outcomes (
    id bigserial PRIMARY KEY,
    site_id text NOT NULL DEFAULT haiops.session_site(),
    entry text NOT NULL REFERENCES haiops.inbox (entry),
    outcome text NOT NULL
        CHECK (outcome IN ('accepted', 'duplicate', 'quarantined',
                           'released', 'rejected')),
    reason text,
    detail text,
    decided_by name NOT NULL DEFAULT session_user,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS haiops.accepted (
    id bigserial PRIMARY KEY,
    site_id text NOT NULL DEFAULT haiops.session_site(),
    bundle_hash text NOT NULL UNIQUE,
    device_id text NOT NULL,  -- the device key ID: sequence numbers count per key
    sequence integer NOT NULL CHECK (sequence > 0),
    data bytea NOT NULL,
    accepted_by name NOT NULL DEFAULT session_user,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, sequence)
);

CREATE TABLE IF NOT EXISTS haiops.quarantine (
    id bigserial PRIMARY KEY,
    site_id text NOT NULL DEFAULT haiops.session_site(),
    entry text NOT NULL UNIQUE REFERENCES haiops.inbox (entry),
    data bytea NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS haiops.rosters (
    id bigserial PRIMARY KEY,
    site_id text NOT NULL DEFAULT haiops.session_site(),
    version integer NOT NULL,
    data bytea NOT NULL,
    UNIQUE (site_id, version)
);

CREATE OR REPLACE FUNCTION haiops.refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'haiops.% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;
"""

_GROUPS = (WORKSTATION_GROUP, LEAD_GROUP)


def init_schema(admin_url: str) -> None:
    """Create the schema, triggers, group roles and policies (idempotent).

    Parameters
    ----------
    admin_url
        A connection string of a role that may create roles and schemas.
    """
    with _connect(admin_url) as connection, connection.transaction():
        connection.execute(_SCHEMA)
        for table in _TABLES:
            _append_only(connection, table)
        for group in _GROUPS:
            exists = connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)
            ).fetchone()
            if exists is None:
                connection.execute(
                    sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group))
                )
        _grants(connection)
        _policies(connection)
    logger.info("Initialised the PostgreSQL store schema")


def _append_only(connection: psycopg.Connection[Any], table: str) -> None:
    name = sql.Identifier("haiops", table)
    for operation, level in (("UPDATE OR DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
        trigger = sql.Identifier(f"{table}_append_only_{level.lower()}")
        connection.execute(
            sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(trigger, name)
        )
        connection.execute(
            sql.SQL(
                "CREATE TRIGGER {} BEFORE "
                + operation
                + " ON {} FOR EACH "
                + level
                + " EXECUTE FUNCTION haiops.refuse_change()"
            ).format(trigger, name)
        )


def _grants(connection: psycopg.Connection[Any]) -> None:
    statements = [
        "REVOKE ALL ON ALL TABLES IN SCHEMA haiops FROM PUBLIC",
        "REVOKE ALL ON FUNCTION haiops.session_site() FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA haiops TO {WORKSTATION_GROUP}, {LEAD_GROUP}",
        f"GRANT EXECUTE ON FUNCTION haiops.session_site() "
        f"TO {WORKSTATION_GROUP}, {LEAD_GROUP}",
        f"GRANT INSERT ON haiops.inbox TO {WORKSTATION_GROUP}",
        f"GRANT USAGE ON SEQUENCE haiops.inbox_id_seq TO {WORKSTATION_GROUP}",
        f"GRANT SELECT ON haiops.accepted, haiops.rosters TO {WORKSTATION_GROUP}",
        f"GRANT SELECT, INSERT ON haiops.inbox, haiops.outcomes, haiops.accepted, "
        f"haiops.quarantine, haiops.rosters TO {LEAD_GROUP}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA haiops TO {LEAD_GROUP}",
    ]
    for statement in statements:
        connection.execute(statement.encode())


def _policies(connection: psycopg.Connection[Any]) -> None:
    site = "site_id = haiops.session_site()"
    policies = {
        "inbox": [
            (
                "ws_insert",
                "INSERT",
                WORKSTATION_GROUP,
                None,
                f"{site} AND submitted_by = session_user",
            ),
            ("lead_read", "SELECT", LEAD_GROUP, site, None),
            ("lead_insert", "INSERT", LEAD_GROUP, None, site),
        ],
        "accepted": [
            ("read", "SELECT", f"{WORKSTATION_GROUP}, {LEAD_GROUP}", site, None),
            ("lead_insert", "INSERT", LEAD_GROUP, None, site),
        ],
        "rosters": [
            ("read", "SELECT", f"{WORKSTATION_GROUP}, {LEAD_GROUP}", site, None),
            ("lead_insert", "INSERT", LEAD_GROUP, None, site),
        ],
        "outcomes": [
            ("lead_read", "SELECT", LEAD_GROUP, site, None),
            ("lead_insert", "INSERT", LEAD_GROUP, None, site),
        ],
        "quarantine": [
            ("lead_read", "SELECT", LEAD_GROUP, site, None),
            ("lead_insert", "INSERT", LEAD_GROUP, None, site),
        ],
    }
    for table, rules in policies.items():
        connection.execute(
            f"ALTER TABLE haiops.{table} ENABLE ROW LEVEL SECURITY".encode()
        )
        connection.execute(
            f"ALTER TABLE haiops.{table} FORCE ROW LEVEL SECURITY".encode()
        )
        for name, command, roles, using, check in rules:
            connection.execute(
                f"DROP POLICY IF EXISTS {name} ON haiops.{table}".encode()
            )
            text = f"CREATE POLICY {name} ON haiops.{table} FOR {command} TO {roles}"
            if using:
                text += f" USING ({using})"
            if check:
                text += f" WITH CHECK ({check})"
            connection.execute(text.encode())


def role_name(kind: str, name: str) -> str:
    """Return a login role name for a workstation or site lead (lowercase, safe)."""
    cleaned = "".join(c if c.isalnum() else "_" for c in name.lower())[:40]
    return f"haiops_{kind}_{cleaned}"


def add_member(
    admin_url: str, site_id: str, kind: str, name: str, *, password: str | None = None
) -> tuple[str, str]:
    """Create a login role for a workstation (``device_id``) or a site lead.

    Returns
    -------
    tuple of str
        The role name and its password (generated when not given).
    """
    if kind not in ("workstation", "lead"):
        raise ValueError(f"kind must be workstation or lead, not {kind!r}")
    role = role_name("ws" if kind == "workstation" else "lead", name)
    password = password or secrets.token_urlsafe(24)
    group = WORKSTATION_GROUP if kind == "workstation" else LEAD_GROUP
    with _connect(admin_url) as connection, connection.transaction():
        connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(role), sql.Literal(password), sql.Identifier(group)
            )
        )
        connection.execute(
            "INSERT INTO haiops.members (role_name, site_id, kind, device_id) "
            "VALUES (%s, %s, %s, %s)",
            (role, site_id, kind, name if kind == "workstation" else None),
        )
    return role, password


def _connect(url: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as error:
        raise StoreError(type(error).__name__, path=_safe(url)) from error


def _safe(url: str) -> str:
    """Return the connection string without its password, for messages."""
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "PostgreSQL store"
    params.pop("password", None)
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items()})


class PostgresStore:
    """A store in PostgreSQL, opened with one workstation's or site lead's role.

    Parameters
    ----------
    url
        libpq connection string or URL for the role.
    """

    def __init__(self, url: str) -> None:
        self.location = _safe(url)
        self._connection = _connect(url)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, query: str, parameters: tuple[Any, ...] = ()) -> Any:
        try:
            return self._connection.execute(query.encode(), parameters)
        except psycopg.Error as error:
            raise StoreError(
                f"{type(error).__name__}: {error}", path=self.location
            ) from error

    def put_inbox(self, data: bytes) -> str:
        """See :meth:`sync.stores.Store.put_inbox`."""
        entry = sha256_hex(data)
        # No ON CONFLICT: it needs SELECT on the inbox, which workstations lack.
        try:
            self._connection.execute(
                b"INSERT INTO haiops.inbox (entry, data) VALUES (%s, %s)", (entry, data)
            )
        except psycopg.errors.UniqueViolation:
            logger.info("Bundle %s was already in the inbox", entry[:12])
        except psycopg.Error as error:
            raise StoreError(
                f"{type(error).__name__}: {error}", path=self.location
            ) from error
        return entry

    def inbox(self) -> list[str]:
        """See :meth:`sync.stores.Store.inbox`."""
        rows = self._execute(
            "SELECT i.entry FROM haiops.inbox i LEFT JOIN LATERAL ("
            " SELECT o.outcome FROM haiops.outcomes o WHERE o.entry = i.entry"
            " ORDER BY o.id DESC LIMIT 1) last ON true "
            "WHERE last.outcome IS NULL OR last.outcome = 'released' ORDER BY i.id"
        ).fetchall()
        return [str(row[0]) for row in rows]

    def read_inbox(self, entry: str) -> bytes:
        """See :meth:`sync.stores.Store.read_inbox`."""
        row = self._execute(
            "SELECT data FROM haiops.inbox WHERE entry = %s", (entry,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no inbox entry {entry}", path=self.location)
        return bytes(row[0])

    def accept(self, entry: str, bundle: AcceptedBundle, data: bytes) -> None:
        """See :meth:`sync.stores.Store.accept` (one transaction)."""
        with self._connection.transaction():
            self._execute(
                "INSERT INTO haiops.accepted (bundle_hash, device_id, sequence, data) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (bundle_hash) DO NOTHING",
                (bundle.bundle_hash, bundle.device_id, bundle.sequence, data),
            )
            self._outcome(entry, "accepted", None, bundle.bundle_hash)

    def _outcome(
        self, entry: str, outcome: str, reason: str | None, detail: str | None
    ) -> None:
        self._execute(
            "INSERT INTO haiops.outcomes (entry, outcome, reason, detail) "
            "VALUES (%s, %s, %s, %s)",
            (entry, outcome, reason, detail),
        )

    def drop_duplicate(self, entry: str) -> None:
        """See :meth:`sync.stores.Store.drop_duplicate`."""
        self._outcome(entry, "duplicate", None, None)

    def quarantine(self, entry: str, data: bytes, reason: str, detail: str) -> None:
        """See :meth:`sync.stores.Store.quarantine` (one transaction)."""
        with self._connection.transaction():
            self._execute(
                "INSERT INTO haiops.quarantine (entry, data) VALUES (%s, %s) "
                "ON CONFLICT (entry) DO NOTHING",
                (entry, data),
            )
            self._outcome(entry, "quarantined", reason, detail)

    def accepted(self) -> list[AcceptedBundle]:
        """See :meth:`sync.stores.Store.accepted`."""
        rows = self._execute(
            "SELECT bundle_hash, device_id, sequence FROM haiops.accepted "
            "ORDER BY device_id, sequence"
        ).fetchall()
        return [AcceptedBundle(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    def read_accepted(self, bundle_hash: str) -> bytes:
        """See :meth:`sync.stores.Store.read_accepted`."""
        row = self._execute(
            "SELECT data FROM haiops.accepted WHERE bundle_hash = %s", (bundle_hash,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no accepted bundle {bundle_hash}", path=self.location)
        return bytes(row[0])

    def quarantined(self) -> list[QuarantineEntry]:
        """See :meth:`sync.stores.Store.quarantined`."""
        rows = self._execute(
            "SELECT q.entry, r.reason, r.detail, d.outcome, d.reason "
            "FROM haiops.quarantine q "
            "LEFT JOIN LATERAL (SELECT reason, detail FROM haiops.outcomes o "
            " WHERE o.entry = q.entry AND o.outcome = 'quarantined' "
            " ORDER BY o.id DESC LIMIT 1) r ON true "
            "LEFT JOIN LATERAL (SELECT outcome, reason FROM haiops.outcomes o "
            " WHERE o.entry = q.entry AND o.outcome IN ('released', 'rejected') "
            " ORDER BY o.id DESC LIMIT 1) d ON true ORDER BY q.id"
        ).fetchall()
        return [
            QuarantineEntry(str(r[0]), str(r[1]), str(r[2] or ""), r[3], r[4])
            for r in rows
        ]

    def decide(self, entry: str, decision: str, reason: str, by: str) -> None:
        """See :meth:`sync.stores.Store.decide`; the deciding role is recorded."""
        if decision not in DECISIONS or not reason.strip():
            raise StoreError(
                f"decision {decision!r} needs a reason", path=self.location
            )
        self._outcome(entry, decision, reason, f"by {by}")

    def roster(self) -> bytes | None:
        """See :meth:`sync.stores.Store.roster`."""
        row = self._execute(
            "SELECT data FROM haiops.rosters ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return None if row is None else bytes(row[0])

    def put_roster(self, data: bytes, version: int) -> None:
        """See :meth:`sync.stores.Store.put_roster`."""
        self._execute(
            "INSERT INTO haiops.rosters (version, data) VALUES (%s, %s)",
            (version, data),
        )
