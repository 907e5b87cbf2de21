"""Whether a plural form looks like its category: the ``plural-order`` check's heuristic.

A plural field (a figure's unit) has one catalog form per gettext index, and
which CLDR categories each index is shown for comes from
:mod:`polybrief.plurals` (:func:`~polybrief.plurals.form_categories`: ru
index 0 → ``one`` for 1, 21; index 1 → ``few`` for 2–4; index 2 → ``many``
for 0, 5–20).  This module only judges the text of each form against that.

Forms out of order
------------------
In languages whose nouns agree with a count in three ways (ru, uk, be), a
form written for the wrong category is visible from word endings: Russian
``one`` is nominative singular (``мирный житель``), ``few`` genitive
singular (``мирных жителя``), ``many`` genitive plural (``мирных
жителей``).  :data:`PLURAL_ENDINGS` scores each form against each category
(+1 for a word ending that category takes, −1 for one it never takes);
:func:`misplaced_forms` reports a form that scores strictly better as another
category than as its own — ``мирный житель`` shown for 5.  Forms that do not
decide (``солдат`` is both ``one`` and ``many``) are never reported.  A
morphological analyser (pymorphy3) would know more, but only for Russian and
Ukrainian, with a dictionary of its own to install; the endings are enough
for a figure's unit, which is a noun with at most an adjective.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["PLURAL_ENDINGS", "misplaced_forms"]

#: Per language and category: (endings that category's words take, endings they never take).
PLURAL_ENDINGS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ru": {
        "one": (("ый", "ий", "ой", "ая", "яя", "ое", "ее"), ("ых", "их", "ов", "ев", "ёв", "ей")),
        "few": (("ых", "их", "а", "я", "ы", "и"), ("ый", "ой", "ов", "ев", "ёв", "ей")),
        "many": (("ых", "их", "ов", "ев", "ёв", "ей"), ("ый", "ой", "ая", "яя", "ое", "ее", "а", "я", "ы", "и")),
    },
    "uk": {
        "one": (("ий", "ій"), ("их", "іх", "ів", "їв", "ей", "і", "и")),
        "few": (("і", "и", "ї"), ("ий", "ій", "их", "іх", "ів", "їв", "ей")),
        "many": (("их", "іх", "ів", "їв", "ей"), ("ий", "ій", "і", "и", "ї")),
    },
    "be": {
        "one": (("ы", "і"), ("ых", "іх", "аў", "яў", "ей")),
        "few": (("ыя", "ія", "ы", "і"), ("аў", "яў", "ей")),
        "many": (("ых", "іх", "аў", "яў", "ей"), ("ыя", "ія")),
    },
}
_WORD = re.compile(r"[^\W\d_]+")


def _score(text: str, category: str, table: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> int:
    takes, never = table[category]
    score = 0
    for word in _WORD.findall(text.lower()):
        # The longest listed ending decides (ий is not и), so look for the longest match first.
        best = max((e for e in (*takes, *never) if word.endswith(e) and len(word) > len(e)), key=len, default=None)
        if best is None:
            continue
        score += 1 if best in takes else -1
    return score


def misplaced_forms(forms: Sequence[str], categories: Sequence[Sequence[str]],
                    language: str) -> list[tuple[int, str, str]]:
    """``(index, own category, better category)`` for each form that reads as another category.

    Only forms shown for exactly one category the table knows are judged;
    empty forms are left to the ``plural-forms`` check.
    """
    table = PLURAL_ENDINGS.get(language)
    if table is None:
        return []
    out = []
    for index, (form, cats) in enumerate(zip(forms, categories)):
        if len(cats) != 1 or cats[0] not in table or not form.strip():
            continue
        own = cats[0]
        scores = {cat: _score(form, cat, table) for cat in table}
        best = max(scores.values())
        winners = [cat for cat, s in scores.items() if s == best]
        if scores[own] < best and len(winners) == 1:
            out.append((index, own, winners[0]))
    return out
