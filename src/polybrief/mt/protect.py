"""Keep numbers, links and glossary terms out of the model's hands.

Before translation, spans a model must not touch are replaced by numbered
placeholders; after translation the placeholders are replaced by what must
appear there — the original span, or the glossary's target term.  A
placeholder that does not come back (or comes back twice) is never fixed up
silently: :class:`ProtectingEngine` sets ``problem`` on the result so the
caller falls back and says why.

Placeholder form: ``{1}``, ``{2}``, …
--------------------------------------
The token has to survive SentencePiece and a model that has never been
taught about it, because real Argos/OPUS-MT/NLLB models have no special
symbols for us:

* ASCII only.  OPUS-MT's SentencePiece models have no byte fallback, so a
  rarer bracket such as ``⟦1⟧`` becomes ``<unk>`` and is gone for good; with
  byte fallback (our test model) it becomes six byte pieces a model is
  unlikely to reproduce in order.
* Digits are pieces in every vocabulary and models copy them reliably.
* Curly-brace numbers are what software localisation corpora — a sizeable
  part of OPUS (GNOME, KDE, Ubuntu, Mozilla) — use for placeholders, so OPUS
  trained models have seen ``{0}`` copied through thousands of times;
  ``XX1XX`` is letters and gets transliterated into Cyrillic or Armenian,
  ``__1__`` collides with Markdown emphasis, ``<1>`` with markup.
* Checked against the SentencePiece model trained in the tests (byte
  fallback, no user-defined symbols): ``{1}`` encodes as three pieces and
  decodes back exactly, and a sentence splitter does not break inside it.

Decoders often add spaces (``{ 1 }``) or switch to full-width braces; the
restore pattern accepts both.  Braces already in the source that look like a
placeholder (``{0}`` in a quoted template) are protected as themselves so
they cannot be confused with ours.

What counts as a URL, an e-mail address or a placeholder comes from
:mod:`polybrief.text.patterns`, the patterns the quality checks use: a span
protected here is exactly the span the ``urls``, ``emails`` and
``placeholders`` checks look for afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..cldr import primary_subtag
from ..glossary import Glossary, TermRule
from ..text.patterns import EMAIL, MT_PLACEHOLDER, URL, URL_TRAILING
from .base import MachineTranslation, TranslationEngine

__all__ = [
    "PLACEHOLDER_PATTERN",
    "Protected",
    "ProtectedSpan",
    "ProtectingEngine",
    "Restored",
    "placeholder",
    "protect",
    "restore",
]

SpanKind = Literal["placeholder", "url", "email", "term", "keep", "name", "number"]

#: What restore accepts as placeholder number ``n``: ``{n}``, ``{ n }``, full-width braces
#: (the same pattern the ``placeholders`` quality check looks for).
PLACEHOLDER_PATTERN = MT_PLACEHOLDER
#: Numbers with their separators (120,000 / 3.5 / 2024-05-01 / 10:30 / 1 000 with NBSP),
#: not digits inside words (COVID-19, 5th, A4).
_NUMBER = re.compile(r"(?<![\w])(?<![\w]-)\d+(?:(?:[.,:/\-]|[\u00a0\u202f])\d+)*(?![\w])")
#: A named placeholder of a figure phrase (``{count}``), kept out of the model like ``{1}``.
_NAMED_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w{0,30}\}")
_QUOTED = re.compile(r"«([^«»\n]{1,60})»|“([^“”\n]{1,60})”|„([^„“”\n]{1,60})[“”]|\"([^\"\n]{1,60})\"")


_FORMATTED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+\.\d+$")


def localise_number(original: str, *, source: str | None, target: str) -> str:
    """``original`` re-written in ``target``'s number format, when that is safe.

    Only numbers with group separators or a decimal part in the source
    locale's own format are converted (parsed strictly with Babel); plain digit
    runs (years, small counts), dates, times and ranges stay exactly as
    written.
    """
    if source is None or not any(ch in original for ch in ",."):
        return original
    from babel.numbers import NumberFormatError, format_decimal, parse_decimal

    try:
        src = source.replace("-", "_")
        if primary_subtag(src) == "en" and not _FORMATTED_NUMBER.match(original):
            return original
        value = parse_decimal(original, locale=src, strict=True)
        return format_decimal(value, locale=target.replace("-", "_"), decimal_quantization=False)
    except (NumberFormatError, ValueError, LookupError):
        return original


def placeholder(number: int) -> str:
    """The placeholder for span ``number`` (1-based): ``{1}``."""
    return "{" + str(number) + "}"


@dataclass(frozen=True, slots=True)
class ProtectedSpan:
    """One span replaced by a placeholder: what it was and what must come back."""

    number: int
    original: str
    replacement: str
    kind: SpanKind

    @property
    def token(self) -> str:
        return placeholder(self.number)


@dataclass(frozen=True, slots=True)
class Protected:
    """Text with placeholders, and the spans they stand for."""

    text: str
    spans: tuple[ProtectedSpan, ...]


@dataclass(frozen=True, slots=True)
class Restored:
    """A translation with placeholders replaced, and what went wrong doing so."""

    text: str
    missing: tuple[ProtectedSpan, ...] = ()
    duplicated: tuple[ProtectedSpan, ...] = ()
    unexpected: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.duplicated or self.unexpected)

    @property
    def problem(self) -> str | None:
        """One line for people: ``placeholder for '120,000' did not come back``."""
        parts = [f"placeholder for {s.original!r} did not come back" for s in self.missing]
        parts += [f"placeholder for {s.original!r} came back more than once" for s in self.duplicated]
        parts += [f"unexpected placeholder {token!r} in the translation" for token in self.unexpected]
        return "; ".join(parts) or None


def _term_pattern(rule: TermRule) -> re.Pattern[str]:
    flags = re.IGNORECASE if rule.ignore_case else 0
    return re.compile(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", flags)


def _match_case(matched: str, target: str) -> str:
    """``ceasefire`` matched as ``Ceasefire`` at a sentence start: capitalise the target term too."""
    if matched[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def protect(
    text: str,
    *,
    target: str,
    glossary: Glossary | None = None,
    protect_numbers: bool = True,
    protect_urls: bool = True,
    protect_emails: bool = True,
    protect_quoted_names: bool = False,
    source: str | None = None,
) -> Protected:
    """Replace spans the model must not translate by ``{1}``, ``{2}``, … (in text order).

    With ``source`` given, a number written with grouping or a decimal part
    comes back in the target locale's format (``120,000`` → ``120 000`` in
    Russian, where ``120,000`` would read as one hundred and twenty).

    Priority when spans overlap: existing ``{n}`` tokens, URLs, e-mail
    addresses, glossary terms (longest first), quoted names, numbers.  Quoted
    names (``«Armenpress»``, ``"Nor Hayastan"``) protect the text inside the
    quotes only, so the model can still choose the target's quotation marks;
    only short capitalised spans are taken as names.
    """
    claimed: list[tuple[int, int, str, str, SpanKind]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, *_ in claimed)

    def take(start: int, end: int, replacement: str, kind: SpanKind) -> None:
        if start < end and free(start, end):
            claimed.append((start, end, text[start:end], replacement, kind))

    for m in PLACEHOLDER_PATTERN.finditer(text):
        take(m.start(), m.end(), m.group(0), "placeholder")
    for m in _NAMED_PLACEHOLDER.finditer(text):  # a figure phrase's {count}: must come back as it is
        take(m.start(), m.end(), m.group(0), "placeholder")
    if protect_urls:
        for m in URL.finditer(text):
            url = m.group(0).rstrip(URL_TRAILING)
            take(m.start(), m.start() + len(url), url, "url")
    if protect_emails:
        for m in EMAIL.finditer(text):
            take(m.start(), m.end(), m.group(0), "email")
    if glossary is not None:
        for rule in glossary.rules_for(target):
            for m in _term_pattern(rule).finditer(text):
                if rule.keep:
                    take(m.start(), m.end(), m.group(0), "keep")
                else:
                    take(m.start(), m.end(), _match_case(m.group(0), rule.target), "term")
    if protect_quoted_names:
        for m in _QUOTED.finditer(text):
            group = next(g for g in range(1, 5) if m.group(g) is not None)
            inner = m.group(group)
            if inner.strip() == inner and inner[:1].isupper() and len(inner.split()) <= 5:
                take(m.start(group), m.end(group), inner, "name")
    if protect_numbers:
        for m in _NUMBER.finditer(text):
            take(m.start(), m.end(), localise_number(m.group(0), source=source, target=target), "number")

    claimed.sort()
    out: list[str] = []
    spans: list[ProtectedSpan] = []
    position = 0
    for number, (start, end, original, replacement, kind) in enumerate(claimed, start=1):
        out.append(text[position:start])
        out.append(placeholder(number))
        spans.append(ProtectedSpan(number=number, original=original, replacement=replacement, kind=kind))
        position = end
    out.append(text[position:])
    return Protected(text="".join(out), spans=tuple(spans))


def restore(translated: str, spans: Sequence[ProtectedSpan] | Protected) -> Restored:
    """Put back what each placeholder stands for; report the ones missing, repeated or invented.

    Every occurrence is replaced, even a repeated one, so the text is as
    good as it can be; the caller decides from :attr:`Restored.problem`
    whether it may be published.
    """
    if isinstance(spans, Protected):
        spans = spans.spans
    by_number = {span.number: span for span in spans}
    counts: dict[int, int] = {}
    unexpected: list[str] = []

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        span = by_number.get(number)
        if span is None:
            unexpected.append(match.group(0))
            return match.group(0)
        counts[number] = counts.get(number, 0) + 1
        return span.replacement

    text = PLACEHOLDER_PATTERN.sub(put_back, translated)
    missing = tuple(s for s in spans if counts.get(s.number, 0) == 0)
    duplicated = tuple(s for s in spans if counts.get(s.number, 0) > 1)
    return Restored(text=text, missing=missing, duplicated=duplicated, unexpected=tuple(unexpected))


class ProtectingEngine:
    """Wrap any engine: protect spans, translate, restore, and flag what did not survive."""

    def __init__(
        self,
        engine: TranslationEngine,
        *,
        glossary: Glossary | None = None,
        protect_numbers: bool = True,
        protect_urls: bool = True,
        protect_emails: bool = True,
        protect_quoted_names: bool = False,
    ) -> None:
        self.inner = engine
        self.name = engine.name
        self.glossary = glossary
        self.protect_numbers = protect_numbers
        self.protect_urls = protect_urls
        self.protect_emails = protect_emails
        self.protect_quoted_names = protect_quoted_names

    def supports(self, source: str, target: str) -> bool:
        return self.inner.supports(source, target)

    @property
    def last_run_stats(self) -> object:
        """The wrapped engine's statistics, when it keeps any."""
        return getattr(self.inner, "last_run_stats", None)

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        protected = [
            protect(
                text, target=target, glossary=self.glossary,
                protect_numbers=self.protect_numbers, protect_urls=self.protect_urls,
                protect_emails=self.protect_emails, protect_quoted_names=self.protect_quoted_names,
                source=source,
            )
            for text in segments
        ]
        results = self.inner.translate([p.text for p in protected], source=source, target=target)
        if len(results) != len(segments):
            raise ValueError(f"engine {self.inner.name!r} returned {len(results)} results for {len(segments)} segments")
        out = []
        for item, result in zip(protected, results):
            restored = restore(result.text, item.spans)
            problems = [p for p in (result.problem, restored.problem) if p]
            out.append(MachineTranslation(
                text=restored.text,
                score=result.score,
                engine=result.engine,
                models=result.models,
                problem="; ".join(problems) or None,
            ))
        return out
