"""A fast reader of the few top-level header elements a series scan needs.

pydicom parses and converts every element of a header; for a plain CT slice
that costs several times reading the whole file. This reader walks the
elements of a little-endian file (PS3.5 7.1), keeps only the attributes
listed below and stops at Pixel Data. Whatever it does not expect (big
endian, deflate, enhanced multi-frame objects, odd lengths) makes it give up,
and the caller reads the file with pydicom instead.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydicom.uid import UID

__all__ = ["FastHeader", "read_fast_header", "uid_of"]

_IMPLICIT_LITTLE = "1.2.840.10008.1.2"
_EXPLICIT_BIG = "1.2.840.10008.1.2.2"
_DEFLATED = ("1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.8.1")
# VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2).
_LONG_VRS = frozenset(
    (b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT")
)
_UNDEFINED = 0xFFFFFFFF
_PIXEL_DATA = (0x7FE0, 0x0010)
_ITEM = (0xFFFE, 0xE000)
_ITEM_END = (0xFFFE, 0xE00D)
_SEQUENCE_END = (0xFFFE, 0xE0DD)
_FIRST_READ = 1 << 14
_LARGEST_READ = 1 << 22

# The attributes a scan uses, with their VR ("xs": US or SS by pixel sign).
_WANTED: dict[tuple[int, int], tuple[str, str]] = {
    (0x0008, 0x0008): ("ImageType", "CS"),
    (0x0008, 0x0016): ("SOPClassUID", "UI"),
    (0x0008, 0x0018): ("SOPInstanceUID", "UI"),
    (0x0008, 0x0060): ("Modality", "CS"),
    (0x0008, 0x103E): ("SeriesDescription", "LO"),
    (0x0018, 0x1120): ("GantryDetectorTilt", "DS"),
    (0x0018, 0x1164): ("ImagerPixelSpacing", "DS"),
    (0x0020, 0x000D): ("StudyInstanceUID", "UI"),
    (0x0020, 0x000E): ("SeriesInstanceUID", "UI"),
    (0x0020, 0x0011): ("SeriesNumber", "IS"),
    (0x0020, 0x0013): ("InstanceNumber", "IS"),
    (0x0020, 0x0032): ("ImagePositionPatient", "DS"),
    (0x0020, 0x0037): ("ImageOrientationPatient", "DS"),
    (0x0028, 0x0002): ("SamplesPerPixel", "US"),
    (0x0028, 0x0004): ("PhotometricInterpretation", "CS"),
    (0x0028, 0x0008): ("NumberOfFrames", "IS"),
    (0x0028, 0x0010): ("Rows", "US"),
    (0x0028, 0x0011): ("Columns", "US"),
    (0x0028, 0x0030): ("PixelSpacing", "DS"),
    (0x0028, 0x0100): ("BitsAllocated", "US"),
    (0x0028, 0x0101): ("BitsStored", "US"),
    (0x0028, 0x0103): ("PixelRepresentation", "US"),
    (0x0028, 0x0120): ("PixelPaddingValue", "xs"),
    (0x0028, 0x0121): ("PixelPaddingRangeLimit", "xs"),
    (0x0028, 0x1052): ("RescaleIntercept", "DS"),
    (0x0028, 0x1053): ("RescaleSlope", "DS"),
    (0x3004, 0x000C): ("GridFrameOffsetVector", "DS"),
}
# Functional groups need pydicom's sequence parsing: give up on them.
_GIVE_UP = frozenset(((0x5200, 0x9229), (0x5200, 0x9230)))


# The same tables keyed by group << 16 | element, cheaper to look up.
_WANTED_KEYS = {group << 16 | element: v for (group, element), v in _WANTED.items()}
_GIVE_UP_KEYS = frozenset(group << 16 | element for group, element in _GIVE_UP)
_PIXEL_DATA_KEY = _PIXEL_DATA[0] << 16 | _PIXEL_DATA[1]
_EXPLICIT_HEADER = struct.Struct("<HH2sH").unpack_from
_IMPLICIT_HEADER = struct.Struct("<HHI").unpack_from
_LENGTH = struct.Struct("<I").unpack_from


class _GiveUpError(Exception):
    """The file is not one this reader handles; use pydicom."""


class _NeedMoreError(Exception):
    """The header goes on beyond the bytes read so far."""


class FastHeader:
    """The wanted attributes of one header, read like a pydicom Dataset.

    Supports ``keyword in header``, ``header.get(keyword, default)``,
    ``header.Keyword`` and ``header.file_meta.get(keyword)``. Multi-valued
    attributes are lists; empty numbers are None and empty strings "".
    """

    def __init__(self, values: dict[str, Any], file_meta: dict[str, Any]) -> None:
        self._values = values
        self.file_meta = file_meta

    def __contains__(self, keyword: object) -> bool:
        return keyword in self._values

    def get(self, keyword: str, default: Any = None) -> Any:
        """Return an attribute's value, or ``default`` when it is absent."""
        return self._values.get(keyword, default)

    def __getattr__(self, keyword: str) -> Any:
        try:
            return self._values[keyword]
        except KeyError:
            raise AttributeError(keyword) from None


