"""The quality checks made cheaper (issue 24) find exactly what they found before.

Every pair of tests/fixtures/check-findings.jsonl — 150 reviewed pairs per language of the
committed real-pairs sample and every error kind of bench/qa_kinds.py applied to three pairs per
language, each checked as a reviewer's and as a machine's translation — has the findings (check,
severity, message) recorded before the change (a few seconds).  ``python -m bench.check_identity`` does
the same on tens of thousands of pairs of the downloaded corpus.

And what the checks now share or skip gives what computing it afresh gives — a segment served by
the memo of identical segments, the sentences cut without building a plan, numbers read without
Babel's parser.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from babel.numbers import get_decimal_symbol, parse_decimal

import polybrief
from polybrief.qa import check_localised
from polybrief.qa.memo import clear
from polybrief.text.numbers import number_format, read_numbers
from polybrief.text.sentences import plan_segment

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmark package lives next to the tests, not in the wheel
    sys.path.insert(0, str(REPO))

from bench.check_identity import FIXTURE, compare  # noqa: E402
from bench.real_corpus import LANGUAGES, SAMPLE, read  # noqa: E402

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


def test_findings_on_real_pairs_and_injected_errors_are_those_recorded_before():
    pairs, findings, differ = compare(FIXTURE)
    assert pairs > 2000 and findings > 1000
    assert differ == 0


def _texts() -> list[tuple[str, str]]:
    texts = [(pair.target, lang) for lang in LANGUAGES for pair in read(SAMPLE / f"{lang}.jsonl")]
    texts += [(pair.source, "en") for pair in read(SAMPLE / "ru.jsonl")]
    # Cores without letters are layout in a plan, merged with what is beside them.
    texts += [("_1. 80×24", "en"), ("@0.٠0 $;@(0.00 $)", "fa"), (" 12. 13\n\n14. Done.", "en"), ("", "en"),
              ("First line.\nSecond one. 3.\n", "ru")]
    return texts


def test_sentences_are_the_plans_parts_with_letters_or_digits():
    from polybrief.qa.sentences import sentences

    for text, lang in _texts():
        plan = plan_segment(text, lang=lang)
        expected = tuple(part for _, part in plan.parts if part.strip() and any(ch.isalnum() for ch in part))
        assert sentences(text, lang) == expected, text


@pytest.mark.parametrize("tag", ["en", "ru", "hy", "az", "fa", "ar", "de"])
def test_numbers_have_the_values_babels_parser_gives(tag):
    locale = polybrief.get_locale(tag)
    point = get_decimal_symbol(locale.babel)
    texts = [text for text, _ in _texts()] + ["120,000 and 2.5 and 1 234,5 and ١٢٣٫٤ and ۱۲۳٫۴ and 7 495 123 and 12.000,75"]
    for side in (True, False):
        fmt = number_format(locale, source=side)
        for text in texts:
            for number in read_numbers(text, fmt, locale):
                if any(mark in number.text for mark in fmt.alt_decimals):
                    continue  # "2,5" read as 2.5 in Arabic script: never parsed by Babel
                token = "".join(str(int(ch)) if ch.isdigit() else ch for ch in number.text)
                integer, sep, fraction = token, "", ""
                for mark in fmt.decimals:
                    if mark in token:
                        integer, sep, fraction = token.rpartition(mark)
                        break
                digits = "".join(ch for ch in integer if ch.isdigit())
                expected = parse_decimal(digits + (point + fraction if sep else ""), locale=locale.babel)
                assert number.value == expected and str(number.value) == str(expected), (tag, number.text)
                assert isinstance(number.value, Decimal)


def _pages() -> list[polybrief.LocalisedBrief]:
    """The examples' reviewed pages, and machine pages whose every text is its source written twice."""
    pages = []
    for path in EXAMPLES:
        for tag in ("hy", "ru"):
            page = polybrief.localise(path, tag)
            machine = {unit.path: polybrief.MachineTranslation(f"{unit.text} {unit.text}", 0.0, "e", ("m",))
                       for unit in polybrief.translation_units(page.brief) if unit.plural is None}
            pages += [page, polybrief.localise(path, tag, catalog=None, machine=machine)]
    return pages


