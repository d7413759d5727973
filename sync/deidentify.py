"""Keep direct identifiers out of bundles: pseudonyms, text policy and the gate.

Rules applied to every revision before it enters a bundle:

- values under UID keys (``*_uid``, ``*UID``, lists under ``*_uids``) become
  keyed pseudonyms, ``2.25.<integer>`` from HMAC-SHA-256 with the site secret;
- file paths (keys such as ``path``, ``file``, ``*_path``) are dropped:
  documents travel by their content hash, which the body already holds;
- text from documents or prompts (span text, prompts, rationales, responses)
  travels only when the project's policy allows it, otherwise as a keyed hash;
- the gate then reads every remaining string and refuses the bundle when it
  finds a DICOM identifying attribute (PS3.15 Annex E basic profile), a known
  patient string, a file path or a DICOM UID that is not a pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.errors import IdentifierFoundError

# Attribute keywords of the PS3.15 Annex E basic application level
# confidentiality profile that name a person, a place, a date of a person or
# an identifying number; a body key equal to one of them is refused.
IDENTIFYING_KEYWORDS = frozenset(
    {
        "AccessionNumber",
        "AdditionalPatientHistory",
        "AdmissionID",
        "AdmittingDiagnosesDescription",
        "BranchOfService",
        "CountryOfResidence",
        "CurrentPatientLocation",
        "DeviceSerialNumber",
        "EthnicGroup",
        "InstitutionAddress",
        "InstitutionName",
        "InstitutionalDepartmentName",
        "IssuerOfPatientID",
        "MedicalRecordLocator",
        "MilitaryRank",
        "NameOfPhysiciansReadingStudy",
        "OperatorsName",
        "OtherPatientIDs",
        "OtherPatientIDsSequence",
        "OtherPatientNames",
        "PatientAddress",
        "PatientAge",
        "PatientBirthDate",
        "PatientBirthName",
        "PatientBirthTime",
        "PatientComments",
        "PatientID",
        "PatientInsurancePlanCodeSequence",
        "PatientMotherBirthName",
        "PatientName",
        "PatientReligiousPreference",
        "PatientSex",
        "PatientSize",
        "PatientTelephoneNumbers",
        "PatientWeight",
        "PerformingPhysicianName",
        "PersonName",
        "PhysiciansOfRecord",
        "ReferringPhysicianAddress",
        "ReferringPhysicianName",
        "ReferringPhysicianTelephoneNumbers",
        "RequestingPhysician",
        "ResponsiblePerson",
        "ScheduledPerformingPhysicianName",
        "StationName",
        "StudyID",
        "VerifyingObserverName",
    }
)
# The same attributes by tag, as "(gggg,eeee)" or "ggggeeee" strings.
IDENTIFYING_TAGS = frozenset(
    {
        "00100010",
        "00100020",
        "00100021",
        "00100030",
        "00100032",
        "00100040",
        "00101000",
        "00101001",
        "00101010",
        "00101040",
        "00102154",
        "00080050",
        "00080080",
        "00080081",
        "00080090",
        "00081050",
        "00081070",
        "00200010",
    }
)
_LOWER_KEYWORDS = {keyword.lower() for keyword in IDENTIFYING_KEYWORDS}
_TAG_TEXT = re.compile(r"\(?([0-9a-fA-F]{4}),?([0-9a-fA-F]{4})\)?")

TEXT_KEYS = frozenset(
    {
        "text",
        "span_text",
        "quote",
        "snippet",
        "prompt",
        "prompts",
        "rationale",
        "response",
        "responses",
        "chosen",
        "rejected",
        "comment",
        "note",
        "context",
        "document_text",
    }
)
PATH_KEYS = frozenset(
    {"path", "paths", "file", "files", "filename", "folder", "directory", "uri", "url"}
)
_PATH_SUFFIXES = ("_path", "_paths", "_file", "_folder", "_dir", "_uri", "_url")
_UID_VALUE = re.compile(r"^[0-2](\.(0|[1-9][0-9]*)){3,}$")
_ABSOLUTE_PATH = re.compile(r"(^|[\s\"'=(])(/[^/\s]+){2,}|\b[A-Za-z]:[\\/]|\\\\\w")
_MIN_PATIENT_STRING = 3
# The gate's first pass reads the canonical JSON text of a whole bundle file at
# once; only when one of these finds something are the records read one by one.
_JSON_UID = re.compile(r'"([0-2](?:\.(?:0|[1-9][0-9]*)){3,})"')
_REVISION_KEYS = (
    "revision_id",
    "record_id",
    "record_type",
    "item_id",
    "supersedes",
    "author",
    "workstation_id",
    "created_at",
    "reason",
    "is_deleted",
    "body",
    "resolves",
)


def pseudonym_uid(secret: bytes, uid: str) -> str:
    """Return a keyed pseudonym for a DICOM UID: ``2.25.`` + HMAC-SHA-256 as an integer.

    The first 16 bytes of the HMAC give an integer of at most 39 digits, so
    the UID stays within DICOM's 64 characters (PS3.5 section 9.1).
    """
    digest = hmac.new(secret, uid.encode("ascii", "replace"), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))


def keyed_text_hash(secret: bytes, text: str) -> str:
    """Return a keyed hash that stands in for text the policy keeps at the site."""
    digest = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()
    return "hmac-sha256:" + digest


@dataclass(frozen=True)
class SharingPolicy:
    """What the project lets leave the workstation.

    Attributes
    ----------
    share_text
        Whether span text, prompts, rationales and responses travel as text.
    """

    share_text: bool = False


@dataclass
class Deidentifier:
    """Rewrites revision bodies and checks every string before a bundle is written.

    Parameters
    ----------
    secret
        The site's pseudonym secret.
    policy
        What text may travel.
    patient_strings
        Known patient names, IDs and birth dates of the project (for the gate).
    pseudonyms
        Pseudonyms that arrived in other workstations' bundles: a revision of
        a pulled record may carry them, and they pass unchanged.
    """

    secret: bytes
    policy: SharingPolicy = field(default_factory=SharingPolicy)
    patient_strings: Iterable[str] = ()
    pseudonyms: Iterable[str] = ()
    _pseudonyms: dict[str, str] = field(default_factory=dict, init=False)
    _emitted: set[str] = field(default_factory=set, init=False)
    _pattern: re.Pattern[str] | None = field(default=None, init=False)

    _needles: tuple[str, ...] = field(default=(), init=False)
    _key_kinds: dict[str, str] = field(default_factory=dict, init=False)
    _plans: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, init=False
    )

    def __post_init__(self) -> None:
        self._emitted.update(self.pseudonyms)
        needles = sorted(
            {
                s.strip().lower()
                for s in self.patient_strings
                if len(s.strip()) >= _MIN_PATIENT_STRING
            },
            key=len,
            reverse=True,
        )
        if needles:
            self._pattern = re.compile("|".join(re.escape(n) for n in needles))
            # The same strings as they appear inside JSON text (quotes escaped).
            escaped = {json.dumps(n, ensure_ascii=False)[1:-1] for n in needles}
            self._needles = tuple(sorted(escaped | set(needles)))

    def uid(self, uid: str) -> str:
        """Return the pseudonym of ``uid`` (pseudonyms pass through unchanged)."""
        if uid in self._emitted:
            return uid
        found = self._pseudonyms.get(uid)
        if found is None:
            found = pseudonym_uid(self.secret, uid)
            self._pseudonyms[uid] = found
            self._emitted.add(found)
        return found

    def revision(self, data: dict[str, Any]) -> dict[str, Any]:
        """Return a revision's JSON form with its body rewritten and checked.

        Raises
        ------
        IdentifierFoundError
            Naming what was found, the record and the field.
        """
        out = self.clean(data)
        self.check(out, record=str(data.get("record_id", "")))
        return out

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        """Return a revision's JSON form with its body rewritten (not yet checked)."""
        out = dict(data)
        out["body"] = self._rewrite(data["body"])
        if out.get("reason") and not self.policy.share_text:
            out["reason"] = keyed_text_hash(self.secret, str(out["reason"]))
        return out

    def gate(self, rows: list[dict[str, Any]], text: str) -> None:
        """Check revisions cleaned by :meth:`clean`, with their canonical JSON ``text``.

        One pass over the text (and over the keys :meth:`clean` saw) looks for
        anything suspect; only then is each revision checked on its own, to
        name what was found and where.

        Raises
        ------
        IdentifierFoundError
            Naming what was found, the record and the field.
        """
        if not self._is_suspect(text):
            return
        for row in rows:
            self.check(row, record=str(row.get("record_id", "")))

    def _is_suspect(self, text: str) -> bool:
        # Substring searches and narrow patterns: a regex alternation over
        # megabytes of text costs more than the whole rest of the bundle.
        if self._needles:
            lowered = text.lower()
            if any(needle in lowered for needle in self._needles):
                return True
        keys = set(self._key_kinds) | set(_REVISION_KEYS)
        if any(self._finding(key, key) is not None for key in keys):
            return True
        if ("/" in text or "\\" in text) and _ABSOLUTE_PATH.search(text):
            return True
        emitted = self._emitted
        return any(m[1] not in emitted for m in _JSON_UID.finditer(text))

    def _kind(self, name: str) -> str:
        kind = self._key_kinds.get(name)
        if kind is None:
            lower = name.lower()
            if lower in PATH_KEYS or lower.endswith(_PATH_SUFFIXES):
                kind = "path"
            elif lower in TEXT_KEYS and not self.policy.share_text:
                kind = "text"
            elif _is_uid_key(lower):
                kind = "uid"
            else:
                kind = "plain"
            self._key_kinds[name] = kind
        return kind

    def _plan(self, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Return the (key, kind) pairs of a dict shape, plain keys last."""
        plan = self._plans.get(keys)
        if plan is None:
            kinds = [(key, self._kind(key)) for key in keys]
            plan = tuple(k for k in kinds if k[1] != "plain") + tuple(
                k for k in kinds if k[1] == "plain"
            )
            self._plans[keys] = plan
        return plan

    def _rewrite(self, value: Any) -> Any:
        if isinstance(value, dict):
            # Bodies of one record type share their keys: classify once per shape.
            out = dict(value)
            for name, kind in self._plan(tuple(value)):
                item = value[name]
                if kind == "plain":
                    if isinstance(item, dict | list):
                        out[name] = self._rewrite(item)
                elif kind == "uid":
                    out[name] = self._uids(item)
                elif kind == "text":
                    out[name] = self._hash_text(item)
                else:
                    del out[name]
            return out
        if isinstance(value, list):
            # Lists of numbers (points, sizes) are the most common: the same list
            # serves, since nothing here is ever changed in place.
            if not any(isinstance(item, dict | list) for item in value):
                return value
            return [
                self._rewrite(item) if isinstance(item, dict | list) else item
                for item in value
            ]
        return value

    def _uids(self, value: Any) -> Any:
        if isinstance(value, str):
            known = self._pseudonyms.get(value)
            if known is not None:
                return known
            return self.uid(value) if _UID_VALUE.match(value) else value
        if isinstance(value, list):
            return [self._uids(item) for item in value]
        if isinstance(value, dict):
            return self._rewrite(value)
        return value

    def _hash_text(self, value: Any) -> Any:
        if isinstance(value, str):
            return keyed_text_hash(self.secret, value)
        if isinstance(value, list):
            return [self._hash_text(item) for item in value]
        if isinstance(value, dict):
            for key in value:
                self._kind(key)  # the gate's first pass reads keys from this cache
            return {k: self._hash_text(v) for k, v in value.items()}
        return value

    def check(self, value: Any, *, record: str) -> None:
        """Return the gate: refuse ``value`` if any key or string identifies someone.

        Raises
        ------
        IdentifierFoundError
            With ``found`` (what kind of identifier), ``record`` and ``field``.
        """
        for location, key, text in _strings(value, ""):
            found = self._finding(key, text)
            if found is not None:
                raise IdentifierFoundError(
                    f"{found} at {location}", found=found, record=record, field=location
                )

    def _finding(self, key: str | None, text: str) -> str | None:
        if key is not None:
            if key.lower() in _LOWER_KEYWORDS:
                return f"the DICOM attribute {key}"
            match = _TAG_TEXT.fullmatch(key)
            if match and (match[1] + match[2]).upper() in IDENTIFYING_TAGS:
                return f"the DICOM attribute ({match[1]},{match[2]})"
            return None
        if text.startswith("hmac-sha256:") or text in self._emitted:
            return None  # made here from the secret: random digits, not an identifier
        if self._pattern is not None and self._pattern.search(text.lower()):
            return "a known patient string"
        if _UID_VALUE.match(text):
            return "a DICOM UID that is not a pseudonym"
        if _ABSOLUTE_PATH.search(text):
            return "a file path"
        return None


def pseudonyms_in(rows: Iterable[dict[str, Any]]) -> set[str]:
    """Return the ``2.25.`` UIDs under UID keys of revisions' bodies."""
    found: set[str] = set()

    def visit(value: Any, is_uid: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, _is_uid_key(key.lower()))
        elif isinstance(value, list):
            for item in value:
                visit(item, is_uid)
        elif is_uid and isinstance(value, str) and value.startswith("2.25."):
            found.add(value)

    for row in rows:
        visit(row.get("body"), False)
    return found


def _is_uid_key(lower: str) -> bool:
    return lower.endswith(("uid", "uids")) and lower not in {"uuid", "uuids"}


def _strings(value: Any, location: str) -> Iterator[tuple[str, str | None, str]]:
    """Yield (location, key, string) for keys (key set) and string values (None)."""
    if isinstance(value, str):
        yield location, None, value
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{location}.{key}" if location else str(key)
            yield here, str(key), str(key)
            yield from _strings(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{location}[{index}]")


def patient_strings_from_dicom(path: Path) -> set[str]:
    """Collect the identifying strings of one DICOM file, for the gate.

    Reads every identifying attribute of the basic profile and every string
    of a private element, at any depth of nested sequences, and splits person
    names into their components (PS3.5 section 6.2.1).

    Raises
    ------
    ValueError
        When the file is not DICOM (the message names the file).
    """
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        dataset = pydicom.dcmread(path, stop_before_pixels=True)
    except (InvalidDicomError, OSError) as error:
        raise ValueError(f"{path}: not a readable DICOM file ({error})") from error
    found: set[str] = set()

    def visit(data: Any, element: Any) -> None:
        is_identifying = element.keyword in IDENTIFYING_KEYWORDS
        if element.VR == "SQ" or not (is_identifying or element.tag.is_private):
            return
        values = element.value if element.VM > 1 else [element.value]
        for item in values:
            if isinstance(item, bytes):
                item = item.decode("latin-1", "ignore").strip("\x00 ")
            text = str(item).strip()
            if not text or (
                not any(char.isalpha() for char in text) and not (is_identifying)
            ):
                continue
            found.add(text)
            if element.VR == "PN" or "^" in text:
                found.update(part for part in re.split(r"[\^=]", text) if part)
                found.add(" ".join(part for part in text.split("^") if part))

    dataset.walk(visit)
    return {text for text in found if len(text) >= _MIN_PATIENT_STRING}
