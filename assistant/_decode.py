"""Bytes into text: UTF-8 (BOM or not), UTF-16 (LE/BE, BOM or not), GB18030/GBK, Big5.

charset-normalizer ranks the candidate encodings, but on its own it is unreliable on
short Chinese files (measured: a 30-byte Big5 sentence came back as cp932, 4 bytes of
GBK as Big5), and GB18030 accepts almost any byte pair, so "it decoded without error"
proves nothing. Every candidate that decodes strictly is therefore scored by a cheap
plausibility check: the share of its CJK characters that are common characters (GB2312
level 1 or Big5 level 1, i.e. the ~3,755 / ~5,401 everyday simplified / traditional
characters). Correct decodings of news text score ~1.0; a Big5 file read as GB18030,
or GBK read as Big5, scores far lower. The best candidate wins; if even the best one
reads as garbage the file is refused with one line naming the encodings tried.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from .errors import InputError

# Python codec names, in the order a tie is broken (UTF-8 is decided before scoring).
CANDIDATES = ("utf_8", "gb18030", "big5", "cp950", "utf_16_le", "utf_16_be")
DISPLAY = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 (BOM)",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
    "gb18030": "GB18030/GBK",
    "big5": "Big5",
    "cp950": "Big5",
}
TRIED = "UTF-8, UTF-16, GB18030/GBK, Big5"
# Below this share of common characters even the best reading is garbage. The choice
# between candidates is by comparison; this floor only refuses files no candidate reads.
# Measured on 60 random slices of the seed page (simplified) and of our own traditional
# text per length: correct readings score >= 0.94 at 20 characters, wrong readings of
# 20+ characters <= 0.71 (mean 0.1-0.3); names in rare characters pull short correct
# files down, so the floor sits below the wrong readings' mean-plus-spread, not at 0.94.
MIN_PLAUSIBLE = 0.7
_BOMS = (
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF32_LE, "utf_32"),  # before UTF-16 LE: its BOM starts with FF FE
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name, e.g. "gb18030"
    plausibility: float  # share of CJK characters that are common ones; 1.0 without CJK


@functools.cache
def _common_chars() -> frozenset[str]:
    """GB2312 level 1 (B0A1-D7F9) and Big5 level 1 (A440-C67E): the everyday characters."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (lead, trail) > (0xC6, 0x7E):
                break
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of the text's non-ASCII letters that are common CJK characters (0..1).

    Punctuation and symbols (，。“” full-width digits) are neutral; control characters,
    private-use and unassigned code points, kana and rare ideographs count against.
    Text without any non-ASCII letter scores 1.0 unless it holds control characters.
    """
    common = _common_chars()
    good = bad = 0
    for ch in text:
        if ch.isascii():
            if ch.isprintable() or ch in "\t\n\r\f":
                continue
            bad += 1
            continue
        cat = unicodedata.category(ch)
        if ch in common:
            good += 1
        elif cat[0] in "PSZ" or cat == "Nd":
            continue  # punctuation, symbols, spaces: neither proof nor disproof
        else:
            bad += 1
    return 1.0 if good + bad == 0 else good / (good + bad)


def _sample(text: str, size: int = 20_000) -> str:
    """Head, middle and tail: a big file is judged in milliseconds, a mixed one still fairly."""
    if len(text) <= 3 * size:
        return text
    mid = len(text) // 2
    return text[:size] + text[mid : mid + size] + text[-size:]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes (asked only once no text encoding fits)."""
    head = data[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return b"\x00" in head or controls > len(head) // 20


def decode(data: bytes, path: str) -> Decoded:
    """The text of a file's bytes, or an `InputError` naming the file and the encodings tried."""
    if not data.strip(b" \t\r\n\x00"):
        raise InputError("the file is empty; nothing to read: put articles in it, or leave it out", path=path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise InputError(
                    f"starts with a {DISPLAY.get(encoding, encoding)} byte-order mark but is not valid "
                    f"{DISPLAY.get(encoding, encoding)}; re-save it as UTF-8",
                    path=path,
                )
            return Decoded(text, encoding, plausibility(_sample(text)))
    text = _strict(data, "utf_8")
    if text is not None and "\x00" not in text:
        # Strict UTF-8 almost never accepts text in another encoding by accident.
        return Decoded(text, "utf_8", plausibility(_sample(text)))
    best: Decoded | None = None
    for encoding in _ranked(data):
        text = _strict(data, encoding)
        if text is None:
            continue
        score = plausibility(_sample(text))
        if best is None or score > best.plausibility:
            best = Decoded(text, encoding, score)
    if best is not None and best.plausibility >= MIN_PLAUSIBLE:
        return best
    if _looks_binary(data):
        raise InputError("this looks like a binary file, not text; skipped", path=path)
    guess = (
        f"; the best guess, {DISPLAY[best.encoding]}, reads as garbage "
        f"(only {best.plausibility:.0%} common Chinese characters)"
        if best
        else ""
    )
    raise InputError(
        f"cannot decode: tried {TRIED}{guess}; skipped, nothing indexed. Convert it to UTF-8, "
        "e.g. `iconv -f BIG5 -t UTF-8 FILE > FILE.utf8.md` (with the file's real encoding)",
        path=path,
    )


def _ranked(data: bytes) -> list[str]:
    """Our candidates, those charset-normalizer prefers first (it breaks score ties)."""
    isolation = ["gb18030", "big5", "cp950", "utf_16_le", "utf_16_be"]
    try:
        guesses = [m.encoding for m in charset_normalizer.from_bytes(data[:65536], cp_isolation=isolation)]
    except Exception:  # a detector failure must not lose the file: fall back to our order
        guesses = []
    ordered = [g for g in guesses if g in CANDIDATES]
    return list(dict.fromkeys([*ordered, *CANDIDATES]))