def test_a_segment_served_by_the_memo_has_the_findings_it_had_when_checked():
    pages = _pages()
    clear()
    fresh = [check_localised(page) for page in pages]
    again = [check_localised(page) for page in pages]  # every segment from the memo now
    assert again == fresh
    assert sum(map(len, fresh)) > 0  # the examples have findings, so the comparison says something
    clear()
    reversed_order = [check_localised(page) for page in reversed(pages)]
    assert reversed_order[::-1] == fresh


def test_the_memo_keeps_apart_what_the_checks_read_beside_the_segment():
    """Settings, locales and ignore flags change findings; a segment memoised under others must not leak."""
    pages = _pages()
    clear()
    plain = [check_localised(page) for page in pages]
    names = {finding.check for found in plain for finding in found}
    assert "repeated-text" in names
    quiet = polybrief.CheckSettings(disabled=frozenset({"repeated-text"}))
    silenced = [check_localised(page, settings=quiet) for page in pages]
    assert all(f.check != "repeated-text" for found in silenced for f in found)
    assert sum(map(len, silenced)) < sum(map(len, plain))
    assert [check_localised(page) for page in pages] == plain


@pytest.mark.parametrize("tag", ["en", "ru", "hy", "az", "de"])
def test_numbers_are_found_where_the_number_pattern_finds_them(tag):
    """read_numbers tries the pattern only where a digit run starts; finditer over every position agrees."""
    locale = polybrief.get_locale(tag)
    texts = [text for text, _ in _texts()] + ["G7 000 123 and 3D, 12.000,5; 1 234 567 in 2023 500 people, x2 2x ٣4"]
    for side in (True, False):
        fmt = number_format(locale, source=side)
        for text in texts:
            expected = [(m.start(), m.end()) for m in fmt.pattern.finditer(text)]
            assert [(n.start, n.end) for n in read_numbers(text, fmt, locale)] == expected, text


