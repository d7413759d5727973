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

Known patient strings match case-insensitively on token boundaries: a whole
word, a whole number (``2157`` is not found in ``21570``, ``2157.5`` or a
UUID) or a whole date, never part of a longer word (``yes`` is not found in
``eyes``).  Japanese and Chinese text has no spaces between words, so a
needle written in those scripts matches wherever it occurs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
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

# The values patient_strings_from_dicom collects, by the attribute they come
# from (PS3.15 Annex E basic profile).  Every PN element, public or private,
# is a person's name and is collected too.  Sex, age, size, weight, ethnic
# group, religion, rank and country are left out: their values are ordinary
# words and numbers ("M", "070Y", "Army") that would refuse ordinary text.
COLLECTED_IDENTIFIERS = frozenset(
    {
        "AccessionNumber",
        "AdmissionID",
        "CurrentPatientLocation",
        "DeviceSerialNumber",
        "FillerOrderNumberImagingServiceRequest",
        "InstitutionAddress",
        "InstitutionName",
        "InstitutionalDepartmentName",
        "IssuerOfPatientID",
        "MedicalRecordLocator",
        "OtherPatientIDs",
        "PatientAddress",
        "PatientID",
        "PatientTelephoneNumbers",
        "PerformedProcedureStepID",
        "PlacerOrderNumberImagingServiceRequest",
        "ReferringPhysicianAddress",
        "ReferringPhysicianTelephoneNumbers",
        "RegionOfResidence",
        "RequestedProcedureID",
        "ScheduledProcedureStepID",
        "ServiceEpisodeID",
        "StationName",
        "StudyID",
    }
)
# Dates of a person; matched as whole dates in the common ways of writing them.
COLLECTED_DATES = frozenset({"PatientBirthDate"})
# Free text about the patient: kept only when distinctive (see _is_distinctive).
COLLECTED_TEXTS = frozenset(
    {"AdditionalPatientHistory", "AdmittingDiagnosesDescription", "PatientComments"}
)
# Private elements are read only in these value representations: PN, the free
# text ones, and UN/OB (a private element whose VR the reader does not know),
# which counts only when its bytes decode to printable text.
_TEXT_VRS = frozenset({"LO", "LT", "SH", "ST", "UC", "UT"})
_UNKNOWN_VRS = frozenset({"UN", "OB"})
# A distinctive string: at least this many characters and two words of letters.
_DISTINCTIVE_CHARS = 8
_DISTINCTIVE_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")
# A character that continues a word on either side of a match: a letter or a
# digit of a script that separates words by spaces (CJK and kana do not).
_WORDISH = r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
_DATE_TEXT = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def date_variants(text: str) -> set[str]:
    """Return the common written forms of a date given as ``YYYYMMDD``.

    ISO (``1970-01-31``), DICOM DA (``19700131``), slashes and dots in
    year-first, day-first and month-first order, with and without leading
    zeros, English month names (``31 January 1970``, ``Jan 31, 1970``) and
    Japanese (``1970年1月31日``); lower case.  Not a date: an empty set.
    """
    match = _DATE_TEXT.match(text.strip())
    if match is None:
        return set()
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return set()
    y, m, d = f"{day.year:04d}", day.month, day.day
    found = {f"{y}{m:02d}{d:02d}", f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日"}
    for mm, dd in ((f"{m:02d}", f"{d:02d}"), (str(m), str(d))):
        for sep in ("-", "/", "."):
            found.update(
                {
                    f"{y}{sep}{mm}{sep}{dd}",
                    f"{dd}{sep}{mm}{sep}{y}",
                    f"{mm}{sep}{dd}{sep}{y}",
                }
            )
    month = _MONTHS[m - 1]
    for name in (month, month[:3]):
        found.update({f"{d} {name} {y}", f"{name} {d}, {y}", f"{name} {d} {y}"})
    return found


def _needle_pattern(needle: str) -> str:
    """Return a regex finding ``needle`` only as whole words, numbers or dates."""
    body = r"\s+".join(re.escape(part) for part in needle.split(" "))
    before = f"(?<!{_WORDISH})" if re.match(_WORDISH, needle[0]) else ""
    after = f"(?!{_WORDISH})" if re.match(_WORDISH, needle[-1]) else ""
    if needle[0].isdigit():
        before += r"(?<!\d[.,])"  # 2157 is not the end of 12.2157
    if needle[-1].isdigit():
        after += r"(?![.,]\d)"  # nor the start of 2157.5
    return before + body + after


def _normal(text: str) -> str:
    """Fold case and full-width forms (ＹＡＭＡＤＡ is Yamada) for matching."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _is_distinctive(text: str) -> bool:
    """Whether free text is long and distinctive enough to be matched as a whole."""
    return (
        len(text) >= _DISTINCTIVE_CHARS
        and len(_WORD.findall(text)) >= _DISTINCTIVE_WORDS
    )


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
        found: set[str] = set()
        for text in self.patient_strings:
            needle = " ".join(_normal(text).split())
            if len(needle) >= _MIN_PATIENT_STRING:
                found.add(needle)
                found.update(date_variants(needle))
        needles = sorted(found, key=len, reverse=True)
        if needles:
            self._pattern = re.compile("|".join(_needle_pattern(n) for n in needles))
            # The first pass needs one word of each needle: the longest, since
            # the words of a name may be split by any spaces or a line break;
            # also as it appears inside JSON text (quotes escaped).
            longest = {max(n.split(" "), key=len) for n in needles}
            escaped = {json.dumps(n, ensure_ascii=False)[1:-1] for n in longest}
            self._needles = tuple(sorted(escaped | longest))

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
        self.check(
            out,
            record=str(data.get("record_id", "")),
            revision=str(data.get("revision_id", "")),
        )
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
            self.check(
                row,
                record=str(row.get("record_id", "")),
                revision=str(row.get("revision_id", "")),
            )

    def _is_suspect(self, text: str) -> bool:
        # Substring searches and narrow patterns: a regex alternation over
        # megabytes of text costs more than the whole rest of the bundle.
        if self._needles:
            # A necessary condition only: the rows are then read one by one,
            # matching on token boundaries.
            lowered = _normal(text)
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

    def check(self, value: Any, *, record: str, revision: str = "") -> None:
        """Return the gate: refuse ``value`` if any key or string identifies someone.

        Raises
        ------
        IdentifierFoundError
            With ``found`` (what kind of identifier), ``record``, ``revision``
            (the revision to revise and withhold) and ``field``.
        """
        for location, key, text in _strings(value, ""):
            found = self._finding(key, text)
            if found is not None:
                raise IdentifierFoundError(
                    f"{found} at {location}",
                    found=found,
                    record=record,
                    revision=revision,
                    field=location,
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
        if self._pattern is not None:
            # Record and revision IDs are random UUIDs: a digit run inside one
            # is no patient's number.
            words = _normal(_UUID.sub(" ", text) if "-" in text else text)
            if self._pattern.search(words):
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

    At any depth of nested sequences, collects:

    - every person name (VR PN, public or private), whole and split into its
      components (PS3.5 section 6.2.1), and as "Given Family" text;
    - the values of :data:`COLLECTED_IDENTIFIERS` (IDs, accession and study
      numbers, institution, addresses, telephone numbers, station) and the
      birth date (:data:`COLLECTED_DATES`);
    - distinctive free text: patient comments and history
      (:data:`COLLECTED_TEXTS`), and private elements of a text VR (LO, LT,
      SH, ST, UC, UT, or UN/OB bytes that decode to printable text), when the
      value has at least 8 characters and two words of letters.  Private
      codes, numbers and single words ("YES", "Adult", "2157") are the
      scanner's settings, not the patient's, and are left out.

    Values shorter than 3 characters are left out.

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
        del data
        if element.VR == "SQ" or element.value is None:
            return
        keyword = element.keyword
        values = list(element.value) if element.VM > 1 else [element.value]
        for value in values:
            text = _element_text(value)
            if not text:
                continue
            if element.VR == "PN":
                found.update(_name_parts(text))
            elif keyword in COLLECTED_IDENTIFIERS or keyword in COLLECTED_DATES:
                found.add(text)
            elif _is_distinctive(text) and (
                keyword in COLLECTED_TEXTS
                or (
                    element.tag.is_private
                    and (element.VR in _TEXT_VRS or element.VR in _UNKNOWN_VRS)
                )
            ):
                found.add(" ".join(text.split()))

    dataset.walk(visit)
    return {text for text in found if len(text) >= _MIN_PATIENT_STRING}


def _element_text(value: Any) -> str:
    """Return an element value as text; bytes only when they are printable text."""
    if isinstance(value, bytes):
        text = value.decode("latin-1").strip("\x00 ")
        return text if text.isprintable() else ""
    return str(value).strip()


def _name_parts(name: str) -> set[str]:
    """Return a person name, its components and its "Given Family" form."""
    parts = {name}
    for group in name.split("="):
        components = [part.strip() for part in group.split("^") if part.strip()]
        parts.update(components)
        if components:
            parts.add(" ".join(components))
            if len(components) > 1:
                parts.add(" ".join([*components[1:2], components[0]]))
    return parts
