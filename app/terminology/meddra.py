"""MedDRA from the user's own ASCII release: loading, search, codes and versions."""

from __future__ import annotations

import gzip
import heapq
import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.terminology.errors import (
    NonCurrentTermError,
    TerminologyError,
    TerminologyFileError,
    TerminologyNotLoadedError,
    TerminologyVersionError,
    UnknownCodeError,
)
from storage.progress import Progress

logger = logging.getLogger(__name__)

SYSTEM = "MedDRA"
ASSET_KIND = "terminology"
_FORMAT = "haiops-meddra-1"

# Files of an English release and the fewest fields each line must have.
_ENGLISH_FILES = {
    "llt.asc": 10,
    "pt.asc": 4,
    "hlt.asc": 2,
    "hlgt.asc": 2,
    "soc.asc": 3,
    "hlt_pt.asc": 2,
    "hlgt_hlt.asc": 2,
    "soc_hlgt.asc": 2,
    "mdhier.asc": 12,
}
# MedDRA/J files (CP932): code, kanji, then readings (llt_j has currency second).
_JAPANESE_FILES = ("llt_j.asc", "pt_j.asc", "hlt_j.asc", "hlgt_j.asc", "soc_j.asc")
_VERSION_FILES = ("meddra_release.asc", "meddra_release_j.asc")


@dataclass(frozen=True)
class Term:
    """One term of a MedDRA level (PT, HLT, HLGT or SOC) with its Japanese name."""

    code: int
    name: str
    name_ja: str = ""
    readings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LowestLevelTerm:
    """A lowest level term (LLT) and the preferred term (PT) it belongs to."""

    code: int
    name: str
    pt_code: int
    is_current: bool
    name_ja: str = ""
    readings: tuple[str, ...] = ()


@dataclass(frozen=True)
class HierarchyPath:
    """One path of a PT up to a SOC (mdhier.asc); one path per PT is primary."""

    pt_code: int
    hlt_code: int
    hlgt_code: int
    soc_code: int
    is_primary: bool


@dataclass(frozen=True)
class PathNames:
    """A hierarchy path with the names of its terms, for showing in results."""

    hlt_code: int
    hlt: str
    hlgt_code: int
    hlgt: str
    soc_code: int
    soc: str
    is_primary: bool


@dataclass(frozen=True)
class SearchResult:
    """An LLT found by a search, with its PT and every path to a SOC.

    ``match`` is ``"exact"``, ``"prefix"`` or ``"substring"``; ``matched`` is the
    name or reading that matched (English, kanji or kana).
    """

    llt_code: int
    llt: str
    llt_ja: str
    is_current: bool
    pt_code: int
    pt: str
    pt_ja: str
    paths: tuple[PathNames, ...]
    match: str
    matched: str

    @property
    def primary_path(self) -> PathNames:
        """The path to the primary SOC."""
        return next((p for p in self.paths if p.is_primary), self.paths[0])


@dataclass(frozen=True)
class CodeChange:
    """A project code that a newer MedDRA version changes.

    ``reasons`` holds ``"llt_missing"``, ``"llt_not_current"``, ``"pt_moved"``
    or ``"primary_soc_moved"``.
    """

    code: Mapping[str, Any]
    reasons: tuple[str, ...]
    new_pt_code: int | None
    new_soc_code: int | None