def _looped_everywhere(text: str) -> str | None:
    """looped_phrase as it was: every run of every size tried at every start."""
    import re

    words = [w.casefold() for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)]
    n = len(words)
    for size in range(1, n // 2 + 1):
        times = 2 if size >= 3 else 3
        for start in range(0, n - times * size + 1):
            run = words[start:start + size]
            if all(words[start + k * size:start + (k + 1) * size] == run for k in range(1, times)):
                return " ".join(run)
    return None


def test_looped_phrases_are_those_every_start_finds():
    from polybrief.qa.sentences import looped_phrase

    texts = [text for text, _ in _texts()] + [
        "in the region in the region", "через кілька через кілька через кілька", "a b a b a b", "x x", "x x x",
        "the cat and the dog and the cat and the dog", "Ok ok OK fine", "one two three one two four one two three"]
    for text in texts:
        assert looped_phrase(text) == _looped_everywhere(text), text


def test_what_checks_share_in_a_pair_is_what_each_would_compute(monkeypatch):
    """Pair.shared hands a check what another computed (the translation's numbers in one format, read once
    where no digit is glued to a letter); computing it afresh for every check gives the same findings."""
    from polybrief.qa import Pair, check_segment

    en = polybrief.get_locale("en")
    cases = [(lang, pair.source, pair.target) for lang in LANGUAGES for pair in read(SAMPLE / f"{lang}.jsonl")]
    cases += [("ru", "In 2023, 120,000 people (G7 and A4) left; 3D maps cost $5.2M.",
               "В 2023 году 120 000 человек (G7 и A4) уехали; 3D-карты стоят 5,2 млн $, а не 7G."),
              ("hy", "12 killed, 1 234 wounded in 2 days", "12 զոհ, 1 234 վիրավոր 3 օրում, X5 բանակ")]
    locales = {lang: polybrief.get_locale(lang) for lang, _, _ in cases}

    def findings() -> list[list[tuple[str, str]]]:
        return [[(f.check, f.message) for f in check_segment(source, target, path="p", source_locale=en,
                                                              target_locale=locales[lang])]
                for lang, source, target in cases]

    shared = findings()
    monkeypatch.setattr(Pair, "shared", lambda self, key, compute: compute())
    assert findings() == shared
    assert any(shared)


# -- fast paths of issue 24's third round, each against the slow path it replaced ------------------------

#: Characters the fast paths below must see: digits of two systems, a superscript, symbols, the letters of
#: currency codes and names, letters that match ASCII ones only without regard to case (ı ſ K İ), a
#: ligature, marks, Armenian, Cyrillic and the spaces and direction marks translators type.
_ODD = st.text(alphabet=st.sampled_from(list("0123456789٣۴²Ⅻ½ $€US$usdDrEeNnTtSsıſKİﬁ.,-_'’/#()a Ab ЖжԱբ"
                                              "ab ab\u00a0\u202f\u200e\u061cmillion dollars May 12")), max_size=40)


def _own_text_before(target: str, source: str, keep_terms: tuple[str, ...] = ()) -> str:
    """own_text as it was: every token judged afresh."""
    import re

    from polybrief.qa.names import accelerators_removed, blank_placeholders, name_like, vocabulary

    text = accelerators_removed(blank_placeholders(target))
    text = re.sub(r"(?<![\w$])[\w$]+(?:(?:[._/]|::|->)[\w$]+)+(?:\(\))?|(?<!\w)\w+\(\)", " ", text)
    for term in keep_terms:
        text = re.sub(r"(?<!\w)" + re.escape(term) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    copied = vocabulary(source)
    out: list[str] = []
    for token in text.split():
        core = token.strip("\"'«»“”„‘’‹›()[]{}<>.,;:!?¡¿…·-–—/\\|*#%+=՞։՝՜،؛؟۔")
        if not core:
            continue
        if core.isalpha():
            rest = core[1:]
            if not (len(core) > 1 and core.isupper()) and rest == rest.lower() and core.casefold() not in copied:
                out.append(core)
            continue
        if name_like(core):
            continue
        out.extend(word for word in re.findall(r"[^\W\d_]+", core) if word.casefold() not in copied)
    return " ".join(out)


def _own_text_agrees(target: str, source: str) -> None:
    from polybrief.qa.names import own_text

    assert own_text.__wrapped__(target, source) == _own_text_before(target, source), (target, source)
    assert own_text.__wrapped__(target, source, ("ab",)) == _own_text_before(target, source, ("ab",))


def test_own_text_judging_each_token_once_gives_what_judging_it_afresh_gives(monkeypatch):
    """own_text keeps what it made of each token; with its memo full, cleared or warm, the words are the same."""
    import polybrief.qa.names as names

    pairs = [(pair.target, pair.source) for lang in LANGUAGES for pair in read(SAMPLE / f"{lang}.jsonl")]
    pairs += [("TikTok и UN: NetworkManager не запущен, G7 «Доклад» x_y()", "TikTok and the UN"),
              ("ΟΔΟΣ Σ ǅemal ǅ ﬁle İstanbul ıı ſ", "file"), ("... — « »", "x")]
    for target, source in pairs:
        _own_text_agrees(target, source)
    monkeypatch.setattr(names, "TOKEN_CACHE", 3)  # the memo cleared every few tokens
    for target, source in pairs[:200]:
        _own_text_agrees(target, source)


@settings(max_examples=300, deadline=None)
@given(_ODD, _ODD)
def test_own_text_of_any_text_is_what_it_was(target, source):
    _own_text_agrees(target, source)


def _currency_spans(pattern, text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern]


def _currencies_agree(text: str) -> None:
    import re

    import polybrief.qa.symbols as symbols

    before = re.compile(symbols._SOURCE.pattern.replace("*+", "*"), re.IGNORECASE)  # backtracking, as it was
    assert "*+" in symbols._SOURCE.pattern
    expected = _currency_spans(before.finditer(text), text)
    assert _currency_spans(symbols._source_matches(text), text) == expected, text


def test_currencies_are_found_where_the_pattern_finds_them_anywhere():
    """Tried only near digits, with possessive runs of digits, the pattern finds what it found everywhere."""
    for text, _ in _texts():
        _currencies_agree(text)
    for text in ("US$ 5 and 5 US$, USD5, 5USD, $1.2bn, 3 million dollars, 12 EUR euros 7 ĲUSD 4 uſd", "$$1", "1$"):
        _currencies_agree(text)


@settings(max_examples=500, deadline=None)
@given(_ODD)
def test_currencies_of_any_text_are_those_found_anywhere(text):
    _currencies_agree(text)


@settings(max_examples=500, deadline=None)
@given(_ODD)
def test_doubled_words_and_glued_digits_are_found_as_before(text):
    """The possessive doubled-word pattern and the digit-first glued-digit search agree with what they replaced."""
    import re

    import polybrief.qa.checks as checks
    import polybrief.qa.sentences as sentences

    before = re.compile(r"(?<![\w-])([^\W\d_]{2,})\s+(\1)(?![\w-])", re.IGNORECASE)
    found = before.search(text)
    assert sentences.doubled_word(text) == (found.group(1) if found else None)
    glued = any(run.start() and text[run.start() - 1].isalnum() for run in re.finditer(r"\d+", text))
    assert checks._glued_digit(text) == glued


@settings(max_examples=300, deadline=None)
@given(_ODD)
def test_dates_are_read_as_before_where_no_digit_needs_rewriting(text):
    """dates_in rewrites a text's digits only where one is not ASCII or a direction mark is there."""
    import unicodedata

    import polybrief.qa.dates as dates

    for language, identifier in (("en", "en"), ("ru", "ru"), ("fa", "fa")):
        expected = []
        if dates._ANY_DIGIT.search(text) and (language != "en" or dates._EN_HINT.search(text)):
            plain = "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
                            for ch in text if ch not in "\u200e\u200f\u061c")
            expected = dates._numeric(plain, identifier) + dates._named(dates._TOKEN.findall(plain), language)
        assert dates.dates_in(text, language, identifier) == expected, text


_MARKS = st.text(alphabet=st.sampled_from(list("ab AB xyz1 2٣۴ \u200b\u200c\u200d\u00ad\ufeff\u2066\u2069\u202a\u202c\n<&@{%"
                                               "\u2047\u2581\ufffd_PH\uff5b\u27e6 млн. тыс. K ſ")), max_size=30)


@settings(max_examples=500, deadline=None)
@given(_MARKS)
def test_patterns_that_skip_ahead_find_what_they_found(text):
    """Latin words, scale periods, invisible characters, mixed numerals and the debris and placeholder hints:
    each rewritten to skip ahead in C, each against what it replaced."""
    import re

    import polybrief.qa.checks as checks
    import polybrief.qa.content_checks as content
    import polybrief.qa.tokens as tokens
    import polybrief.qa.unicode_checks as unicode_checks
    import polybrief.text.numbers as numbers
    from polybrief.text.numbers import without_scale_periods

    latin = re.compile(r"(?<![\w])[A-Za-z][A-Za-z]{3,}(?![\w])")
    assert [m.span() for m in content._LATIN_WORD.finditer(text)] == [m.span() for m in latin.finditer(text)]
    ru = polybrief.get_locale("ru")
    pattern = numbers._scale_period_pattern(ru.identifier).pattern
    assert "(?i:" in pattern
    before = re.compile(pattern.replace("(?i:", "(?:"), re.IGNORECASE)  # case ignored everywhere, as it was
    assert without_scale_periods(text + " 5 МЛН. x", ru) == before.sub(r"\1", text + " 5 МЛН. x")
    chars = set(text)
    silent = (chars & unicode_checks.INVISIBLE) | (chars & {"\u200c", "\u200d"})
    assert set(unicode_checks._SILENT.findall(text)) == silent
    assert bool(unicode_checks._BIDI_CONTROL.search(text)) == bool(unicode_checks._BIDI.search(text.replace("\n", "")))
    mixed = [m.group(0) for m in unicode_checks._NUMBER.finditer(text)
             if len({ord(ch) - int(ch) for ch in m.group(0) if ch.isdigit()}) > 1]
    assert unicode_checks.mixed_numerals(text) == mixed
    assert tokens._debris_hint(text) == bool(re.search("[\u2047\u2581\ufffd<&]|@@", text))
    placeholder = bool(re.search("[{\uff5b\u27e6%]|__PH", text))
    assert checks._placeholder_hint(text) == placeholder


@settings(max_examples=300, deadline=None)
@given(_ODD, _ODD)
def test_own_words_in_a_script_are_those_each_word_says(target, source):
    """The words of a translator's own text in a script, decided from the whole text's letters where they
    can be, are the words each word's own letters put in that script."""
    import polybrief.qa.language_checks as language_checks
    from polybrief.qa.names import own_text

    texts = [own_text(target, source), own_text(target + " Жж ԱԲ", source), own_text(target + " ab ə", "")]
    for own in texts:
        for script in ("Latn", "Cyrl", "Armn"):
            expected = [w for w in own.split() if len(w) > 1 and language_checks._in_script(w, script)]
            assert language_checks._words_in(own, script) == expected, (own, script)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?:;\n\"«“( \u00a0\u2003\u2028xY")), max_size=12))
