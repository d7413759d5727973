"""Errors of the quality service: agreement inputs, plain tables, projects."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, ServiceError


class QualityError(ServiceError):
    """A problem computing agreement, drift or performance figures."""

    what = QT_TRANSLATE_NOOP("errors", "The quality figures cannot be computed.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was changed. Show the detail in the log to your site lead."
    )


class RatingsError(QualityError):
    """Two raters' ratings cannot be compared (lengths, raters, categories)."""

    what = QT_TRANSLATE_NOOP("errors", "The ratings cannot be compared: {problem}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Give every rater one rating per item and try again."
    )


class RatingsTableError(QualityError):
    """A plain table of ratings (CSV) cannot be read."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The ratings table {path} cannot be used: {problem}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Check that the file is UTF-8 CSV with a header row naming both "
        "rater columns, and that no rating is empty.",
    )
