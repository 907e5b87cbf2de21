"""Key figures of every kind: counts, percentages, money (in full and compact) and
measurements with a precision — validated with errors that say what to write, documented
in the JSON Schema, formatted by CLDR without rounding, and never losing their number."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

import polybrief
from conftest import without_hidden
from polybrief import (
    Session,
    BriefError,
    Project,
    Renderer,
    localise,
    read_brief,
)


def _brief(make_brief, *figures):
    return make_brief(figures=list(figures), sources=[{"name": "City Hall", "url": "https://example.org/city-hall"},
                                                      {"name": "UNHCR", "url": "https://www.unhcr.org/"}])


def _yaml_error(figure_yaml: str) -> BriefError:
    text = f"""id: figures
headline: Figures
dateline: {{place: Goris, date: 2023-09-30}}
published: 2023-09-30T21:15:00+04:00
lead: [Refugees arrived.]
figures:
- label: A figure
{figure_yaml}
"""
    with pytest.raises(BriefError) as info:
        read_brief(text, filename="figures.yaml")
    return info.value


# -- the model ---------------------------------------------------------------------------


def test_every_kind_validates(make_brief):
    brief = _brief(
        make_brief,
        {"label": "Refugees", "value": 100000, "qualifier": "at-least", "unit": {"one": "refugee", "other": "refugees"}},
        {"label": "Share", "kind": "percent", "value": 84.5},
        {"label": "Appeal", "kind": "currency", "currency": "USD", "value": 97000000, "compact": True},
        {"label": "Payment", "kind": "currency", "currency": "AMD", "value": 100000},
        {"label": "Population", "kind": "decimal", "value": "2.93", "precision": 2,
         "unit": {"one": "million residents", "other": "million residents"}},
    )
    kinds = [(f.kind, f.value) for f in brief.figures]
    assert kinds == [("count", 100000), ("percent", Decimal("84.5")), ("currency", 97000000),
                     ("currency", 100000), ("decimal", Decimal("2.93"))]
    # a YAML float is taken as written, not as its binary approximation
    assert str(brief.figures[1].value) == "84.5"


def test_percent_sign_in_the_value_makes_a_percent_figure():
    brief = read_brief("""id: p
