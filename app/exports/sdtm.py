"""CDISC SDTM AE rows from coded spans, as UTF-8 CSV and as SAS transport version 5."""

from __future__ import annotations

import csv
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.exports.document_errors import DocumentExportError
from app.exports.documents import AnnotatedDocument, is_ascii, is_reportable, nfc

logger = logging.getLogger(__name__)

# (variable, label, numeric?) in the order of the SDTM IG AE domain.
AE_VARIABLES: tuple[tuple[str, str, bool], ...] = (
    ("STUDYID", "Study Identifier", False),
    ("DOMAIN", "Domain Abbreviation", False),
    ("USUBJID", "Unique Subject Identifier", False),
    ("AESEQ", "Sequence Number", True),
    ("AETERM", "Reported Term for the Adverse Event", False),
    ("AELLT", "Lowest Level Term", False),
    ("AELLTCD", "Lowest Level Term Code", True),
    ("AEDECOD", "Dictionary-Derived Term", False),
    ("AEPTCD", "Preferred Term Code", True),
    ("AEHLT", "High Level Term", False),
    ("AEHLTCD", "High Level Term Code", True),
    ("AEHLGT", "High Level Group Term", False),
    ("AEHLGTCD", "High Level Group Term Code", True),
    ("AEBODSYS", "Body System or Organ Class", False),
    ("AEBDSYCD", "Body System or Organ Class Code", True),
    ("AESOC", "Primary System Organ Class", False),
    ("AESOCCD", "Primary System Organ Class Code", True),
    ("AESEV", "Severity/Intensity", False),
    ("AESER", "Serious Event", False),
    ("AESCONG", "Congenital Anomaly or Birth Defect", False),
    ("AESDISAB", "Persist or Signif Disability/Incapacity", False),
    ("AESDTH", "Results in Death", False),
    ("AESHOSP", "Requires or Prolongs Hospitalization", False),
    ("AESLIFE", "Is Life Threatening", False),
    ("AESMIE", "Other Medically Important Serious Event", False),
)
VARIABLE_NAMES = tuple(name for name, _, _ in AE_VARIABLES)
_CRITERIA = {
    "AESCONG": "congenital_anomaly",
    "AESDISAB": "disability",
    "AESDTH": "death",
    "AESHOSP": "hospitalisation",
    "AESLIFE": "life_threatening",
    "AESMIE": "other_medically_important",
}
_XPT_TEXT_LIMIT = 200  # bytes of a character variable in SAS transport version 5


def ae_rows(
    documents: Sequence[AnnotatedDocument],
    *,
    study_id: str,
    include_uncertain: bool = False,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Build one AE row per reportable coded span.

    Parameters
    ----------
    documents
        Documents whose ``subject`` is the USUBJID.
    study_id
        STUDYID of every row.
    include_uncertain
        Keep negated and hypothetical mentions (left out by default).

    Returns
    -------
    rows, problems
        Rows keyed by SDTM variable, codes as integers, AESEQ numbered per
        subject from 1; problems name documents without a subject and spans
        left out.

    Notes
    -----
    AEBODSYS and AESOC both hold the primary SOC of the code: a span coded on
    a secondary path still reports its primary SOC, as the SDTM IG asks.
    """
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    sequence: dict[str, int] = {}
    for document in documents:
        if not document.subject:
            problems.append(f"document {document.title} has no subject (USUBJID)")
        for span_id, body in document.spans.items():
            if not is_reportable(body, include_uncertain=include_uncertain):
                continue
            code = body["code"]
            if code.get("soc_code") is None:
                problems.append(f"span {span_id} has no SOC in its code; left out")
                continue
            if not code.get("primary_soc", True):
                problems.append(f"span {span_id} coded on a secondary SOC path")
            subject = document.subject
            sequence[subject] = sequence.get(subject, 0) + 1
            rows.append(_row(study_id, subject, sequence[subject], body))
    logger.info("SDTM AE: %d rows, %d problems", len(rows), len(problems))
    return rows, problems


def _row(study_id: str, subject: str, seq: int, body: dict[str, Any]) -> dict[str, Any]:
    code = body["code"]
    attributes = body.get("attributes") or {}
    criteria = set(attributes.get("seriousness") or [])
    severity = attributes.get("severity")
    row: dict[str, Any] = {
        "STUDYID": study_id,
        "DOMAIN": "AE",
        "USUBJID": subject,
        "AESEQ": seq,
        "AETERM": nfc(str(body.get("text", ""))),
        "AELLT": code.get("llt") or "",
        "AELLTCD": code.get("llt_code"),
        "AEDECOD": code.get("pt") or "",
        "AEPTCD": code.get("pt_code"),
        "AEHLT": code.get("hlt") or "",
        "AEHLTCD": code.get("hlt_code"),
        "AEHLGT": code.get("hlgt") or "",
        "AEHLGTCD": code.get("hlgt_code"),
        "AEBODSYS": code.get("soc") or "",
        "AEBDSYCD": code.get("soc_code"),
        "AESOC": code.get("soc") or "",
        "AESOCCD": code.get("soc_code"),
        # CDISC controlled terminology (AESEV): MILD, MODERATE, SEVERE.
        "AESEV": severity.upper() if severity else "",
        "AESER": "Y" if criteria else "N",
    }
    for variable, criterion in _CRITERIA.items():
        row[variable] = "Y" if criterion in criteria else "N"
    return row


def write_csv(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """Write AE rows as UTF-8 CSV with the SDTM variable names as header."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=VARIABLE_NAMES)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "" if row[k] is None else row[k] for k in VARIABLE_NAMES}
            )


def write_xpt(rows: Sequence[dict[str, Any]], path: Path) -> list[str]:
    """Write AE rows as SAS transport version 5 (the version FDA asks for).

    Version 5 holds ASCII only and at most 200 bytes per value: a row with
    other text (a Japanese verbatim term) is left out of the file and
    reported, never transliterated; it stays in the CSV.

    Returns
    -------
    list of str
        Problems: the rows left out, by USUBJID and AESEQ.
    """
    import pandas as pd
    import pyreadstat

    kept: list[dict[str, Any]] = []
    problems: list[str] = []
    for row in rows:
        bad = [
            name
            for name, _, numeric in AE_VARIABLES
            if not numeric
            and (not is_ascii(str(row[name])) or len(str(row[name])) > _XPT_TEXT_LIMIT)
        ]
        if bad:
            problems.append(
                f"AE {row['USUBJID']} AESEQ {row['AESEQ']}: {', '.join(bad)} not ASCII "
                f"or over {_XPT_TEXT_LIMIT} characters; in the CSV only"
            )
            continue
        kept.append(row)

    columns: dict[str, list[Any]] = {}
    for name, _, numeric in AE_VARIABLES:
        values = [row[name] for row in kept]
        columns[name] = (
            [math.nan if v is None else float(v) for v in values] if numeric else values
        )
    frame = pd.DataFrame(columns)
    for name, _, numeric in AE_VARIABLES:
        if not numeric:
            frame[name] = frame[name].astype(object)
    try:
        pyreadstat.write_xport(
            frame,
            str(path),
            table_name="AE",
            file_label="Adverse Events",
            column_labels={name: label for name, label, _ in AE_VARIABLES},
            file_format_version=5,
        )
    except Exception as error:  # pyreadstat raises its own untyped errors
        raise DocumentExportError(f"pyreadstat: {error}", path=path) from error
    logger.info("SDTM AE XPT v5: %d rows, %d left out", len(kept), len(problems))
    return problems
