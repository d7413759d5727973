"""Errors of the preference-pair service: import, judgements and export."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, ServiceError


class PreferenceError(ServiceError):
    """A problem with preference pairs, their judgements or their export."""

    what = QT_TRANSLATE_NOOP("errors", "The preference pairs in {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check the file against the supported JSONL shapes and try again."
    )


class MalformedLineError(PreferenceError):
    """One line of a pairs file is not a pair, set or conversation we can read."""

    what = QT_TRANSLATE_NOOP(
        "errors", "Line {line} of {path} is not a preference pair: {problem}"
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "The other lines were imported. Fix the line and import it again."
    )


class NoPairsError(PreferenceError):
    """A pairs file holds no line that could be imported."""

    what = QT_TRANSLATE_NOOP("errors", "{path} holds no preference pair to import.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose a JSONL file with one pair or response set per line."
    )


class AlreadyImportedError(PreferenceError):
    """The same pairs file (by SHA-256) was imported into the project before."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The pairs in {path} were already imported into this project."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was imported twice. Open the existing pairs in the worklist."
    )


class JudgementError(PreferenceError):
    """A judgement is incomplete or contradicts itself and was not saved."""

    what = QT_TRANSLATE_NOOP("errors", "The judgement cannot be saved: {problem}")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Complete the judgement and save it again. Nothing was saved."
    )


class RationaleRequiredError(JudgementError):
    """A rationale is missing where the rules require one."""

    what = QT_TRANSLATE_NOOP("errors", "A rationale is required when {problem}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Write why in the rationale box (key E) and save again."
    )


class ExportError(PreferenceError):
    """Judgements cannot be written to the export file."""

    what = QT_TRANSLATE_NOOP("errors", "The preference export to {path} failed.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the folder exists and can be written, then export again."
    )
