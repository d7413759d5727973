"""The Sync window: store, enrolment and state, push and pull, and conflicts."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage.assets import get_asset, put_asset
from storage.audit import utc_now
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError, SyncError
from storage.progress import CancelledError, Progress
from storage.signatures import (
    ATTESTATION_PREAMBLE,
    ATTESTATIONS,
    authenticate_signer,
    local_time,
    sign_with,
)
from sync.canonical import canonical_bytes
from sync.errors import IdentifierFoundError
from sync.stores import FolderStore, Store
from sync.workstation import (
    APP_KIND,
    PullResult,
    PushResult,
    enrolment_request,
    join,
    load_state,
    pull,
    push,
    set_store_location,
    status,
    store_location,
    withhold,
)

if TYPE_CHECKING:
    from storage.project import Project
    from storage.records import Revision
    from sync.roster import Roster

logger = logging.getLogger(__name__)

# What the window keeps in the project (never a clear file): the store
# location (sync.workstation.set_store_location, read by the command line
# too) and the time of each finished sync.
ASSET_KIND = APP_KIND
_LAST_SYNC_KEY = "last_sync"
_MAX_VALUE_CHARS = 80
_CONTEXT = "SyncWindow"

DescribeError = Callable[[BaseException], tuple[str, str]]
OpenStore = Callable[[str], Store]


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _count(number: int, one: str, many: str) -> str:
    """Return ``one`` or ``many`` translated, with ``{n}`` filled in."""
    return _tr(one if number == 1 else many).replace("{n}", str(number))


class TaskRunnerLike(Protocol):
    """The part of ``app.tasks.TaskRunner`` this window uses."""

    def run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work`` on a worker thread; deliver its result on the GUI thread."""
        ...


class SyncFileError(SyncError):
    """A file for sync (an enrolment package or request) cannot be read or written."""

    what = QT_TRANSLATE_NOOP("errors", "The file {path} cannot be used for sync.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the file exists and that you may read and write it."
    )


