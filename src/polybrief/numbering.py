"""Digits of CLDR numbering systems: ``۸۴٫۵`` rather than ``84٫5`` on a Persian page.

CLDR gives every locale a default numbering system (``fa`` → ``arabext``,
``bn`` → ``beng``, ``ar_EG`` → ``arab``, most → ``latn``) and the symbols of
each system (decimal ``٫``, group ``٬``, percent ``٪``).  Babel ships the
default system per locale (``Locale.default_numbering_system``) and the
symbols (``numbering_system="default"`` on every ``format_*`` function), but
not the digits: in Babel 2.19 ``format_decimal(84.5, locale="fa",
numbering_system="default")`` returns ``84٫5`` — Persian separator, Latin
digits, a mix no Persian text has.  Its global data has no
``numberingSystems`` table to take the digits from.

Why a table here, and not PyICU
-------------------------------
ICU formats with the right digits, but PyICU is published on PyPI as a
source distribution only: installing it needs the ICU C++ headers and a
compiler on every machine that runs polybrief, for ten characters per
numbering system.  Every *numeric* CLDR numbering system is ten consecutive
Unicode decimal digits (General Category Nd), so one zero code point per
system is the whole of the data.  :data:`ZERO_DIGITS` lists every system
that is the default or the ``native`` system of some locale in the CLDR
release Babel ships; ``tests/test_cldr_golden.py`` checks each entry against
:mod:`unicodedata` (ten digits with values 0–9) and that no Babel locale has
a default system missing from the table, so a Babel upgrade that adds one
fails the tests instead of printing Latin digits silently.  A system not in
the table is written in Latin digits (logged at DEBUG).
"""

from __future__ import annotations

import logging

__all__ = ["ZERO_DIGITS", "digits_of", "to_native_digits"]

log = logging.getLogger(__name__)

#: The digit zero of each numeric CLDR numbering system polybrief can write.
ZERO_DIGITS: dict[str, str] = {
    "latn": "0",
    "arab": "\u0660",  # ٠ Arabic-Indic
    "arabext": "\u06f0",  # ۰ Extended Arabic-Indic (Persian, Urdu, Pashto)
    "adlm": "\U0001e950",
    "beng": "\u09e6",
    "cakm": "\U00011136",
    "deva": "\u0966",
    "fullwide": "\uff10",
    "gujr": "\u0ae6",
    "guru": "\u0a66",
    "hmnp": "\U0001e140",
    "khmr": "\u17e0",
    "knda": "\u0ce6",
    "laoo": "\u0ed0",
    "mlym": "\u0d66",
    "mong": "\u1810",
    "mtei": "\uabf0",
    "mymr": "\u1040",
    "nkoo": "\u07c0",
    "olck": "\u1c50",
    "orya": "\u0b66",
    "tamldec": "\u0be6",
    "telu": "\u0c66",
    "thai": "\u0e50",
    "tibt": "\u0f20",
    "vaii": "\ua620",
}

_ASCII_DIGITS = "0123456789"
_TABLES: dict[str, dict[int, int]] = {}


def digits_of(system: str) -> str | None:
    """The ten digits of numbering ``system`` (``"۰۱۲۳۴۵۶۷۸۹"``), or None when polybrief has no table for it."""
    zero = ZERO_DIGITS.get(system)
    if zero is None:
        return None
    return "".join(chr(ord(zero) + n) for n in range(10))


def to_native_digits(text: str, system: str) -> str:
    """``text`` with every ASCII digit replaced by the digit of ``system`` (``latn``: unchanged).

    Used on strings Babel formatted (numbers, dates, times), whose only ASCII
    digits are the values themselves.
    """
    if system == "latn":
        return text
    table = _TABLES.get(system)
    if table is None:
        digits = digits_of(system)
        if digits is None:
            log.debug("no digits for numbering system %s; writing Latin digits", system)
            return text
        table = _TABLES[system] = str.maketrans(_ASCII_DIGITS, digits)
    return text.translate(table)
