"""An error corpus for the quality checks, and polybrief's checks against translate-toolkit's pofilter on it.

The corpus is *generated* from the clean shipped catalogs of the example
brief (``examples/locales/{hy,az,ru,uk}``): each error kind of :data:`KINDS`
(the original 39, then issue 19's from :mod:`bench.qa_kinds`: invisible
characters, bidi controls, look-alike letters, dates, currencies, percent
signs, printf tokens, mixed numerals, invented sentences, misspelled names)
is a small function that rewrites one translation the way translators,
machine translation or pipelines get it wrong, applied to up to
:data:`PER_LOCALE` eligible fields per locale (chosen in document order, so
the corpus is the same on every run).  Every instance is one PO file with one
damaged entry and a label (kind, locale, field path), so a finding on that
field is a detection and nothing else can be.  A few kinds need markup in the
*source* (``<b>``, ``{{ … }}``, ``%(count)s``); their instances carry a
brief whose field has it, with a clean translation that keeps it, then
damaged.

Both checkers read the same files:

* polybrief: :func:`polybrief.qa.check_localised` on the brief localised with
  the instance's catalog, with a glossary that keeps AFP, TikTok and The
  Insider unchanged;
* pofilter: translate-toolkit's :class:`~translate.filters.pofilter.pocheckfilter`
  (the code behind the ``pofilter`` command, with its defaults and
  ``--language``), the same do-not-translate words as ``notranslatewords``.
  pofilter reports on clean files too, so a detection is a test that fails on
  the damaged unit and did not fail on the same unit of the clean catalog.
  Its ``critical`` tests count as the error level, the rest as warnings.

``python -m bench.qa_eval`` prints the tables of ``docs/qa-evaluation.md``
(``--write`` rewrites that file; ``--corpus DIR`` keeps the generated
files).  ``tests/test_qa_eval.py`` runs the same evaluation and holds the
targets.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
CLEAN = REPO / "examples" / "locales"
DOC = REPO / "docs" / "qa-evaluation.md"
LOCALES = ("hy", "az", "ru", "uk")
#: Instances of each kind per locale (at most; fewer where fewer fields are eligible).
PER_LOCALE = 2
DOMAIN = "nagorno-karabakh"
KEEP_TERMS = ("AFP", "TikTok", "The Insider")
GLOSSARY_CSV = "source," + ",".join(LOCALES) + ",note\n" + "".join(
    f"{term}," + ",".join("=" for _ in LOCALES) + ",name\n" for term in KEEP_TERMS)

#: What a realistic MT or pipeline inserts for "UPDATE" (the markup kinds' clean text).
_UPDATE = {"hy": "ԹԱՐՄԱՑՈՒՄ", "az": "YENİLƏNMƏ", "ru": "ОБНОВЛЕНИЕ", "uk": "ОНОВЛЕННЯ"}
_FULL_STOP = {"hy": "։"}
_NEGATION = {"hy": ("չեն մասնակցում", "մասնակցում են"), "az": ("etmədiyini", "etdiyini"),
             "ru": ("не участвуют", "участвуют"), "uk": ("не беруть", "беруть")}
_NUMBER_WORDS = {"hy": ("երկու", "չորս"), "az": ("iki", "dörd"), "ru": ("двое", "двух", "четверо", "четырёх"),
                 "uk": ("двоє", "двох", "четверо", "чотирьох")}
_AFP = {"hy": "ԱՖՊ", "az": "FMA", "ru": "АФП", "uk": "АФП"}
#: Where a wrong-language translation of a field comes from (another shipped catalog).
_OTHER_LOCALE = {"hy": "ru", "az": "ru", "ru": "uk", "uk": "ru"}
_LOCALE_QUOTES = {"hy": ("«", "»"), "az": ("“", "”"), "ru": ("«", "»"), "uk": ("«", "»")}
_ENGLISH_QUOTES = {"hy": ("“", "”"), "az": ("«", "»"), "ru": ("“", "”"), "uk": ("“", "”")}
_WORD = re.compile(r"[^\W\d_]{4,}")
_NUMBER = re.compile(r"\d{1,3}(?:[\u00a0\u202f .,]\d{3})+|\d+")
_BOUNDARY = re.compile(r"(?<=[.։!?])[»”\"]?\s+(?=[«“\"]?[^\W\d_])")


# -- the corpus --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One translated field of a clean catalog, as a mutation sees it."""

    locale: str
    path: str
    """The field's key path (its msgctxt)."""
    position: str
    """The same field by position (``sections[0].items[3].text``): what the structural mutations read."""
    source: str
    text: str
    forms: tuple[str, ...] | None
    source_forms: tuple[str, ...] | None
    others: dict[str, str]
    """Every other field's translation by path (for "translation of another field")."""
    other_locale: str | None
    """The same field in another shipped locale (for "translation in the wrong language")."""


