"""What in a translation is the translator's own language, and what is names, codes and placeholders.

Names are not errors
--------------------
Real translations keep names in their own script: "Доклад Amnesty
International", "صور Wagtail", "NetworkManager не запущен", a file name, a
``%PRODUCTNAME`` variable, a ``gtk_window_set_icon()`` function.  Measured on
57,000 reviewed pairs (``bench/real_corpus.py``), such tokens made ``script``
and ``language`` block about 2 % of correct segments.  So both checks judge
only the :func:`own_text` of a translation: what is left once everything the
translator was right to copy is taken out —

* every word that appears verbatim in the source (case-insensitively, with
  menu accelerators ``_File``, ``~Display``, ``&Open`` read as plain words):
  a Latin-script word a Cyrillic translation shares with its English source
  is a name or a term, not English;
* words that look like names or codes anywhere: acronyms (``UN``), camel case
  (``TikTok``), words with digits (``G7``), identifiers (``org.gnome.Shell``,
  ``contact_page``);
* links, addresses, placeholders of every template system
  (:func:`placeholder_spans`) and do-not-translate glossary terms.

A sentence copied whole from the source is *not* a name: the ``language``
check finds those by comparing sentences, before any of this.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..text.patterns import EMAIL, MT_PLACEHOLDER, TEMPLATE_PLACEHOLDER, URL
from .printf import PRINTF

__all__ = ["PLACEHOLDERS", "accelerators_removed", "blank_placeholders", "latin_names", "name_like", "numeric_text", "own_text", "placeholder_spans",
           "vocabulary"]

#: Placeholders of other systems: LibreOffice's ``%PRODUCTNAME``, shell and make ``$(VAR)`` ``${var}``
#: ``$VAR``, autotools ``@VAR@``, HTML tags and entities.
PLACEHOLDERS = re.compile(
    r"%[A-Z][A-Z0-9_]{2,}%?|(?<![\d%])%\d{1,2}(?![\d$])|\$\(\w+\)|\$\{\w+\}|\$[A-Z][A-Z0-9_]+|@[A-Z][A-Z0-9_]+@"
    r"|</?[A-Za-z][\w:-]*(?:\s+[^<>]*?)?\s*/?>|&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});"
    r"|\{[^{}\s]{0,40}\}"
)
#: A menu accelerator: ``_`` or ``~`` before a letter (GNOME, LibreOffice), ``&`` before a letter (Qt, KDE)
#: when it does not start an HTML entity.
_ACCELERATOR = re.compile(r"(?<![\w_~])[_~](?=[^\W\d_])|(?<=[^\W\d_])[_~](?=[^\W\d_])|&(?=[^\W\d_])(?![a-zA-Z]{2,8};)")
#: A word of letters (accelerators already removed).
_LETTERS = re.compile(r"[^\W\d_]+")
#: A token that reads as code: letters joined by ``_``, ``.``, ``::``, ``/`` or ``->``, or ending in ``()``.
_CODE = re.compile(r"(?<![\w$])[\w$]+(?:(?:[._/]|::|->)[\w$]+)+(?:\(\))?|(?<!\w)\w+\(\)")
# (The lookbehinds change no match: one starting inside a run of word characters would also start at the
# run's start, which is tried first; they stop the engine re-reading every word from each of its letters.)
#: What every match of :data:`_CODE` holds: a separator followed by a word character, or ``()``.  Written to
#: start with one character of a set (then looking behind at it), so the engine skips ahead to those in C.
_CODE_HINT = re.compile(r"[._/:\-(](?:(?<=[._/])[\w$]|(?<=:):[\w$]|(?<=-)>[\w$]|(?<=\()\))")
_WHITE = re.compile(r"\s")
_SPACE = " "
_DIGIT = re.compile(r"\d")
#: What surrounds a word without being part of it.
_PUNCTUATION = "\"'«»“”„‘’‹›()[]{}<>.,;:!?¡¿…·-–—/\\|*#%+=՞։՝՜،؛؟۔"


def accelerators_removed(text: str) -> str:
    """``text`` with menu accelerator marks taken out (``_File`` → ``File``, ``ا~عرض`` → ``اعرض``)."""
    if "_" not in text and "~" not in text and "&" not in text:
        return text
    return _ACCELERATOR.sub("", text)


def name_like(word: str) -> bool:
    """Acronyms (``UN``), camel case (``TikTok``, ``iPhone``) and words with digits (``G7``)."""
    if not word.isalpha() and _DIGIT.search(word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    rest = word[1:]
    return rest != rest.lower()


#: Entries of each per-text cache here: a page's segments (a few hundred texts, the source's reused by
#: every locale of its brief) and no more, since texts of other briefs never come again; 8192 per cache
#: held about 30 MB at the top of a long run (issue 24's flat memory).
TEXT_CACHE = 1024


@functools.lru_cache(maxsize=TEXT_CACHE)
def placeholder_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where ``text`` has links, addresses, MT and template placeholders, printf tokens and the like.

    Each pattern runs only when a character every match has is in the text (most texts have none), tested
    one by one (a generator over each pattern's characters cost more than most patterns on short texts).
    """
    spans: list[tuple[int, int]] = []
    brace = "{" in text
    percent = "%" in text
    # A link needs "://", "mailto:" or "www." in any case; "w" stays the first test (a text with "WWW." and
    # no "w" or ":" was never searched, and findings stay what they were).
    if ":" in text or ("w" in text and "www" in text.lower()):
        spans.extend(m.span() for m in URL.finditer(text))
    at = "@" in text
    if at:
        spans.extend(m.span() for m in EMAIL.finditer(text))
    if brace or "\uff5b" in text:
        spans.extend(m.span() for m in MT_PLACEHOLDER.finditer(text))
    if brace or percent or "⟦" in text or "_" in text:
        spans.extend(m.span() for m in TEMPLATE_PLACEHOLDER.finditer(text))
    if percent:
        spans.extend(m.span() for m in PRINTF.finditer(text))
    if brace or percent or at or "$" in text or "<" in text or "&" in text:
        spans.extend(m.span() for m in PLACEHOLDERS.finditer(text))
    return tuple(spans)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _SPACE * (end - start)
    return "".join(chars)


