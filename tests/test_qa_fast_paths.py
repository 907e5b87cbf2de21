"""The third round of cheaper checks (issue 24) finds exactly what the slow ways found.

Each fast path is compared with the code it skips, on texts made to reach its
edges (case variants, the characters that fold to ASCII letters, hyphens,
digits in every position); tests/test_qa_identity.py holds the earlier rounds'
and the recorded findings on real pairs.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
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
    for letter in "abcdefghijklmnopqrstuvwxyz":
        pattern = re.compile(letter, re.IGNORECASE)
        assert {ch for ch in everything if pattern.fullmatch(ch)} - {letter, letter.upper()} <= listed
    assert [ch for ch in everything if len(ch.lower()) != 1] == ["\u0130"]
    word = re.compile(r"[\w-]")
    assert [ch for ch in everything if not word.match(ch) and word.match(ch.lower())] == []


@settings(max_examples=1500, deadline=None)
@given(_WORDY)
def test_spelled_and_implied_numbers_are_found_as_the_patterns_find_them(text):
    spelled = []
    for m in qa_numbers._EN_SPELLED.finditer(text):
        if m.group(1):
            value = qa_numbers._EN_TENS[m.group(1).lower()] + (
                qa_numbers._EN_UNITS.get(m.group(2).lower(), 1) if m.group(2) else 0)
        else:
            word = m.group(3).lower()
            value = qa_numbers._EN_TEENS.get(word) or qa_numbers._EN_UNITS[word]
        spelled.append((m.group(0), value))
    assert qa_numbers.spelled_source_numbers(text, "en") == spelled
    if not qa_numbers.may_have_words(qa_numbers._EN_HINT, text):
        assert not spelled
    if not qa_numbers.may_have_words(checks._IMPLIED_HINT, text):
        assert checks._IMPLIED.search(text) is None
