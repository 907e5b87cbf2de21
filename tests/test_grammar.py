"""Grammar polybrief owns: the plural form of a number as written, Arabic's one and two, quotation marks.

The tables are written by hand from Russian and Arabic grammar, not from polybrief's output:

* a number shown with decimals takes CLDR's category for the number *as written* (1.0 is not 1): in
  Russian every such number is ``other``, and a three-form catalog (GNU's rule, which has no form for
  fractions) shows it in its ``few`` form, the genitive singular East Slavic takes after a fraction;
  a catalog with CLDR's four forms, as Django and Transifex write Russian, shows its fourth;
* Arabic writes one and two with the noun alone (its singular and dual are the number), so an exact
  figure's phrase may drop ``{count}`` in those forms, and "1 شخص واحد" is never printed;
* quotation marks come from CLDR for every locale it has, and Russian and Armenian put a quoted
  sentence's full stop after the closing mark.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import polybrief
from conftest import field_key
from polybrief import get_locale, localise, update_catalog
from polybrief.plurals import FRACTION_FALLBACK, form_index
from polybrief.qa import check_localised

#: GNU's Russian rule (three forms: one, few, many) and the one Django and Transifex write (a fourth for fractions).
RU_GNU = "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2"
RU_DJANGO = ("(n % 1 == 0 && n % 10 == 1 && n % 100 != 11 ? 0 : n % 1 == 0 && n % 10 >= 2 && n % 10 <= 4 && "
             "(n % 100 < 12 || n % 100 > 14) ? 1 : n % 1 == 0 && (n % 10 ==0 || (n % 10 >=5 && n % 10 <=9) || "
             "(n % 100 >=11 && n % 100 <=14 )) ? 2: 3)")

#: "million residents" and "about … million" in Russian, by form; what a reader must see, by hand.
RU_MILLION = ("{count} миллион жителей", "{count} миллиона жителей", "{count} миллионов жителей")
RU_ABOUT_MILLION_4 = ("около {count} миллиона", "около {count} миллионов", "около {count} миллионов",
                      "около {count} миллиона")
RU_KILOMETRE = ("{count} километр", "{count} километра", "{count} километров")
RU_DECIMALS = [
    # value, precision, forms, what a Russian reader must see
    ("2.93", 2, RU_MILLION, "2,93 миллиона жителей"),
    ("1", 1, RU_KILOMETRE, "1,0 километра"),
    ("21.5", None, RU_KILOMETRE, "21,5 километра"),
    ("0.5", None, RU_KILOMETRE, "0,5 километра"),
    ("21", None, RU_KILOMETRE, "21 километр"),
    ("5", None, RU_KILOMETRE, "5 километров"),
]


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1.5"), 3), (Decimal("1.0"), 3), (Decimal("2.93"), 3), (1, 0), (2, 1), (5, 2), (21, 0),
    (Decimal("120000"), 2),
])
def test_a_four_form_catalog_shows_fractions_in_its_fourth_form(value, expected):
    assert form_index(value, 4, RU_DJANGO, get_locale("ru")) == expected
    assert RU_ABOUT_MILLION_4[form_index(Decimal("1.5"), 4, RU_DJANGO, get_locale("ru"))].replace(
        "{count}", "1,5") == "около 1,5 миллиона"


@pytest.mark.parametrize(("tag", "value", "expected"), [
    ("ru", Decimal("1.5"), 1), ("ru", Decimal("1.0"), 1), ("uk", Decimal("2.5"), 1), ("ru", 1, 0), ("ru", 5, 2),
    ("be", Decimal("1.0"), 0),  # Belarusian keeps 1.0 in "one" (CLDR)
])
def test_a_three_form_catalog_shows_fractions_in_the_few_form(tag, value, expected):
    assert FRACTION_FALLBACK[tag] == "few"
    assert form_index(value, 3, RU_GNU, get_locale(tag)) == expected


@pytest.mark.parametrize(("tag", "value", "expected"), [
    ("en", Decimal("1.0"), 1), ("en", Decimal("1"), 0), ("en", Decimal("0.5"), 1),
    ("fa", Decimal("0.5"), 0), ("fa", Decimal("1.5"), 1), ("hy", Decimal("1.5"), 0), ("hy", Decimal("2.5"), 1),
])
def test_two_form_languages_take_cldrs_category_of_the_written_number(tag, value, expected):
    expression = {"en": "(n != 1)", "fa": "(n > 1)", "hy": "(n > 1)"}[tag]
    assert form_index(value, 2, expression, get_locale(tag)) == expected


def _figures_catalog(brief, tag, root, po_io, forms):
    locale = get_locale(tag)
    path = update_catalog(brief, locale, root)
    catalog = po_io.read(path)
    for n, translation in enumerate(forms):
        key = field_key(brief, f"figures[{n}].unit")
        next(m for m in catalog if m.context == key).string = translation
    po_io.write(path, catalog)
    return polybrief.load_brief_catalog(brief, locale, root)


def _shown(figure) -> str:
    phrase = figure.phrase.text
    return phrase.replace("{count}", figure.number)


def test_russian_decimals_table(make_brief, tmp_path, po_io):
    brief = make_brief(figures=[
        {"label": f"Figure {n}", "kind": "decimal", "value": value, "precision": precision,
         "unit": {"one": "unit", "other": "units"}} for n, (value, precision, _forms, _shown) in enumerate(RU_DECIMALS)])
    catalog = _figures_catalog(brief, "ru", tmp_path, po_io, [forms for _v, _p, forms, _s in RU_DECIMALS])
    localised = localise(brief, "ru", catalog=catalog)
    assert [_shown(f) for f in localised.figures] == [expected for *_rest, expected in RU_DECIMALS]


#: Arabic exact counts of "person" by form (zero, one, two, few 3-10, many 11-99, other 100+), and what an
#: Arabic reader must see for each count: one and two are the noun alone, never "1 شخص واحد".
AR_PERSON = ("{count} شخص", "شخص واحد", "شخصان", "{count} أشخاص", "{count} شخصًا", "{count} شخص")
AR_EXACT = [(1, "شخص واحد"), (2, "شخصان"), (3, "3 أشخاص"), (10, "10 أشخاص"), (11, "11 شخصًا"),
            (99, "99 شخصًا"), (100, "100 شخص"), (102, "102 شخص"), (111, "111 شخصًا")]


def test_arabic_exact_forms_table(make_brief, tmp_path, po_io):
    brief = make_brief(figures=[{"label": f"People {n}", "value": n, "unit": {"one": "person", "other": "people"}}
                                for n, _ in AR_EXACT])
    assert all(u.text == "{count} person" for u in polybrief.translation_units(brief) if u.is_plural)
    catalog = _figures_catalog(brief, "ar", tmp_path, po_io, [AR_PERSON] * len(AR_EXACT))
    localised = localise(brief, "ar", catalog=catalog)
    assert [_shown(f) for f in localised.figures] == [shown for _n, shown in AR_EXACT]
    assert all(f.phrase.provenance is polybrief.Provenance.REVIEWED for f in localised.figures)
    # and the checks agree: a form shown for one number may spell it out
    assert check_localised(localised) == []


def test_an_exact_unit_in_a_catalog_written_before_phrases_is_still_published(make_brief, tmp_path, po_io):
    """A catalog keyed the exact unit by the bare unit ("civilian"): still the reviewed translation on the
    page, with the number before it as before; ``update`` moves it to the phrase, reviewed."""
    brief = make_brief(figures=[{"label": "Killed", "value": 5, "unit": {"one": "civilian", "other": "civilians"}}])
    ru = get_locale("ru")
    path = update_catalog(brief, ru, tmp_path)
    key = field_key(brief, "figures[0].unit")
    text = path.read_text(encoding="utf-8")
    old = text.replace('msgid "{count} civilian"\nmsgid_plural "{count} civilians"',
                       'msgid "civilian"\nmsgid_plural "civilians"').replace("#, python-brace-format\n", "")
    old = old.replace('msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""',
                      'msgstr[0] "мирный житель"\nmsgstr[1] "мирных жителя"\nmsgstr[2] "мирных жителей"')
    path.write_text(old, encoding="utf-8")
    figure = localise(brief, ru, catalog=polybrief.load_brief_catalog(brief, ru, tmp_path)).figures[0]
    assert figure.phrase.provenance is polybrief.Provenance.REVIEWED and _shown(figure) == "5 мирных жителей"
    update_catalog(brief, ru, tmp_path)
    entry = next(m for m in po_io.read(path) if m.context == key)
    assert entry.id == ("{count} civilian", "{count} civilians") and not entry.fuzzy
    assert entry.string == ("{count} мирный житель", "{count} мирных жителя", "{count} мирных жителей")


@pytest.mark.parametrize(("tag", "marks"), [
    ("pl", ("„", "”", "«", "»")), ("kk", ("«", "»", "“", "”")), ("ja", ("「", "」", "『", "』")),
    ("fr-CH", ("«", "»", "‹", "›")),  # CLDR's fr_CH, not the override of fr (« with a space)
    ("fr", ("« ", " »", "« ", " »")), ("uk", ("«", "»", "„", "“")),
])
def test_quotation_marks_from_cldr_for_locales_polybrief_has_no_table_for(tag, marks):
    quotes = get_locale(tag).quotes
    assert (quotes.start, quotes.end, quotes.alt_start, quotes.alt_end) == marks


@pytest.mark.parametrize(("tag", "text", "quoted"), [
    ("ru", "подвергаются военному нападению.", "«подвергаются военному нападению»."),
    ("hy", "ենթարկվում են ռազմական հարձակման։", "«ենթարկվում են ռազմական հարձակման»։"),
    ("ru", "Кто это сделал?", "«Кто это сделал?»"),  # a question mark belongs to the quote
    ("ru", "И так далее...", "«И так далее...»"),
    ("en", "are under military attack.", "“are under military attack.”"),
    ("de", "Wir bleiben.", "„Wir bleiben.“"),
])
def test_a_quoted_sentences_full_stop_by_locale_convention(tag, text, quoted):
    assert get_locale(tag).quotes.quote(text) == quoted


@pytest.mark.parametrize(("tag", "joined"), [("fa", "en→fa m1، en→fa m2، و en→fa m3"),
                                             ("ru", "en→ru m1, en→ru m2 и en→ru m3"),
                                             ("hy", "en→hy m1, en→hy m2 և en→hy m3")])
def test_the_notice_lists_models_as_the_page_language_lists_things(make_brief, tag, joined):
    """Several models in a notice are joined by CLDR's list pattern: the Persian comma and "و", not ", "."""
    brief = make_brief(lead=["One.", "Two.", "Three."])
    paths = [u.path for u in polybrief.translation_units(brief) if u.position.startswith("lead[")]
    machine = {path: polybrief.MachineTranslation(f"[{tag}] x", 0.0, "e", (f"en→{tag} m{n}",))
               for n, path in enumerate(paths, 1)}
    localised = localise(brief, tag, machine=machine)
    assert localised.models("machine").replace("\u200f", "") == joined
