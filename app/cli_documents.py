"""``haiops doc inspect|import|open``: documents, their canonical text and pages.

Besides the commands, this module holds the Qt-free project side of documents,
shared with the document workspace: :func:`import_document` keeps a
document's canonical form in the project and adds its worklist item;
:func:`open_item_document` opens the document of an item with the stored
offsets. What a project keeps per document (keyed by the file's SHA-256):

- an asset of kind ``document_canonical``: :meth:`CanonicalText.to_bytes`
  (text, page offsets, extraction settings, PyMuPDF version);
- an asset of kind ``document_text``: the canonical text alone, UTF-8, which
  the exports read;
- an item of kind ``document`` whose source names the file, its hash and size.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.commands import add_project_arguments, command_group, open_from_arguments
from storage.errors import QT_TRANSLATE_NOOP, ServiceError
from storage.progress import Progress

# viewers.documents.model (PyMuPDF, numpy) is imported inside the functions
# that use it, so that registering the commands stays cheap.
if TYPE_CHECKING:
    from app.commands import Subparsers
    from storage.project import Project
    from storage.records import Revision
    from viewers.documents.model import CanonicalText, Document

__all__ = [
    "CANONICAL_ASSET_KIND",
    "TEXT_ASSET_KIND",
    "StoredDocumentMissingError",
    "extract_for_import",
    "import_document",
    "inspect_json",
    "item_document_loader",
    "open_item_document",
    "register",
    "store_import",
]

logger = logging.getLogger(__name__)

CANONICAL_ASSET_KIND = "document_canonical"
"""Assets of this kind hold :meth:`CanonicalText.to_bytes`, keyed by file hash."""
TEXT_ASSET_KIND = "document_text"
"""Assets of this kind hold the canonical text (UTF-8) for the exports."""


class StoredDocumentMissingError(ServiceError):
    """An item names a document whose stored text is not in the project."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The stored text of the document {path} is missing from the project."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Import the document again; its spans were not changed."
    )


class DocumentInputError(ServiceError):
    """A command was given arguments it cannot use."""

    what = QT_TRANSLATE_NOOP("errors", "{path} cannot be used here.")
    hint = QT_TRANSLATE_NOOP("errors", "Run the command with --help to see its use.")


# ----- the project side, shared with the workspace ------------------------------


