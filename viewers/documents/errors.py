"""Errors of the document model: files that cannot be read, changed or decoded."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, DocumentError

__all__ = [
    "DocumentChangedError",
    "DocumentDamagedError",
    "DocumentEncodingError",
    "DocumentEncryptedError",
    "DocumentError",
    "DocumentLayoutChangedError",
    "DocumentNotFoundError",
    "DocumentPageError",
    "DocumentSettingsError",
    "OcrUnavailableError",
]


class DocumentNotFoundError(DocumentError):
    """The document file does not exist or cannot be read."""

    what = QT_TRANSLATE_NOOP("errors", "The document {path} was not found.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the file still exists and that you may read it."
    )


class DocumentDamagedError(DocumentError):
    """PyMuPDF refuses the file as a PDF."""

    what = QT_TRANSLATE_NOOP("errors", "The PDF {path} is damaged or not a PDF.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Open it in a PDF reader to check it, or ask for a new copy."
    )


class DocumentEncryptedError(DocumentError):
    """The PDF needs a password to be read."""

    what = QT_TRANSLATE_NOOP("errors", "The PDF {path} is protected by a password.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Save an unprotected copy of the PDF and import that copy."
    )


class DocumentEncodingError(DocumentError):
    """A text file is in none of the encodings the workstation reads."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The text file {path} is not UTF-8, UTF-16 with a byte order mark or "
        "Shift_JIS (CP932) (first bad byte at {position}).",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Save the file as UTF-8 in a text editor and import it again."
    )


class DocumentChangedError(DocumentError):
    """The file's bytes differ from those imported; offsets would not fit."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The document {path} has changed since it was imported "
        "(SHA-256 {found}, imported {expected}).",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Restore the imported file, or import the new file as a new document. "
        "The spans were not moved.",
    )


class DocumentLayoutChangedError(DocumentError):
    """Re-extracting a page gives a text other than the stored canonical text."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "Page {page} of {path} now reads differently from the text stored at "
        "import (PyMuPDF {found}, imported with {expected}).",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "The spans and their text are unchanged; only their boxes on this page "
        "cannot be shown. Use the PyMuPDF version named at import.",
    )


class DocumentPageError(DocumentError):
    """A page number outside the document was asked for."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The document {path} has no page {page} (it has {count})."
    )
    hint = QT_TRANSLATE_NOOP("errors", "Pages are counted from 1 on the screen.")


class DocumentSettingsError(DocumentError):
    """Extraction settings with an unknown key or a bad value."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The extraction setting {setting} for {path} is not valid."
    )
    hint = QT_TRANSLATE_NOOP("errors", "Correct or remove the setting and try again.")


class OcrUnavailableError(DocumentError):
    """A page needs OCR but Tesseract or its language data is missing."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "Page {page} of {path} has no text layer and Tesseract with the "
        "languages {languages} is not available.",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Install Tesseract with its English and Japanese data, or import a PDF "
        "with a text layer.",
    )
