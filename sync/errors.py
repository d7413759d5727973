"""Errors of signed annotation bundles, their stores and the merge.

Every class derives from :class:`storage.errors.SyncError`::

    SyncError
    +-- BundleRefusedError      a bundle failed a check; ``reason`` says which
    +-- IdentifierFoundError    the de-identification gate found a direct identifier
    +-- WithholdError           a revision cannot be withheld from bundles
    +-- RosterExpiredError      the workstation must sync before it signs again
    +-- NotEnrolledError        the workstation has no device key, roster or secret
    +-- StoreError              a store folder or database cannot be used
    +-- StoreKeyError           the store's key file cannot be read or unlocked
"""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, SyncError

# Reasons a bundle is refused at ingest or pull; each is its own quarantine reason.
REASONS = (
    "undecryptable",  # the sealed bundle does not decrypt with the store's key
    "malformed",  # not a bundle of a known format and version
    "wrong_site",  # made for another site's store
    "bad_signature",  # a signature does not match the manifest
    "unknown_signer",  # a key that the roster does not enrol
    "revoked_signer",  # signed after the key's last good sequence number
    "hash_mismatch",  # a file differs from the SHA-256 in the manifest
    "rollback",  # an older sequence number or audit head presented as new
    "fork",  # a second bundle for a sequence number already taken
    "roster",  # the roster is missing, expired or not signed by the store
    "bad_checkpoint",  # the audit checkpoint is unsigned or disagrees with the manifest
)


class BundleRefusedError(SyncError):
    """A bundle failed one of the checks; nothing from it was applied."""

    what = QT_TRANSLATE_NOOP("errors", "The bundle {path} was refused: {reason}.")
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing from it was applied. It is kept in quarantine; show it to your "
        "site lead.",
    )

    @property
    def reason(self) -> str:
        """One of :data:`REASONS`."""
        return str(self.fields.get("reason", "malformed"))


class IdentifierFoundError(SyncError):
    """The gate found a direct identifier in a string that would leave the site."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The bundle was not written: {found} was found in {record} ({field}).",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Revise the record to remove the identifying text, then withhold "
        "revision {revision} with a reason (Withhold this revision… in the Sync "
        "window, or haiops sync withhold) and sync again. Nothing left this "
        "workstation.",
    )


class WithholdError(SyncError):
    """A revision cannot be withheld from bundles as asked."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The revision {revision} cannot be withheld: {problem}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Only a revision not yet sent can be withheld, with a reason, by its "
        "author or a site lead; revise or delete the record first.",
    )


class RosterExpiredError(SyncError):
    """The roster this workstation holds has expired, so it may not sign."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The site roster expired at {expires}; bundles cannot be signed."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Pull from the store to receive the current roster, then push."
    )


class NotEnrolledError(SyncError):
    """The workstation lacks a device key, roster or site secret."""

    what = QT_TRANSLATE_NOOP(
        "errors", "This workstation is not enrolled with a store ({missing})."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Ask your site lead to enrol the device key shown by 'haiops sync status'.",
    )


class StoreError(SyncError):
    """A store folder or database cannot be used."""

    what = QT_TRANSLATE_NOOP("errors", "The store {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the store is reachable and that you may write to it."
    )


class StoreKeyError(SyncError):
    """The store's key file is missing, damaged or its passphrase is wrong."""

    what = QT_TRANSLATE_NOOP("errors", "The store key file {path} cannot be opened.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check the passphrase; the key file stays with the site lead."
    )