def test_a_sentence_starts_where_the_pattern_searched_before_it_says(text):
    """latin_names reads back from a capitalised word instead of searching all the text before it."""
    import re

    import polybrief.qa.names as names

    before = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"«“(]\s*)$")
    for start in range(len(text) + 1):
        assert names._starts_sentence(text, start) == bool(before.search(text[:start])), (text, start)


_SCRIPTS = st.text(alphabet=st.sampled_from(
    [chr(c) for c in [*range(0x20, 0x7f), *range(0xa0, 0x250, 7), *range(0x370, 0x600, 5), *range(0x600, 0x700, 11),
                      *range(0x10a0, 0x1100, 9), 0x2160, 0xb2, 0x4e00, 0x3042, 0xac00, 0x1f600, 0x10400, 0xa7a0, 0x2028]]),
    max_size=40)


@settings(max_examples=500, deadline=None)
@given(_SCRIPTS)
def test_letters_counted_a_script_at_a_time_are_those_counted_one_by_one(text):
    """script_counts removes a script's letters at a time; counting every character gives the same counts."""
    from polybrief.text.scripts import script_counts

    for variant in (text, text + " Ժողովուրդ Народ ə", "".join(reversed(text))):
        assert dict(script_counts.__wrapped__(variant)) == _counted(variant), variant


