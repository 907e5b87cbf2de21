"""The third round of cheaper checks (issue 24) finds exactly what the slow ways found.

Each fast path is compared with the code it skips, on texts made to reach its
edges (case variants, the characters that fold to ASCII letters, hyphens,
digits in every position); tests/test_qa_identity.py holds the earlier rounds'
and the recorded findings on real pairs.
"""

from __future__ import annotations

import re
import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

import polybrief.qa.checks as checks
import polybrief.qa.numbers as qa_numbers

_WORDY = st.lists(st.sampled_from(
    [*"tTwWoOeEnNsSiIxXfFvVhHrRlLyYdDuUbBpPaAcCkKqQzZ -_1'", "\u017f", "\u212a", "\u0130", "\u0131", "é",
     "twenty", "Two", "SEVEN", "teen", "ty-", "one", "double", "Week", "pair", "thousand", "half", "\u00a0"]),
    max_size=20).map("".join)


def test_only_the_listed_characters_stop_a_text_being_judged_by_its_lower_case():
    """may_have_words' premises over every code point: an ASCII letter matches case-insensitively only its
    two cases and the listed characters; one character alone lower-cases to two; no character that is not
    a word character or a hyphen lower-cases to one."""
    listed = set(qa_numbers._FOLDS_TO_ASCII.pattern.strip("[]"))
    everything = [chr(c) for c in range(0x110000)]
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    assert {ch for ch in everything if ascii_letter.fullmatch(ch)} - set(string.ascii_letters) <= listed
    for ch in string.ascii_letters:  # and each of its two cases matches only itself among ASCII letters
        assert {other for other in string.ascii_letters if re.fullmatch(ch, other, re.IGNORECASE)} == {
            ch.lower(), ch.upper()}
    assert [ch for ch in everything if len(ch.lower()) != 1] == ["\u0130"]
    word = re.compile(r"[\w-]")
    assert [ch for ch in everything if not word.match(ch) and word.match(ch.lower())] == []


@settings(max_examples=600, deadline=None)
@given(_WORDY)
@example("a double-check of twenty-two")
@example("\u017fix wee\u212a, TWENTY-ONE and Fifty-")
@example("Thirtysomething: tw\u0130ce tw\u0131ce")
def test_spelled_and_implied_numbers_are_found_as_the_patterns_find_them(text):
    assert _outcome(qa_numbers.spelled_source_numbers, text, "en") == _outcome(_spelled_everywhere, text)
    if not qa_numbers.may_have_words(qa_numbers._EN_HINT, text):
        assert qa_numbers._EN_SPELLED.search(text) is None
    if not qa_numbers.may_have_words(checks._IMPLIED_HINT, text):
        assert checks._IMPLIED.search(text) is None


def _spelled_everywhere(text: str) -> list[tuple[str, int]]:
    """spelled_source_numbers in English without the words' search first: the pattern tried at every character
    (each match looked up by the ASCII word it matched, as spelled_source_numbers does)."""
    spelled = []
    for m in qa_numbers._EN_SPELLED.finditer(text):
        if m.group(1):
            value = qa_numbers._EN_TENS[qa_numbers.ascii_key(m.group(1))] + (
                qa_numbers._EN_UNITS.get(qa_numbers.ascii_key(m.group(2)), 1) if m.group(2) else 0)
        else:
            word = qa_numbers.ascii_key(m.group(3))
            value = qa_numbers._EN_TEENS.get(word) or qa_numbers._EN_UNITS[word]
        spelled.append((m.group(0), value))
    return spelled