def normalise(text: str) -> str:
    """Fold text for matching: NFKC, casefold, katakana to hiragana, one space.

    Full-width letters (ＡＦ) become ASCII and katakana readings match hiragana
    ones, so "af", "ＡＦ", "しんぼう" and "シンボウ" all find their terms.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    chars = [chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in folded]
    return " ".join("".join(chars).split())


@dataclass
class MeddraTerminology:
    """A loaded MedDRA release (English, and Japanese where MedDRA/J was given).

    Codes are integers as in the release files. Nothing here is licensed
    content: the user loads their own copy.
    """

    version: str
    llts: dict[int, LowestLevelTerm]
    pts: dict[int, Term]
    hlts: dict[int, Term]
    hlgts: dict[int, Term]
    socs: dict[int, Term]
    paths: dict[int, tuple[HierarchyPath, ...]]
    soc_order: dict[int, int] = field(default_factory=dict)
    has_japanese: bool = False
    _index: list[tuple[str, int]] = field(default_factory=list, repr=False)
    _order: dict[int, tuple[bool, int, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = _build_index(self.llts)
        # Within a match rank: current LLTs first, then shorter names.
        self._order = {
            code: (not llt.is_current, len(llt.name), llt.name)
            for code, llt in self.llts.items()
        }

    # ----- search and codes -------------------------------------------------

    def search(self, text: str, *, limit: int = 50) -> list[SearchResult]:
        """Find LLTs by English name, Japanese name or kana reading.

        Parameters
        ----------
        text
            What the coder typed, matched after :func:`normalise`; or an LLT
            code (every PT has an LLT of the same code).
        limit
            The most results to return.

        Returns
        -------
        list of SearchResult
            Exact matches first, then prefix, then substring matches; current
            LLTs before non-current ones, shorter names first. Non-current LLTs
            are shown (so a coder recognises an old verbatim) but
            :meth:`code_for` refuses them.
        """
        query = normalise(text)
        if not query:
            return []
        if query.isdigit():
            # A typed LLT or PT code finds that LLT, or the PT's own LLT.
            code = int(query)
            return [self._result(code, "exact", query)] if code in self.llts else []

        # A linear scan of every name and reading: about 0.1 s for a release of
        # 80,000 LLTs on the reference machine; no prefix index yet.
        best: dict[int, tuple[int, str]] = {}
        for key, llt_code in self._index:
            if query not in key:
                continue
            rank = 0 if key == query else 1 if key.startswith(query) else 2
            if llt_code not in best or rank < best[llt_code][0]:
                best[llt_code] = (rank, key)

        order = self._order
        chosen = heapq.nsmallest(
            limit, best.items(), key=lambda item: (item[1][0], order[item[0]])
        )
        names = ("exact", "prefix", "substring")
        return [self._result(code, names[rank], key) for code, (rank, key) in chosen]

    def result_for(self, llt_code: int) -> SearchResult:
        """Return the search result of one LLT, by its code."""
        if llt_code not in self.llts:
            raise self._unknown(llt_code)
        return self._result(llt_code, "exact", str(llt_code))

    def code_for(self, llt_code: int, *, soc_code: int | None = None) -> dict[str, Any]:
        """Build the code body stored with a span for one current LLT.

        Parameters
        ----------
        llt_code
            The LLT the coder chose.
        soc_code
            The SOC of the path to record; the primary SOC when None.

        Returns
        -------
        dict
            ``{"system", "version", "llt_code", "llt", "pt_code", "pt",
            "hlt_code", "hlt", "hlgt_code", "hlgt", "soc_code", "soc",
            "primary_soc"}`` with integer codes and English names.

        Raises
        ------
        NonCurrentTermError
            The LLT is not current in this version.
        UnknownCodeError
            The LLT, or the SOC for its PT, is not in this version.
        """
        llt = self.llts.get(llt_code)
        if llt is None:
            raise self._unknown(llt_code)
        if not llt.is_current:
            raise NonCurrentTermError(
                f"LLT {llt_code} has currency N",
                term=llt.name,
                code=llt_code,
                system=SYSTEM,
                version=self.version,
            )
        path = self.path_for(llt.pt_code, soc_code=soc_code)

        return {
            "system": SYSTEM,
            "version": self.version,
            "llt_code": llt.code,
            "llt": llt.name,
            "pt_code": llt.pt_code,
            "pt": self.pts[llt.pt_code].name,
            "hlt_code": path.hlt_code,
            "hlt": self.hlts[path.hlt_code].name,
            "hlgt_code": path.hlgt_code,
            "hlgt": self.hlgts[path.hlgt_code].name,
            "soc_code": path.soc_code,
            "soc": self.socs[path.soc_code].name,
            "primary_soc": path.is_primary,
        }

    def path_for(self, pt_code: int, *, soc_code: int | None = None) -> HierarchyPath:
        """Return the path of a PT to ``soc_code``, or to its primary SOC when None."""
        paths = self.paths.get(pt_code, ())
        if not paths:
            raise self._unknown(pt_code)
        if soc_code is None:
            return next((p for p in paths if p.is_primary), paths[0])
        for path in paths:
            if path.soc_code == soc_code:
                return path
        raise self._unknown(soc_code)

    # ----- persistence ------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Serialise the loaded release (gzip of JSON) to keep it in a project."""
        data = {
            "format": _FORMAT,
            "version": self.version,
            "has_japanese": self.has_japanese,
            "llts": [
                [t.code, t.name, t.pt_code, t.is_current, t.name_ja, list(t.readings)]
                for t in self.llts.values()
            ],
            "levels": {
                level: [[t.code, t.name, t.name_ja, list(t.readings)] for t in terms]
                for level, terms in (
                    ("pt", self.pts.values()),
                    ("hlt", self.hlts.values()),
                    ("hlgt", self.hlgts.values()),
                    ("soc", self.socs.values()),
                )
            },
            "paths": [
                [p.pt_code, p.hlt_code, p.hlgt_code, p.soc_code, p.is_primary]
                for paths in self.paths.values()
                for p in paths
            ],
            "soc_order": [[code, order] for code, order in self.soc_order.items()],
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # mtime=0 keeps the bytes equal for equal content (assets are hashed).
        return gzip.compress(text.encode("utf-8"), mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> MeddraTerminology:
        """Read a release serialised by :meth:`to_bytes`."""
        try:
            obj = json.loads(gzip.decompress(data).decode("utf-8"))
        except (OSError, ValueError, EOFError) as error:
            raise TerminologyError(f"stored MedDRA unreadable: {error}") from error
        if not isinstance(obj, dict) or obj.get("format") != _FORMAT:
            raise TerminologyError("stored MedDRA is of an unknown format")

        def terms(level: str) -> dict[int, Term]:
            return {
                int(c): Term(int(c), n, j, tuple(r))
                for c, n, j, r in obj["levels"][level]
            }

        paths: dict[int, list[HierarchyPath]] = {}
        for pt, hlt, hlgt, soc, primary in obj["paths"]:
            paths.setdefault(pt, []).append(HierarchyPath(pt, hlt, hlgt, soc, primary))
        return cls(
            version=obj["version"],
            llts={
                c: LowestLevelTerm(c, n, pt, cur, j, tuple(r))
                for c, n, pt, cur, j, r in obj["llts"]
            },
            pts=terms("pt"),
            hlts=terms("hlt"),
            hlgts=terms("hlgt"),
            socs=terms("soc"),
            paths={pt: tuple(p) for pt, p in paths.items()},
            soc_order=dict(obj["soc_order"]),
            has_japanese=obj["has_japanese"],
        )

    # ----- helpers ----------------------------------------------------------

    def _result(self, llt_code: int, match: str, matched: str) -> SearchResult:
        llt = self.llts[llt_code]
        pt = self.pts[llt.pt_code]
        paths = sorted(
            self.paths.get(llt.pt_code, ()),
            key=lambda p: (not p.is_primary, self.soc_order.get(p.soc_code, 0)),
        )
        return SearchResult(
            llt_code=llt.code,
            llt=llt.name,
            llt_ja=llt.name_ja,
            is_current=llt.is_current,
            pt_code=pt.code,
            pt=pt.name,
            pt_ja=pt.name_ja,
            paths=tuple(
                PathNames(
                    p.hlt_code,
                    self.hlts[p.hlt_code].name,
                    p.hlgt_code,
                    self.hlgts[p.hlgt_code].name,
                    p.soc_code,
                    self.socs[p.soc_code].name,
                    p.is_primary,
                )
                for p in paths
            ),
            match=match,
            matched=matched,
        )

    def _unknown(self, code: int) -> UnknownCodeError:
        return UnknownCodeError(
            f"code {code} not found", code=code, system=SYSTEM, version=self.version
        )


def _build_index(llts: Mapping[int, LowestLevelTerm]) -> list[tuple[str, int]]:
    index: list[tuple[str, int]] = []
    for llt in llts.values():
        keys = {normalise(llt.name), normalise(llt.name_ja)}
        keys.update(normalise(r) for r in llt.readings)
        index.extend((key, llt.code) for key in sorted(keys) if key)
    return index


# ----- loading a release ------------------------------------------------------


def load_meddra(
    folder: Path, *, version: str | None = None, progress: Progress | None = None
) -> MeddraTerminology:
    """Load a MedDRA ASCII release (and MedDRA/J beside it) from a folder.

    Parameters
    ----------
    folder
        The release's ``ascii`` folder: llt.asc, pt.asc, hlt.asc, hlgt.asc,
        soc.asc, hlt_pt.asc, hlgt_hlt.asc, soc_hlgt.asc, mdhier.asc and
        optionally intl_ord.asc, meddra_release.asc and the ``*_j.asc`` files
        of MedDRA/J (CP932). Lines end in CRLF or LF.
    version
        The release version; read from meddra_release.asc when None.
    progress
        Told after each file; cancelling stops the load.

    Returns
    -------
    MeddraTerminology

    Raises
    ------
    TerminologyFileError
        A required file is missing or a line is malformed (file and line named).
    TerminologyVersionError
        Neither a version file nor ``version`` says the version.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TerminologyError("not a folder", path=folder)
    for name in _ENGLISH_FILES:
        if not _find(folder, name):
            raise TerminologyFileError(f"{name} missing", path=folder / name, line=0)
    found_version = version or _read_version(folder)
    if not found_version:
        raise TerminologyVersionError("no meddra_release.asc", path=folder)

    steps = len(_ENGLISH_FILES) + len(_JAPANESE_FILES)
    rows: dict[str, list[tuple[int, list[str]]]] = {}
    for done, (name, width) in enumerate(_ENGLISH_FILES.items()):
        rows[name] = _read_rows(_find(folder, name), width, "utf-8")
        if progress:
            progress.report(done + 1, steps, name)

    japanese: dict[str, dict[int, list[str]]] = {}
    for done, name in enumerate(_JAPANESE_FILES):
        path = _find(folder, name)
        if path:
            japanese[name] = {int(f[0]): f for _, f in _read_rows(path, 3, "cp932")}
        if progress:
            progress.report(len(_ENGLISH_FILES) + done + 1, steps, name)

    terminology = _assemble(folder, found_version, rows, japanese)
    order_path = _find(folder, "intl_ord.asc")
    if order_path:
        terminology.soc_order = {
            _code(f[1], order_path, n): _code(f[0], order_path, n)
            for n, f in _read_rows(order_path, 2, "utf-8")
        }
    logger.info(
        "MedDRA %s loaded: %d LLTs, %d PTs, Japanese %s",
        found_version,
        len(terminology.llts),
        len(terminology.pts),
        terminology.has_japanese,
    )
    return terminology


def _assemble(
    folder: Path,
    version: str,
    rows: Mapping[str, list[tuple[int, list[str]]]],
    japanese: Mapping[str, Mapping[int, list[str]]],
) -> MeddraTerminology:
    def level(name: str) -> dict[int, Term]:
        names_ja = japanese.get(name.replace(".asc", "_j.asc"), {})
        terms: dict[int, Term] = {}
        for line, fields in rows[name]:
            code = _code(fields[0], folder / name, line)
            ja = names_ja.get(code, [])
            # soc_j.asc has the SOC order before the readings.
            readings = ja[3:] if name == "soc.asc" else ja[2:]
            terms[code] = Term(
                code, fields[1], ja[1] if ja else "", _readings(readings)
            )
        return terms

    llts_ja = japanese.get("llt_j.asc", {})
    llts: dict[int, LowestLevelTerm] = {}
    for line, f in rows["llt.asc"]:
        code = _code(f[0], folder / "llt.asc", line)
        ja = llts_ja.get(code, [])
        llts[code] = LowestLevelTerm(
            code=code,
            name=f[1],
            pt_code=_code(f[2], folder / "llt.asc", line),
            is_current=f[9].strip().upper() == "Y",
            name_ja=ja[1] if ja else "",
            readings=_readings(ja[3:]),
        )

    paths: dict[int, list[HierarchyPath]] = {}
    hier = folder / "mdhier.asc"
    for line, f in rows["mdhier.asc"]:
        pt, hlt, hlgt, soc = (_code(v, hier, line) for v in f[:4])
        paths.setdefault(pt, []).append(
            HierarchyPath(pt, hlt, hlgt, soc, is_primary=f[11].strip().upper() == "Y")
        )

    terminology = MeddraTerminology(
        version=version,
        llts=llts,
        pts=level("pt.asc"),
        hlts=level("hlt.asc"),
        hlgts=level("hlgt.asc"),
        socs=level("soc.asc"),
        paths={pt: tuple(p) for pt, p in paths.items()},
        has_japanese=bool(llts_ja),
    )
    _check_links(folder, terminology)
    _check_hierarchy_files(folder, terminology, rows)
    return terminology


def _check_links(folder: Path, t: MeddraTerminology) -> None:
    """Refuse a release whose files do not refer to each other (a partial copy)."""
    for llt in t.llts.values():
        if llt.pt_code not in t.pts:
            raise TerminologyFileError(
                f"LLT {llt.code} names PT {llt.pt_code} not in pt.asc",
                path=folder / "llt.asc",
                line=0,
            )
    for pt_paths in t.paths.values():
        for p in pt_paths:
            if (
                p.pt_code not in t.pts
                or p.hlt_code not in t.hlts
                or p.hlgt_code not in t.hlgts
                or p.soc_code not in t.socs
            ):
                raise TerminologyFileError(
                    f"path of PT {p.pt_code} names an unknown term",
                    path=folder / "mdhier.asc",
                    line=0,
                )
    for pt in t.pts:
        if pt not in t.paths:
            raise TerminologyFileError(
                f"PT {pt} has no path in mdhier.asc", path=folder / "mdhier.asc", line=0
            )


def _check_hierarchy_files(
    folder: Path,
    t: MeddraTerminology,
    rows: Mapping[str, list[tuple[int, list[str]]]],
) -> None:
    """Refuse paths of mdhier.asc that the link files do not hold, or no primary."""
    links = {
        name: {(f[0].strip(), f[1].strip()) for _, f in rows[name]}
        for name in ("hlt_pt.asc", "hlgt_hlt.asc", "soc_hlgt.asc")
    }
    for pt, pt_paths in t.paths.items():
        if sum(p.is_primary for p in pt_paths) != 1:
            raise TerminologyFileError(
                f"PT {pt} has {sum(p.is_primary for p in pt_paths)} primary paths",
                path=folder / "mdhier.asc",
                line=0,
            )
        for p in pt_paths:
            for name, pair in (
                ("hlt_pt.asc", (p.hlt_code, p.pt_code)),
                ("hlgt_hlt.asc", (p.hlgt_code, p.hlt_code)),
                ("soc_hlgt.asc", (p.soc_code, p.hlgt_code)),
            ):
                if (str(pair[0]), str(pair[1])) not in links[name]:
                    raise TerminologyFileError(
                        f"link {pair[0]}-{pair[1]} of PT {pt} missing",
                        path=folder / name,
                        line=0,
                    )


def _find(folder: Path, name: str) -> Path | None:
    """Find the file ``name`` in ``folder`` in any letter case (releases vary)."""
    exact = folder / name
    if exact.is_file():
        return exact
    for candidate in folder.iterdir():
        if candidate.name.lower() == name and candidate.is_file():
            return candidate
    return None


def _read_version(folder: Path) -> str | None:
    for name in _VERSION_FILES:
        path = _find(folder, name)
        if path:
            rows = _read_rows(path, 1, "utf-8" if "_j" not in name else "cp932")
            if rows and rows[0][1][0].strip():
                return rows[0][1][0].strip()
    return None


def _read_rows(
    path: Path | None, width: int, encoding: str
) -> list[tuple[int, list[str]]]:
    """Split a ``$``-separated file into (line number, fields), last ``$`` dropped."""
    assert path is not None
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            bad_line = raw[: error.start].count(b"\n") + 1
            raise TerminologyFileError(
                f"not {encoding}: {error.reason}", path=path, line=bad_line
            ) from error
        # English files of older releases may hold Latin-1 letters.
        text = raw.decode("latin-1")

    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not line.endswith("$"):  # every record ends with the separator
            raise TerminologyFileError(
                "line does not end with $", path=path, line=number
            )
        fields = line[:-1].split("$")
        if len(fields) < width:
            raise TerminologyFileError(
                f"{len(fields)} fields, expected at least {width}",
                path=path,
                line=number,
            )
        rows.append((number, fields))
    return rows


def _code(value: str, path: Path, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise TerminologyFileError(
            f"code {value!r} is not a number", path=path, line=line
        ) from None


def _readings(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v.strip()))


# ----- versions and history -------------------------------------------------


def changed_codes(
    old: MeddraTerminology,
    new: MeddraTerminology,
    codes: Iterable[Mapping[str, Any]],
) -> list[CodeChange]:
    """List the project's codes that a newer MedDRA version changes.

    Parameters
    ----------
    old
        The version the codes were made with.
    new
        The newer version.
    codes
        Code bodies as made by :meth:`MeddraTerminology.code_for`.

    Returns
    -------
    list of CodeChange
        Codes whose LLT is gone or no longer current, or whose PT or primary
        SOC moved, in the order given; unchanged codes are left out.
    """
    changes: list[CodeChange] = []
    for code in codes:
        llt_code = int(code["llt_code"])
        old_llt = old.llts.get(llt_code)
        old_pt = old_llt.pt_code if old_llt else int(code["pt_code"])
        old_soc = (
            old.path_for(old_pt).soc_code if old_pt in old.paths else code["soc_code"]
        )
        new_llt = new.llts.get(llt_code)
        if new_llt is None:
            changes.append(CodeChange(code, ("llt_missing",), None, None))
            continue

        reasons: list[str] = []
        if not new_llt.is_current:
            reasons.append("llt_not_current")
        if new_llt.pt_code != old_pt:
            reasons.append("pt_moved")
        new_soc = new.path_for(new_llt.pt_code).soc_code
        if new_soc != old_soc:
            reasons.append("primary_soc_moved")
        if reasons:
            changes.append(CodeChange(code, tuple(reasons), new_llt.pt_code, new_soc))
    return changes


def rank_with_history(
    results: Sequence[SearchResult],
    verbatim: str,
    history: Iterable[Mapping[str, Any]],
) -> list[SearchResult]:
    """Put LLTs that earlier codings of the same verbatim term used first.

    Parameters
    ----------
    results
        Results of :meth:`MeddraTerminology.search`.
    verbatim
        The span's text being coded.
    history
        Earlier span bodies (``"text"`` and ``"code"``) of the project.

    Returns
    -------
    list of SearchResult
        The results used most often for this verbatim first (ties keep the
        search order), then the rest in search order.
    """
    wanted = normalise(verbatim)
    used: Counter[int] = Counter()
    for body in history:
        code = body.get("code")
        if code and normalise(str(body.get("text", ""))) == wanted:
            used[int(code["llt_code"])] += 1
    order = {r.llt_code: i for i, r in enumerate(results)}
    return sorted(results, key=lambda r: (-used[r.llt_code], order[r.llt_code]))


# ----- keeping the terminology in a project ---------------------------------


def save_to_project(project: Any, terminology: MeddraTerminology) -> None:
    """Keep a loaded release inside the project (an asset, by version)."""
    from storage import assets  # the lead's asset store; imported late on purpose

    assets.put_asset(
        project, ASSET_KIND, SYSTEM, terminology.to_bytes(), version=terminology.version
    )


def load_from_project(project: Any, *, version: str | None = None) -> MeddraTerminology:
    """Read the release kept in the project (the newest when ``version`` is None).

    Raises
    ------
    TerminologyNotLoadedError
        The project holds no MedDRA.
    """
    from storage import assets

    data = assets.get_asset(project, ASSET_KIND, SYSTEM, version=version)
    if data is None:
        raise TerminologyNotLoadedError("no MedDRA asset", system=SYSTEM)
    return MeddraTerminology.from_bytes(data)