def import_document(
    project: Project,
    path: Path,
    *,
    title: str | None = None,
    settings: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> Revision:
    """Extract a document, keep its canonical form and add its worklist item.

    Parameters
    ----------
    project
        The signed-in project.
    path
        The PDF or text file; it stays where it is, the project keeps its text.
    title
        The item's title; the file name when not given.
    settings
        Extraction settings (see ``viewers.documents.model.DEFAULT_SETTINGS``).
    progress
        Told page by page; cancelling stops before anything is stored.

    Returns
    -------
    Revision
        The new item (its ``record_id`` is the item ID).
    """
    form = extract_for_import(path, settings=settings, progress=progress)
    return store_import(project, path, form, title=title)


def extract_for_import(
    path: Path,
    *,
    settings: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> CanonicalText:
    """Extract every page of a document into its canonical form (any thread).

    Parameters
    ----------
    path
        The PDF or text file.
    settings
        Extraction settings (see ``viewers.documents.model.DEFAULT_SETTINGS``).
    progress
        Told page by page; cancelling stops the extraction.

    Returns
    -------
    CanonicalText
        What :func:`store_import` keeps in the project.
    """
    from viewers.documents.model import canonical_form, open_document

    document = open_document(path, settings=settings, progress=progress or Progress())
    try:
        return canonical_form(document)
    finally:
        document.close()


def store_import(
    project: Project, path: Path, form: CanonicalText, *, title: str | None = None
) -> Revision:
    """Keep an extracted document in the project and add its worklist item.

    Runs on the thread that owns the project's connection.

    Parameters
    ----------
    project
        The signed-in project.
    path
        The file the form was extracted from.
    form
        From :func:`extract_for_import`.
    title
        The item's title; the file name when not given.

    Returns
    -------
    Revision
        The new item.
    """
    from storage import assets
    from storage.items import add_item

    key = form.content_hash
    assets.put_asset(project, CANONICAL_ASSET_KIND, key, form.to_bytes())
    assets.put_asset(project, TEXT_ASSET_KIND, key, form.text.encode("utf-8"))
    item = add_item(
        project.records,
        "document",
        title or path.name,
        {
            "path": str(path.resolve()),
            "file_name": path.name,
            "document_hash": key,
            "kind": form.kind,
            "pages": len(form.pages),
            "characters": len(form.text),
        },
    )
    logger.info(
        "document %s imported: %d pages, %d characters",
        key[:12],
        len(form.pages),
        len(form.text),
    )
    return item


def open_item_document(project: Project, item: Revision) -> Document:
    """Open the document of a worklist item with the offsets stored at import.

    Parameters
    ----------
    project
        The signed-in project.
    item
        A worklist item of kind ``document``.

    Returns
    -------
    Document
        The document; a text kept without a file (a TAC 2017 section) opens
        from the project's stored text.

    Raises
    ------
    DocumentChangedError
        If the file's bytes differ from those imported.
    StoredDocumentMissingError
        If the project holds no text for the item's document.
    """
    return item_document_loader(project, item)(Progress())


def item_document_loader(
    project: Project, item: Revision
) -> Callable[[Progress], Document]:
    """Read what the project stores for an item now; open the file later.

    The project is read on the calling thread (its connection belongs to
    it); the returned function opens the file and extracts page 1, and may
    run on a worker thread.

    Parameters
    ----------
    project
        The signed-in project.
    item
        A worklist item of kind ``document``.

    Returns
    -------
    callable
        Takes a :class:`Progress`, returns the opened :class:`Document`.

    Raises
    ------
    StoredDocumentMissingError
        If the project holds no text for the item's document.
    """
    from storage import assets
    from viewers.documents.model import CanonicalText, document_from_text, open_document

    source = item.body.get("source", {})
    key = str(source.get("document_hash", ""))
    title = str(item.body.get("title", key[:12]))
    stored = assets.get_asset(project, CANONICAL_ASSET_KIND, key) if key else None
    if stored is not None and source.get("path"):
        path = Path(source["path"])
        canonical = CanonicalText.from_bytes(stored, path=path)

        def open_file(progress: Progress) -> Document:
            progress.report(0, 1, "open")
            document = open_document(path, canonical=canonical)
            document.page(0)
            progress.report(1, 1, "open")
            return document

        return open_file

    text = assets.get_asset(project, TEXT_ASSET_KIND, key) if key else None
    if text is None:
        raise StoredDocumentMissingError(f"no {TEXT_ASSET_KIND} asset", path=title)
    decoded = text.decode("utf-8")
    return lambda _progress: document_from_text(decoded, name=title)


def inspect_json(
    path: Path, *, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Describe a document as JSON-ready data (no document text is included).

    Parameters
    ----------
    path
        A PDF or text file.
    settings
        Extraction settings to try.

    Returns
    -------
    dict
        ``{"path", "kind", "content_hash", "encoding", "page_count",
        "characters", "settings", "pages": [...]}``; each page gives its
        1-based number, characters, words (``None`` unless the page is
        horizontal Latin-script text, where words can be counted), writing
        mode, rotation, OCR use and size in points.
    """
    from viewers.documents.model import open_document

    document = open_document(path, settings=settings)
    try:
        text = document.text
        pages = [document.page(number) for number in range(document.page_count)]
        return {
            "path": str(path),
            "kind": document.kind,
            "content_hash": document.content_hash,
            "encoding": document.encoding,
            "page_count": document.page_count,
            "characters": len(text),
            "settings": document.settings,
            "pages": [
                {
                    "page": page.number + 1,
                    "characters": page.end - page.start,
                    "words": (
                        len(page.words)
                        if page.writing_mode == "horizontal"
                        and _is_latin(text[page.start : page.end])
                        else None
                    ),
                    "writing_mode": page.writing_mode,
                    "rotation": page.rotation,
                    "ocr_used": page.ocr_used,
                    "width_pt": round(page.width_pt, 2),
                    "height_pt": round(page.height_pt, 2),
                    "annotations": len(document.annotations(page.number)),
                }
                for page in pages
            ],
        }
    finally:
        document.close()


def _is_latin(text: str) -> bool:
    """Whether most letters of ``text`` are Latin script (words are spaced)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c < "\u0250")  # Basic Latin to Latin Ext-B
    return latin * 2 > len(letters)


# ----- the commands -------------------------------------------------------------


def register(subparsers: Subparsers) -> None:
    """Add ``doc inspect``, ``doc import`` and ``doc open`` to ``haiops``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    # app/cli_terminology.py adds its own actions to the same "doc" command.
    actions = command_group(subparsers, "doc", "documents and their span annotations")

    inspect = actions.add_parser(
        "inspect",
        help="pages, characters, writing mode and OCR of a PDF or text file",
        description=(
            "Extract the canonical text of PATH as an import would and describe "
            "it page by page. The document's text is never printed."
        ),
    )
    inspect.add_argument("path", type=Path, metavar="PATH")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="OCR pages without text (auto), every page, or none",
    )
    inspect.set_defaults(handler=_run_inspect)

    import_ = actions.add_parser(
        "import", help="keep a document's canonical text in a project as an item"
    )
    import_.add_argument("path", type=Path, metavar="PATH")
    import_.add_argument("--title", help="the worklist title (default: file name)")
    import_.add_argument("--ocr", choices=("auto", "always", "never"), default="auto")
    add_project_arguments(import_)
    import_.set_defaults(handler=_run_import)

    open_ = actions.add_parser(
        "open", help="check a document item against its file and describe it"
    )
    open_.add_argument("item_id", metavar="ITEM_ID")
    open_.add_argument("--json", action="store_true", help="print JSON")
    add_project_arguments(open_)
    open_.set_defaults(handler=_run_open)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _run_inspect(arguments: argparse.Namespace) -> int:
    report = inspect_json(arguments.path, settings={"ocr": arguments.ocr})
    if arguments.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    _say(
        f"{report['path']}: {report['kind']}, {report['page_count']} pages, "
        f"{report['characters']} characters, SHA-256 {report['content_hash'][:16]}"
        + (f", {report['encoding']}" if report["encoding"] else "")
    )
    for page in report["pages"]:
        _say(
            f"  page {page['page']}: {page['characters']} characters, "
            + ("" if page["words"] is None else f"{page['words']} words, ")
            + f"{page['writing_mode']}, rotation {page['rotation']}"
            + (", OCR" if page["ocr_used"] else "")
            + (f", {page['annotations']} annotations" if page["annotations"] else "")
        )
    _say(f"  PyMuPDF {report['settings']['pymupdf_version']}")
    return 0


def _run_import(arguments: argparse.Namespace) -> int:
    terminal = sys.stderr.isatty()
    told = -1

    def tell(done: int, total: int, _message: str) -> None:
        # A terminal redraws one line; a log or pipe gets a line per 10%.
        nonlocal told
        if terminal:
            sys.stderr.write(f"\rpage {done} of {total}")
            return
        tenth = 10 * done // total if total else 10
        if tenth > told:
            told = tenth
            sys.stderr.write(f"page {done} of {total}\n")

    with open_from_arguments(arguments) as project:
        item = import_document(
            project,
            arguments.path,
            title=arguments.title,
            settings={"ocr": arguments.ocr},
            progress=Progress(tell),
        )
    if terminal:
        sys.stderr.write("\n")
    source = item.body["source"]
    _say(
        f"item {item.record_id}: {source['pages']} pages, "
        f"{source['characters']} characters, SHA-256 {source['document_hash'][:16]}"
    )
    return 0


def _run_open(arguments: argparse.Namespace) -> int:
    with open_from_arguments(arguments) as project:
        item = project.records.head(arguments.item_id)
        if item.record_type != "item" or item.body.get("kind") != "document":
            raise DocumentInputError("not a document item", path=arguments.item_id)
        document = open_item_document(project, item)
        spans = project.records.current("span", item_id=item.record_id)
    try:
        report = {
            "item_id": item.record_id,
            "content_hash": document.content_hash,
            "file_matches": True,
            "page_count": document.page_count,
            "characters": len(document.text),
            "spans": len(spans),
        }
    finally:
        document.close()
    if arguments.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _say(
            f"item {report['item_id']}: file unchanged, {report['page_count']} pages, "
            f"{report['characters']} characters, {report['spans']} spans"
        )
    return 0
