"""The ``numbers`` check reads percentages, amounts of money in CLDR's compact forms and
native digits the way each locale writes them: the same value passes in any of its forms,
a different value is still an error."""

from __future__ import annotations

import pytest

from polybrief import get_locale
from polybrief.qa import check_segment


def findings(source: str, target: str, tag: str) -> list[tuple[str, str]]:
    return [(f.check, f.message) for f in check_segment(source, target, path="lead[0]",
                                                          source_locale=get_locale("en"),
                                                          target_locale=get_locale(tag))]


@pytest.mark.parametrize(("target", "tag"), [
    ("84,5 % населения покинули регион.", "ru"),
    ("84,5\u00a0% населения покинули регион.", "ru"),
    ("Տարածաշրջանի բնակչության 84,5%-ը լքել է այն։", "hy"),
    ("Regionun əhalisinin 84,5%-i bölgəni tərk edib.", "az"),
    ("۸۴٫۵٪ از جمعیت منطقه آن را ترک کرده‌اند.", "fa"),  # Persian digits and signs
    ("84.5٪ از جمعیت منطقه آن را ترک کرده‌اند.", "fa"),  # Latin digits are accepted too
    ("غادر ٨٤٫٥٪ من سكان المنطقة.", "ar"),
    ("غادر 84.5% من سكان المنطقة.", "ar"),
])
def test_percent_in_every_locale_form(target, tag):
    assert findings("84.5% of the region's population has left.", target, tag) == []


@pytest.mark.parametrize(("source", "target", "tag"), [
    # CLDR compact forms written by translators (and by polybrief itself for compact figures)
    ("The plan needs $97,000,000.", "Ծրագրին անհրաժեշտ է 97 մլն դոլար։", "hy"),
    ("The plan needs $97,000,000.", "გეგმას 97 მლნ. დოლარი სჭირდება.", "ka"),
    ("The plan needs $97,000,000.", "این طرح به ۹۷ میلیون دلار نیاز دارد.", "fa"),
    ("The plan needs $97,000,000.", "تحتاج الخطة إلى 97 مليون دولار.", "ar"),
    ("The plan needs $97M.", "Plan 97.000.000 dollar tələb edir.", "az"),
    ("The plan needs $97M.", "План требует 97\u00a0млн долларов.", "ru"),
])
def test_compact_scale_words_of_every_locale(source, target, tag):
    assert findings(source, target, tag) == []


@pytest.mark.parametrize(("source", "target", "tag", "missing"), [
    ("84.5% of the population left.", "48,5 % населения уехали.", "ru", "84,5"),
    ("84.5% of the population left.", "۴۸٫۵٪ از جمعیت رفتند.", "fa", "۸۴٫۵"),
    ("The plan needs $97 million.", "План требует 79 млн долларов.", "ru", "97"),
    ("The plan needs $97,000,000.", "Ծրագրին անհրաժեշտ է 79 մլն դոլար։", "hy", "97\u00a0000\u00a0000"),
])
def test_a_different_value_is_still_an_error(source, target, tag, missing):
    found = findings(source, target, tag)
    assert [check for check, _ in found] == ["numbers"]
    assert f"it is written {missing})" in found[0][1]  # in the locale's own digits