def _counted(text: str) -> dict[str | None, int]:
    from collections import Counter

    from polybrief.text.scripts import letter_script

    out: dict[str | None, int] = {}
    for ch, n in Counter(text).items():
        if unicodedata.category(ch).startswith("L"):
            out[letter_script(ch)] = out.get(letter_script(ch), 0) + n
    return out


def test_the_characters_that_fold_to_ascii_are_all_listed():
    """_shared_words looks at a translation's words of these characters alone: no other word character
    casefolds to ASCII, in all of Unicode."""
    import re

    import polybrief.qa.language_checks as language_checks

    listed = re.compile(f"[{language_checks._ASCII_FOLDING}]")
    letter = re.compile(r"[^\W\d_]")
    letters = [ch for ch in map(chr, range(0x110000)) if letter.match(ch)]
    assert all(listed.match(ch) for ch in letters if ch.casefold().isascii())
    assert all(letter.match(ch) and ch.casefold().isascii() for ch in map(chr, range(0x110000)) if listed.match(ch))
    # repeated_sentences compares sentences' letters first: that is a function of their words casefolded and
    # joined only while no letter casefolds to a space, a hyphen or an apostrophe.
    assert not [ch for ch in letters if any(mark in ch.casefold() for mark in " -'’")]


@settings(max_examples=300, deadline=None)
@given(_ODD, _ODD)
def test_the_words_a_translation_shares_with_its_source_are_the_vocabularies_common_words(target, source):
    import polybrief.qa.language_checks as language_checks
    from polybrief.qa import Pair
    from polybrief.qa.names import vocabulary

    en, ru = polybrief.get_locale("en"), polybrief.get_locale("ru")
    for text in (target, target + " ﬁle STRASSE Straße ſtop Kelvin", "x " + target + "ß"):
        for src in (source, source + " file strasse stop kelvin", "Жж " + source):
            pair = Pair(src, text, path="p", source_locale=en, target_locale=ru, rules=[], provenance=None)
            assert language_checks._shared_words(pair) == vocabulary(src) & vocabulary(text), (src, text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab_1$.:/-()> \n\u00a0Жx")), max_size=30))
def test_code_is_taken_out_where_the_pattern_over_the_whole_text_finds_it(text):
    """_without_code searches only from the first hint's word to the last one's."""
    import re

    import polybrief.qa.names as names

    before = re.compile(r"(?<![\w$])[\w$]+(?:(?:[._/]|::|->)[\w$]+)+(?:\(\))?|(?<!\w)\w+\(\)")
    assert names._without_code.__wrapped__(text) == before.sub(" ", text)
    hinted = bool(re.search(r"(?:[._/]|::|->)[\w$]|\(\)", text))
    assert bool(names._CODE_HINT.search(text)) == hinted


_NUMBER_TEXT = st.lists(st.sampled_from(["двух", "двое", "пять", "сорока", "երկուսը", "երեք", "երկուշաբթի", "ikisi",
                                         "üçündən", "altında", "two", "seven", "one", "od", "x", "_", "-", " ", "2",
                                         "Двух", "ДВЕ", "ǅ", "\u0130", "a"]), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(_NUMBER_TEXT)
def test_number_words_are_found_as_whole_words_as_before(text):
    """The number-word tables are searched for in a text instead of matched against each of its words."""
    import re

    from polybrief.qa import numbers
    from polybrief.qa.number_words import has_number_word as spelled

    for language, table in numbers.NUMBER_WORDS.items():
        for value in (1, 2, 3, 5, 7, 40):
            expected = value in table and any(re.fullmatch(table[value], word) for word in re.findall(r"\w+", text.lower()))
            expected = expected or spelled(text, language, value, exact_cardinals=bool(table))
            assert numbers.has_number_word(text, language, value) == expected, (text, language, value)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["The region.", "the REGION", "Straße", "STRASSE!", "it's", "its", "well-known",
                                 "wellknown", "x 1", "x 2", "ŉ", "ʼn", "İ", "i̇", "a’b", "ab", "Σ σ ς"]), max_size=5))
