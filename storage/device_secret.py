"""A per-project secret kept in the OS keyring, binding key wraps to this machine.

Where no keyring backend works (a headless Linux machine without a Secret
Service), the wraps fall back to the password alone; this is said once per
process in the log and can be asked with :func:`is_available`.
"""

from __future__ import annotations

import base64
import logging
import secrets

logger = logging.getLogger(__name__)

SERVICE = "HAIOps Workstation"
_state: dict[str, bool] = {}


def _account(project_id: str) -> str:
    return f"device-secret/{project_id}"


def is_available() -> bool:
    """Whether a usable OS keyring backend exists (checked once per process)."""
    if "available" not in _state:
        _state["available"] = _probe()
        if not _state["available"]:
            logger.warning(
                "No usable OS keyring: project keys are wrapped by passwords alone"
            )
    return _state["available"]


def _probe() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    try:
        keyring.get_password(SERVICE, "probe")
    except Exception:  # noqa: BLE001 -- any backend failure means "not usable"
        return False
    return True


def get(project_id: str) -> bytes | None:
    """Return the device secret of a project, or None when there is none here."""
    if not is_available():
        return None
    import keyring

    text = keyring.get_password(SERVICE, _account(project_id))
    return None if text is None else base64.b64decode(text)


def get_or_create(project_id: str) -> bytes | None:
    """Return the device secret of a project, creating it when the keyring works."""
    if not is_available():
        return None
    existing = get(project_id)
    if existing is not None:
        return existing
    import keyring

    secret = secrets.token_bytes(32)
    keyring.set_password(
        SERVICE, _account(project_id), base64.b64encode(secret).decode("ascii")
    )
    logger.info("Created a device secret in the OS keyring for a project")
    return secret