@functools.lru_cache(maxsize=TEXT_CACHE)
def blank_placeholders(text: str) -> str:
    """``text`` with every placeholder, link and address replaced by spaces (positions kept)."""
    spans = placeholder_spans(text)
    return _blank(text, spans) if spans else text


@functools.lru_cache(maxsize=TEXT_CACHE)
def vocabulary(source: str) -> frozenset[str]:
    """Every word of ``source``, casefolded, placeholders aside: what a translation may copy as a name."""
    text = accelerators_removed(blank_placeholders(source))  # (cached, and the text itself when nothing is blanked)
    return frozenset(map(str.casefold, _LETTERS.findall(text)))


@functools.lru_cache(maxsize=TEXT_CACHE)
def _without_code(text: str) -> str:
    """``text`` with every token of :data:`_CODE` replaced by a space.

    A token of code holds a :data:`_CODE_HINT` and never white space, and
    its pattern looks no further than the white space around it, so only
    the stretch from the word of the first hint to the word of the last is
    searched: the pattern tries every character, and most of a text is prose.
    """
    first = _CODE_HINT.search(text)
    if first is None:
        return text  # no separator glued to a word and no "()": no token of _CODE (most prose)
    start = first.start()
    while start and not text[start - 1].isspace():
        start -= 1
    last = first
    for last in _CODE_HINT.finditer(text, first.end()):
        pass
    white = _WHITE.search(text, last.end())
    end = len(text) if white is None else white.start()
    return text[:start] + _CODE.sub(" ", text[start:end]) + text[end:]


