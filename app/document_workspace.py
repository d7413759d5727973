"""The document workspace: page view, label keys 1-9 and the span panel.

Every span is a record of type ``span`` whose body is::

    {"document_hash": str,          # SHA-256 of the file (or of the text)
     "label": str, "label_set_version": int,
     "fragments": [[start, end], ...],   # code points of the canonical text
     "text": str,                   # the fragments' text joined by " … "
     "attributes": {"negated": bool, "hypothetical": bool,
                    "severity": str | None, "seriousness": [str, ...]},
     "code": dict | None}          # MeddraTerminology.code_for(...), with version

and every relation between two spans a record of type ``relation`` whose body
is ``{"type": "causes" | "dose_of" | "indication", "from": span record ID,
"to": span record ID}``.

Saving is immediate: creating, relabelling, coding, editing attributes and
deleting each write a revision. Dictionary suggestions are kept in memory
until the coder accepts one (it becomes a span) or rejects it (never saved).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.cli_documents import extract_for_import, item_document_loader, store_import
from app.errors_ui import show_error
from app.item_views import ItemContext, ItemView, register_item_view
from app.logs import short_hash
from app.terminology import meddra as meddra_module
from app.terminology.errors import TerminologyNotLoadedError
from app.terminology.meddra import (
    MeddraTerminology,
    SearchResult,
    changed_codes,
    load_from_project,
    load_meddra,
    rank_with_history,
    save_to_project,
)
from app.terminology.suggest import Suggestion, suggest_spans
from app.workflow import ShownRecords, blind_items, shown_records
from storage import assets
from storage.errors import HaiopsError
from storage.items import set_item_status
from storage.labels import Label, LabelSet, current_label_set
from storage.progress import Progress
from storage.records import Revision
from viewers.documents.model import CanonicalText, Document
from viewers.page_view import Highlight, PageView, RelationLine, TextView
from widgets.code_search import CodeChangesDialog, CodeSearchDialog
from widgets.span_panel import (
    RELATION_TYPES,
    RelationRow,
    SpanPanel,
    SpanRow,
    empty_attributes,
)

if TYPE_CHECKING:
    from app.tasks import TaskRunner
    from storage.project import Project

__all__ = [
    "DocumentItemView",
    "import_document_files",
    "load_meddra_in_background",
    "load_meddra_interactively",
    "newest_meddra",
    "span_body",
    "store_meddra",
]

logger = logging.getLogger(__name__)

#: Statuses after which changing a span needs a reason (21 CFR 11.10(e)).
_REASON_STATUSES = frozenset(
    {"submitted", "reviewed", "approved", "rejected", "locked"}
)
_NO_LABEL_COLOUR = "#c8c8c8"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentItemView", text)


def span_body(
    document: Document,
    *,
    label: str,
    label_set_version: int,
    fragments: Sequence[tuple[int, int]],
    attributes: Mapping[str, Any] | None = None,
    code: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the body of a span record; its text is read from the canonical text.

    Parameters
    ----------
    document
        The open document.
    label, label_set_version
        The span's label and the version of the label set it comes from.
    fragments
        ``(start, end)`` code-point offsets, in document order.
    attributes
        Negated, hypothetical, severity and seriousness; none set by default.
    code
        A terminology code, or None.

    Returns
    -------
    dict
        The body described in the module docstring.
    """
    ordered = sorted((int(start), int(end)) for start, end in fragments)
    return {
        "document_hash": document.content_hash,
        "label": label,
        "label_set_version": label_set_version,
        "fragments": [[start, end] for start, end in ordered],
        "text": document.span_text(ordered),
        "attributes": dict(attributes or empty_attributes()),
        "code": None if code is None else dict(code),
    }


def import_document_files(
    parent: QWidget | None,
    project: Project,
    tasks: TaskRunner,
    paths: Sequence[Path],
    on_done: Callable[[list[Revision]], None] | None = None,
) -> None:
    """Import PDF and text files as worklist items, extracting in the background.

    Extraction (and OCR) runs on a worker thread with progress and Cancel in
    the status bar; the project is written on the GUI thread afterwards.

    Parameters
    ----------
    parent
        The window that shows errors.
    project
        The signed-in project.
    tasks
        The window's task runner.
    paths
        The files to import.
    on_done
        Called with the new items once all are stored.
    """
    files = list(paths)

    def work(progress: Progress) -> list[tuple[Path, CanonicalText]]:
        # Each file takes an equal share of the bar, counted in thousandths.
        return [
            (path, extract_for_import(path, progress=_share(progress, n, len(files))))
            for n, path in enumerate(files)
        ]

    def store(forms: list[tuple[Path, CanonicalText]]) -> None:
        items = []
        for path, form in forms:
            try:
                # No patient strings for the bundle gate: a document's are unknown.
                items.append(store_import(project, path, form))
            except HaiopsError as error:
                show_error(parent, error)
        if on_done is not None:
            on_done(items)

    tasks.run(_tr("Importing documents"), work, store)


