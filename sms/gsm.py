"""GSM-7, the SMS alphabet: which texts fit it, how many segments they take, and folding into it.

One character outside GSM-7 (ê, ç, a curly quote) switches the whole SMS to UCS-2, where a
segment holds 70 characters instead of 160, so every outgoing text is folded into GSM-7 first.
"""

import math
import unicodedata

BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = set("^{}\\[~]|€\f")  # two septets each
# Typographic punctuation and spaces, written as escapes so the source shows what they are.
REPLACEMENTS = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark (the usual apostrophe of word processors)
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "\u2022": "-",
}


def is_gsm(text: str) -> bool:
    return all(char in BASIC or char in EXTENSION for char in text)


def fold(text: str) -> str:
    """The text in GSM-7: typographic punctuation made plain, accents dropped where GSM-7 lacks them."""
    out = []
    for char in text:
        if char in BASIC or char in EXTENSION:
            out.append(char)
        elif char in REPLACEMENTS:
            out.append(REPLACEMENTS[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn")
            out.append(base if base and is_gsm(base) else "?")
    return "".join(out)


def segments(text: str) -> int:
    """How many SMS segments the text costs (concatenated SMS lose 7 septets or 3 characters each)."""
    if is_gsm(text):
        length = sum(2 if char in EXTENSION else 1 for char in text)
        return 1 if length <= 160 else math.ceil(length / 153)
    length = len(text.encode("utf-16-le")) // 2
    return 1 if length <= 70 else math.ceil(length / 67)