def read_fast_header(path: Path) -> tuple[FastHeader, int, int, bytes] | None:
    """Read a file's wanted attributes and where its Pixel Data element starts.

    Parameters
    ----------
    path
        A DICOM file (PS3.10: 128-byte preamble, ``DICM``, file meta).

    Returns
    -------
    tuple or None
        (header, offset of the Pixel Data element or of the end of the
        header, file size, the first 12 bytes at that offset); None when the
        file is not one this reader handles, so that pydicom should read it.
    """
    with path.open("rb") as fp:
        size = fp.seek(0, 2)
        fp.seek(0)
        data = fp.read(_FIRST_READ)
        while True:
            try:
                header, end = _parse(data, len(data) >= size)
            except _GiveUpError:
                return None
            except _NeedMoreError:
                if len(data) >= min(size, _LARGEST_READ):
                    return None
                data += fp.read(len(data))
                continue
            if end + 12 > len(data) and len(data) < size:
                data += fp.read(end + 12 - len(data))
            return header, end, size, data[end : end + 12]


# One flat loop runs for every element of every file; helpers would cost a call each.
def _parse(data: bytes, whole_file: bool) -> tuple[FastHeader, int]:  # noqa: C901
    """Parse file meta and top-level elements up to Pixel Data."""
    if len(data) < 132 or data[128:132] != b"DICM":
        raise _GiveUpError

    meta, position = _parse_meta(data)
    syntax = str(meta.get("TransferSyntaxUID", ""))
    if syntax == _EXPLICIT_BIG or syntax in _DEFLATED or not syntax:
        raise _GiveUpError
    implicit = syntax == _IMPLICIT_LITTLE

    values: dict[str, Any] = {}
    raw_sign_dependent: dict[str, bytes] = {}
    size = len(data)
    while True:
        if position + 12 > size:
            if whole_file and position + 8 > size:
                break
            if not whole_file:
                raise _NeedMoreError
        if implicit:
            group, element, length = _IMPLICIT_HEADER(data, position)
            vr = b""
            start = position + 8
        else:
            group, element, vr, length = _EXPLICIT_HEADER(data, position)
            start = position + 8
            if vr in _LONG_VRS:
                (length,) = _LENGTH(data, position + 8)
                start = position + 12
            elif not vr.isalpha():
                raise _GiveUpError
        tag = group << 16 | element
        if tag >= _PIXEL_DATA_KEY:
            break
        if tag in _GIVE_UP_KEYS:
            raise _GiveUpError
        if length == _UNDEFINED:
            position = _skip_undefined(data, start, implicit)
            continue
        end = start + length
        if end > size:
            raise _GiveUpError if whole_file else _NeedMoreError
        wanted = _WANTED_KEYS.get(tag)
        if wanted is not None:
            keyword, known_vr = wanted
            value = data[start:end]
            if known_vr == "xs":
                raw_sign_dependent[keyword] = value if implicit else vr + value
            else:
                values[keyword] = _decode(known_vr, value)
        position = end

    signed = values.get("PixelRepresentation") == 1
    for keyword, value in raw_sign_dependent.items():
        values[keyword] = _decode_xs(value, signed, implicit)
    return FastHeader(values, meta), position