def _share(progress: Progress, index: int, count: int) -> Progress:
    """Return a progress for file ``index`` of ``count`` reporting into ``progress``."""

    def report(done: int, total: int, message: str) -> None:
        progress.report(
            index * 1000 + done * 1000 // max(total, 1), count * 1000, message
        )

    return Progress(report)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order MedDRA versions ("9.1" < "27.0" < "27.1"): numbers as numbers."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in version.split(".")
    )


def newest_meddra(project: Project) -> MeddraTerminology | None:
    """Return the newest MedDRA version kept in the project, or None if none is.

    Parameters
    ----------
    project
        The signed-in project.
    """
    versions = [
        version
        for key, version, _ in assets.list_assets(project, meddra_module.ASSET_KIND)
        if key == meddra_module.SYSTEM
    ]
    if not versions:
        return None
    try:
        return load_from_project(project, version=max(versions, key=_version_key))
    except TerminologyNotLoadedError:
        return None


def _project_codes(project: Project) -> list[tuple[str, dict[str, Any]]]:
    """Return (verbatim, code) of every MedDRA-coded span of the project."""
    return [
        (str(span.body.get("text", "")), dict(span.body["code"]))
        for span in project.records.current("span")
        if isinstance(span.body.get("code"), dict)
        and span.body["code"].get("system") == meddra_module.SYSTEM
    ]


def _change_reasons(change: meddra_module.CodeChange) -> str:
    words = {
        "llt_missing": _tr("LLT no longer in the release"),
        "llt_not_current": _tr("LLT no longer current"),
        "pt_moved": _tr("LLT moved to PT {code}").format(code=change.new_pt_code),
        "primary_soc_moved": _tr("primary SOC now {code}").format(
            code=change.new_soc_code
        ),
    }
    return "; ".join(words.get(reason, reason) for reason in change.reasons)


