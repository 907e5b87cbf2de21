"""Error kinds for real translation pairs: how translators, models and pipelines damage a correct translation.

Each kind is a function of one correct pair (source, translation, language)
that returns a damaged pair, or None where the kind does not apply (a
"number changed" needs a number).  :mod:`bench.qa_real` applies them to the
reviewed corpus; :mod:`bench.qa_eval` applies the same functions to the
shipped example catalogs.  The kinds cover the 33 of issue 19 — the
existing corpus's, and what passed every check before: invisible characters,
bidi controls left open, look-alike letters, dates, currencies, percent
signs, printf tokens, mixed numeral systems, same-script wrong languages,
prefix negation, misspelled names, invented clauses.

A few kinds add a fact to both sides first (a date, an amount, a
percentage, written by CLDR through Babel in the target's format, as
polybrief itself writes them), since software catalogs rarely have them; the
clean pair with the fact must pass, and only the damage may be reported.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["DESCRIPTIONS", "REAL_KINDS", "Kind", "Sample", "sibling_index"]

_SENTENCE = re.compile(r"(?<=[.!?։؟])\s+(?=\S)")
_WORD = re.compile(r"[^\W\d_]{4,}")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[\u00a0\u202f ,.]\d{3})+(?![\d])|(?<![\w.,])\d{2,}(?![\d\w])")
_OTHER = {"ru": "uk", "uk": "ru", "fa": "ar", "ar": "fa", "hy": "ru", "az": "ru", "ka": "ru"}
_NEGATIONS: dict[str, list[tuple[str, str]]] = {
    "ru": [(r"(?<!\w)([Нн])е\s+", "")], "uk": [(r"(?<!\w)([Нн])е\s+", "")],
    "hy": [(r"(?<!\w)չի(?!\w)", "է"), (r"(?<!\w)չ(\w{2,})", r"\1")],
    "az": [(r"(\w{2,}?)m[aə](d[ıiuü]\w*)", r"\1\2"), (r"(\w{2,}?)m(ir|ır|ur|ür)(?!\w)", r"\1\2"),
           (r"(?<!\w)deyil(?!\w)", "dir")],
    "ka": [(r"(?<!\w)(?:არ|ვერ)\s+", "")],
    "fa": [(r"(?<!\w)نمی(?=\u200c|\s)", "می"), (r"(?<!\w)ن(کرد|شد|دار|خواه|توان|بود)", r"\1"),
           (r"(?<!\w)نیست", "است")],
    "ar": [(r"(?<!\w)(?:لا|لم|لن)\s+", ""), (r"(?<!\w)ليس\s+", ""), (r"(?<!\w)تعذر", "تم")],
}
_HOMOGLYPHS = {"ru": {"а": "a", "е": "e", "о": "o", "с": "c", "р": "p"}, "uk": {"а": "a", "е": "e", "о": "o",
               "і": "i", "с": "c"}, "az": {"a": "а", "e": "е", "o": "о"}, "hy": {"օ": "o", "ս": "u", "հ": "h", "ո": "n"},
               "ka": {"ყ": "y"}, "fa": {"ی": "ي", "ک": "ك"}, "ar": {"ي": "ی", "ك": "ک"}}
_INVENTED = {"ru": "По данным Reuters, погибли ещё трое.", "uk": "За даними Reuters, загинули ще троє.",
             "hy": "Reuters-ի տվյալներով՝ զոհվել է ևս երեք մարդ։", "az": "Reuters-in məlumatına görə, daha üç nəfər həlak olub.",
             "ka": "Reuters-ის ცნობით, კიდევ სამი ადამიანი დაიღუპა.", "fa": "به گزارش رویترز، سه نفر دیگر کشته شدند.",
             "ar": "وفقًا لرويترز، قُتل ثلاثة آخرون."}
_CLAUSE = {"ru": ", как сообщили местные власти", "uk": ", як повідомили місцеві органи влади",
           "hy": ", ինչպես հայտնել են տեղական իշխանությունները", "az": ", yerli hakimiyyət orqanlarının bildirdiyi kimi",
           "ka": ", როგორც ადგილობრივმა ხელისუფლებამ განაცხადა", "fa": "، آن‌طور که مقامات محلی گفتند",
           "ar": "، كما أفادت السلطات المحلية"}


@dataclass(frozen=True)
class Sample:
    """One correct pair, and the same source's translation in every other language of the corpus."""

    source: str
    target: str
    lang: str
    siblings: dict[tuple[str, str], str]


Damage = tuple[str, str] | None


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    mutate: Callable[[Sample], Damage]