def _outcome(function, *args):  # type: ignore[no-untyped-def]
    """What ``function(*args)`` returns, or the type of what it raises."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 (the same failure either way is the same outcome)
        return type(error)


_DIGITY = st.text(alphabet=st.sampled_from(list("0123456789٣۴ ,.'’\u00a0\u202f\u2009٬٫aG_-x")), max_size=30)


@settings(max_examples=800, deadline=None)
@given(_DIGITY)
def test_the_number_pattern_opening_with_a_digit_finds_what_the_lookbehinds_first_found(text):
    """number_format's pattern takes the first digit, then looks behind it; as written before, it looked
    behind first: the same matches, in every format and on both sides."""
    import polybrief
    from polybrief.text.numbers import number_format, read_numbers

    for tag in ("en", "ru", "az", "fa", "ar", "de-CH"):
        locale = polybrief.get_locale(tag)
        for source in (True, False):
            fmt = number_format(locale, source=source)
            before = r"(?<!\d)(?<![^\W\d_])" if source else r"(?<!\d)"
            old = re.compile(before + r"(?:\d{1,3}(?:[" + re.escape(fmt.groups) + r"]\d{3})+|\d+)(?:["
                             + re.escape(fmt.decimals) + r"]\d+)?(?!\d)")
            assert [m.span() for m in fmt.pattern.finditer(text)] == [m.span() for m in old.finditer(text)]
            if re.search(r"\d", text) is None:  # (read without a search for a digit first)
                assert read_numbers(text + " ٫,", fmt, locale) == []


_SENTENCES = st.lists(st.text(alphabet=st.sampled_from(list("ab AB, ÄäSſß-'’1.\u0345")), max_size=12), max_size=5)


@settings(max_examples=500, deadline=None)
@given(_SENTENCES)
def test_repeated_sentences_sorted_by_first_word_are_those_their_words_say(items):
    """repeated_sentences looks for a first word in common first; the sentences' words alone decide."""
    from collections import Counter

    from polybrief.qa.sentences import _norm, repeated_sentences

    for chosen in (tuple(items), tuple(items + items[:1])):  # (and a sentence twice)
        counts = Counter(n for n in map(_norm, chosen) if n.count(" ") >= 1)
        expected = list(dict.fromkeys(s for s in chosen if counts.get(_norm(s), 0) > 1))
        assert repeated_sentences(chosen) == expected


_SCRIPTS = st.text(alphabet=st.sampled_from(list("ab AbC UN ЖжДд ԱբՀ ქართ ǅǆ ﬁ ß _~&{0}%s http://x.y a@b.c 12 -'’.,()"
                                                 "\u0301\u0345\u200d")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_SCRIPTS, _SCRIPTS, st.sampled_from(["", "ab", "Жж"]))
def test_a_translators_own_letters_are_letters_of_the_translation(target, source, term):
    """``script`` and ``language`` judge the translation's letters before its own words' (own_text): with none
    outside the expected scripts (``script``) or none in the source's (``language``), its own words have none
    either.  Own letters are some of the translation's, by script."""
    from polybrief.qa.names import accelerators_removed, blank_placeholders, own_text
    from polybrief.text.scripts import script_counts

    whole = script_counts(accelerators_removed(blank_placeholders(target)))
    own = script_counts(own_text(target, source, (term,) if term else ()))
    assert all(n <= whole.get(code, 0) for code, n in own.items() if n)


_SIBLING = st.lists(st.sampled_from(list("abc əqxçşğöüıİ ыэъё іїєґў ЖжΣσς پچژگیکةيكى UN _&{0}.-") + [
    "Мир", "çox", "x" * 12, "жжжж " * 3]), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_SIBLING, _SIBLING, st.sampled_from(["ru", "uk", "az", "tr", "fa", "ar"]))
@example("abcd " * 12, "", "az")  # (Turkish has no letter of its own: forty letters are evidence)
@example("Це її дім і все", "", "ru")
def test_a_translation_without_a_siblings_letters_has_no_own_words_with_them(target, source, language):
    """``language_variant`` asks whether the translation's letters could point to a sibling before working
    out its own words: where they cannot, no own words of it have a sibling's letter evidence."""
    import polybrief.qa.language_checks as language_checks
    from polybrief.qa.language import letter_evidence, siblings
    from polybrief.qa.names import accelerators_removed, blank_placeholders, own_text

    others = siblings(language)
    if language_checks._no_sibling_letters(accelerators_removed(blank_placeholders(target)), language, others):
        words = own_text(target, source, ()).split()
        for chosen in (words, [w for w in words if len(w) > 1], words[::2]):  # (any of its own words)
            assert not any(letter_evidence(" ".join(chosen), language, other) for other in others)


@settings(max_examples=300, deadline=None)
@given(_SIBLING, st.sampled_from(["ru", "uk", "be", "az", "tr", "fa", "ar", "ur"]))
def test_letter_evidence_by_substring_is_what_the_sets_said(text, language):
    """letter_evidence asks for each distinctive letter in the text; the sets' ``isdisjoint`` said the same."""
    from polybrief.qa.language import ALPHABETS, letter_evidence, siblings

    own = ALPHABETS.get(language, frozenset())
    for other in siblings(language):
        theirs = ALPHABETS.get(other, frozenset())
        lowered = text.lower()
        if not (own - theirs).isdisjoint(lowered):
            expected = False
        elif theirs - own:
            expected = not (theirs - own).isdisjoint(lowered)
        else:
            expected = len(lowered) >= 40 and sum(map(str.isalpha, lowered)) >= 40
        assert letter_evidence(text, language, other) == expected