def test_repeated_sentences_are_those_their_words_say(items):
    """repeated_sentences compares words only where two sentences have the same letters."""
    from collections import Counter

    from polybrief.qa.sentences import repeated_sentences

    sentences_ = tuple(items)
    norms = {s: " ".join(w.casefold() for w in re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", s)) for s in sentences_}
    counts = Counter(norms[s] for s in sentences_ if norms[s].count(" ") >= 1)
    expected = [s for s, n in norms.items() if counts.get(n, 0) > 1] if len(sentences_) >= 2 else []
    assert repeated_sentences(sentences_) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".!?։。؟…۔\"'»”’)]( x \n\u00a0")), max_size=8))
def test_a_sentence_ends_where_the_pattern_says(text):
    import polybrief.qa.content_checks as content

    before = re.compile(r"[.!?։。؟…۔][\"'»”’)\]]*\s*$")
    assert content._ends_sentence(text) == bool(before.search(text)), text


@settings(max_examples=500, deadline=None)
@given(_SCRIPTS)
def test_letters_counted_token_by_token_are_those_of_the_whole_text(text):
    """script_counts adds up its tokens' counts (each token counted once); counting the whole text gives the same."""
    from polybrief.text.scripts import letters_by_script, script_counts

    for variant in (text, text + " Ժողովուրդ Народ ə", "".join(reversed(text)), text.replace(" ", "")):
        assert dict(script_counts.__wrapped__(variant)) == letters_by_script(variant), variant