def store_meddra(
    parent: QWidget | None, project: Project, terminology: MeddraTerminology
) -> CodeChangesDialog | None:
    """Keep a loaded release in the project; list codes a newer version changes.

    Parameters
    ----------
    parent
        The window the list of changed codes opens over.
    project
        The signed-in project.
    terminology
        The release just loaded.

    Returns
    -------
    CodeChangesDialog or None
        The dialog listing changed codes (already open), when the release is
        newer than the one the project held and changes any of its codes.
    """
    older = newest_meddra(project)
    save_to_project(project, terminology)
    logger.info("MedDRA %s kept in the project", terminology.version)
    if older is None or _version_key(terminology.version) <= _version_key(
        older.version
    ):
        return None

    rows: list[tuple[str, str, str, str]] = []
    for verbatim, code in _project_codes(project):
        if code.get("version") == terminology.version:
            continue
        for change in changed_codes(older, terminology, [code]):
            rows.append(
                (
                    " ".join(verbatim.split()),
                    f"{code['llt_code']} {code['llt']}",
                    f"{code['pt_code']} {code['pt']}",
                    _change_reasons(change),
                )
            )
    logger.info(
        "MedDRA %s changes %d codes of the project", terminology.version, len(rows)
    )
    if not rows:
        return None
    dialog = CodeChangesDialog(older.version, terminology.version, rows, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def load_meddra_in_background(
    parent: QWidget | None,
    project: Project,
    tasks: TaskRunner,
    folder: Path,
    version: str | None,
    on_done: Callable[[MeddraTerminology, CodeChangesDialog | None], None]
    | None = None,
) -> None:
    """Read a MedDRA release on a worker thread, then keep it in the project.

    Parameters
    ----------
    parent
        The window that shows errors and the list of changed codes.
    project
        The signed-in project.
    tasks
        The window's task runner (progress and Cancel in the status bar).
    folder
        The release's ``ascii`` folder (with MedDRA/J files beside it, if any).
    version
        The release version, or None to read it from meddra_release.asc.
    on_done
        Called on the GUI thread with the release and the changes dialog.
    """

    def work(progress: Progress) -> MeddraTerminology:
        return load_meddra(folder, version=version, progress=progress)

    def store(terminology: MeddraTerminology) -> None:
        try:
            dialog = store_meddra(parent, project, terminology)
        except HaiopsError as error:
            show_error(parent, error)
            return
        if on_done is not None:
            on_done(terminology, dialog)

    tasks.run(_tr("Loading MedDRA"), work, store)


def load_meddra_interactively(
    parent: QWidget | None,
    project: Project,
    tasks: TaskRunner,
    on_done: Callable[[MeddraTerminology, CodeChangesDialog | None], None]
    | None = None,
) -> None:
    """Tools > Load MedDRA...: ask for the release folder and load it in the background.

    The version is read from meddra_release.asc; when the folder has none the
    user is asked for it (for example 27.0).

    Parameters
    ----------
    parent
        The main window.
    project
        The signed-in project.
    tasks
        The window's task runner.
    on_done
        Called once the release is kept in the project.
    """
    chosen = QFileDialog.getExistingDirectory(
        parent, _tr("Choose the ascii folder of your MedDRA release")
    )
    if not chosen:
        return
    folder = Path(chosen)
    names = (
        {path.name.lower() for path in folder.iterdir()} if folder.is_dir() else set()
    )
    version: str | None = None
    if not names & {"meddra_release.asc", "meddra_release_j.asc"}:
        text, is_ok = QInputDialog.getText(
            parent,
            _tr("MedDRA version"),
            _tr(
                "The folder has no meddra_release.asc. Which version is it "
                "(for example 27.0)?"
            ),
        )
        if not is_ok or not text.strip():
            return
        version = text.strip()
    load_meddra_in_background(parent, project, tasks, folder, version, on_done)


class DocumentItemView(ItemView):
    """The document workspace for one worklist item.

    The document opens in the background; page 1 shows first. Select words by
    dragging or with Shift+arrows, then press a label's key (1-9) to save the
    span; Ctrl+drag adds fragments of a discontinuous span; Shift+PageDown
    (or Shift+click after turning the page) carries a selection over a page
    break. N and H flip negated and hypothetical of the selected span; C
    codes it in MedDRA; Del deletes it; Ctrl+Z and Ctrl+Shift+Z undo and
    redo. Ctrl+click a second span and press L to relate the two.
    Ctrl+Shift+D suggests spans from the dictionary, reviewed one at a time
    with A (accept) and R (reject).

    Parameters
    ----------
    context
        The project, the document item and the task runner.
    """

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)
        self.context = context
        self.records = context.project.records
        self.item_id = context.item.record_id
        self.document: Document | None = None
        self.load_error: BaseException | None = None
        self._is_closed = False
        self._selected_span: str | None = None
        self._second_span: str | None = None  # Ctrl+clicked, for a relation
        self._meddra: MeddraTerminology | None = None
        self._suggestions: list[Suggestion] = []
        self._suggestion_label: Label | None = None
        self.code_dialog: CodeSearchDialog | None = None
        self.relation_dialog: QInputDialog | None = None
        self.undo_stack = QUndoStack(self)

        self.panel = SpanPanel()
        self.label_set: LabelSet = current_label_set(self.records, "document")
        self.panel.palette_widget.set_label_set(self.label_set)
        self.page_view = PageView(self)
        self.text_view = TextView(self)
        self._build_pages()
        self._actions = self._build_actions()
        self._connect()
        self._start_loading()

    # -- building --------------------------------------------------------------

    def _build_pages(self) -> None:
        self._loading = QWidget(self)
        self._loading_text = QLabel(_tr("Opening the document..."), self._loading)
        self._loading_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading_text.setWordWrap(True)
        self._loading_bar = QProgressBar(self._loading)
        self._loading_bar.setRange(0, 0)
        box = QVBoxLayout(self._loading)
        box.addStretch(1)
        box.addWidget(self._loading_text)
        box.addWidget(self._loading_bar)
        box.addStretch(1)
        self._pages = QStackedLayout(self)
        self._pages.addWidget(self._loading)
        self._pages.addWidget(self.page_view)
        self._pages.addWidget(self.text_view)

    def _action(self, text: str, key: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(key).toString()})")
        self.addAction(action)
        return action

    def _build_actions(self) -> list[QAction]:
        previous = self._action(_tr("Previous page"), "PgUp", _tr("Previous page"))
        previous.triggered.connect(lambda: self._turn(-1))
        following = self._action(_tr("Next page"), "PgDown", _tr("Next page"))
        following.triggered.connect(lambda: self._turn(1))
        zoom_in = self._action(_tr("Zoom in"), "Ctrl++", _tr("Zoom in"))
        zoom_in.triggered.connect(lambda: self._zoom(1.25))
        zoom_out = self._action(_tr("Zoom out"), "Ctrl+-", _tr("Zoom out"))
        zoom_out.triggered.connect(lambda: self._zoom(0.8))
        fit = self._action(_tr("Fit width"), "0", _tr("Fit the page to the width"))
        fit.triggered.connect(self.page_view.fit_width)
        negated = self._action(_tr("Negated"), "N", _tr("Flip negated of the span"))
        negated.triggered.connect(lambda: self.panel.toggle("negated"))
        hypothetical = self._action(
            _tr("Hypothetical"), "H", _tr("Flip hypothetical of the span")
        )
        hypothetical.triggered.connect(lambda: self.panel.toggle("hypothetical"))
        self.delete_action = self._action(
            _tr("Delete span"), "Del", _tr("Delete the selected span")
        )
        self.delete_action.triggered.connect(self._delete_selected)
        undo = self._action(_tr("Undo"), "Ctrl+Z", _tr("Undo the last span change"))
        undo.triggered.connect(self.undo_stack.undo)
        redo = self._action(_tr("Redo"), "Ctrl+Shift+Z", _tr("Redo the span change"))
        redo.triggered.connect(self.undo_stack.redo)
        code = self._action(_tr("Code span"), "C", _tr("Code the span in MedDRA"))
        code.triggered.connect(lambda: self.open_code_search())
        suggest = self._action(
            _tr("Suggest from dictionary"),
            "Ctrl+Shift+D",
            _tr("Suggest spans of MedDRA terms found in the text"),
        )
        suggest.triggered.connect(self.suggest_from_dictionary)
        accept = self._action(
            _tr("Accept suggestion"), "A", _tr("Accept the suggestion as a span")
        )
        accept.triggered.connect(self.accept_suggestion)
        reject = self._action(
            _tr("Reject suggestion"), "R", _tr("Reject the suggestion")
        )
        reject.triggered.connect(self.reject_suggestion)
        relate = self._action(
            _tr("Relate spans"),
            "L",
            _tr("Relate the selected span to the Ctrl+clicked one"),
        )
        relate.triggered.connect(self.relate_selected)
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText(_tr("Find (Ctrl+F)"))
        self.find_box.setToolTip(
            _tr("Find a term (NFKC, any case); Enter selects the next match")
        )
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(
            lambda: self.find_next(self.find_box.text())
        )
        find = QWidgetAction(self)
        find.setDefaultWidget(self.find_box)
        find_key = self._action(_tr("Find"), "Ctrl+F", _tr("Find a term"))
        find_key.triggered.connect(self._focus_find)
        for key in "123456789":
            label_action = QAction(self)
            label_action.setShortcut(QKeySequence(key))
            label_action.setShortcutContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            label_action.triggered.connect(lambda _=False, k=key: self.press_label(k))
            self.addAction(label_action)
        return [
            previous,
            following,
            zoom_in,
            zoom_out,
            fit,
            negated,
            hypothetical,
            self.delete_action,
            code,
            relate,
            suggest,
            accept,
            reject,
            undo,
            redo,
            find,
        ]

    def _connect(self) -> None:
        for view in (self.page_view, self.text_view):
            view.span_clicked.connect(self.select_span)
        self.page_view.page_failed.connect(lambda error: show_error(self, error))
        self.page_view.span_ctrl_clicked.connect(self.add_span_for_relation)
        self.panel.code_requested.connect(self.open_code_search)
        self.panel.relation_delete_requested.connect(self.delete_relation)
        self.panel.span_activated.connect(self._on_span_activated)
        self.panel.attributes_edited.connect(self.edit_attributes)
        self.panel.delete_requested.connect(self.delete_span)
        self.panel.palette_widget.label_chosen.connect(self._on_label_chosen)

    # -- ItemView ---------------------------------------------------------------

    def tool_actions(self) -> list[QAction]:
        """Return page, zoom, attribute, code, relation and suggestion actions."""
        return list(self._actions)

    def side_panel(self) -> QWidget | None:
        """Return the span panel (labels, spans, attributes)."""
        return self.panel

    def close_item(self) -> None:
        """Release the document; every change is already saved."""
        self._is_closed = True
        if self.document is not None:
            self.document.close()

    # -- loading ------------------------------------------------------------------

    def is_loaded(self) -> bool:
        """Say whether the document is shown."""
        return self.document is not None

    def current_view(self) -> PageView | TextView:
        """Return the view showing the document (page view for PDF)."""
        if self.document is not None and self.document.kind == "text":
            return self.text_view
        return self.page_view

    def _start_loading(self) -> None:
        try:
            loader = item_document_loader(self.context.project, self.context.item)
        except HaiopsError as error:
            self._on_load_failed(error)
            return

        def work(progress: Progress) -> Document:
            return loader(progress)

        self.context.tasks.run(
            _tr("Opening document"), work, self._on_loaded, self._on_load_failed
        )

    def _on_loaded(self, document: Document) -> None:
        if self._is_closed:
            document.close()
            return
        self.document = document
        view = self.current_view()
        # Shown first, so that the page view knows its width to fit the page.
        self._pages.setCurrentWidget(view)
        view.set_document(document)
        self.reload_spans()
        view.setFocus()
        logger.info(
            "document item %s shown: %d pages",
            short_hash(self.item_id),
            document.page_count,
        )

    def _on_load_failed(self, error: BaseException) -> None:
        if self._is_closed:
            return
        self.load_error = error
        self._loading_bar.hide()
        if isinstance(error, HaiopsError):
            what = QCoreApplication.translate("errors", type(error).what)
            self._loading_text.setText(what.format_map(_Fields(error.fields)))
        else:
            self._loading_text.setText(_tr("The document could not be opened."))
        show_error(self.context.parent, error)

    def _turn(self, step: int) -> None:
        if self.document is not None and self.document.kind == "pdf":
            try:
                self.page_view.show_page(self.page_view.page_number() + step)
            except HaiopsError as error:
                show_error(self, error)

    def _focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def find_next(self, term: str) -> bool:
        """Select the next match of ``term`` after the selection, wrapping round.

        Returns
        -------
        bool
            False when the document has no match.
        """
        if self.document is None:
            return False
        matches = self.document.find(term)
        if not matches:
            self.find_box.setToolTip(_tr("No match for {term}").format(term=term))
            return False
        view = self.current_view()
        selected = view.selection()
        after = selected[0] if selected else -1
        start, end = next(((a, b) for a, b in matches if a > after), matches[0])
        if self.document.kind == "pdf":
            page = self.document.page_of_offset(start)
            if page != self.page_view.page_number():
                self.page_view.show_page(page)
                self.reload_spans()
        view.set_selection(start, end)
        view.setFocus()
        return True

    def _zoom(self, factor: float) -> None:
        self.page_view.set_zoom(self.page_view.zoom() * factor)

    # -- spans ----------------------------------------------------------------------

    def shown_spans(self) -> ShownRecords:
        """Return the span records the user may see, with their authors.

        Blind double annotation: a coder sees only their own spans until
        every annotator has submitted; reviewers see both sides by author.
        """
        return shown_records(self.context.project, self.item_id, "span")

    def span_revisions(self) -> list[Revision]:
        """Return the span records of this item the user may see, in text order."""
        return _in_text_order(self.shown_spans().records)

    def reload_spans(self) -> None:
        """Show the saved spans in the view and the panel."""
        if self.document is None:
            return
        colours = {label.name: label.colour for label in self.label_set.labels}
        rows: list[SpanRow] = []
        highlights: list[Highlight] = []
        shown = self.shown_spans()
        spans = _in_text_order(shown.records)
        chosen = {self._selected_span, self._second_span}
        for revision in spans:
            body = revision.body
            colour = colours.get(str(body["label"]), _NO_LABEL_COLOUR)
            fragments = [(int(a), int(b)) for a, b in body["fragments"]]
            author = _author_of(shown, revision.record_id)
            rows.append(
                SpanRow(
                    key=revision.record_id,
                    label=" · ".join(p for p in (str(body["label"]), author) if p),
                    colour=colour,
                    text=str(body["text"]),
                    page=self.document.page_of_offset(fragments[0][0]) + 1,
                    attributes=body.get("attributes") or empty_attributes(),
                    code=_code_text(body.get("code")),
                )
            )
            highlights += [
                Highlight(
                    revision.record_id, start, end, colour, revision.record_id in chosen
                )
                for start, end in fragments
            ]
        highlights += self._suggestion_highlights()
        self.panel.set_rows(rows)
        self.panel.select(self._selected_span)
        self.current_view().set_highlights(highlights)
        self._show_relations({span.record_id: span for span in spans})

    def press_label(self, key: str) -> None:
        """Label the selection (or relabel the selected span) with key ``key``."""
        label = next((lb for lb in self.label_set.labels if lb.key == key), None)
        if label is None or self.document is None:
            return
        self.panel.palette_widget.set_active_label(label.name)
        view = self.current_view()
        fragments = view.fragments()
        if fragments:
            self.create_span(label, fragments)
            view.clear_selection()
        elif self._selected_span is not None:
            self._revise(
                self._selected_span,
                {"label": label.name, "label_set_version": self.label_set.version},
            )

    def create_span(self, label: Label, fragments: Sequence[tuple[int, int]]) -> None:
        """Save a new span with ``label`` over ``fragments``."""
        if self.document is None:
            return
        body = span_body(
            self.document,
            label=label.name,
            label_set_version=self.label_set.version,
            fragments=fragments,
        )
        command = _SpanChange(self, _tr("Label span"), None, None, body)
        self.undo_stack.push(command)
        if command.record_id is not None:
            self._selected_span = command.record_id
            self._mark_in_progress()
            self.reload_spans()

    def select_span(self, key: str) -> None:
        """Make the span ``key`` the selected one (panel and highlight)."""
        self._selected_span = key
        self._second_span = None
        self.reload_spans()

    def _on_span_activated(self, key: str) -> None:
        self.select_span(key)
        if self.document is None:
            return
        start, end = self.records.head(key).body["fragments"][0]
        if self.document.kind == "pdf":
            page = self.document.page_of_offset(int(start))
            if page != self.page_view.page_number():
                self.page_view.show_page(page)
                self.reload_spans()
            self.page_view.reveal(int(start), int(end))

    def edit_attributes(self, key: str, attributes: dict[str, Any]) -> None:
        """Save new attributes for the span ``key``."""
        self._revise(key, {"attributes": attributes})

    def _on_label_chosen(self, name: str) -> None:
        label = self.label_set.by_name(name)
        if label is not None and label.key and self.current_view().fragments():
            self.press_label(label.key)

    def _revise(self, key: str, changes: Mapping[str, Any]) -> None:
        before = dict(self.records.head(key).body)
        after = {**before, **changes}
        if after == before:
            return
        reason = self._reason_if_needed(_tr("Why is the span changed?"))
        if reason == "":
            self.reload_spans()
            return
        self.undo_stack.push(
            _SpanChange(self, _tr("Change span"), key, before, after, reason)
        )

    def _delete_selected(self) -> None:
        if self._selected_span is not None:
            self.delete_span(self._selected_span)

    def delete_span(self, key: str) -> None:
        """Delete the span ``key``, asking a reason once the item is submitted."""
        reason = self._reason_if_needed(_tr("Why is the span deleted?"))
        if reason == "":
            return
        before = dict(self.records.head(key).body)
        if self._selected_span == key:
            self._selected_span = None
        if self._second_span == key:
            self._second_span = None
        self.undo_stack.push(
            _SpanChange(self, _tr("Delete span"), key, before, None, reason)
        )

    def _reason_if_needed(self, question: str) -> str | None:
        """None when no reason is needed, "" when the user cancelled."""
        status = self.records.head(self.item_id).body.get("status")
        if status not in _REASON_STATUSES:
            return None
        text, is_ok = QInputDialog.getText(
            self,
            _tr("Reason for the change"),
            _tr("This item was submitted.") + " " + question,
        )
        return text.strip() if is_ok else ""

    def _mark_in_progress(self) -> None:
        item = self.records.head(self.item_id)
        if item.body.get("status") != "not_started":
            return
        try:
            set_item_status(self.records, self.item_id, "in_progress")
        except HaiopsError as error:
            show_error(self, error)
            return
        refresh = getattr(self.context.parent, "refresh_worklist", None)
        if callable(refresh):
            refresh()

    # -- coding ----------------------------------------------------------------------

    def meddra(self) -> MeddraTerminology | None:
        """Return the project's newest MedDRA (read once per version), or None."""
        versions = [
            version
            for key, version, _ in assets.list_assets(
                self.context.project, meddra_module.ASSET_KIND
            )
            if key == meddra_module.SYSTEM
        ]
        newest = max(versions, key=_version_key) if versions else None
        if newest is None:
            self._meddra = None
        elif self._meddra is None or self._meddra.version != newest:
            # Known shortcoming: read on the GUI thread; a full release (80,000
            # LLTs) holds the window for a second or two on first use.
            self._meddra = load_from_project(self.context.project, version=newest)
        return self._meddra

    def open_code_search(self, key: str | None = None) -> CodeSearchDialog | None:
        """Open the MedDRA search for the span ``key`` (the selected one if None).

        Returns
        -------
        CodeSearchDialog or None
            The dialog (open, window-modal), or None when no span is selected.
        """
        key = key or self._selected_span
        if key is None or self.document is None:
            return None
        span = self.records.head(key)
        verbatim = str(span.body["text"])
        try:
            terminology = self.meddra()
        except HaiopsError as error:
            show_error(self, error)
            return None

        if terminology is None:
            dialog = CodeSearchDialog(
                None,
                verbatim,
                unavailable=_tr(
                    "No MedDRA is loaded in this project. Load your MedDRA release "
                    "with Tools > Load MedDRA..., then press C again."
                ),
                parent=self,
            )
        else:
            # Earlier codes rank the choices: never those of a blind item's
            # other coder, which would tell them the other's answer.
            hidden = blind_items(self.context.project)
            me = self.context.project.user.user_id
            history = [
                s.body
                for s in self.records.current("span")
                if s.item_id not in hidden or s.author == me
            ]

            def search(query: str) -> list[SearchResult]:
                return rank_with_history(terminology.search(query), verbatim, history)

            dialog = CodeSearchDialog(
                search, verbatim, version=terminology.version, parent=self
            )
            dialog.code_chosen.connect(
                lambda llt, soc: self._store_code(key, terminology, llt, soc)
            )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._code_dialog_closed(dialog))
        self.code_dialog = dialog
        dialog.open()
        return dialog

    def _code_dialog_closed(self, dialog: CodeSearchDialog) -> None:
        if self.code_dialog is dialog:
            self.code_dialog = None
        self.current_view().setFocus()

    def _store_code(
        self, key: str, terminology: MeddraTerminology, llt_code: int, soc_code: int
    ) -> None:
        try:
            code = terminology.code_for(llt_code, soc_code=soc_code)
        except HaiopsError as error:
            show_error(self, error)
            return
        self._revise(key, {"code": code})
        logger.info("span %s coded (MedDRA %s)", short_hash(key), code["version"])

    # -- dictionary suggestions -------------------------------------------------------

    def suggest_from_dictionary(self) -> None:
        """Find MedDRA terms in the text in the background; review them one by one."""
        if self.document is None:
            return
        try:
            terminology = self.meddra()
        except HaiopsError as error:
            show_error(self, error)
            return
        if terminology is None:
            show_error(
                self,
                TerminologyNotLoadedError(
                    "no MedDRA for suggestions", system=meddra_module.SYSTEM
                ),
            )
            return
        text = self.document.text

        def work(progress: Progress) -> list[Suggestion]:
            del progress  # one pass over the text; nothing to report between
            return suggest_spans(text, terminology)

        self.context.tasks.run(_tr("Suggesting spans"), work, self.set_suggestions)

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Put ``suggestions`` up for review, dropping those over saved spans."""
        taken = [
            (int(a), int(b))
            for span in self.span_revisions()
            for a, b in span.body["fragments"]
        ]
        self._suggestions = [
            s
            for s in suggestions
            if not any(s.start < end and start < s.end for start, end in taken)
        ]
        # Known shortcoming: every accepted suggestion takes the active label
        # (the first when none is active); the coder relabels with 1-9.
        self._suggestion_label = self.panel.palette_widget.active_label() or (
            self.label_set.labels[0] if self.label_set.labels else None
        )
        logger.info("%d suggestions to review", len(self._suggestions))
        self._focus_suggestion()

    def pending_suggestions(self) -> list[Suggestion]:
        """Return the suggestions not yet accepted or rejected, in text order."""
        return list(self._suggestions)

    def accept_suggestion(self) -> None:
        """Save the focused suggestion as a span with its code; focus the next."""
        if not self._suggestions or self.document is None:
            return
        label = self._suggestion_label
        if label is None:
            return
        # Known shortcoming: undo removes the accepted span but does not put
        # the suggestion back up for review.
        suggestion = self._suggestions.pop(0)
        code: dict[str, Any] | None = None
        terminology = self._meddra
        if terminology is not None and suggestion.llt_code in terminology.llts:
            try:
                code = terminology.code_for(suggestion.llt_code)
            except HaiopsError as error:
                show_error(self, error)
        body = span_body(
            self.document,
            label=label.name,
            label_set_version=self.label_set.version,
            fragments=[(suggestion.start, suggestion.end)],
            code=code,
        )
        command = _SpanChange(self, _tr("Accept suggestion"), None, None, body)
        self.undo_stack.push(command)
        if command.record_id is not None:
            # Selected, so that 1-9 relabel it and C codes it again.
            self._selected_span = command.record_id
            self._second_span = None
            self._mark_in_progress()
        self._focus_suggestion()

    def reject_suggestion(self) -> None:
        """Drop the focused suggestion (nothing is saved); focus the next."""
        if self._suggestions:
            self._suggestions.pop(0)
            self._focus_suggestion()

    def _focus_suggestion(self) -> None:
        if self.document is None:
            return
        if not self._suggestions:
            self.panel.set_review_status("")
            self.reload_spans()
            return
        focused = self._suggestions[0]
        label = self._suggestion_label.name if self._suggestion_label else ""
        self.panel.set_review_status(
            _tr(
                "Suggestion: {term} ({count} left). A accepts as {label}, R rejects."
            ).format(term=focused.term, count=len(self._suggestions), label=label)
        )
        if self.document.kind == "pdf":
            page = self.document.page_of_offset(focused.start)
            if page != self.page_view.page_number():
                self.page_view.show_page(page)
        self.reload_spans()
        if self.document.kind == "pdf":
            self.page_view.reveal(focused.start, focused.end)

    def _suggestion_highlights(self) -> list[Highlight]:
        colour = self._suggestion_label.colour if self._suggestion_label else "#808080"
        return [
            Highlight(
                f"suggestion:{n}",
                s.start,
                s.end,
                colour,
                is_selected=n == 0,
                is_suggestion=True,
            )
            for n, s in enumerate(self._suggestions)
        ]

    # -- relations ---------------------------------------------------------------------

    def relation_revisions(self) -> list[Revision]:
        """Return the relation records of this item the user may see, oldest first."""
        return list(
            shown_records(self.context.project, self.item_id, "relation").records
        )

    def add_span_for_relation(self, key: str) -> None:
        """Make ``key`` the second span (Ctrl+click); the first stays selected."""
        if self._selected_span is None or self._selected_span == key:
            self.select_span(key)
        else:
            self._second_span = key
            self.reload_spans()
        self.current_view().clear_selection()

    def selected_pair(self) -> tuple[str, str] | None:
        """Return (first, second) span keys chosen for a relation, if both are."""
        if self._selected_span is None or self._second_span is None:
            return None
        return self._selected_span, self._second_span

    def relate_selected(self) -> QInputDialog | None:
        """Ask the type of a relation from the selected span to the second one.

        Returns
        -------
        QInputDialog or None
            The open dialog listing the types, or None when two spans are not
            chosen.
        """
        pair = self.selected_pair()
        if pair is None:
            return None
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_tr("Relate spans"))
        dialog.setLabelText(_tr("Type of the relation from the first span:"))
        dialog.setComboBoxItems(list(RELATION_TYPES))
        dialog.setComboBoxEditable(False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(
            lambda kind: self.create_relation(kind, pair[0], pair[1])
        )
        self.relation_dialog = dialog
        dialog.open()
        return dialog

    def create_relation(self, kind: str, source: str, target: str) -> Revision | None:
        """Save a relation of type ``kind`` from span ``source`` to span ``target``."""
        if kind not in RELATION_TYPES:
            raise ValueError(f"relation type {kind!r} not one of {RELATION_TYPES}")
        reason = self._reason_if_needed(_tr("Why is the relation added?"))
        if reason == "":
            return None
        try:
            created = self.records.create(
                "relation",
                {"type": kind, "from": source, "to": target},
                item_id=self.item_id,
                reason=reason,
            )
        except HaiopsError as error:
            show_error(self, error)
            return None
        self._second_span = None
        self._mark_in_progress()
        self.reload_spans()
        return created

    def delete_relation(self, key: str) -> None:
        """Delete the relation ``key`` (a revision with the deleted flag)."""
        # Known shortcoming: relation changes are not on the undo stack.
        reason = self._reason_if_needed(_tr("Why is the relation deleted?"))
        if reason == "":
            return
        try:
            self.records.delete(key, reason=reason)
        except HaiopsError as error:
            show_error(self, error)
        self.reload_spans()

    def _show_relations(self, spans: Mapping[str, Revision]) -> None:
        rows: list[RelationRow] = []
        lines: list[RelationLine] = []
        for relation in self.relation_revisions():
            body = relation.body
            source, target = spans.get(body["from"]), spans.get(body["to"])
            # Known shortcoming: a relation to a deleted span stays saved but is
            # neither listed nor drawn until the span is back (undo).
            if source is None or target is None:
                continue
            kind = str(body["type"])
            rows.append(
                RelationRow(
                    relation.record_id,
                    kind,
                    str(source.body["text"]),
                    str(target.body["text"]),
                )
            )
            lines.append(
                RelationLine(
                    relation.record_id, source.record_id, target.record_id, kind
                )
            )
        self.panel.set_relations(rows)
        self.page_view.set_relations(lines)


def _in_text_order(spans: Sequence[Revision]) -> list[Revision]:
    """Return spans sorted by their fragments' code-point offsets."""
    return sorted(spans, key=lambda r: [tuple(f) for f in r.body["fragments"]])


