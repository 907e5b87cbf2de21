"""Soft hyphens where a long word may break: the ``hyphenate`` filter, from pyphen's dictionaries.

A newsroom page's narrowest columns (the figures table on a phone, a long
headline) must break between words, or inside a word only where the
language allows it with a hyphen.  CSS ``hyphens: auto`` would do that, but
Chromium on Linux (and Android WebView without the language's data) has no
hyphenation dictionaries, so it does nothing and ``overflow-wrap: anywhere``
then cut "военнос|лужащи|х" at the box's edge.  polybrief therefore inserts
soft hyphens (U+00AD) itself, from pyphen, which packages the LibreOffice
(Hunspell) hyphenation patterns — maintained dictionaries, not a rule of
ours — for Russian, Ukrainian, German, French, Spanish, English and some
sixty more.  A language pyphen has no dictionary for (Armenian, Azerbaijani,
Georgian, Persian, Arabic) is left as it is: it breaks between words only,
and the page's CSS keeps its words whole.

Only words of at least :data:`MIN_WORD` letters get soft hyphens (shorter
ones fit any line), placeholders such as ``{count}`` never do, and the text
is otherwise unchanged: a soft hyphen is invisible unless the line breaks
there, copies as nothing in most browsers, and is not a control character
(:func:`polybrief.controls.neutralise_controls` leaves it alone).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..cldr import primary_subtag
from ..provenance import Segment

__all__ = ["MIN_WORD", "SOFT_HYPHEN", "hyphenate_text", "hyphenate_filter"]

SOFT_HYPHEN = "\u00ad"
#: Words shorter than this are never hyphenated.
MIN_WORD = 8
#: A word: letters only (so "{count}", numbers, URLs and already hyphenated words are left alone).
_WORD = re.compile(r"(?<![{\w\u00ad-])[^\W\d_]{%d,}(?![}\w\u00ad-])" % MIN_WORD)


@functools.lru_cache(maxsize=64)
def _dictionary(language: str) -> Any:
    """pyphen's dictionary for ``language`` (a primary subtag), or None when it has none."""
    try:
        import pyphen
    except ImportError:  # pragma: no cover - a dependency; without it nothing is hyphenated
        return None
    found = next((name for name in (language, f"{language}_{language.upper()}") if name in pyphen.LANGUAGES), None)
    if found is None:
        return None
    return pyphen.Pyphen(lang=found, left=3, right=3)


#: pyphen's dictionary (or None) by language tag as segments spell it: a page asks for a handful of tags.
_BY_TAG: dict[str, Any] = {}


def hyphenate_text(text: str, language: str) -> str:
    """``text`` with soft hyphens at the hyphenation points of its long words in ``language``."""
    try:
        dictionary = _BY_TAG[language]
    except KeyError:
        dictionary = _BY_TAG[language] = _dictionary(primary_subtag(language))
    if dictionary is None or len(text) < MIN_WORD:
        return text
    return _WORD.sub(lambda m: dictionary.inserted(m.group(), hyphen=SOFT_HYPHEN), text)


def hyphenate_filter(page_language: str) -> Any:
    """``{{ segment|hyphenate }}``: a segment (or string) with soft hyphens in the language it is written in
    (a segment's own ``lang``, else the page's); a segment stays a segment, for ``seg_attrs`` and ``bidi``."""

    def hyphenate(value: Any) -> Any:
        if isinstance(value, Segment):
            hyphenated = hyphenate_text(value.text, value.lang)
            return value.with_text(hyphenated) if hyphenated != value.text else value
        if hasattr(value, "__html__"):
            return value
        return hyphenate_text(str(value), page_language)

    return hyphenate