@dataclass(frozen=True)
class Change:
    """What a mutation does: a new translation (or forms), and for markup kinds a new source and clean text."""

    text: str | tuple[str, ...]
    source: str | None = None


Mutation = Callable[[Field], Change | None]


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    mutate: Mutation


def _sentences(text: str) -> list[str]:
    parts, start = [], 0
    for m in _BOUNDARY.finditer(text):
        parts.append(text[start:m.start()] + m.group(0).rstrip())
        start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _stop(locale: str) -> str:
    return _FULL_STOP.get(locale, ".")


def _ends_with_stop(f: Field) -> bool:
    return f.text.rstrip("»”\"").endswith(_stop(f.locale))


def _is_label(f: Field) -> bool:
    return f.position.endswith((".label", ".heading", ".name", ".speaker", ".place")) or f.position == "headline"


def _mid_word(text: str) -> re.Match[str] | None:
    words = list(_WORD.finditer(text))
    return words[len(words) // 2] if len(words) >= 3 else None


def _single(f: Field) -> bool:
    return f.forms is None


def sentence_dropped(f: Field) -> Change | None:
    parts = _sentences(f.text)
    if not _single(f) or len(parts) < 2:
        return None
    keep = [p for p in parts if not re.search(r"\d", p)]
    if not keep:
        return None
    drop = keep[-1]
    return Change(" ".join(p for p in parts if p is not drop))


def sentence_doubled(f: Field) -> Change | None:
    parts = _sentences(f.text)
    if not _single(f) or len(parts[0].split()) < 4 or _is_label(f):
        return None
    return Change(f"{parts[0]} {f.text}")


def phrase_loop(f: Field) -> Change | None:
    words = f.text.split()
    if not _single(f) or len(words) < 8:
        return None
    i = len(words) // 2
    run = words[i:i + 3]
    return Change(" ".join(words[:i + 3] + run + run + words[i + 3:]))


def word_doubled(f: Field) -> Change | None:
    m = _mid_word(f.text)
    if not _single(f) or m is None:
        return None
    return Change(f.text[:m.end()] + " " + m.group(0) + f.text[m.end():])


def leading_space(f: Field) -> Change | None:
    return Change(" " + f.text) if _single(f) else None


def trailing_space(f: Field) -> Change | None:
    return Change(f.text + " ") if _single(f) else None


def end_dropped(f: Field) -> Change | None:
    if not _single(f) or not _ends_with_stop(f):
        return None
    i = f.text.rindex(_stop(f.locale))
    return Change(f.text[:i] + f.text[i + 1:])


def end_added(f: Field) -> Change | None:
    if not _single(f) or not _is_label(f) or f.text.rstrip()[-1:] in ".։!?»”":
        return None
    return Change(f.text + _stop(f.locale))


def end_wrong(f: Field) -> Change | None:
    if not _single(f) or not _ends_with_stop(f):
        return None
    wrong = "." if f.locale == "hy" else ","
    i = f.text.rindex(_stop(f.locale))
    return Change(f.text[:i] + wrong + f.text[i + 1:])


def plural_empty(f: Field) -> Change | None:
    if f.forms is None:
        return None
    return Change((f.forms[0], "", *f.forms[2:]))


def plural_english(f: Field) -> Change | None:
    if f.forms is None or f.source_forms is None:
        return None
    return Change((*f.forms[:-1], f.source_forms[-1]))


def plural_reversed(f: Field) -> Change | None:
    if f.forms is None or len(f.forms) < 3 or len(set(f.forms)) < 3:
        return None
    return Change(tuple(reversed(f.forms)))


def plural_one_for_many(f: Field) -> Change | None:
    if f.forms is None or len(f.forms) < 3 or f.forms[0] == f.forms[2]:
        return None
    return Change((f.forms[0], f.forms[1], f.forms[0]))


def _insert_after_first_word(text: str, token: str) -> str:
    first, _, rest = text.partition(" ")
    return f"{first} {token} {rest}" if rest else f"{text} {token}"


def placeholder_leftover(f: Field) -> Change | None:
    return Change(_insert_after_first_word(f.text, "{1}")) if _single(f) and not _is_label(f) else None


def template_leftover(f: Field) -> Change | None:
    return Change(_insert_after_first_word(f.text, "%(count)s")) if _single(f) and not _is_label(f) else None


def _item_text(f: Field) -> bool:
    return _single(f) and f.position.startswith("sections[0].items[") and f.position.endswith(".text")


def markup_dropped(f: Field) -> Change | None:
    if not _item_text(f):
        return None
    return Change(f"{_UPDATE[f.locale]}: {f.text}", source=f"<b>UPDATE</b>: {f.source}")


def template_dropped(f: Field) -> Change | None:
    if not _item_text(f):
        return None
    return Change(f"{f.text} ()", source=f"{f.source} ({{{{ arrivals_total }}}})")


def format_dropped(f: Field) -> Change | None:
    if not _item_text(f):
        return None
    return Change(f"{f.text} ()", source=f"{f.source} (%(count)s)")


def _replace_word(f: Field, token: str) -> Change | None:
    m = _mid_word(f.text)
    if not _single(f) or m is None:
        return None
    return Change(f.text[:m.start()] + token + f.text[m.end():])


def sp_unknown(f: Field) -> Change | None:
    return _replace_word(f, "⁇")


def unk_token(f: Field) -> Change | None:
    return _replace_word(f, "<unk>")


def sp_piece(f: Field) -> Change | None:
    m = _mid_word(f.text)
    if not _single(f) or m is None:
        return None
    return Change(f.text[:m.start()] + "▁" + m.group(0)[:2] + " " + m.group(0)[2:] + f.text[m.end():])


def replacement_char(f: Field) -> Change | None:
    m = _mid_word(f.text)
    if not _single(f) or m is None:
        return None
    return Change(f.text[:m.start() + 1] + "\ufffd" + f.text[m.start() + 2:])


def _quoted(f: Field) -> tuple[int, int] | None:
    start, end = _LOCALE_QUOTES[f.locale]
    i = f.text.find(start)
    j = f.text.find(end, i + 1)
    return (i, j) if _single(f) and i >= 0 and j > i else None


def html_entity(f: Field) -> Change | None:
    span = _quoted(f)
    if span is None:
        return None
    i, j = span
    return Change(f.text[:i] + "&quot;" + f.text[i + 1:j] + "&quot;" + f.text[j + 1:])


def quotes_foreign(f: Field) -> Change | None:
    span = _quoted(f)
    if span is None:
        return None
    i, j = span
    start, end = _ENGLISH_QUOTES[f.locale]
    return Change(f.text[:i] + start + f.text[i + 1:j] + end + f.text[j + 1:])


def quote_unbalanced(f: Field) -> Change | None:
    span = _quoted(f)
    if span is None:
        return None
    _, j = span
    return Change(f.text[:j] + f.text[j + 1:])


def bracket_unbalanced(f: Field) -> Change | None:
    m = _mid_word(f.text)
    if not _single(f) or m is None or "(" in f.source:
        return None
    return Change(f.text[:m.start()] + "(" + f.text[m.start():])


def negation_dropped(f: Field) -> Change | None:
    old, new = _NEGATION[f.locale]
    if not _single(f) or old not in f.text:
        return None
    return Change(f.text.replace(old, new, 1))


def number_added(f: Field) -> Change | None:
    if not _single(f) or not _is_label(f) or re.search(r"\d", f.text):
        return None
    return Change(f"{f.text}: 710")


def _first_number(f: Field) -> re.Match[str] | None:
    return _NUMBER.search(f.text) if _single(f) else None


def number_changed(f: Field) -> Change | None:
    m = _first_number(f)
    if m is None:
        return None
    token = m.group(0)
    changed = token[:-1] + str((int(token[-1]) + 1) % 10)
    return Change(f.text[:m.start()] + changed + f.text[m.end():])


def number_dropped(f: Field) -> Change | None:
    m = _first_number(f)
    if m is None:
        return None
    return Change((f.text[:m.start()] + f.text[m.end():]).replace("  ", " "))


def digits_transposed(f: Field) -> Change | None:
    m = _first_number(f)
    if m is None or len(m.group(0)) != 2 or m.group(0)[0] == m.group(0)[1]:
        return None
    return Change(f.text[:m.start()] + m.group(0)[::-1] + f.text[m.end():])


def number_source_format(f: Field) -> Change | None:
    m = re.search(r"(\d{2,3})[\u00a0\u202f .](\d{3})(?!\d)", f.text) if _single(f) else None
    if m is None:
        return None
    return Change(f.text[:m.start()] + f"{m.group(1)},{m.group(2)}" + f.text[m.end():])


def number_word_dropped(f: Field) -> Change | None:
    if not _single(f):
        return None
    for word in _NUMBER_WORDS[f.locale]:
        m = re.search(r"(?<!\w)" + word + r"(?!\w)\s*", f.text)
        if m:
            return Change(f.text[:m.start()] + f.text[m.end():])
    return None


def english_sentence_left(f: Field) -> Change | None:
    target, source = _sentences(f.text), _sentences(f.source)
    if not _single(f) or len(target) < 2 or len(target) != len(source):
        return None
    return Change(" ".join([*target[:-1], source[-1]]))


def segment_untranslated(f: Field) -> Change | None:
    if not _single(f) or len(f.source.split()) < 4:
        return None
    return Change(f.source)


def keep_term_translated(f: Field) -> Change | None:
    if not _single(f) or "AFP" not in f.text:
        return None
    return Change(f.text.replace("AFP", _AFP[f.locale]))


def truncated(f: Field) -> Change | None:
    words = f.text.split()
    if not _single(f) or len(words) < 12:
        return None
    return Change(" ".join(words[:len(words) // 2]))


def other_field(f: Field) -> Change | None:
    m = re.fullmatch(r"sections\[0\]\.items\[(\d+)\]\.text", f.position)
    if not _single(f) or m is None:
        return None
    other = f.others.get(_keys().get(f"sections[0].items[{int(m.group(1)) + 1}].text", ""))
    return Change(other) if other else None


def wrong_language(f: Field) -> Change | None:
    if not _single(f) or not f.other_locale or _is_label(f):
        return None
    return Change(f.other_locale)


#: Every error kind of the corpus, in the order of the tables.
KINDS: tuple[Kind, ...] = (
    Kind("sentence-dropped", "a sentence without a number dropped from a paragraph", sentence_dropped),
    Kind("sentence-doubled", "the first sentence written twice", sentence_doubled),
    Kind("phrase-loop", "a decoder loop: three words repeated twice more", phrase_loop),
    Kind("word-doubled", "a word written twice in a row", word_doubled),
    Kind("leading-space", "a space added at the start", leading_space),
    Kind("trailing-space", "a space added at the end", trailing_space),
    Kind("end-stop-dropped", "the final full stop dropped", end_dropped),
    Kind("end-stop-added", "a full stop added to a heading or label", end_added),
    Kind("end-stop-wrong", "the final full stop replaced (hy: Latin '.', others: ',')", end_wrong),
    Kind("plural-form-empty", "one plural form left empty", plural_empty),
    Kind("plural-english-form", "the English form left in a plural form", plural_english),
    Kind("plural-reversed", "plural forms in reverse order (ru, uk)", plural_reversed),
    Kind("plural-one-for-many", "the one form used for 5 (ru, uk)", plural_one_for_many),
    Kind("placeholder-leftover", "an MT placeholder {1} left in", placeholder_leftover),
    Kind("template-leftover", "a template placeholder %(count)s left in", template_leftover),
    Kind("markup-dropped", "<b>…</b> of the source dropped", markup_dropped),
    Kind("template-dropped", "{{ arrivals_total }} of the source dropped", template_dropped),
    Kind("format-dropped", "%(count)s of the source dropped", format_dropped),
    Kind("sp-unknown", "SentencePiece's ⁇ in place of a word", sp_unknown),
    Kind("sp-piece", "raw SentencePiece pieces (▁) in a word", sp_piece),
    Kind("unk-token", "<unk> in place of a word", unk_token),
    Kind("replacement-char", "a letter turned into the replacement character �", replacement_char),
    Kind("html-entity", "quotation marks escaped as &quot;", html_entity),
    Kind("quotes-foreign-style", "another language's quotation marks (“…” in hy/ru/uk, «…» in az)", quotes_foreign),
    Kind("quote-unbalanced", "a closing quotation mark dropped", quote_unbalanced),
    Kind("bracket-unbalanced", "an opening bracket with no closing one", bracket_unbalanced),
    Kind("negation-dropped", "the negation dropped (not involved → involved)", negation_dropped),
    Kind("number-added", "a figure the source does not have (': 710' after a label)", number_added),
    Kind("number-changed", "a number changed (11 → 12)", number_changed),
    Kind("number-dropped", "a number dropped", number_dropped),
    Kind("digits-transposed", "two digits swapped (23 → 32)", digits_transposed),
    Kind("number-source-format", "a number left in English format (120,000)", number_source_format),
    Kind("number-word-dropped", "a spelled-out number dropped (two civilians → civilians)", number_word_dropped),
    Kind("english-sentence-left", "one sentence of a paragraph left in English", english_sentence_left),
    Kind("segment-untranslated", "the whole field left in English", segment_untranslated),
    Kind("keep-term-translated", "a do-not-translate name translated (AFP)", keep_term_translated),
    Kind("truncated", "the second half of the field cut off", truncated),
    Kind("other-field", "the translation of another field attached here", other_field),
    Kind("wrong-language", "the field's translation in another target language (hy/az ← ru, ru ← uk, uk ← ru)",
         wrong_language),
    *(),  # the kinds of issue 19 follow (see _REAL below)
)


def _from_real(kind: Any) -> Mutation:
    """A kind of :mod:`bench.qa_kinds` (written for plain pairs) applied to one field of a catalog."""
    def mutate(f: Field) -> Change | None:
        from bench.qa_kinds import Sample

        if not _single(f):
            return None
        damaged = kind.mutate(Sample(f.source, f.text, f.locale, {}))
        if damaged is None:
            return None
        source, target = damaged
        return Change(target, source=None if source == f.source else source)

    return mutate


def _real_kinds() -> tuple[Kind, ...]:
    """Issue 19's kinds the shipped-catalog corpus did not have, from :mod:`bench.qa_kinds`."""
    from bench.qa_kinds import REAL_KINDS

    have = {"sentence-dropped", "sentence-doubled", "phrase-loop", "word-doubled", "end-stop-dropped",
            "end-stop-wrong", "leading-space", "placeholder-leftover", "markup-dropped", "sp-unknown", "unk-token",
            "replacement-char", "html-entity", "quote-unbalanced", "bracket-unbalanced", "negation-dropped",
            "number-added", "number-changed", "number-dropped", "digits-transposed", "english-sentence-left",
            "segment-untranslated", "truncated", "other-message", "wrong-language",
            "printf-dropped"}  # the example's sources have no printf token to drop (format-dropped is the kind here)
    return tuple(Kind(k.name, k.description, _from_real(k)) for k in REAL_KINDS if k.name not in have)


KINDS = KINDS + _real_kinds()


@dataclass(frozen=True)
class Instance:
    id: str
    kind: str
    locale: str
    path: str
    po: Path
    brief: Path


def _read(path: Path) -> Catalog:
    from polybrief.catalogs.po import read_po_file

    return read_po_file(path)


@functools.cache
def _keys() -> dict[str, str]:
    """Key path of every field of the example brief by its positional path."""
    from polybrief import load, translation_units

    return {u.position: u.path for u in translation_units(load(EXAMPLE))}


def _position(key: str) -> str:
    return {k: position for position, k in _keys().items()}[key]


def _fields(locale: str) -> list[Field]:
    catalog = _read(CLEAN / locale / "LC_MESSAGES" / f"{DOMAIN}.po")
    other = _read(CLEAN / _OTHER_LOCALE[locale] / "LC_MESSAGES" / f"{DOMAIN}.po")
    other_text = {m.context: m.string for m in other if m.id and isinstance(m.string, str)}
    texts = {m.context: m.string for m in catalog if m.id and isinstance(m.string, str)}
    out = []
    for m in catalog:
        if not m.id or not m.context:
            continue
        plural = isinstance(m.id, (tuple, list))
        out.append(Field(
            locale=locale, path=m.context, position=_position(m.context), source=m.id[0] if plural else m.id,
            text=m.string[0] if plural else m.string,
            forms=tuple(m.string) if plural else None, source_forms=tuple(m.id) if plural else None,
            others={k: v for k, v in texts.items() if k != m.context}, other_locale=other_text.get(m.context),
        ))
    return out


def _write_po(catalog: Catalog, path: Path) -> None:
    from polybrief.catalogs.po import po_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(po_bytes(catalog))


def _brief_with(path: str, source: str, out: Path) -> Path:
    """The example brief with the field at ``path`` set to ``source`` (for the markup kinds)."""
    import yaml

    from polybrief import load

    data = load(EXAMPLE).model_dump(mode="json", exclude_defaults=True)
    node: Any = data
    parts = re.findall(r"\w+|\[\d+\]", path)
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    last = parts[-1]
    if last.startswith("["):
        node[int(last[1:-1])] = source
    else:
        node[last] = source
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def generate(out: Path, *, per_locale: int = PER_LOCALE, kinds: tuple[Kind, ...] = KINDS) -> list[Instance]:
    """Write the corpus under ``out`` (one folder per instance) and its ``labels.json``; return the instances."""
    instances: list[Instance] = []
    for locale in LOCALES:
        fields = _fields(locale)
        for kind in kinds:
            made = 0
            for f in fields:
                if made >= per_locale:
                    break
                change = kind.mutate(f)
                if change is None:
                    continue
                made += 1
                ident = f"{locale}-{kind.name}-{made}"
                folder = out / ident
                catalog = _read(CLEAN / locale / "LC_MESSAGES" / f"{DOMAIN}.po")
                message = next(m for m in catalog if m.context == f.path)
                brief = EXAMPLE
                if change.source is not None:
                    brief = _brief_with(f.position, change.source, folder / "brief.yaml")
                    catalog.delete(message.id, context=message.context)
                    message = Message(change.source, message.string, context=f.path,
                                      auto_comments=message.auto_comments)
                    catalog[change.source] = message
                    message = catalog.get(change.source, context=f.path)
                message.string = change.text
                po = folder / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
                _write_po(catalog, po)
                instances.append(Instance(ident, kind.name, locale, f.path, po, brief))
    (out / "labels.json").write_text(json.dumps(
        [{"id": i.id, "kind": i.kind, "locale": i.locale, "path": i.path, "po": str(i.po.relative_to(out)),
          "brief": "example" if i.brief == EXAMPLE else str(i.brief.relative_to(out))} for i in instances],
        ensure_ascii=False, indent=1), encoding="utf-8")
    return instances


# -- the two checkers ----------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What a checker said about the damaged field of one instance."""

    error: bool = False
    any: bool = False
    checks: list[str] = field(default_factory=list)


class Polybrief:
    """polybrief's checks on a brief localised with one catalog."""

    def __init__(self) -> None:
        from polybrief.glossary import read_glossary_csv

        self.glossary = read_glossary_csv(io.StringIO(GLOSSARY_CSV), name="corpus-glossary.csv")

    def findings(self, brief_path: Path, po: Path, locale: str) -> list[Any]:
        from polybrief import get_locale, load, localise
        from polybrief.catalogs import load_brief_catalog
        from polybrief.qa import check_localised

        brief = load(brief_path)
        info = get_locale(locale)
        catalog = load_brief_catalog(brief, info, po.parent.parent.parent)
        return check_localised(localise(brief, info, catalog=catalog), glossary=self.glossary)

    def verdict(self, instance: Instance) -> Verdict:
        found = [f for f in self.findings(instance.brief, instance.po, instance.locale) if f.path == instance.path]
        return Verdict(error=any(f.is_error for f in found), any=bool(found),
                       checks=list(dict.fromkeys(f.check for f in found)))

    def clean(self, locale: str) -> list[str]:
        po = CLEAN / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        return [f"{f.check}: {f.message}" for f in self.findings(EXAMPLE, po, locale)]


class Pofilter:
    """translate-toolkit's pofilter checker, configured as ``pofilter --language=LOCALE``."""

    def __init__(self) -> None:
        self._filters: dict[str, Any] = {}
        self._clean: dict[str, dict[str, dict[str, Any]]] = {}

    def _filter(self, locale: str) -> Any:
        if locale not in self._filters:
            from translate.filters import checks, pofilter

            options = argparse.Namespace(excludefilters=[], limitfilters=None, includefuzzy=True,
                                         includereview=True, autocorrect=False, addnotes=True)
            config = checks.CheckerConfig(targetlanguage=locale, notranslatewords=list(KEEP_TERMS))
            self._filters[locale] = pofilter.pocheckfilter(options, None, config)
        return self._filters[locale]

    def failures(self, po: Path, locale: str) -> dict[str, dict[str, Any]]:
        """Failing tests per msgctxt: {path: {test: {"message", "category"}}}."""
        from translate.storage import factory

        store = factory.getobject(str(po))
        out: dict[str, dict[str, Any]] = {}
        checker = self._filter(locale)
        for unit in store.units:
            if unit.isheader():
                continue
            failures = checker.filterunit(unit)
            if failures:
                out[unit.getcontext()] = dict(failures)
        return out

    def clean_failures(self, locale: str) -> dict[str, dict[str, Any]]:
        if locale not in self._clean:
            self._clean[locale] = self.failures(CLEAN / locale / "LC_MESSAGES" / f"{DOMAIN}.po", locale)
        return self._clean[locale]

    def verdict(self, instance: Instance) -> Verdict:
        from translate.filters.decorators import Category

        before = self.clean_failures(instance.locale).get(instance.path, {})
        now = self.failures(instance.po, instance.locale).get(instance.path, {})
        new = {name: info for name, info in now.items() if name not in before}
        return Verdict(error=any(info.get("category") == Category.CRITICAL for info in new.values()),
                       any=bool(new), checks=list(new))

    def clean(self, locale: str) -> list[str]:
        return [f"{name} ({path})" for path, tests in self.clean_failures(locale).items() for name in tests]


# -- the evaluation ------------------------------------------------------------------------------------------


@dataclass
class Result:
    instances: list[Instance]
    verdicts: dict[str, dict[str, Verdict]]
    """Per checker name, per instance id."""
    clean: dict[str, dict[str, list[str]]]
    """Per checker name, per locale: findings on the clean shipped catalogs."""

    def recall(self, checker: str, *, level: str, kind: str | None = None, locale: str | None = None) -> tuple[int, int]:
        chosen = [i for i in self.instances if (kind is None or i.kind == kind) and (locale is None or i.locale == locale)]
        hits = sum(1 for i in chosen if getattr(self.verdicts[checker][i.id], level))
        return hits, len(chosen)

    def missed(self, checker: str) -> list[Instance]:
        return [i for i in self.instances if not self.verdicts[checker][i.id].any]


CHECKERS = ("polybrief", "pofilter")


def evaluate(instances: list[Instance], *, with_pofilter: bool = True) -> Result:
    checkers: dict[str, Polybrief | Pofilter] = {"polybrief": Polybrief()}
    if with_pofilter:
        checkers["pofilter"] = Pofilter()
    verdicts = {name: {i.id: c.verdict(i) for i in instances} for name, c in checkers.items()}
    clean = {name: {locale: c.clean(locale) for locale in LOCALES} for name, c in checkers.items()}
    return Result(instances, verdicts, clean)


def _pct(hits: int, total: int) -> str:
    return f"{hits}/{total} ({100 * hits / total:.0f} %)" if total else "–"


def report(result: Result) -> str:
    """The tables of docs/qa-evaluation.md (Markdown)."""
    names = [n for n in CHECKERS if n in result.verdicts]
    lines: list[str] = []
    total = len(result.instances)
    kinds = list(dict.fromkeys(i.kind for i in result.instances))
    lines += [f"{total} damaged catalogs, {len(kinds)} error kinds, locales {', '.join(LOCALES)}.", ""]
    head = "| | " + " | ".join(f"{n} error | {n} error+warning" for n in names) + " |"
    lines += ["### Recall, whole corpus and per locale", "", head,
              "|---|" + "---:|---:|" * len(names)]
    for locale in (None, *LOCALES):
        cells = []
        for n in names:
            cells += [_pct(*result.recall(n, level="error", locale=locale)),
                      _pct(*result.recall(n, level="any", locale=locale))]
        lines.append(f"| {'**all**' if locale is None else locale} | " + " | ".join(cells) + " |")
    lines += ["", "### False alarms on the clean shipped catalogs", "",
              "| locale | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for locale in LOCALES:
        lines.append(f"| {locale} | " + " | ".join(str(len(result.clean[n][locale])) for n in names) + " |")
    lines.append("| **all** | " + " | ".join(str(sum(len(v) for v in result.clean[n].values())) for n in names)
                 + " |")
    for n in names:
        alarms = sorted({a.split(" (")[0].split(":")[0] for v in result.clean[n].values() for a in v})
        if alarms:
            lines += ["", f"{n}'s alarms on clean catalogs come from: " + ", ".join(f"`{a}`" for a in alarms) + "."]
    lines += ["", "### Recall per error kind (instances caught / instances, all locales)", "",
              "| kind | what was damaged | " + " | ".join(f"{n} error | {n} any" for n in names)
              + " | polybrief checks that fired |",
              "|---|---|" + "---:|---:|" * len(names) + "---|"]
    descriptions = {k.name: k.description for k in KINDS}
    for kind in kinds:
        cells = []
        for n in names:
            cells += [_pct(*result.recall(n, level="error", kind=kind)), _pct(*result.recall(n, level="any", kind=kind))]
        fired = list(dict.fromkeys(c for i in result.instances if i.kind == kind
                                   for c in result.verdicts["polybrief"][i.id].checks))
        lines.append(f"| `{kind}` | {descriptions[kind].replace('|', '/')} | " + " | ".join(cells) + " | "
                     + ", ".join(f"`{c}`" for c in fired) + " |")
    return "\n".join(lines)


def _instances(corpus: Path | None) -> Iterator[tuple[Path, list[Instance]]]:
    if corpus is not None:
        corpus.mkdir(parents=True, exist_ok=True)
        yield corpus, generate(corpus)
        return
    with tempfile.TemporaryDirectory(prefix="polybrief-qa-corpus-") as tmp:
        yield Path(tmp), generate(Path(tmp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.qa_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="keep the generated corpus in this folder")
    parser.add_argument("--write", action="store_true", help=f"rewrite the tables in {DOC.relative_to(REPO)}")
    parser.add_argument("--no-pofilter", action="store_true", help="polybrief only")
    args = parser.parse_args(argv)
    for _, instances in _instances(args.corpus):
        result = evaluate(instances, with_pofilter=not args.no_pofilter)
        text = report(result)
        missed = defaultdict(list)
        for i in result.missed("polybrief"):
            missed[i.kind].append(i.locale)
        text += "\n\nMissed by polybrief (kind: locales): " + ("; ".join(
            f"`{k}`: {', '.join(v)}" for k, v in missed.items()) or "none") + "."
        if args.write:
            doc = DOC.read_text(encoding="utf-8")
            begin, end = "<!-- qa-eval:begin -->", "<!-- qa-eval:end -->"
            head, _, rest = doc.partition(begin)
            _, _, tail = rest.partition(end)
            DOC.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