def _author_of(shown: ShownRecords, record_id: str) -> str:
    """Return who made a span where both coders' spans show, else ""."""
    author = shown.authors.get(record_id, "")
    if author and record_id in shown.adjudicated:
        return _tr("adjudicated by {author}").format(author=author)
    return author


def _code_text(code: object) -> str:
    """Return a short text of a span's code for the panel, or ""."""
    if not isinstance(code, dict) or "llt_code" not in code:
        return ""
    return _tr("LLT {llt_code} {llt} / PT {pt_code} {pt} (MedDRA {version})").format(
        llt_code=code["llt_code"],
        llt=code.get("llt", ""),
        pt_code=code.get("pt_code", ""),
        pt=code.get("pt", ""),
        version=code.get("version", ""),
    )


class _SpanChange(QUndoCommand):
    """One saved span change; undo and redo each write a new revision.

    ``before`` and ``after`` are bodies, None meaning "not there" (deleted).
    """

    def __init__(
        self,
        workspace: DocumentItemView,
        text: str,
        record_id: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str | None = None,
    ) -> None:
        super().__init__(text)
        self._workspace = workspace
        self.record_id = record_id
        self._before = before
        self._after = after
        self._reason = reason
        self._is_first = True

    def redo(self) -> None:
        reason = self._reason if self._is_first else _tr("redo")
        self._is_first = False
        if not self._apply(self._after, reason):
            self.setObsolete(True)

    def undo(self) -> None:
        self._apply(self._before, _tr("undo"))

    def _apply(self, body: dict[str, Any] | None, reason: str | None) -> bool:
        records = self._workspace.records
        try:
            if self.record_id is None:
                assert body is not None
                created = records.create(
                    "span", body, item_id=self._workspace.item_id, reason=reason
                )
                self.record_id = created.record_id
            elif body is None:
                records.delete(self.record_id, reason=reason)
            else:
                # Revising a deleted head brings the span back (undo of a delete,
                # redo of a creation) as a new revision of the same record.
                records.revise(self.record_id, body, reason=reason)
        except HaiopsError as error:
            show_error(self._workspace, error)
            return False
        finally:
            self._workspace.reload_spans()
        return True


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


register_item_view("document", DocumentItemView)