def test_only_one_character_casefolds_across_a_words_edge():
    """looped_phrase tokenises a text casefolded as a whole where it folds character for character: no
    character folds to nothing, and of those that fold to one character, only the listed one changes kind
    (a word character, a joining mark, neither); and casefolding a text is casefolding each character."""
    import polybrief.qa.sentences as sentences_

    word = re.compile(r"[^\W_]")

    def kind(ch: str) -> int:
        return 1 if word.match(ch) else 2 if ch in "-'’" else 0

    chars = list(map(chr, range(0x110000)))
    assert all(ch.casefold() for ch in chars)
    across = [ch for ch in chars if len(ch.casefold()) == 1 and kind(ch) != kind(ch.casefold())]
    assert "".join(across) == sentences_._FOLDS_ACROSS
    sample = "".join(chars[::97])
    assert sample.casefold() == "".join(ch.casefold() for ch in sample)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("aAbB İiıẞßſΣσς-'’_ 1\u0345\u0307ǅ.") + ["in the ", "Ok "]), max_size=30).map("".join))
def test_words_casefolded_at_once_are_the_words_each_casefolded(text):
    import polybrief.qa.sentences as sentences_

    expected = [w.casefold() for w in sentences_._TOKENS.findall(text)]
    assert sentences_._folded_tokens(text) == expected, text
    assert sentences_.looped_phrase(text) == _looped_everywhere(text), text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(list("wW:./_%{}｛｝⟦⟧@$<>&#;x1 ") + ["www.", "WWW.", "http://", "mailto:", "a@b.co", "%s",
                                                                   "%(n)d", "{count}", "$(X)", "&amp;", "<b>", "__PH1__"]),
                max_size=12).map("".join))
def test_placeholders_are_found_as_the_hints_found_them(text):
    """placeholder_spans tests each pattern's characters one by one (and "www" for a link without ":")."""
    import polybrief.qa.names as names

    assert names.placeholder_spans.__wrapped__(text) == _spans_by_hints(text), text


def _spans_by_hints(text: str) -> tuple[tuple[int, int], ...]:
    """placeholder_spans as it was written before: each pattern run when a character of its hint (one of which
    every match holds) is in ``text``, tested by a generator."""
    from polybrief.qa import names

    patterns = ((":w", names.URL), ("@", names.EMAIL), ("{\uff5b", names.MT_PLACEHOLDER),
                ("⟦%{_", names.TEMPLATE_PLACEHOLDER), ("%", names.PRINTF), ("%$@<&{", names.PLACEHOLDERS))
    spans: list[tuple[int, int]] = []
    for hint, pattern in patterns:
        if any(ch in text for ch in hint):
            spans.extend(m.span() for m in pattern.finditer(text))
    return tuple(spans)


def test_only_w_and_W_match_w_ignoring_case():
    """A link without ":" needs "www." in any case, so "www" in the text lowered: only w and W match a w."""
    w = re.compile("w", re.IGNORECASE)
    assert [ch for ch in map(chr, range(0x110000)) if w.match(ch)] == ["W", "w"]
