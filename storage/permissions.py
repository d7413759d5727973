"""Who may do what: the role x action matrix, checked in the data layer."""

from __future__ import annotations

from storage.errors import PermissionDeniedError
from storage.users import User

# Record types every annotator writes as part of annotating.
_ANNOTATION = (
    "item",
    "roi",
    "span",
    "relation",
    "code",
    "judgement",
    "ranking",
    "alert",
    "signature",
)

# (action, record type) -> roles allowed. "*" as record type: any type.
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    **{
        (action, record_type): frozenset(
            {"annotator", "reviewer", "site_lead", "admin"}
        )
        for action in ("create", "revise", "delete")
        for record_type in _ANNOTATION
    },
    ("create", "label_set"): frozenset({"site_lead", "admin"}),
    ("revise", "label_set"): frozenset({"site_lead", "admin"}),
    ("delete", "label_set"): frozenset({"site_lead", "admin"}),
    # Accounts (21 CFR 11.10(d), (g); 11.300): admins manage, a site lead
    # co-signs every password reset.
    ("add", "user"): frozenset({"admin"}),
    ("set_roles", "user"): frozenset({"admin"}),
    ("deactivate", "user"): frozenset({"admin"}),
    ("reset", "user"): frozenset({"admin"}),
    ("approve_reset", "user"): frozenset({"site_lead"}),
    ("set", "policy"): frozenset({"admin"}),
    ("acknowledge", "alert"): frozenset({"site_lead", "admin"}),
    # Record states (11.10(f)): who may move an item to each state.
    ("in_progress", "item"): frozenset({"annotator", "reviewer", "site_lead"}),
    ("submitted", "item"): frozenset({"annotator", "reviewer", "site_lead"}),
    ("reviewed", "item"): frozenset({"reviewer", "site_lead"}),
    ("approved", "item"): frozenset({"reviewer", "site_lead"}),
    ("rejected", "item"): frozenset({"reviewer", "site_lead"}),
    ("locked", "item"): frozenset({"site_lead", "admin"}),
    ("unlock", "item"): frozenset({"site_lead"}),
    # Signature meanings (11.50, 11.70).
    ("sign", "authored"): frozenset({"annotator", "reviewer", "site_lead"}),
    ("sign", "reviewed"): frozenset({"reviewer", "site_lead"}),
    ("sign", "approved"): frozenset({"reviewer", "site_lead"}),
    ("sign", "rejected"): frozenset({"reviewer", "site_lead"}),
    ("sign", "unlocked"): frozenset({"site_lead"}),
    # The trail and the project as a whole (11.10(b), (c), (e)).
    ("read", "audit"): frozenset({"reviewer", "site_lead", "admin"}),
    ("export", "audit"): frozenset({"reviewer", "site_lead", "admin"}),
    ("backup", "project"): frozenset({"site_lead", "admin"}),
    ("restore", "project"): frozenset({"admin"}),
}


def allowed(user: User, action: str, record_type: str) -> bool:
    """Whether ``user`` may perform ``action`` on records of ``record_type``."""
    if not user.is_active:
        return False
    roles = MATRIX.get((action, record_type)) or MATRIX.get((action, "*"))
    if roles is None:
        # Record types not named in the matrix are annotation data.
        roles = (
            MATRIX[(action, "roi")]
            if action in ("create", "revise", "delete")
            else frozenset()
        )
    return bool(roles & user.roles)


def require(user: User, action: str, record_type: str) -> None:
    """Raise PermissionDeniedError unless ``user`` may do ``action``."""
    if not allowed(user, action, record_type):
        raise PermissionDeniedError(
            f"{action} {record_type}",
            user=user.user_id,
            action=f"{action} {record_type}",
        )
