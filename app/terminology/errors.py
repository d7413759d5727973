"""Errors of the terminology service, under the ServiceError branch."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, ServiceError


class TerminologyError(ServiceError):
    """A terminology cannot be loaded, searched or used for a code."""

    what = QT_TRANSLATE_NOOP("errors", "The terminology {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the folder holds a complete release of the terminology."
    )


class TerminologyFileError(TerminologyError):
    """A file of a terminology release is missing or malformed."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The terminology file {path} cannot be read (line {line})."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Copy the release again from its original distribution. Nothing was loaded.",
    )


class TerminologyVersionError(TerminologyError):
    """The release has no version file and no version was given."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The version of the terminology in {path} is not known."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Give the version of the release (for example 27.0) when loading it."
    )


class UnknownCodeError(TerminologyError):
    """A code is not part of the loaded terminology."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The code {code} is not in {system} version {version}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Search for the term again and choose one of the results."
    )


class NonCurrentTermError(TerminologyError):
    """A non-current lowest level term was chosen as a new code."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The term {term} ({code}) is no longer current in {system} version {version}.",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose a current term; the search shows which terms are current."
    )


class TerminologyNotLoadedError(TerminologyError):
    """The project holds no copy of the terminology."""

    what = QT_TRANSLATE_NOOP("errors", "The project holds no {system} terminology.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Load the terminology from its release folder first."
    )