class ConflictResolutionError(SyncError):
    """A conflict cannot be resolved as asked."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The conflict of record {record} cannot be resolved: {problem}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Refresh the list of conflicts and choose the version to keep."
    )


def _plain(error: BaseException) -> tuple[str, str]:
    if isinstance(error, HaiopsError):
        return str(error), error.hint
    return str(error), ""


# -- what the window keeps in the project -----------------------------------


def open_folder_store(location: str) -> Store:
    """Open a folder store (the default when no opener is given).

    Parameters
    ----------
    location
        The store folder.

    Returns
    -------
    Store
        The folder store.
    """
    return FolderStore(Path(location))


def last_sync(project: Project) -> tuple[str, str] | None:
    """Return ``(UTC time, kind)`` of the last finished sync, if any.

    Parameters
    ----------
    project
        The signed-in project.

    Returns
    -------
    tuple of str, or None
        ISO 8601 UTC time and ``"push"``, ``"pull"`` or ``"sync"``.
    """
    data = get_asset(project, ASSET_KIND, _LAST_SYNC_KEY)
    if data is None:
        return None
    fields = json.loads(data)
    return str(fields["at"]), str(fields["kind"])


def record_sync(project: Project, kind: str) -> str:
    """Remember that a sync of ``kind`` finished now; return the UTC time."""
    now = utc_now()
    data = json.dumps({"at": now, "kind": kind}, sort_keys=True).encode("utf-8")
    put_asset(project, ASSET_KIND, _LAST_SYNC_KEY, data, version=now)
    return now


def short_local_time(utc_text: str, *, now: datetime | None = None) -> str:
    """Return a UTC time as local ``HH:MM ZONE``, with the date if not today.

    Parameters
    ----------
    utc_text
        ISO 8601 time with its offset.
    now
        The present moment (for tests); the clock when not given.

    Returns
    -------
    str
        For example ``"12:30 JST"`` or ``"2026-12-02 18:05 JST"``.
    """
    moment = datetime.fromisoformat(utc_text).astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    pattern = "%H:%M %Z" if moment.date() == today else "%Y-%m-%d %H:%M %Z"
    return moment.strftime(pattern)


@dataclass(frozen=True)
class SyncOverview:
    """What the Sync window and the status bar show about sync.

    Attributes
    ----------
    store
        The store location, or None before one is chosen.
    site_id
        The site enrolled with, or None when not enrolled.
    roster_version, roster_expires, is_roster_expired
        The roster held (expiry as ISO 8601 UTC).
    device_key_id
        This workstation's device key for the project.
    last_sync
        ``(UTC time, kind)`` of the last finished sync.
    unsent
        Revisions made here and not yet in a bundle sent.
    pending
        Sequence number of a bundle built and not yet sent (0 if none).
    held
        Bundles pulled and held for a gap.
    gaps
        Missing sequence numbers per device key.
    conflicts
        Records with more than one head.
    """

    store: str | None
    site_id: str | None
    roster_version: int | None
    roster_expires: str | None
    is_roster_expired: bool
    device_key_id: str
    last_sync: tuple[str, str] | None
    unsent: int
    pending: int
    held: int
    gaps: dict[str, list[int]] = field(default_factory=dict)
    conflicts: int = 0

    @property
    def is_enrolled(self) -> bool:
        """Whether the workstation holds an enrolment and a roster."""
        return self.site_id is not None


def sync_overview(project: Project, *, now: datetime | None = None) -> SyncOverview:
    """Read the sync state of ``project`` (local reads only, no store access).

    Parameters
    ----------
    project
        The signed-in project.
    now
        The present moment for the roster expiry (for tests).

    Returns
    -------
    SyncOverview
        The state.
    """
    found = status(project, now=now)
    state = load_state(project)
    return SyncOverview(
        store=store_location(project),
        site_id=found.site_id,
        roster_version=found.roster_version,
        roster_expires=found.roster_expires,
        is_roster_expired=found.is_roster_expired,
        device_key_id=found.device_key_id,
        last_sync=last_sync(project),
        unsent=found.unsent,
        pending=found.pending,
        held=len(state.merge.held),
        gaps=found.gaps,
        conflicts=found.conflicts,
    )


def enrol_from_file(project: Project, path: Path) -> Roster:
    """Take the site lead's enrolment package from a file.

    Parameters
    ----------
    project
        The signed-in project.
    path
        The enrolment package file.

    Returns
    -------
    Roster
        The roster in the package.

    Raises
    ------
    SyncFileError
        When the file cannot be read.
    NotEnrolledError
        When the package does not enrol this workstation.
    """
    try:
        package = Path(path).read_bytes()
    except OSError as error:
        raise SyncFileError(str(error), path=path) from error
    return join(project, package, path=str(path))


def write_enrolment_request(project: Project, path: Path) -> None:
    """Write this workstation's enrolment request (public keys only) to ``path``.

    Raises
    ------
    SyncFileError
        When the file cannot be written.
    """
    # The same bytes as 'haiops sync request' writes.
    data = canonical_bytes(enrolment_request(project))
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise SyncFileError(str(error), path=path) from error


# -- conflicts ----------------------------------------------------------------


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict) and value:
        for key in sorted(value):
            _flatten(value[key], f"{prefix}.{key}" if prefix else str(key), out)
        return
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 1] + "…"
    out[prefix or "(body)"] = text


def body_differences(heads: Sequence[Revision]) -> list[tuple[str, list[str]]]:
    """Return the body fields whose values differ between heads.

    Parameters
    ----------
    heads
        The heads of one record.

    Returns
    -------
    list of (field, values)
        Dotted field names (``points``, ``style.colour``) with each head's
        value as compact JSON (long values shortened), ``""`` where a head
        lacks the field; fields in name order.
    """
    flat: list[dict[str, str]] = []
    for head in heads:
        values: dict[str, str] = {}
        _flatten(head.body, "", values)
        flat.append(values)
    names = sorted({name for values in flat for name in values})
    return [
        (name, [_shown(values.get(name, "")) for values in flat])
        for name in names
        if len({values.get(name) for values in flat}) > 1
    ]


def _shown(text: str) -> str:
    """Return a value as shown: text kept at its site reads as such, not as a hash."""
    if text.startswith(('"hmac-sha256:', "hmac-sha256:")):
        return QCoreApplication.translate("SyncWindow", "(text kept at its site)")
    return text


def resolve_conflict(
    project: Project,
    record_id: str,
    keep: str,
    *,
    reason: str,
    password: str,
    user_id: str | None = None,
) -> tuple[Revision, Revision]:
    """Resolve a conflict: keep one head's content, name the others, sign it.

    The signer is checked first (meaning "approved", 21 CFR 11.50); then one
    transaction writes a revision that supersedes ``keep`` with its body and
    names every other head in ``resolves``, and the signature on it.

    Parameters
    ----------
    project
        The signed-in project.
    record_id
        The record in conflict.
    keep
        The revision ID of the head whose content stays.
    reason
        Why this head was kept (required).
    password
        The signer's password.
    user_id
        The signer's user ID, needed for the first signature after sign-in.

    Returns
    -------
    tuple of Revision
        The resolving revision and the signature record.

    Raises
    ------
    ConflictResolutionError
        When there is no reason, the record is not in conflict, ``keep`` is
        not one of its heads or is a deletion.
    """
    heads = project.records.heads(record_id)
    by_id = {head.revision_id: head for head in heads}
    problem = None
    if not reason.strip():
        problem = "a reason is needed"
    elif len(heads) < 2:
        problem = "the record is not in conflict"
    elif keep not in by_id:
        problem = "the version to keep is not a current head"
    elif by_id[keep].is_deleted:
        # Known shortcoming: a deletion cannot be kept; RecordStore.delete
        # takes no resolves, so such a conflict resolves only to a live head.
        problem = "a deleted version cannot be kept"
    if problem is not None:
        raise ConflictResolutionError(problem, record=record_id, problem=problem)

    signer = authenticate_signer(
        project, "approved", password=password, user_id=user_id
    )

    others = [head.revision_id for head in heads if head.revision_id != keep]
    with project.records.transaction():
        resolution = project.records.revise(
            record_id,
            by_id[keep].body,
            reason=reason.strip(),
            supersedes=keep,
            resolves=others,
        )
        signature = sign_with(
            project, signer, [record_id], "approved", reason=reason.strip()
        )
    logger.info("Resolved a conflict of %d heads", len(heads))
    return resolution, signature


class ConflictPanel(QWidget):
    """Lists records in conflict, compares their heads and resolves one.

    Parameters
    ----------
    project
        The signed-in project (the user must be a site lead to resolve).
    describe_error
        Turns an error into its translated ``(what, hint)``.
    parent
        Owner widget.
    """

    resolved = Signal(str)

    def __init__(
        self,
        project: Project,
        describe_error: DescribeError | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._describe_error = describe_error or _plain
        self._groups: list[list[Revision]] = []

        self.conflict_list = QListWidget(self)
        self.conflict_list.currentRowChanged.connect(self._show_group)
        self.compare_table = QTableWidget(self)
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.setWordWrap(False)
        self.compare_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        self.keep_box = QComboBox(self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(
            self.tr("Why this version is kept (required)")
        )
        self.attestation = QLabel(self)
        self.attestation.setWordWrap(True)
        self.attestation.setText(
            QCoreApplication.translate("signatures", ATTESTATIONS["approved"])
            + "\n"
            + QCoreApplication.translate("signatures", ATTESTATION_PREAMBLE)
        )
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.resolve_button = QPushButton(self.tr("Resolve and sign"), self)
        self.resolve_button.setToolTip(
            self.tr("Keep the chosen version, name the others, sign it as approved")
        )
        self.resolve_button.clicked.connect(self.resolve)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Keep"), self.keep_box)
        form.addRow(self.tr("Reason"), self.reason_edit)
        form.addRow(self.tr("User ID"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        self._form = form
        resolve_box = QGroupBox(self.tr("Resolve"), self)
        resolve_layout = QVBoxLayout(resolve_box)
        resolve_layout.addLayout(form)
        resolve_layout.addWidget(self.attestation)
        resolve_layout.addWidget(self.message)
        resolve_layout.addWidget(self.resolve_button)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.compare_table, 1)
        right_layout.addWidget(resolve_box)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh()

    @property
    def group(self) -> list[Revision]:
        """The heads of the conflict shown (empty when none is selected)."""
        row = self.conflict_list.currentRow()
        return self._groups[row] if 0 <= row < len(self._groups) else []

    def refresh(self) -> None:
        """Read the conflicts again and show the first one."""
        self._groups = self.project.records.conflicts()
        self.conflict_list.clear()
        for heads in self._groups:
            first = heads[0]
            label = first.body.get("label") or first.body.get("title") or ""
            text = f"{first.record_type} {first.record_id[:8]}"
            if label:
                text += f" · {label}"
            versions = _count(
                len(heads),
                QT_TRANSLATE_NOOP("SyncWindow", "{n} version"),
                QT_TRANSLATE_NOOP("SyncWindow", "{n} versions"),
            )
            QListWidgetItem(f"{text} · {versions}", self.conflict_list)
        if self._groups:
            self.conflict_list.setCurrentRow(0)
        else:
            self._show_group(-1)
        self._form.setRowVisible(self.user_edit, self.project.signature_needs_user_id)

    @Slot(int)
    def _show_group(self, row: int) -> None:
        heads = self._groups[row] if 0 <= row < len(self._groups) else []
        self.keep_box.clear()
        self.compare_table.clear()
        self.resolve_button.setEnabled(bool(heads))
        self.show_message("" if heads else self.tr("No records are in conflict."))
        if not heads:
            self.compare_table.setRowCount(0)
            self.compare_table.setColumnCount(0)
            return

        rows: list[tuple[str, list[str]]] = [
            (self.tr("Author"), [h.author for h in heads]),
            (self.tr("Workstation"), [h.workstation_id for h in heads]),
            (self.tr("Time"), [local_time(h.created_at) for h in heads]),
            (self.tr("Reason"), [_shown(h.reason or "") for h in heads]),
            (
                self.tr("Deleted"),
                [self.tr("yes") if h.is_deleted else self.tr("no") for h in heads],
            ),
        ]
        differences = body_differences(heads)
        rows.extend(differences)
        if not differences:
            rows.append((self.tr("Content"), [self.tr("the same")] * len(heads)))
        self.compare_table.setColumnCount(len(heads))
        self.compare_table.setRowCount(len(rows))
        self.compare_table.setHorizontalHeaderLabels(
            [
                self.tr("Version {n}").replace("{n}", str(n + 1))
                for n in range(len(heads))
            ]
        )
        self.compare_table.setVerticalHeaderLabels([name for name, _ in rows])
        for row_index, (_, values) in enumerate(rows):
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.compare_table.setItem(row_index, column, cell)

        for n, head in enumerate(heads):
            if head.is_deleted:
                continue
            text = self.tr("Version {n}: {author} at {workstation}")
            text = (
                text.replace("{n}", str(n + 1))
                .replace("{author}", head.author)
                .replace("{workstation}", head.workstation_id)
            )
            self.keep_box.addItem(text, head.revision_id)

    def show_message(self, text: str) -> None:
        """Show ``text`` above the Resolve button."""
        self.message.setText(text)

    @Slot()
    def resolve(self) -> None:
        """Resolve the conflict shown with the version, reason and password typed."""
        heads = self.group
        if not heads:
            return
        reason = self.reason_edit.text().strip()
        needs_user = self.project.signature_needs_user_id
        user_id = self.user_edit.text().strip() if needs_user else None
        if not reason:
            self.show_message(self.tr("Enter the reason for keeping this version."))
            return
        if needs_user and not user_id:
            self.show_message(self.tr("Enter your user ID and password."))
            return
        try:
            resolve_conflict(
                self.project,
                heads[0].record_id,
                str(self.keep_box.currentData()),
                reason=reason,
                password=self.password_edit.text(),
                user_id=user_id,
            )
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self.show_message(f"{what}\n{hint}")
            self.password_edit.clear()
            return
        self.password_edit.clear()
        self.reason_edit.clear()
        record_id = heads[0].record_id
        self.refresh()
        self.show_message(self.tr("Resolved and signed as approved."))
        self.resolved.emit(record_id)


# -- withholding a refused revision ----------------------------------------------


class WithholdDialog(QDialog):
    """Asks why a refused revision is withheld; OK only with a reason.

    Parameters
    ----------
    revision_id
        The revision the gate refused.
    field_name
        Where the gate found the identifier (``body.note``).
    parent
        Owner widget.
    """

    def __init__(
        self, revision_id: str, field_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Withhold this revision"))
        explanation = QLabel(
            self.tr(
                "Revision {revision} ({field}) will stay on this workstation. "
                "Bundles carry it as a stub: its IDs, author, time and a "
                "SHA-256 of its content, but not the content. Revise the record "
                "first so that its current state can travel."
            )
            .replace("{revision}", revision_id[:8])
            .replace("{field}", field_name),
            self,
        )
        explanation.setWordWrap(True)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(
            self.tr("Why it is withheld (required; it stays here)")
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Withhold"))
        self.ok_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def reason(self) -> str:
        """Return the reason typed, trimmed."""
        return self.reason_edit.text().strip()


# -- the window ----------------------------------------------------------------


@dataclass
class SyncOutcome:
    """What one run of push, pull or both did."""

    kind: str
    push: PushResult | None = None
    pull: PullResult | None = None
    push_error: HaiopsError | None = None


class _Relay(QObject):
    """Carries step reports from the worker thread to the window."""

    stepped = Signal(str)


# Steps of push and pull (sync.workstation fault hooks), shown as progress.
_STEP_TEXT = {
    "start": QT_TRANSLATE_NOOP("SyncWindow", "reading the roster"),
    "built": QT_TRANSLATE_NOOP("SyncWindow", "bundle built and signed"),
    "pending saved": QT_TRANSLATE_NOOP("SyncWindow", "bundle kept for sending"),
    "stored": QT_TRANSLATE_NOOP("SyncWindow", "bundle sent to the store"),
    "done": QT_TRANSLATE_NOOP("SyncWindow", "sent"),
    "applied": QT_TRANSLATE_NOOP("SyncWindow", "bundle applied"),
}
_REASON_TEXT = {
    "undecryptable": QT_TRANSLATE_NOOP("SyncWindow", "it does not decrypt"),
    "malformed": QT_TRANSLATE_NOOP("SyncWindow", "it is not a readable bundle"),
    "wrong_site": QT_TRANSLATE_NOOP("SyncWindow", "it was made for another site"),
    "bad_signature": QT_TRANSLATE_NOOP("SyncWindow", "a signature does not match"),
    "unknown_signer": QT_TRANSLATE_NOOP("SyncWindow", "the signer is not enrolled"),
    "revoked_signer": QT_TRANSLATE_NOOP("SyncWindow", "the signer's key was revoked"),
    "hash_mismatch": QT_TRANSLATE_NOOP("SyncWindow", "a file was changed"),
    "rollback": QT_TRANSLATE_NOOP("SyncWindow", "an older bundle presented as new"),
    "fork": QT_TRANSLATE_NOOP("SyncWindow", "a second bundle for the same number"),
    "roster": QT_TRANSLATE_NOOP("SyncWindow", "the roster is missing or expired"),
    "bad_checkpoint": QT_TRANSLATE_NOOP(
        "SyncWindow", "its audit checkpoint does not verify"
    ),
}


class SyncWindow(QDialog):
    """Shows the sync state, runs push and pull, and resolves conflicts.

    Push, pull and "Sync now" (pull, then push) run on a worker thread through
    ``tasks`` with a progress bar and a Cancel button here (and in the status
    bar); a run stopped between steps resumes cleanly next time, since a
    bundle built but not sent goes out again unchanged. Site leads get a
    Conflicts tab.

    Parameters
    ----------
    project
        The signed-in project.
    tasks
        The main window's task runner (``app.tasks.TaskRunner``).
    open_store
        Opens a store from its location (folder or PostgreSQL); folder
        stores only when not given.
    describe_error
        Turns an error into its translated ``(what, hint)``.
    parent
        Owner window.
    """

    syncFinished = Signal(str)

    def __init__(
        self,
        project: Project,
        tasks: TaskRunnerLike,
        *,
        open_store: OpenStore | None = None,
        describe_error: DescribeError | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.tasks = tasks
        self._open_store = open_store or open_folder_store
        self._describe_error = describe_error or _plain
        self._cancel: threading.Event | None = None
        self._relay = _Relay(self)
        self._relay.stepped.connect(self._on_step)
        self.outcome: SyncOutcome | None = None
        # The gate's last refusal naming a revision, for "Withhold this revision…".
        self.refused: HaiopsError | None = None
        self.setWindowTitle(self.tr("Sync"))
        self.setMinimumSize(860, 600)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_state_tab(), self.tr("State"))
        self.conflict_panel: ConflictPanel | None = None
        if "site_lead" in project.user.roles:
            self.conflict_panel = ConflictPanel(project, self._describe_error, self)
            self.conflict_panel.resolved.connect(lambda _record: self.refresh())
            self.tabs.addTab(self.conflict_panel, self.tr("Conflicts"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    # -- building --------------------------------------------------------------

    def _build_state_tab(self) -> QWidget:
        tab = QWidget(self)
        self.store_edit = QLineEdit(tab)
        self.store_edit.setPlaceholderText(
            self.tr("Store folder (share or USB drive) or PostgreSQL address")
        )
        self.store_edit.editingFinished.connect(self._store_edited)
        self.choose_button = QPushButton(self.tr("Choose folder…"), tab)
        self.choose_button.clicked.connect(self.choose_store_folder)
        store_row = QHBoxLayout()
        store_row.addWidget(self.store_edit, 1)
        store_row.addWidget(self.choose_button)

        self.enrolment_label = QLabel(tab)
        self.device_label = QLabel(tab)
        self.device_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.last_sync_label = QLabel(tab)
        self.outgoing_label = QLabel(tab)
        self.incoming_label = QLabel(tab)
        self.incoming_label.setWordWrap(True)
        self.roster_label = QLabel(tab)
        self.conflicts_label = QLabel(tab)
        self.request_button = QPushButton(self.tr("Save enrolment request…"), tab)
        self.request_button.clicked.connect(self.save_enrolment_request)
        self.join_button = QPushButton(self.tr("Import enrolment package…"), tab)
        self.join_button.clicked.connect(self.import_enrolment_package)
        enrol_row = QHBoxLayout()
        enrol_row.addWidget(self.request_button)
        enrol_row.addWidget(self.join_button)
        enrol_row.addStretch(1)

        form = QFormLayout()
        form.addRow(self.tr("Store"), store_row)
        form.addRow(self.tr("Enrolment"), self.enrolment_label)
        form.addRow(self.tr("Device key"), self.device_label)
        form.addRow("", enrol_row)
        form.addRow(self.tr("Last sync"), self.last_sync_label)
        form.addRow(self.tr("Outgoing"), self.outgoing_label)
        form.addRow(self.tr("Incoming"), self.incoming_label)
        form.addRow(self.tr("Roster"), self.roster_label)
        form.addRow(self.tr("Conflicts"), self.conflicts_label)

        self.sync_button = QPushButton(self.tr("Sync now"), tab)
        self.sync_button.setToolTip(self.tr("Pull, then push"))
        self.sync_button.clicked.connect(lambda: self.start("sync"))
        self.push_button = QPushButton(self.tr("Push"), tab)
        self.push_button.setToolTip(self.tr("Send the changes made here"))
        self.push_button.clicked.connect(lambda: self.start("push"))
        self.pull_button = QPushButton(self.tr("Pull"), tab)
        self.pull_button.setToolTip(self.tr("Apply the bundles the store accepted"))
        self.pull_button.clicked.connect(lambda: self.start("pull"))
        self.progress_bar = QProgressBar(tab)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.step_label = QLabel(tab)
        self.cancel_button = QPushButton(self.tr("Cancel"), tab)
        self.cancel_button.setToolTip(self.tr("Stop after the current step"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        run_row = QHBoxLayout()
        for widget in (self.sync_button, self.push_button, self.pull_button):
            run_row.addWidget(widget)
        run_row.addWidget(self.progress_bar, 1)
        run_row.addWidget(self.step_label)
        run_row.addWidget(self.cancel_button)

        self.result_view = QPlainTextEdit(tab)
        self.result_view.setReadOnly(True)
        self.result_view.setPlaceholderText(self.tr("Results of push and pull"))
        self.withhold_button = QPushButton(self.tr("Withhold this revision…"), tab)
        self.withhold_button.setToolTip(
            self.tr(
                "Keep the refused revision on this workstation; bundles carry "
                "a stub without its content"
            )
        )
        self.withhold_button.clicked.connect(lambda: self.withhold_refused())
        self.withhold_button.hide()
        withhold_row = QHBoxLayout()
        withhold_row.addStretch(1)
        withhold_row.addWidget(self.withhold_button)

        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.result_view, 1)
        layout.addLayout(withhold_row)
        return tab

    # -- state -------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        """Whether a push or pull is running."""
        return self._cancel is not None

    def refresh(self) -> None:
        """Read the sync state again (not while a run uses the project)."""
        if self.is_running or self.project.connection is None:
            return
        overview = sync_overview(self.project)
        if not self.store_edit.hasFocus():
            self.store_edit.setText(overview.store or "")
        self._show_enrolment(overview)
        if overview.last_sync is None:
            self.last_sync_label.setText(self.tr("Never"))
        else:
            at, kind = overview.last_sync
            self.last_sync_label.setText(f"{local_time(at)} ({self._kind_text(kind)})")
        self._show_outgoing(overview)
        self._show_incoming(overview)
        self.conflicts_label.setText(self._conflicts_text(overview.conflicts))
        if self.conflict_panel is not None:
            self.conflict_panel.refresh()
            self.tabs.setTabText(
                self.tabs.indexOf(self.conflict_panel),
                self.tr("Conflicts ({n})").replace("{n}", str(overview.conflicts)),
            )
        self._enable(running=False, overview=overview)

    def _show_enrolment(self, overview: SyncOverview) -> None:
        self.device_label.setText(overview.device_key_id)
        if overview.site_id is None:
            self.enrolment_label.setText(
                self.tr(
                    "Not enrolled: save the enrolment request, give it to your "
                    "site lead, then import the package you get back."
                )
            )
            self.roster_label.setText(self.tr("None"))
            return
        self.enrolment_label.setText(
            self.tr("Enrolled with site {site}").replace("{site}", overview.site_id)
        )
        expires = local_time(overview.roster_expires or "")
        text = (
            self.tr("Version {version}, expires {expires}")
            .replace("{version}", str(overview.roster_version))
            .replace("{expires}", expires)
        )
        if overview.is_roster_expired:
            text += " " + self.tr("(expired: pull before pushing)")
        self.roster_label.setText(text)

    def _show_outgoing(self, overview: SyncOverview) -> None:
        text = _count(
            overview.unsent,
            QT_TRANSLATE_NOOP("SyncWindow", "{n} change not sent"),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} changes not sent"),
        )
        if overview.pending:
            text += "; " + self.tr("bundle {n} built, waiting to be sent").replace(
                "{n}", str(overview.pending)
            )
        self.outgoing_label.setText(text)

    def _show_incoming(self, overview: SyncOverview) -> None:
        if not overview.held:
            self.incoming_label.setText(self.tr("No bundles held"))
            return
        parts = [
            _count(
                overview.held,
                QT_TRANSLATE_NOOP("SyncWindow", "{n} bundle held"),
                QT_TRANSLATE_NOOP("SyncWindow", "{n} bundles held"),
            )
        ]
        for device, missing in sorted(overview.gaps.items()):
            parts.append(
                self.tr("waiting for bundle {missing} from device {device}")
                .replace("{missing}", ", ".join(map(str, missing)))
                .replace("{device}", device[:12])
            )
        self.incoming_label.setText("; ".join(parts))

    def _conflicts_text(self, conflicts: int) -> str:
        if not conflicts:
            return self.tr("None")
        text = _count(
            conflicts,
            QT_TRANSLATE_NOOP("SyncWindow", "{n} record in conflict"),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} records in conflict"),
        )
        if self.conflict_panel is None:
            return text + " " + self.tr("(a site lead resolves them)")
        return text

    def _kind_text(self, kind: str) -> str:
        names = {
            "push": self.tr("push"),
            "pull": self.tr("pull"),
            "sync": self.tr("pull and push"),
        }
        return names.get(kind, kind)

    def _enable(self, *, running: bool, overview: SyncOverview | None = None) -> None:
        is_enrolled = overview is None or overview.is_enrolled
        for button in (self.sync_button, self.push_button, self.pull_button):
            button.setEnabled(not running and is_enrolled)
        for widget in (self.store_edit, self.choose_button, self.join_button):
            widget.setEnabled(not running)
        self.request_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if self.conflict_panel is not None:
            self.conflict_panel.setEnabled(not running)

    def show_conflicts(self) -> None:
        """Bring the Conflicts tab to the front (site leads only)."""
        if self.conflict_panel is not None:
            self.tabs.setCurrentWidget(self.conflict_panel)

    def add_result(self, text: str) -> None:
        """Add a line to the results (newest last)."""
        self.result_view.appendPlainText(text)

    # -- store and enrolment -------------------------------------------------------

    def _store_edited(self) -> None:
        text = self.store_edit.text().strip()
        if text and text != (store_location(self.project) or ""):
            self.use_store(text)

    def use_store(self, location: str) -> bool:
        """Remember ``location`` as the store; say why not when it cannot be."""
        try:
            set_store_location(self.project, location)
        except HaiopsError as error:
            self._show_error(error)
            return False
        self.store_edit.setText(location.strip())
        return True

    def choose_store_folder(self) -> None:
        """Ask for the store folder and remember it."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the store folder"), self.store_edit.text()
        )
        if folder:
            self.use_store(folder)

    def save_enrolment_request(self, path: Path | None = None) -> None:
        """Write the enrolment request to a file chosen by the user (or ``path``)."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save enrolment request"),
                "enrolment-request.json",
                self.tr("Enrolment request (*.json)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            write_enrolment_request(self.project, path)
        except HaiopsError as error:
            self._show_error(error)
            return
        self.add_result(
            self.tr(
                "Enrolment request saved to {path}; give it to your site lead."
            ).replace("{path}", path.name)
        )

    def import_enrolment_package(self, path: Path | None = None) -> None:
        """Take an enrolment package chosen by the user (or ``path``)."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import enrolment package"), "", self.tr("All files (*)")
            )
            if not chosen:
                return
            path = Path(chosen)
        try:
            roster = enrol_from_file(self.project, path)
        except HaiopsError as error:
            self._show_error(error)
            return
        self.add_result(
            self.tr("Enrolled with site {site} (roster version {version}).")
            .replace("{site}", roster.site_id)
            .replace("{version}", str(roster.version))
        )
        self.refresh()

    # -- running ----------------------------------------------------------------------

    def start(self, kind: str) -> bool:
        """Start ``"push"``, ``"pull"`` or ``"sync"`` (pull, then push).

        Returns
        -------
        bool
            Whether the run started (not when one runs already or no store
            was chosen).
        """
        if kind not in ("push", "pull", "sync"):
            raise ValueError(f"unknown sync run {kind!r}")
        if self.is_running:
            return False
        location = self.store_edit.text().strip() or store_location(self.project)
        if not location:
            self.add_result(self.tr("Choose the store folder first."))
            return False
        if location != store_location(self.project) and not self.use_store(location):
            return False

        cancel = threading.Event()
        self._cancel = cancel
        self._enable(running=True)
        self.progress_bar.setRange(0, 0)
        self.step_label.setText("")
        titles = {
            "push": self.tr("Pushing to the store"),
            "pull": self.tr("Pulling from the store"),
            "sync": self.tr("Syncing with the store"),
        }
        self.tasks.run(
            titles[kind],
            self._work(kind, location, cancel),
            self._finished,
            self._failed,
        )
        return True

    def _work(
        self, kind: str, location: str, cancel: threading.Event
    ) -> Callable[[Progress], SyncOutcome]:
        project, open_store, relay = self.project, self._open_store, self._relay

        # Known shortcoming: the run shares the project's connection with the GUI
        # thread; a write elsewhere in the window during a run joins its transaction.
        def work(progress: Progress) -> SyncOutcome:
            steps = iter(range(1, 1_000_000))

            def step(name: str) -> None:
                relay.stepped.emit(name)
                if name == "done":
                    return  # the push is complete: nothing left to stop
                progress.report(next(steps), 0, name)
                if cancel.is_set():
                    raise CancelledError(f"cancelled at {name}")

            store = open_store(location)
            outcome = SyncOutcome(kind)
            if kind in ("pull", "sync"):
                outcome.pull = pull(project, store, fault=step)
            if kind == "push":
                outcome.push = push(project, store, fault=step)
            elif kind == "sync":
                # What the pull applied stays reported when the push is refused.
                try:
                    outcome.push = push(project, store, fault=step)
                except CancelledError:
                    raise
                except HaiopsError as error:
                    outcome.push_error = error
            return outcome

        return work

    def cancel(self) -> None:
        """Ask the running push or pull to stop after its current step."""
        if self._cancel is not None:
            self._cancel.set()
            self.step_label.setText(self.tr("Stopping…"))

    @Slot(str)
    def _on_step(self, name: str) -> None:
        if self.is_running and not self._cancel_requested():
            self.step_label.setText(_tr(_STEP_TEXT.get(name, name)))

    def _cancel_requested(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    def _stop(self) -> None:
        self._cancel = None
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.step_label.setText("")

    def _finished(self, outcome: SyncOutcome) -> None:
        self._stop()
        self.outcome = outcome
        if self.project.connection is None:
            return
        record_sync(self.project, "pull" if outcome.push_error else outcome.kind)
        stamp = datetime.now().astimezone().strftime("%H:%M:%S")
        if outcome.pull is not None:
            for line in self._pull_lines(outcome.pull):
                self.add_result(f"{stamp}  {line}")
        if outcome.push is not None:
            self.add_result(f"{stamp}  {self._push_line(outcome.push)}")
        if outcome.push_error is not None:
            what, hint = self._describe_error(outcome.push_error)
            self.add_result(f"{stamp}  {what} {hint}")
        self._offer_withhold(outcome.push_error)
        conflicts = len(self.project.records.conflicts())
        if conflicts and outcome.pull is not None:
            self.add_result(
                f"{stamp}  "
                + _count(
                    conflicts,
                    QT_TRANSLATE_NOOP(
                        "SyncWindow",
                        "{n} record is in conflict: a site lead resolves it.",
                    ),
                    QT_TRANSLATE_NOOP(
                        "SyncWindow",
                        "{n} records are in conflict: a site lead resolves them.",
                    ),
                )
            )
        self.refresh()
        self.syncFinished.emit(outcome.kind)

    def _failed(self, error: BaseException) -> None:
        self._stop()
        stamp = datetime.now().astimezone().strftime("%H:%M:%S")
        if isinstance(error, CancelledError):
            # Known shortcoming: bundles applied before a cancel are not counted here.
            self.add_result(
                f"{stamp}  "
                + self.tr(
                    "Cancelled. What was sent or applied before stays; the rest "
                    "goes with the next sync."
                )
            )
        else:
            what, hint = self._describe_error(error)
            self.add_result(f"{stamp}  {what} {hint}")
            if not isinstance(error, HaiopsError):
                logger.error("sync run failed", exc_info=error)
        self._offer_withhold(error)
        self.refresh()
        self.syncFinished.emit("failed")

    def _offer_withhold(self, error: BaseException | None) -> None:
        """Offer "Withhold this revision…" after the gate refused one, else hide it."""
        revision = ""
        if isinstance(error, IdentifierFoundError):
            revision = str(error.fields.get("revision") or "")
        self.refused = error if revision and isinstance(error, HaiopsError) else None
        self.withhold_button.setVisible(bool(revision))

    def withhold_refused(self, reason: str | None = None) -> bool:
        """Withhold the revision the gate refused last, asking for the reason.

        Parameters
        ----------
        reason
            The reason; asked for in a :class:`WithholdDialog` when not given.

        Returns
        -------
        bool
            Whether the revision was withheld.
        """
        error = self.refused
        if error is None:
            return False
        revision = str(error.fields.get("revision", ""))
        if reason is None:
            dialog = WithholdDialog(revision, str(error.fields.get("field", "")), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dialog.reason()
        try:
            withhold(self.project, revision, reason=reason)
        except HaiopsError as error_withheld:
            self._show_error(error_withheld)
            return False
        self.refused = None
        self.withhold_button.hide()
        self.add_result(
            self.tr(
                "Revision {revision} withheld: bundles carry it without its "
                "content. Push again to send the rest."
            ).replace("{revision}", revision[:8])
        )
        self.refresh()
        return True

    def _push_line(self, result: PushResult) -> str:
        if result.sequence == 0:
            return self.tr("Nothing to push.")
        records = _count(
            result.record_count,
            QT_TRANSLATE_NOOP("SyncWindow", "{n} record"),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} records"),
        )
        return (
            self.tr("Pushed bundle {sequence} ({records}).")
            .replace("{sequence}", str(result.sequence))
            .replace("{records}", records)
        )

    def _pull_lines(self, result: PullResult) -> list[str]:
        bundles = _count(
            len(result.applied),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} bundle"),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} bundles"),
        )
        records = _count(
            result.added,
            QT_TRANSLATE_NOOP("SyncWindow", "{n} new record"),
            QT_TRANSLATE_NOOP("SyncWindow", "{n} new records"),
        )
        lines = [
            self.tr("Applied {bundles} ({records}).")
            .replace("{bundles}", bundles)
            .replace("{records}", records)
        ]
        if result.already:
            lines.append(
                _count(
                    len(result.already),
                    QT_TRANSLATE_NOOP("SyncWindow", "{n} bundle was already applied."),
                    QT_TRANSLATE_NOOP(
                        "SyncWindow", "{n} bundles were already applied."
                    ),
                )
            )
        for device, missing in sorted(result.gaps.items()):
            lines.append(
                self.tr("Held: waiting for bundle {missing} from device {device}.")
                .replace("{missing}", ", ".join(map(str, missing)))
                .replace("{device}", device[:12])
            )
        for bundle_hash, reason in result.refused:
            lines.append(
                self.tr("Refused bundle {bundle}: {reason}. Show it to your site lead.")
                .replace("{bundle}", bundle_hash[:12])
                .replace("{reason}", _tr(_REASON_TEXT.get(reason, reason)))
            )
        return lines

    def _show_error(self, error: BaseException) -> None:
        what, hint = self._describe_error(error)
        self.add_result(f"{what} {hint}")