def _parse_meta(data: bytes) -> tuple[dict[str, Any], int]:
    """Read the file meta group (always explicit VR little endian)."""
    meta: dict[str, Any] = {}
    position = 132
    while position + 8 <= len(data):
        group, element = struct.unpack_from("<HH", data, position)
        if group != 0x0002:
            break
        _, length, start = _element_header(data, position, implicit=False)
        if length == _UNDEFINED or start + length > len(data):
            raise _GiveUpError
        value = data[start : start + length].decode("ascii", "replace").strip("\0 ")
        if element == 0x0010:
            meta["TransferSyntaxUID"] = value
        elif element == 0x0002:
            meta["MediaStorageSOPClassUID"] = value
        position = start + length
    return meta, position


def _element_header(
    data: bytes, position: int, implicit: bool
) -> tuple[bytes, int, int]:
    """Return (VR, value length, value start) of the element at ``position``."""
    if implicit:
        (length,) = struct.unpack_from("<I", data, position + 4)
        return b"", length, position + 8
    vr = data[position + 4 : position + 6]
    if vr in _LONG_VRS:
        if position + 12 > len(data):
            raise _NeedMoreError
        (length,) = struct.unpack_from("<I", data, position + 8)
        return vr, length, position + 12
    if not vr.isalpha():
        raise _GiveUpError
    (length,) = struct.unpack_from("<H", data, position + 6)
    return vr, length, position + 8


def _skip_undefined(data: bytes, position: int, implicit: bool) -> int:
    """Skip a sequence of undefined length; return the position after it."""
    while True:
        if position + 8 > len(data):
            raise _NeedMoreError
        tag = struct.unpack_from("<HH", data, position)
        (length,) = struct.unpack_from("<I", data, position + 4)
        position += 8
        if tag == _SEQUENCE_END:
            return position
        if tag != _ITEM:
            raise _GiveUpError
        if length != _UNDEFINED:
            position += length
            continue
        position = _skip_item(data, position, implicit)


def _skip_item(data: bytes, position: int, implicit: bool) -> int:
    """Skip the elements of an item of undefined length, up to its delimiter."""
    while True:
        if position + 8 > len(data):
            raise _NeedMoreError
        tag = struct.unpack_from("<HH", data, position)
        if tag == _ITEM_END:
            return position + 8
        _, length, start = _element_header(data, position, implicit)
        position = (
            _skip_undefined(data, start, implicit)
            if length == _UNDEFINED
            else start + length
        )


def _decode(vr: str, value: bytes) -> Any:
    """Turn a value's bytes into what pydicom would give for the VR."""
    if vr == "US":
        numbers = struct.unpack(f"<{len(value) // 2}H", value[: len(value) // 2 * 2])
        return _one_or_list(list(numbers)) if numbers else None
    text = value.decode("latin-1").strip("\0 ")
    if vr in ("DS", "IS"):
        if not text:
            return None
        convert = float if vr == "DS" else _integer
        return _one_or_list([convert(part) for part in text.split("\\")])
    if vr == "CS" and "\\" in text:
        return [part.strip() for part in text.split("\\")]
    return text


def _decode_xs(value: bytes, signed: bool, implicit: bool) -> int | None:
    """Decode PixelPaddingValue and its limit: SS or US as the VR or sign says."""
    if not implicit:
        signed = value[:2] == b"SS"
        value = value[2:]
    if len(value) < 2:
        return None
    (number,) = struct.unpack_from("<h" if signed else "<H", value)
    return int(number)


def _integer(text: str) -> int:
    """Read an IS value, which some writers give as ``"5.0"``."""
    return int(float(text))


def _one_or_list(values: list[Any]) -> Any:
    """Return one value alone and several as a list, as pydicom does."""
    return values[0] if len(values) == 1 else values


@lru_cache(maxsize=64)
def uid_of(text: str) -> UID:
    """Return a pydicom UID, cached: building one validates it, which is slow."""
    return UID(text)
