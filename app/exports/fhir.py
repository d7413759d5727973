"""FHIR AdverseEvent resources (R4B and R5) from coded spans, validated on the way."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from app.exports.document_errors import DocumentExportError
from app.exports.documents import AnnotatedDocument, is_reportable, nfc

logger = logging.getLogger(__name__)

MEDDRA_SYSTEM = "https://www.meddra.org"
SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
RELEASES = ("R4B", "R5")
# A fixed namespace turns span record IDs into stable resource IDs.
_NAMESPACE = uuid.UUID("6f1f2a4e-8f3e-4d8a-9c63-3c8f1b0c2d11")


def adverse_event_bundle(
    documents: Sequence[AnnotatedDocument],
    *,
    release: str,
    include_uncertain: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    """Build a collection Bundle of AdverseEvent resources, one per reportable span.

    Parameters
    ----------
    documents
        Documents whose ``subject`` names the patient (``Patient/<subject>``).
    release
        ``"R4B"`` or ``"R5"``. R4B carries ``severity``; R5 has no severity
        element, so a severity is reported as a problem and not written.
    include_uncertain
        Keep negated and hypothetical mentions (left out by default).

    Returns
    -------
    bundle, problems
        The Bundle as JSON-ready data, each resource validated with
        fhir.resources, and the problems reported.

    Raises
    ------
    DocumentExportError
        A resource fails validation (the span named).
    """
    if release not in RELEASES:
        raise DocumentExportError(f"unknown FHIR release {release!r}", path=release)
    problems: list[str] = []
    entries: list[dict[str, Any]] = []
    for document in documents:
        if not document.subject:
            problems.append(f"document {document.title} has no subject")
        for span_id, body in document.spans.items():
            if not is_reportable(body, include_uncertain=include_uncertain):
                continue
            resource = _resource(document, span_id, body, release, problems)
            checked = validate_adverse_event(resource, release=release, span_id=span_id)
            entries.append(
                {"fullUrl": f"urn:uuid:{resource['id']}", "resource": checked}
            )
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    logger.info("FHIR %s: %d AdverseEvents", release, len(entries))
    return bundle, problems


def _resource(
    document: AnnotatedDocument,
    span_id: str,
    body: dict[str, Any],
    release: str,
    problems: list[str],
) -> dict[str, Any]:
    code = body["code"]
    attributes = body.get("attributes") or {}
    # The LLT first (what the coder chose), then its PT.
    codings: list[dict[str, Any]] = []
    for level in ("llt", "pt"):
        coding = {
            "system": MEDDRA_SYSTEM,
            "code": str(code[f"{level}_code"]),
            "display": code.get(level),
        }
        if code.get("version"):
            coding["version"] = str(code["version"])
        codings.append(coding)
    concept = {"coding": codings, "text": nfc(str(body.get("text", "")))}
    serious = bool(attributes.get("seriousness"))
    resource: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "id": str(uuid.uuid5(_NAMESPACE, span_id)),
        "actuality": "potential" if attributes.get("hypothetical") else "actual",
        "subject": {"reference": f"Patient/{document.subject or 'unknown'}"},
        "seriousness": {
            "coding": [
                {
                    "system": SERIOUSNESS_SYSTEM,
                    "code": "serious" if serious else "non-serious",
                }
            ]
        },
    }
    identifier = {"system": "urn:haiops:span", "value": span_id}
    severity = attributes.get("severity")
    if release == "R4B":
        # R4B allows one identifier, R5 a list.
        resource["identifier"] = identifier
        resource["event"] = concept
        if severity:
            resource["severity"] = {
                "coding": [{"system": SEVERITY_SYSTEM, "code": severity}]
            }
    else:
        resource["identifier"] = [identifier]
        resource["status"] = "completed"
        resource["code"] = concept
        if severity:
            # R5 AdverseEvent has no severity element; nothing stands in for it.
            problems.append(f"span {span_id}: severity {severity} not written (R5)")
    return resource


def validate_adverse_event(
    resource: dict[str, Any], *, release: str, span_id: str = ""
) -> dict[str, Any]:
    """Validate one AdverseEvent with fhir.resources and return its JSON form.

    Raises
    ------
    DocumentExportError
        The resource is not a valid AdverseEvent of ``release``.
    """
    from fhir.resources import adverseevent as r5
    from fhir.resources.R4B import adverseevent as r4b

    model_class: Any = r4b.AdverseEvent if release == "R4B" else r5.AdverseEvent
    try:
        model = model_class.model_validate(resource)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise DocumentExportError(
            f"span {span_id}: not a valid {release} AdverseEvent: {error}",
            path=release,
        ) from error
    result: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return result
