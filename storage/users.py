"""People who sign in to a project, with their roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROLES = ("annotator", "reviewer", "site_lead", "admin")


@dataclass(frozen=True)
class User:
    """A person with an account in a project. User IDs are never reused."""

    user_id: str
    printed_name: str
    roles: frozenset[str]
    is_active: bool = True


def read_user(connection: Any, user_id: str) -> User | None:
    """Return the user with ``user_id`` from the project database, if any."""
    row = connection.execute(
        "SELECT user_id, printed_name, roles, is_active FROM users WHERE user_id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        return None
    return User(
        user_id=row[0],
        printed_name=row[1],
        roles=frozenset(role for role in row[2].split(",") if role),
        is_active=bool(row[3]),
    )


def list_users(connection: Any) -> list[User]:
    """Return every user of the project, deactivated ones included."""
    rows = connection.execute("SELECT user_id FROM users ORDER BY user_id").fetchall()
    return [user for row in rows if (user := read_user(connection, row[0]))]
