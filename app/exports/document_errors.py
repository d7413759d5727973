"""Errors of the document exports and imports, under the ServiceError branch."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, ServiceError


class DocumentExportError(ServiceError):
    """Annotations of a document cannot be written in the chosen format."""

    what = QT_TRANSLATE_NOOP("errors", "The export to {path} cannot be written.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was written. Check the folder and the annotations named."
    )


class ImportFormatError(ServiceError):
    """A file to import is not in the format it claims (file and line named)."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The file {path} cannot be imported (line {line})."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing from it was imported. Check that the file is complete."
    )