def sibling_index(pairs: Iterable[Any]) -> dict[tuple[str, str], str]:
    """(language, source) → translation, for the "wrong language" kinds."""
    return {(p.lang, p.source): p.target for p in pairs}


def _sentences(text: str) -> list[str]:
    return [p for p in _SENTENCE.split(text.strip()) if p]


def _mid_word(text: str) -> re.Match[str] | None:
    words = list(_WORD.finditer(text))
    return words[len(words) // 2] if len(words) >= 3 else None


def _prose(s: Sample, words: int = 4) -> bool:
    return len(s.target.split()) >= words and "%" not in s.source and "{" not in s.source and "<" not in s.source


def _keep(s: Sample, target: str) -> Damage:
    return (s.source, target) if target != s.target else None


def _replace_mid(s: Sample, make: Callable[[str], str]) -> Damage:
    m = _mid_word(s.target)
    if m is None:
        return None
    return _keep(s, s.target[:m.start()] + make(m.group(0)) + s.target[m.end():])


def _babel_locale(lang: str) -> Any:
    from polybrief import get_locale

    return get_locale(lang)


# -- the kinds -------------------------------------------------------------------------------------------------

def sentence_dropped(s: Sample) -> Damage:
    parts = _sentences(s.target)
    return _keep(s, " ".join(parts[:-1])) if len(parts) >= 2 and len(_sentences(s.source)) >= 2 else None


def sentence_invented(s: Sample) -> Damage:
    return _keep(s, f"{s.target.rstrip()} {_INVENTED[s.lang]}") if _prose(s) and s.lang in _INVENTED else None


def clause_invented(s: Sample) -> Damage:
    text = s.target.rstrip()
    if not _prose(s, 5) or s.lang not in _CLAUSE or not text or text[-1] not in ".։؟!":
        return None
    return _keep(s, text[:-1] + _CLAUSE[s.lang] + text[-1])


def sentence_doubled(s: Sample) -> Damage:
    parts = _sentences(s.target)
    return _keep(s, f"{parts[0]} {s.target.strip()}") if parts and len(parts[0].split()) >= 4 else None


def phrase_loop(s: Sample) -> Damage:
    words = s.target.split()
    if len(words) < 8:
        return None
    i = len(words) // 2
    run = words[i:i + 3]
    return _keep(s, " ".join(words[:i + 3] + run + run + words[i + 3:]))


def word_doubled(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: f"{w} {w}") if _prose(s) else None


def end_stop_dropped(s: Sample) -> Damage:
    text = s.target.rstrip()
    return _keep(s, text[:-1]) if _prose(s) and text and text[-1] in ".։" else None


def end_stop_wrong(s: Sample) -> Damage:
    text = s.target.rstrip()
    if not _prose(s) or not text or text[-1] not in ".։":
        return None
    return _keep(s, text[:-1] + ("." if s.lang == "hy" else ","))


def leading_space(s: Sample) -> Damage:
    return _keep(s, " " + s.target) if not s.source[:1].isspace() and s.target[:1] != " " else None


def placeholder_leftover(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: f"{w} {{1}}") if _prose(s) else None


def printf_leftover(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: f"{w} %s") if _prose(s) else None


def printf_count_leftover(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: f"%d {w}") if _prose(s) else None


def printf_dropped(s: Sample) -> Damage:
    m = re.search(r"%(?:\d\$)?[sd]|%\(\w+\)s", s.target)
    if m is None or m.group(0) not in s.source and not re.search(r"%[sd]", s.source):
        return None
    return _keep(s, (s.target[:m.start()] + s.target[m.end():]).replace("  ", " "))


def markup_dropped(s: Sample) -> Damage:
    if not re.search(r"</?(?:b|i|a|span|tt|big|small)\b[^>]*>", s.target):
        return None
    return _keep(s, re.sub(r"</?(?:b|i|a|span|tt|big|small)\b[^>]*>", "", s.target))


def sp_unknown(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: "⁇")


def unk_token(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: "<unk>")


def replacement_char(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: w[0] + "\ufffd" + w[2:])


def html_entity(s: Sample) -> Damage:
    m = re.search(r"[«“„\"]([^«»“”„\"]{2,60})[»”“\"]", s.target)
    return _keep(s, s.target[:m.start()] + "&quot;" + m.group(1) + "&quot;" + s.target[m.end():]) if m else None


def zero_width_space(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: w[:2] + "\u200b" + w[2:])


def bidi_left_open(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: "\u2067" + w) if _prose(s) else None


def homoglyph(s: Sample) -> Damage:
    table = _HOMOGLYPHS.get(s.lang, {})
    m = _mid_word(s.target)
    if m is None:
        return None
    word = m.group(0)
    for i, ch in enumerate(word):
        if ch in table:
            return _keep(s, s.target[:m.start()] + word[:i] + table[ch] + word[i + 1:] + s.target[m.end():])
    return None


def quotes_unbalanced(s: Sample) -> Damage:
    m = re.search(r"[»”](?!.*[»”])", s.target)
    return _keep(s, s.target[:m.start()] + s.target[m.end():]) if m else None


def bracket_unbalanced(s: Sample) -> Damage:
    return _replace_mid(s, lambda w: "(" + w) if "(" not in s.source and _prose(s) else None


def negation_dropped(s: Sample) -> Damage:
    if not re.search(r"(?i)\b(?:not|no|never|cannot|can't|couldn't|don't|doesn't|isn't|won't)\b", s.source):
        return None
    for pattern, repl in _NEGATIONS.get(s.lang, []):
        new, n = re.subn(pattern, repl, s.target, count=1)
        if n:
            return _keep(s, new)
    return None


def _number(s: Sample) -> re.Match[str] | None:
    return _NUMBER.search(s.target) if re.search(r"\d", s.source) else None


def number_changed(s: Sample) -> Damage:
    m = _number(s)
    if m is None:
        return None
    token = m.group(0)
    return _keep(s, s.target[:m.start()] + token[:-1] + str((int(token[-1]) + 1) % 10) + s.target[m.end():])


def number_dropped(s: Sample) -> Damage:
    m = _number(s)
    return _keep(s, (s.target[:m.start()] + s.target[m.end():]).replace("  ", " ")) if m else None


def number_added(s: Sample) -> Damage:
    return _keep(s, f"{s.target.rstrip()} (710)") if _prose(s, 2) and not re.search(r"\d", s.source) else None


def digits_transposed(s: Sample) -> Damage:
    m = _number(s)
    if m is None or len(set(m.group(0))) < 2 or not m.group(0).isdigit():
        return None
    token = m.group(0)
    return _keep(s, s.target[:m.start()] + token[1] + token[0] + token[2:] + s.target[m.end():])


def numerals_mixed(s: Sample) -> Damage:
    m = re.search(r"[0-9٠-٩۰-۹]{2,}", s.target)
    if m is None:
        return None
    token = m.group(0)
    first = token[0]
    if "0" <= first <= "9":
        other = chr(ord("٠") + int(first))
    elif "٠" <= first <= "٩":
        other = chr(ord("۰") + ord(first) - ord("٠"))
    else:
        other = str(ord(first) - ord("۰"))
    return _keep(s, s.target[:m.start()] + other + token[1:] + s.target[m.end():])


def english_sentence_left(s: Sample) -> Damage:
    target, source = _sentences(s.target), _sentences(s.source)
    if len(target) < 2 or len(target) != len(source) or len(source[-1].split()) < 4:
        return None
    return _keep(s, " ".join([*target[:-1], source[-1]]))


def segment_untranslated(s: Sample) -> Damage:
    return _keep(s, s.source) if len(s.source.split()) >= 4 and _prose(s) else None


def truncated(s: Sample) -> Damage:
    words = s.target.split()
    return _keep(s, " ".join(words[:len(words) // 2])) if len(words) >= 10 else None


def other_message(s: Sample) -> Damage:
    for (lang, source), target in s.siblings.items():
        if lang == s.lang and source != s.source and len(target.split()) >= 3 and abs(
                len(target) - len(s.target)) < len(s.target) // 2:
            return _keep(s, target)
    return None


def wrong_language(s: Sample) -> Damage:
    other = s.siblings.get((_OTHER.get(s.lang, "ru"), s.source))
    return _keep(s, other) if other and len(other.split()) >= 3 else None


def name_misspelled(s: Sample) -> Damage:
    names = [w for w in re.findall(r"\b[A-Z][a-z]{4,}\b|\b[A-Z][a-z]+[A-Z]\w+\b", s.source) if w in s.target]
    if not names:
        return None
    name = names[0]
    return _keep(s, s.target.replace(name, name[0] + name[2] + name[1] + name[3:], 1))


def _with_fact(s: Sample, english: str, clean: str, damaged: str) -> Damage:
    if not _prose(s, 3):
        return None
    return (f"{s.source.rstrip()} ({english})", f"{s.target.rstrip()} ({damaged})") if clean != damaged else None


def date_swapped(s: Sample) -> Damage:
    from babel.dates import format_date

    locale = _babel_locale(s.lang).babel
    day = datetime.date(2023, 5, 12)
    return _with_fact(s, "12 May 2023", format_date(day, "short", locale=locale),
                      format_date(datetime.date(2023, 12, 5), "short", locale=locale))


def month_changed(s: Sample) -> Damage:
    from babel.dates import format_date

    locale = _babel_locale(s.lang).babel
    return _with_fact(s, "12 May 2023", format_date(datetime.date(2023, 5, 12), "long", locale=locale),
                      format_date(datetime.date(2023, 6, 12), "long", locale=locale))


def currency_changed(s: Sample) -> Damage:
    from babel.numbers import format_currency

    locale = _babel_locale(s.lang).babel
    return _with_fact(s, "$97", format_currency(97, "USD", locale=locale), format_currency(97, "EUR", locale=locale))


def percent_dropped(s: Sample) -> Damage:
    from babel.numbers import format_decimal, format_percent

    locale = _babel_locale(s.lang).babel
    return _with_fact(s, "84.5%", format_percent(0.845, "#,##0.0%", locale=locale),
                      format_decimal(84.5, "#,##0.0", locale=locale))


#: Every kind measured on real pairs, in table order.
REAL_KINDS: tuple[Kind, ...] = (
    Kind("sentence-dropped", "the last sentence of a multi-sentence translation dropped", sentence_dropped),
    Kind("sentence-invented", "a sentence with a name and a figure invented at the end", sentence_invented),
    Kind("clause-invented", "a clause invented before the final full stop", clause_invented),
    Kind("sentence-doubled", "the first sentence written twice", sentence_doubled),
    Kind("phrase-loop", "a decoder loop: three words repeated twice more", phrase_loop),
    Kind("word-doubled", "a word written twice in a row", word_doubled),
    Kind("end-stop-dropped", "the final full stop dropped", end_stop_dropped),
    Kind("end-stop-wrong", "the final full stop replaced (hy: Latin '.', others: ',')", end_stop_wrong),
    Kind("leading-space", "a space added at the start", leading_space),
    Kind("placeholder-leftover", "an MT placeholder {1} left in", placeholder_leftover),
    Kind("printf-leftover", "a bare %s left in", printf_leftover),
    Kind("printf-count-leftover", "a bare %d left in", printf_count_leftover),
    Kind("printf-dropped", "a %s or %d of the source dropped", printf_dropped),
    Kind("markup-dropped", "the source's <b>/<i>/<a> tags dropped", markup_dropped),
    Kind("sp-unknown", "SentencePiece's ⁇ in place of a word", sp_unknown),
    Kind("unk-token", "<unk> in place of a word", unk_token),
    Kind("replacement-char", "a letter turned into the replacement character �", replacement_char),
    Kind("html-entity", "quotation marks escaped as &quot;", html_entity),
    Kind("zero-width-space", "a zero-width space inside a word", zero_width_space),
    Kind("bidi-left-open", "a right-to-left isolate (U+2067) left open", bidi_left_open),
    Kind("homoglyph", "a letter replaced by a look-alike of another script (Latin a in Cyrillic, Arabic ي in "
         "Persian)", homoglyph),
    Kind("quote-unbalanced", "a closing quotation mark dropped", quotes_unbalanced),
    Kind("bracket-unbalanced", "an opening bracket with no closing one", bracket_unbalanced),
    Kind("negation-dropped", "the negation dropped (particle, prefix or suffix)", negation_dropped),
    Kind("number-added", "a figure the source does not have (' (710)')", number_added),
    Kind("number-changed", "a number changed (11 → 12)", number_changed),
    Kind("number-dropped", "a number dropped", number_dropped),
    Kind("digits-transposed", "two digits swapped (23 → 32)", digits_transposed),
    Kind("numerals-mixed", "one digit of a number in another numeral system", numerals_mixed),
    Kind("date-day-month-swapped", "a date's day and month swapped (12.05 → 05.12)", date_swapped),
    Kind("date-month-changed", "a date's month name changed (May → June)", month_changed),
    Kind("currency-changed", "dollars turned into euros", currency_changed),
    Kind("percent-dropped", "a percent sign dropped (84.5% → 84.5)", percent_dropped),
    Kind("english-sentence-left", "one sentence of the translation left in English", english_sentence_left),
    Kind("segment-untranslated", "the whole message left in English", segment_untranslated),
    Kind("truncated", "the second half of the translation cut off", truncated),
    Kind("other-message", "the translation of another message of the same length attached here", other_message),
    Kind("wrong-language", "the same message's translation in another language (ru↔uk, fa↔ar, hy/az/ka ← ru)",
         wrong_language),
    Kind("name-misspelled", "a name kept in Latin letters misspelled (two letters swapped)", name_misspelled),
)

DESCRIPTIONS = {kind.name: kind.description for kind in REAL_KINDS}
