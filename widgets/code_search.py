"""The code search dialog: find a MedDRA LLT as you type and choose it with Enter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "CodeChangesDialog",
    "CodeSearchDialog",
    "PathLike",
    "TermResult",
    "top_items",
]

logger = logging.getLogger(__name__)

_COLUMNS = 5  # LLT, PT, HLT, HLGT, SOC
_CODE_ROLE = Qt.ItemDataRole.UserRole
_SOC_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("CodeSearchDialog", text)


class PathLike(Protocol):
    """One path of a PT up to a SOC, as a search result holds it."""

    @property
    def hlt(self) -> str: ...  # noqa: D102 -- a field
    @property
    def hlgt(self) -> str: ...  # noqa: D102 -- a field
    @property
    def soc_code(self) -> int: ...  # noqa: D102 -- a field
    @property
    def soc(self) -> str: ...  # noqa: D102 -- a field
    @property
    def is_primary(self) -> bool: ...  # noqa: D102 -- a field


class TermResult(Protocol):
    """An LLT found by a search (``app.terminology.meddra.SearchResult``)."""

    @property
    def llt_code(self) -> int: ...  # noqa: D102 -- a field
    @property
    def llt(self) -> str: ...  # noqa: D102 -- a field
    @property
    def llt_ja(self) -> str: ...  # noqa: D102 -- a field
    @property
    def is_current(self) -> bool: ...  # noqa: D102 -- a field
    @property
    def pt_code(self) -> int: ...  # noqa: D102 -- a field
    @property
    def pt(self) -> str: ...  # noqa: D102 -- a field
    @property
    def pt_ja(self) -> str: ...  # noqa: D102 -- a field
    @property
    def paths(self) -> Sequence[PathLike]: ...  # noqa: D102 -- a field


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """Return the top-level items of ``tree``, in order."""
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def _name(english: str, japanese: str, code: int) -> str:
    both = f"{english} / {japanese}" if japanese else english
    return f"{both} ({code})"


class CodeSearchDialog(QDialog):
    """Search MedDRA by LLT as the coder types; Enter picks, Esc cancels.

    Each result row shows the LLT, its PT and the path to the primary SOC
    (marked "primary"); the PT's other paths are child rows, so a coder can
    record a secondary SOC. Non-current LLTs are shown greyed so that an old
    verbatim is recognised, and cannot be chosen.

    Parameters
    ----------
    search
        Returns the results for a query (English, kanji or kana), already in
        the order to show (earlier codings of the verbatim first).
    verbatim
        The span's text, put in the query box to start with.
    version
        The MedDRA version searched, shown in the title.
    unavailable
        When not empty, the search is off and this text says why and what to
        do (for example, no MedDRA in the project).
    parent
        The window the dialog belongs to.

    Signals
    -------
    code_chosen(int, int)
        The LLT code and the SOC code of the path chosen.
    """

    code_chosen = Signal(int, int)

    def __init__(
        self,
        search: Callable[[str], Sequence[TermResult]] | None,
        verbatim: str,
        *,
        version: str = "",
        unavailable: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.chosen: tuple[int, int] | None = None
        title = _tr("Code the span")
        if version:
            title += " - MedDRA " + version
        self.setWindowTitle(title)

        self.query_box = QLineEdit(self)
        self.query_box.setPlaceholderText(
            _tr("Type an LLT in English, kanji or kana, or a code")
        )
        self.query_box.setClearButtonEnabled(True)
        self.query_box.installEventFilter(self)
        self.verbatim_label = QLabel(
            _tr("Verbatim: {text}").format(text=" ".join(verbatim.split())), self
        )
        self.verbatim_label.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.results = QTreeWidget(self)
        self.results.setColumnCount(_COLUMNS)
        self.results.setHeaderLabels(
            [_tr("LLT"), _tr("PT"), _tr("HLT"), _tr("HLGT"), _tr("SOC")]
        )
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(lambda item, _col: self._choose(item))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(lambda: self._choose(self.results.currentItem()))
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.addWidget(self.verbatim_label)
        layout.addWidget(self.query_box)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        self.resize(1180, 420)

        if unavailable or search is None:
            self.message.setText(unavailable)
            self.query_box.setEnabled(False)
            self.results.setEnabled(False)
            self.ok_button.setEnabled(False)
            return
        self.query_box.textChanged.connect(self.run_search)
        self.query_box.setText(verbatim.replace("\n", " ").strip())
        self.query_box.selectAll()
        self.query_box.setFocus()
        self.run_search(self.query_box.text())

    # -- searching ---------------------------------------------------------------

    def run_search(self, query: str) -> None:
        """Show the results for ``query``; the first current LLT becomes current."""
        if self._search is None:
            return
        found = list(self._search(query)) if query.strip() else []
        self.results.clear()
        first: QTreeWidgetItem | None = None
        for result in found:
            item = self._row(result)
            self.results.addTopLevelItem(item)
            item.setExpanded(True)
            if first is None and result.is_current:
                first = item
        for column in range(_COLUMNS):
            self.results.resizeColumnToContents(column)
        if first is not None:
            self.results.setCurrentItem(first)
        if not query.strip():
            self.message.setText("")
        elif not found:
            self.message.setText(_tr("No LLT matches {query}.").format(query=query))
        else:
            self.message.setText(
                _tr("{count} LLTs. Enter chooses; Esc cancels.").format(
                    count=len(found)
                )
            )

    def _row(self, result: TermResult) -> QTreeWidgetItem:
        paths = sorted(result.paths, key=lambda p: not p.is_primary)
        llt = _name(result.llt, result.llt_ja, result.llt_code)
        if not result.is_current:
            llt += " - " + _tr("not current")
        pt = _name(result.pt, result.pt_ja, result.pt_code)
        item = self._path_item(result, llt, pt, paths[0])
        for path in paths[1:]:
            item.addChild(self._path_item(result, "", "", path))
        return item

    def _path_item(
        self, result: TermResult, llt: str, pt: str, path: PathLike
    ) -> QTreeWidgetItem:
        soc = path.soc + (" - " + _tr("primary") if path.is_primary else "")
        item = QTreeWidgetItem([llt, pt, path.hlt, path.hlgt, soc])
        item.setData(0, _CODE_ROLE, result.llt_code)
        item.setData(0, _SOC_ROLE, path.soc_code)
        if path.is_primary:
            font = QFont(item.font(4))
            font.setBold(True)
            item.setFont(4, font)
        if not result.is_current:
            # Disabled rows are drawn greyed and cannot become current.
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setToolTip(
                0, _tr("Not current in this MedDRA version: choose a current LLT")
            )
        return item

    def result_rows(self) -> list[tuple[str, ...]]:
        """Return the top-level rows shown, as the columns' texts (for checks)."""
        return [
            tuple(item.text(c) for c in range(_COLUMNS))
            for item in top_items(self.results)
        ]

    # -- choosing ----------------------------------------------------------------

    def choose_row(self, row: int) -> bool:
        """Choose the top-level row ``row``; False when it cannot be chosen."""
        return self._choose(self.results.topLevelItem(row))

    def _choose(self, item: QTreeWidgetItem | None) -> bool:
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.message.setText(_tr("Choose a current LLT from the list."))
            return False
        self.chosen = (int(item.data(0, _CODE_ROLE)), int(item.data(0, _SOC_ROLE)))
        self.code_chosen.emit(*self.chosen)
        self.accept()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let Up, Down and Enter in the query box move and pick in the results."""
        if (
            watched is self.query_box
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.results.currentItem())
                return True
        return super().eventFilter(watched, event)

    def _step(self, step: int) -> None:
        current = self.results.currentItem()
        target = (
            (
                self.results.itemBelow(current)
                if step > 0
                else self.results.itemAbove(current)
            )
            if current is not None
            else self.results.topLevelItem(0)
        )
        while target is not None and not target.flags() & Qt.ItemFlag.ItemIsEnabled:
            target = (
                self.results.itemBelow(target)
                if step > 0
                else self.results.itemAbove(target)
            )
        if target is not None:
            self.results.setCurrentItem(target)


class CodeChangesDialog(QDialog):
    """Lists the project's codes that a newer MedDRA version changes.

    Parameters
    ----------
    old_version, new_version
        The versions compared.
    rows
        One row per changed code: verbatim, LLT, PT, and what changed.
    parent
        The window the dialog belongs to.
    """

    def __init__(
        self,
        old_version: str,
        new_version: str,
        rows: Sequence[tuple[str, str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _tr("Codes changed by MedDRA {version}").format(version=new_version)
        )
        summary = QLabel(
            _tr(
                "{count} codes of this project made with MedDRA {old} change in "
                "{new}. Review these spans and code them again where needed."
            ).format(count=len(rows), old=old_version, new=new_version),
            self,
        )
        summary.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(
            [_tr("Verbatim"), _tr("LLT"), _tr("PT"), _tr("What changed")]
        )
        for row in rows:
            self.table.addTopLevelItem(QTreeWidgetItem(list(row)))
        for column in range(4):
            self.table.resizeColumnToContents(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def rows(self) -> list[tuple[str, ...]]:
        """Return the rows listed (for checks)."""
        return [tuple(item.text(c) for c in range(4)) for item in top_items(self.table)]
