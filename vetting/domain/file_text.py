"""The text of a stored file, for looking for a person's name or number in it: raw bytes in UTF-8, UTF-16 and
Latin-1, XML entities, every member of a ZIP, the text of a PDF through its ``ToUnicode`` maps. Whether it could be
read at all is part of the answer (an image, a scanned or encrypted PDF cannot), so the caller can keep what it
cannot judge. Used by the erasure of stored files (``erasure_files``) and the register answers' redaction.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

# Members of a ZIP larger than this, or more than this many, are not read: the archive counts as unreadable.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
TEXT_TYPES = ("json", "xml", "html", "text", "csv", "javascript")


def decodings(data: bytes) -> list[str]:
    texts = [data.decode("utf-8", "replace"), data.decode("latin-1")]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\x00") > len(data) // 8:
        for codec in ("utf-16-le", "utf-16-be"):
            texts.append(data.decode(codec, "replace"))
    return texts


_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]+)>")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)


def _hex(value: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", value)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _utf16(value: bytes) -> str:
    return value.decode("utf-16-be", "replace")


def _cmap(text: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap: glyph code (bytes) -> text."""
    mapping: dict[bytes, str] = {}
    for block in _BFCHAR.findall(text):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2]):
            mapping[_hex(src)] = _utf16(_hex(dst))
    for block in _BFRANGE.findall(text):
        for line in re.findall(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(?:<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            parts = _HEX.findall(line)
            low, high = _hex(parts[0]), _hex(parts[1])
            start, end, width = int.from_bytes(low, "big"), int.from_bytes(high, "big"), len(low)
            if end - start > 65535:
                continue
            if b"[" in line:
                for offset, dst in enumerate(parts[2:]):
                    mapping[(start + offset).to_bytes(width, "big")] = _utf16(_hex(dst))
            else:
                first = _hex(parts[2])
                base = int.from_bytes(first, "big")
                for offset in range(end - start + 1):
                    mapping[(start + offset).to_bytes(width, "big")] = _utf16(
                        (base + offset).to_bytes(len(first), "big"))
    return mapping


def _literal(value: bytes) -> bytes:
    """A PDF literal string's bytes (escapes resolved)."""
    out, i = bytearray(), 1
    end = len(value) - 1
    while i < end:
        c = value[i]
        if c == 0x5C and i + 1 < end:
            n = value[i + 1]
            if 0x30 <= n <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", value[i + 1:i + 4])
                assert digits is not None
                out.append(int(digits.group(0), 8) & 0xFF)
                i += 1 + len(digits.group(0))
                continue
            out += {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}.get(
                n, bytes([n]))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def _decode_with(code: bytes, mapping: dict[bytes, str]) -> str:
    widths = sorted({len(k) for k in mapping}, reverse=True) or [1]
    out, i = [], 0
    while i < len(code):
        for width in widths:
            if code[i:i + width] in mapping:
                out.append(mapping[code[i:i + width]])
                i += width
                break
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def pdf_texts(data: bytes) -> tuple[list[str], bool]:
    """The text of a PDF (one reading per ToUnicode map found, plus the strings as Latin-1) and whether any text
    was found at all (a scan has none)."""
    streams = []
    for raw in _STREAM.findall(data):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            try:
                streams.append(zlib.decompressobj().decompress(raw))
            except zlib.error:
                streams.append(raw)
    maps = [m for m in (_cmap(s) for s in streams if b"begincmap" in s) if m]
    strings: list[bytes] = []
    for stream in [data, *streams]:
        if b"begincmap" in stream or not re.search(rb"\bT[Jj]\b|\bBT\b", stream):
            continue
        for match in re.finditer(rb"\[(.*?)\]\s*TJ|(<[0-9A-Fa-f\s]+>|\((?:\\.|[^\\])*?\))\s*(?:Tj|'|\")", stream, re.S):
            chunk = match.group(1) if match.group(1) is not None else match.group(2)
            for part in re.finditer(_LITERAL.pattern + rb"|<([0-9A-Fa-f\s]+)>", chunk, re.S):
                strings.append(_hex(part.group(1)) if part.group(1) is not None else _literal(part.group(0)))
    texts = ["".join(s.decode("latin-1") for s in strings)]
    texts += ["".join(_decode_with(s, m) for s in strings) for m in maps]
    texts += [s.decode("utf-8", "replace") for s in streams if b"begincmap" not in s]
    found = any(t.strip("\ufffd \n") for t in texts[:1] + texts[1:len(maps) + 1]) and bool(strings)
    return texts, found


def file_texts(body: bytes | None, media_type: str | None, depth: int = 0) -> tuple[list[str], bool]:
    """What a stored file says, as several readings, and whether it could be read at all."""
    if not body:
        return [], True
    texts = decodings(body)
    if body[:4] == b"PK\x03\x04" and depth < 3:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                members = archive.infolist()
                if len(members) > MAX_MEMBERS or any(m.file_size > MAX_MEMBER_BYTES for m in members):
                    return texts, False
                readable = True
                for member in members:
                    inner, ok = file_texts(archive.read(member), None, depth + 1)
                    texts += inner
                    readable = readable and ok
                return texts, readable
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            return texts, False
    if body[:5] == b"%PDF-":
        inner, readable = pdf_texts(body)
        return texts + inner, readable
    if body.startswith(_IMAGE_MAGIC):
        return texts, False  # no OCR here: a scan may show a name we cannot see
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return texts, bool(media_type and any(t in media_type for t in TEXT_TYPES))
    return texts + [html.unescape(text)], True


# --- does it name the person ----------------------------------------------------------------------------------
