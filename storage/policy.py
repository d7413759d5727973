"""Site settings for accounts: password rules and the failed sign-in limit."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from storage.errors import WeakPasswordError

# A small list of passwords that guessing tries first (common leaks, keyboard
# walks, the product's own name); compared in lower case.
COMMON_PASSWORDS = frozenset(
    (
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456123456",
        "000000000000",
        "111111111111",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "qwertyuiop12",
        "qwertyuiopasdf",
        "qwerty123456",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "iloveyou1234",
        "letmein12345",
        "welcome12345",
        "welcome123456",
        "administrator",
        "admin1234567",
        "adminadmin12",
        "changeme1234",
        "changemenow!",
        "trustno1trustno1",
        "football1234",
        "baseball1234",
        "sunshine1234",
        "princess1234",
        "monkey123456",
        "dragon123456",
        "master123456",
        "superman1234",
        "starwars1234",
        "abcdefghijkl",
        "abcdef123456",
        "abc123abc123",
        "aaaaaaaaaaaa",
        "asdfghjkl123",
        "passw0rd1234",
        "p@ssw0rd1234",
        "p@ssword1234",
        "hospital1234",
        "radiology123",
        "radiology1234",
        "password!234",
        "summer202020",
        "winter202020",
        "haiopshaiops",
        "haiops123456",
        "haiops-workstation",
        "correcthorse",
        "correct horse battery",
        "password 1234",
        "iloveyou iloveyou",
        "qwerty qwerty",
        "pharmacovigilance",
    )
)


@dataclass(frozen=True)
class SitePolicy:
    """Password rules and lockout, set per project by an admin.

    Attributes
    ----------
    min_password_length
        Fewest characters a password may have.
    lockout_failures
        Failed sign-ins in a row that lock an account.
    idle_minutes
        Minutes without input before the screen locks (used by the app).
    """

    # No maximum password age yet: periodic password changes rely on the SOP.
    min_password_length: int = 12
    lockout_failures: int = 5
    idle_minutes: int = 15

    def to_json(self) -> str:
        """Return the policy as JSON text (stored in the project's meta table)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> SitePolicy:
        """Read a policy from :meth:`to_json` text (defaults when None)."""
        if not text:
            return cls()
        data: dict[str, Any] = json.loads(text)
        return cls(**{k: int(v) for k, v in data.items() if k in _FIELDS})


_FIELDS = frozenset(SitePolicy.__dataclass_fields__)


def password_problems(password: str, user_id: str, policy: SitePolicy) -> list[str]:
    """Return what is wrong with ``password`` under ``policy`` (empty: fine)."""
    problems = []
    if len(password) < policy.min_password_length:
        problems.append(f"fewer than {policy.min_password_length} characters")
    lowered = password.strip().lower()
    # The user ID with digits or marks tacked on is the user ID for guessing.
    if user_id and _core(lowered) == _core(user_id.lower()):
        problems.append("is the user ID")
    if lowered in COMMON_PASSWORDS:
        problems.append("is a common password")
    return problems


def _core(text: str) -> str:
    return text.rstrip("0123456789!?.-_ ") or text


def check_password(password: str, user_id: str, policy: SitePolicy) -> None:
    """Raise WeakPasswordError unless ``password`` meets ``policy``."""
    problems = password_problems(password, user_id, policy)
    if problems:
        raise WeakPasswordError(
            "; ".join(problems), user=user_id, problems="; ".join(problems)
        )
