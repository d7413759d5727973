from __future__ import annotations

import pytest

from storage.errors import PermissionDeniedError
from storage.permissions import allowed, require
from storage.users import User

ROLES = ("annotator", "reviewer", "site_lead", "admin")

# (action, record type): the roles that may, in the order of ROLES.
TABLE = [
    (("create", "roi"), (1, 1, 1, 1)),
    (("revise", "span"), (1, 1, 1, 1)),
    (("delete", "judgement"), (1, 1, 1, 1)),
    (("create", "some_new_type"), (1, 1, 1, 1)),
    (("create", "label_set"), (0, 0, 1, 1)),
    (("revise", "label_set"), (0, 0, 1, 1)),
    (("add", "user"), (0, 0, 0, 1)),
    (("set_roles", "user"), (0, 0, 0, 1)),
    (("deactivate", "user"), (0, 0, 0, 1)),
    (("reset", "user"), (0, 0, 0, 1)),
    (("approve_reset", "user"), (0, 0, 1, 0)),
    (("set", "policy"), (0, 0, 0, 1)),
    (("in_progress", "item"), (1, 1, 1, 0)),
    (("submitted", "item"), (1, 1, 1, 0)),
    (("reviewed", "item"), (0, 1, 1, 0)),
    (("approved", "item"), (0, 1, 1, 0)),
    (("rejected", "item"), (0, 1, 1, 0)),
    (("locked", "item"), (0, 0, 1, 1)),
    (("unlock", "item"), (0, 0, 1, 0)),
    (("sign", "authored"), (1, 1, 1, 0)),
    (("sign", "reviewed"), (0, 1, 1, 0)),
    (("sign", "approved"), (0, 1, 1, 0)),
    (("sign", "rejected"), (0, 1, 1, 0)),
    (("sign", "unlocked"), (0, 0, 1, 0)),
    (("read", "audit"), (0, 1, 1, 1)),
    (("export", "audit"), (0, 1, 1, 1)),
    (("backup", "project"), (0, 0, 1, 1)),
    (("restore", "project"), (0, 0, 0, 1)),
    (("acknowledge", "alert"), (0, 0, 1, 1)),
    (("launch", "rocket"), (0, 0, 0, 0)),
]


@pytest.mark.parametrize(("action", "expected"), TABLE)
def test_role_action_matrix(action: tuple[str, str], expected: tuple[int, ...]) -> None:
    for role, may in zip(ROLES, expected, strict=True):
        user = User("u1", "U One", frozenset({role}))
        assert allowed(user, *action) is bool(may), (role, action)


def test_a_deactivated_user_may_do_nothing() -> None:
    user = User("u1", "U One", frozenset(ROLES), is_active=False)
    assert not allowed(user, "create", "roi")


def test_refusal_names_the_user_and_action() -> None:
    user = User("ann", "Ann", frozenset({"annotator"}))
    with pytest.raises(PermissionDeniedError, match="ann is not allowed to add user"):
        require(user, "add", "user")
