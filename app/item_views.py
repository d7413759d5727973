"""How the main window opens a worklist item: views registered per item kind."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.tasks import TaskRunner
    from storage.project import Project
    from storage.records import Revision

logger = logging.getLogger(__name__)


@dataclass
class ItemContext:
    """What an item view gets: the signed-in project, the item, background work."""

    project: Project
    item: Revision
    tasks: TaskRunner
    parent: QWidget | None = None


class ItemView(QWidget):
    """Base class of the viewer in the centre of the main window."""

    def tool_actions(self) -> list[QAction]:
        """Return the actions for the viewer toolbar (none by default).

        Returns
        -------
        list of QAction
            Actions with shortcuts and tooltips naming them.
        """
        return []

    def side_panel(self) -> QWidget | None:
        """Return the panel for the right dock, or None.

        Returns
        -------
        QWidget or None
            The panel of what is being annotated.
        """
        return None

    def close_item(self) -> None:
        """Flush pending work and stop background work before the view goes."""


ItemViewFactory = Callable[[ItemContext], ItemView]

_factories: dict[str, ItemViewFactory] = {}

# Modules whose import registers the views of the other item kinds.
WORKSPACE_MODULES = (
    "app.series_workspace",
    "app.document_workspace",
    "app.pair_workspace",
)


def register_item_view(kind: str, factory: ItemViewFactory) -> None:
    """Make ``factory`` build the view of every item of ``kind``.

    Parameters
    ----------
    kind
        An item kind (``"series"``, ``"document"``, ``"pair"``).
    factory
        Called with an :class:`ItemContext`; returns the view.
    """
    _factories[kind] = factory


def load_workspaces() -> list[str]:
    """Import the workspace modules that are present, so they register views.

    Returns
    -------
    list of str
        The modules that could not be imported (their items show a placeholder).
    """
    import importlib

    missing = []
    for name in WORKSPACE_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # one broken workspace must not stop the app
            logger.exception("workspace %s not available", name)
            missing.append(name)
    return missing


def view_factory(kind: str) -> ItemViewFactory | None:
    """Return the registered factory for ``kind``, or None.

    Parameters
    ----------
    kind
        An item kind.

    Returns
    -------
    callable or None
        The factory.
    """
    return _factories.get(kind)


class PlaceholderView(ItemView):
    """The centre when no item is open, or when its kind has no view."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = QLabel(text or self.tr("Open an item from the worklist."), self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setEnabled(False)
        layout.addWidget(self.label)