_NAME = re.compile(r"(?<![\w.])(?:[A-Z]{2,}[a-z]?|[A-Za-z]+[A-Z][A-Za-z]*|[A-Z][a-z]{2,})(?![\w])")


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence: the text before it is nothing, a line break and white
    space, a sentence mark and white space, or an opening quotation mark or bracket (and white space).

    What ``(?:^|[.!?:;]\\s+|\\n\\s*|["«“(]\\s*)$`` finds in ``text[:start]``, read from ``start`` backwards
    instead of searched for in the whole text before every capitalised word.
    """
    if start == 0:
        return True
    end = start  # the text before ``start`` without the white space that ends it: text[:end]
    while end and text[end - 1].isspace():
        end -= 1
    if end and text[end - 1] in "\"«“(":
        return True
    if end == start:
        return False
    return "\n" in text[end:start] or (end > 0 and text[end - 1] in ".!?:;")


@functools.lru_cache(maxsize=TEXT_CACHE)
def latin_names(text: str) -> list[str]:
    """Latin-script names of ``text``: acronyms (``UN``), camel case (``TikTok``) and capitalised words that
    do not start a sentence (in a text that is not in title case), each once (placeholders aside)."""
    text = accelerators_removed(blank_placeholders(text))
    words = [w for w in _LETTERS.findall(text) if len(w) >= 3]
    title = sum(1 for w in words if w[0].isupper()) * 2 >= len(words)  # "Fixed Height Mode": a title, not names
    out: list[str] = []
    for m in _NAME.finditer(text):
        word = m.group(0)
        if word[0].isupper() and word[1:].islower() and (title or _starts_sentence(text, m.start())):
            continue
        if word not in out:
            out.append(word)
    return out


@functools.lru_cache(maxsize=TEXT_CACHE)
def own_text(target: str, source: str, keep_terms: tuple[str, ...] = ()) -> str:
    """The words of ``target`` that are its translator's own: see the module docstring.

    Words are returned joined by single spaces, sentence marks dropped.
    """
    text = _without_code(accelerators_removed(blank_placeholders(target)))
    for term in keep_terms:
        text = re.sub(r"(?<!\w)" + re.escape(term) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    copied = vocabulary(source)
    out: list[str] = []
    seen = _TOKENS
    for token in text.split():
        found = seen.get(token)
        if found is None:
            found = _token(token)
        core, folded = found
        if folded == _OTHER:  # not a word of letters only: a name, a code or words joined by marks
            if not name_like(core):
                out.extend(word for word in _LETTERS.findall(core) if word.casefold() not in copied)
        elif folded and folded not in copied:
            out.append(core)
    return " ".join(out)


#: What :func:`own_text` made of each white-space token it met: (core, casefolded core) for a word of letters
#: that may be the translator's own, (core, "") for a word of letters that reads as a name (``UN``,
#: ``TikTok``) and for a token of punctuation only, (core, :data:`_OTHER`) for a core with other characters.
#: Words come back in every text of a language, and judging a token once made the loop of :func:`own_text` three times
#: cheaper; a pure function of the token, kept for at most :data:`TOKEN_CACHE` tokens (a few MB).
_TOKENS: dict[str, tuple[str, str]] = {}
TOKEN_CACHE = 16384
_OTHER = "\x00"


def _token(token: str) -> tuple[str, str]:
    """The core of ``token`` (sentence marks and brackets stripped) and what it is (see :data:`_TOKENS`)."""
    core = token.strip(_PUNCTUATION)
    found: tuple[str, str]
    if not core:
        found = (core, "")
    elif core.isalpha():  # one word of letters only (most tokens): what _LETTERS would find
        rest = core[1:]  # (the first two tests are name_like's for a word of letters)
        found = (core, core.casefold() if not (len(core) > 1 and core.isupper()) and rest == rest.lower() else "")
    else:
        found = (core, _OTHER)
    if len(_TOKENS) >= TOKEN_CACHE:
        _TOKENS.clear()
    _TOKENS[token] = found
    return found


#: Invisible format characters that may sit inside a number (bidi marks, deprecated shaping controls).
_FORMAT_CHARS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u206a-\u206f]")


@functools.lru_cache(maxsize=TEXT_CACHE)
def numeric_text(text: str) -> str:
    """``text`` as the number checks read it: placeholders blanked (``%2$s`` is no 2), and the invisible
    direction marks translators put inside numbers (``١\u206d٫١٥``) taken out."""
    spans = placeholder_spans(text)
    if spans:
        text = _blank(text, spans)
    return _FORMAT_CHARS.sub("", text) if not text.isascii() else text