headline: H
dateline: {place: Goris, date: 2023-09-30}
published: 2023-09-30T21:15:00+04:00
lead: [L.]
figures:
- {label: Share, value: 84.5%}
- {label: Share again, kind: percent, value: "84.5 %"}
""")
    assert [(f.kind, f.value) for f in brief.figures] == [("percent", Decimal("84.5"))] * 2


@pytest.mark.parametrize(("figure", "field", "needles"), [
    # the reported defect: "84.5%" with a count gave "input should be a valid integer"
    ("  kind: count\n  value: 84.5%", "figures[0].value", ["is a percentage", "kind: percent", "value: 84.5"]),
    ("  value: $97 million", "figures[0].value", ["not a plain number", "kind: currency"]),
    ("  value: 1,000", "figures[0].value", ["not a plain number", "no thousands separators"]),
    ("  value: 2.5\n  unit: {one: km, other: km}", "figures[0].value", ["a count is a whole number", "kind: decimal"]),
    ("  value: true", "figures[0].value", ["not true/false"]),
    ("  kind: currency\n  value: 97000000", "figures[0].currency", ["needs its ISO 4217 code", "currency: USD"]),
    ("  kind: currency\n  currency: usd\n  value: 97", "figures[0].currency", ["not an ISO 4217", "did you mean USD"]),
    ("  kind: currency\n  currency: XYZ\n  value: 97", "figures[0].currency", ["not an ISO 4217"]),
    ("  kind: currency\n  currency: USD\n  value: 12.345", "figures[0].precision", ["amounts of USD have 2 decimal"]),
    ("  kind: currency\n  currency: USD\n  value: 97\n  unit: {one: dollar, other: dollars}", "figures[0].unit",
     ["has no unit", "the currency"]),
    ("  kind: percent\n  value: 84.5\n  unit: {one: percent, other: percent}", "figures[0].unit",
     ["has no unit", "the % sign"]),
    ("  kind: percent\n  value: 84.5\n  compact: true", "figures[0].compact", ["currency figures only"]),
    ("  value: 12\n  currency: USD", "figures[0].currency", ["only a currency figure", "kind: currency"]),
    ("  value: 12\n  precision: 1", "figures[0].precision", ["has no precision", "kind: decimal"]),
    ("  kind: decimal\n  value: 3.14159\n  precision: 2", "figures[0].precision", ["5 decimal places",
                                                                                   "never rounds"]),
    ("  kind: decimal\n  value: 3\n  precision: 9", "figures[0].precision", ["less than or equal to 6"]),
    ("  kind: ratio\n  value: 3", "figures[0].kind", ["'count'", "'percent'", "'currency'", "'decimal'"]),
])
def test_each_kind_has_a_clear_error(figure, field, needles):
    error = _yaml_error(figure)
    assert error.field == field, error
    assert error.line is not None and error.line >= 7
    for needle in needles:
        assert needle in error.message, (needle, error.message)


def test_schema_documents_the_kinds():
    schema = polybrief.brief_json_schema()
    figure = schema["$defs"]["Figure"]
    properties = figure["properties"]
    assert properties["kind"]["enum"] == ["count", "percent", "currency", "decimal"]
    for name in ("kind", "value", "currency", "compact", "precision"):
        assert properties[name].get("description"), name
    assert "ISO 4217" in properties["currency"]["description"]
    assert "never rounded" in properties["precision"]["description"]
    rules = {json.dumps(rule["if"], sort_keys=True): rule["then"] for rule in figure["allOf"]}
    currency_rule = rules[json.dumps({"required": ["kind"], "properties": {"kind": {"const": "currency"}}},
                                     sort_keys=True)]
    assert currency_rule["required"] == ["currency"]


def test_schema_accepts_what_the_model_accepts(make_brief):
    """The example with every kind validates against the published schema (jsonschema, if installed)."""
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from polybrief.brief_io import _loader_class

    with open("examples/goris-refugees.yaml", encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_loader_class())
    data = json.loads(json.dumps(data, default=str))
    jsonschema.validate(data, polybrief.brief_json_schema())
    bad = json.loads(json.dumps(data))
    del bad["figures"][2]["currency"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, polybrief.brief_json_schema())


# -- formatting ---------------------------------------------------------------------------


def test_figures_are_never_rounded(make_brief):
    brief = _brief(
        make_brief,
        {"label": "Share", "kind": "percent", "value": "84.56"},
        {"label": "Length", "kind": "decimal", "value": "1.23456", "unit": {"one": "km", "other": "km"}},
        {"label": "Appeal", "kind": "currency", "currency": "USD", "value": 97312456, "compact": True},
        {"label": "Appeal", "kind": "currency", "currency": "USD", "value": 97300000, "compact": True},
        {"label": "Price", "kind": "currency", "currency": "USD", "value": "12.5"},
        {"label": "Weight", "kind": "decimal", "value": "2.5", "precision": 2, "unit": {"one": "t", "other": "t"}},
    )
    numbers = [fig.number for fig in localise(brief, "en").figures]
    # Babel's defaults would print 85%, 1.235, $97M, $97M and $12.5
    assert numbers == ["84.56%", "1.23456", "$97,312,456", "$97.3M", "$12.50", "2.50"]
    assert [fig.number for fig in localise(brief, "ru").figures][:2] == ["84,56\u00a0%", "1,23456"]


def test_currency_spacing_follows_cldr(make_brief):
    """Babel writes AMD100,000; CLDR's currency spacing puts a no-break space between a
    letter symbol and a digit (as ICU does), and none after a sign such as $."""
    brief = _brief(make_brief, {"label": "Payment", "kind": "currency", "currency": "AMD", "value": 100000},
                   {"label": "Appeal", "kind": "currency", "currency": "USD", "value": 97000000})
    assert [fig.number for fig in localise(brief, "en").figures] == ["AMD\u00a0100,000", "$97,000,000"]


def test_figure_cells_in_html_and_text(make_brief):
    brief = _brief(
        make_brief,
        {"label": "Share", "value": "84.5%", "qualifier": "about", "source": "City Hall"},
        {"label": "Appeal", "kind": "currency", "currency": "USD", "value": 97000000, "compact": True,
         "source": "UNHCR"},
    )
    renderer = Renderer()
    for tag, cells in {"en": ["about 84.5%", "$97M"], "ru": ["около 84,5\u00a0%", "97\u00a0млн\u00a0$"],
                       "hy": ["մոտ 84,5%", "97\u00a0մլն\u00a0$"]}.items():
        localised = localise(brief, tag)
        html = renderer.render(localised)
        found = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="amount"[^>]*>(.*?)</td>', without_hidden(html))]
        assert found == cells, tag
        assert '<data value="84.5">' in html and '<data value="97000000">' in html
        text = renderer.render(localised, format="text")
        for cell in cells:
            assert cell in text, (tag, cell)


def test_shipped_example_with_every_kind_publishes_in_seven_locales(tmp_path, repo_root):
    report = polybrief.publish([repo_root / "examples" / "goris-refugees.yaml"],
                               locales=["en", "hy", "az", "ru", "ka", "fa", "ar"], out_dir=tmp_path)
    by_tag = {loc.locale.tag: loc for loc in report.localised}
    assert by_tag["ru"].provenance_counts()["reviewed"] == by_tag["fa"].provenance_counts()["reviewed"] == 20
    ru = without_hidden((tmp_path / "ru" / "goris-refugees.html").read_text(encoding="utf-8"))
    assert "не менее <data value=\"100000\">100\u00a0000</data> беженцев" in ru
    fa = without_hidden((tmp_path / "fa" / "goris-refugees.html").read_text(encoding="utf-8"))
    assert "دست‌کم <data value=\"100000\">۱۰۰٬۰۰۰</data> پناه‌جو" in fa
    assert "۸۴٫۵٪" in fa and "۹۷\u00a0میلیون" in fa
    # locales with no catalog have not one translated segment: never published as those languages
    assert sorted(tag for _brief_id, tag in report.withheld) == ["ar", "az", "hy", "ka"]
    for tag in ("hy", "az", "ka", "ar"):
        assert not (tmp_path / tag).exists()
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="ka"' not in index and 'hreflang="fa"' in index


def test_example_with_every_kind_has_no_qa_findings(repo_root):
    project = Project()
    session = Session(project)
    source = session.open_brief(repo_root / "examples" / "goris-refugees.yaml")
    report = polybrief.check_briefs([session.localise(source, tag) for tag in ("ru", "fa")])
    assert report.findings == {"ru": (), "fa": ()}


def test_unit_of_a_decimal_is_chosen_by_the_number_shown(make_brief):
    """CLDR counts visible decimals: 1.0 takes the plural in English, as 2.5 does."""
    brief = _brief(make_brief, {"label": "Road", "kind": "decimal", "value": "1", "precision": 1,
                                "unit": {"one": "kilometre", "other": "kilometres"}},
                   {"label": "Road", "kind": "decimal", "value": "1", "unit": {"one": "kilometre", "other": "kilometres"}},
                   {"label": "Road", "kind": "decimal", "value": "2.5", "unit": {"one": "kilometre", "other": "kilometres"}})
    assert [fig.phrase.text.replace("{count}", fig.number) for fig in localise(brief, "en").figures] == [
        "1.0 kilometres", "1 kilometre", "2.5 kilometres"]


def test_cli_digits_option(run_cli, repo_root, tmp_path):
    brief = repo_root / "examples" / "goris-refugees.yaml"
    native = run_cli("render", brief, "--locale", "fa", "--format", "text", cwd=tmp_path)
    latin = run_cli("render", brief, "--locale", "fa", "--format", "text", "--digits", "latin", cwd=tmp_path)
    assert native.returncode == latin.returncode == 0, (native.stderr, latin.stderr)
    assert "۳۰ سپتامبر ۲۰۲۳" in native.stdout and "30 سپتامبر 2023" in latin.stdout
    assert "\u200e$\u00a0۹۷\u00a0میلیون" in native.stdout and "\u200e$\u00a097\u00a0میلیون" in latin.stdout
    # the translators' own digits in the text are theirs: Persian in both
    assert "۸۴٫۵٪ از جمعیت" in latin.stdout
    bad = run_cli("render", brief, "--locale", "fa", "--digits", "arab", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_every_kind_round_trips(repo_root):
    brief = polybrief.load(repo_root / "examples" / "goris-refugees.yaml")
    for fmt in ("yaml", "json"):
        assert read_brief(polybrief.dump_brief(brief, format=fmt), format=fmt) == brief
