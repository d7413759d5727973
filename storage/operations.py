"""The one register of every operation of storage/ that changes a project.

Each mutating function is marked with :func:`mutation`; the property test in
tests/storage runs every registered operation and checks that it left an
audit entry holding the old value, so a new operation without an audit entry
fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

MUTATIONS: dict[str, Callable[..., Any]] = {}


def mutation(name: str) -> Callable[[F], F]:
    """Register a function that changes a project under ``name``."""

    def register(function: F) -> F:
        if name in MUTATIONS:
            raise ValueError(f"mutation {name} registered twice")
        MUTATIONS[name] = function
        return function

    return register


def registered() -> dict[str, Callable[..., Any]]:
    """Return every registered mutation, importing the modules that define them."""
    # Imported here so that the register is complete whoever asks first.
    import storage.accounts
    import storage.assets
    import storage.audit_export
    import storage.backup
    import storage.checkpoints
    import storage.items
    import storage.labels
    import storage.records
    import storage.signatures

    del storage
    return dict(MUTATIONS)
