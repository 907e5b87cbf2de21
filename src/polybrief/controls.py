"""Invisible control characters in content, and the test every printed string goes through.

Why they are shown as ``<U+202E>`` rather than obeyed is explained in
:mod:`polybrief.render` ("Invisible control characters in content").  This
module holds only the patterns and :func:`neutralise_controls`, so that a
:class:`~polybrief.provenance.Segment` can be neutralised once, when it is
made (see :attr:`~polybrief.provenance.Segment.shown`), instead of on every
print: it imports nothing but :mod:`re`.
"""

from __future__ import annotations

import re

__all__ = ["VISIBLE_CONTROLS", "CONTROL_OR_RTL", "neutralise_controls"]

#: Characters shown as ``<U+XXXX>`` rather than output.
VISIBLE_CONTROLS = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)

#: A character that makes :func:`neutralise_controls` or bidi isolation do something.
CONTROL_OR_RTL = re.compile(VISIBLE_CONTROLS.pattern[:-1] + "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
                            "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def neutralise_controls(text: str) -> str:
    """``text`` with bidi embedding/override/isolate controls, stray BOMs, C0/C1 controls
    (except tab and newline) and noncharacters made visible as ``<U+202E>``.

    Idempotent, and the identity on text without such characters.
    """
    if not VISIBLE_CONTROLS.search(text):
        return text
    return VISIBLE_CONTROLS.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)
