"""The brief model and brief files: the seed brief, round trips, the schema, and
every kind of bad input an editor can produce (each error names file, line, field)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import polybrief
from polybrief import BriefError, dump_brief, load, read_brief, save


def _line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


# -- the seed brief ------------------------------------------------------------------


def test_example_has_every_paragraph_and_item(example_brief, example_path):
    text = example_path.read_text(encoding="utf-8")
    brief = example_brief
    assert brief.id == "nagorno-karabakh"
    assert brief.language == "en"
    assert brief.headline == 'Azerbaijan launches "anti-terrorist" offensive in Nagorno-Karabakh'
    assert len(brief.lead) == 3
    assert brief.lead[0].startswith("Azerbaijan's Defense Ministry announced on Tuesday")
    assert brief.lead[1].startswith("Azerbaijani forces reportedly initiated artillery fire")
    assert brief.lead[2].startswith("Tensions between Armenia and Azerbaijan have simmered")
    assert len(brief.closing) == 1 and "highly volatile" in brief.closing[0]
    (section,) = brief.sections
    labels = [item.label for item in section.items]
    assert labels == [
        "Civilian Casualties", "Azerbaijan's Statement", "Human Rights Concerns", "Armenia's Appeal",
        "Armenian Prime Minister's Statement", "Ceasefire Proposal", "International Involvement",
        "EU Condemnation", "TikTok Access Restricted", "Global Concern",
    ]
    for item in section.items:
        assert item.text.strip() and f"label: {item.label}" in text
    assert "Henrikh Mkhitaryan" in section.items[9].text and section.items[9].source == "Henrikh Mkhitaryan on X"
    # YAML folded the long lines: no paragraph keeps a line break or a double space
    for paragraph in [*brief.lead, *(i.text for i in section.items), *brief.closing]:
        assert "\n" not in paragraph and "  " not in paragraph


def test_example_dateline_and_published(example_brief):
    assert example_brief.dateline.place == "New Delhi"
    assert example_brief.dateline.date == date(2023, 9, 19)
    published = example_brief.published
    assert published.tzinfo is not None
    assert published.utcoffset() == timedelta(hours=5, minutes=30)
    assert published.strftime("%A") == "Tuesday"
    assert published.isoformat() == "2023-09-19T18:00:00+05:30"


def test_example_figures_carry_values_and_sources(example_brief):
    figures = example_brief.figures
    assert [f.value for f in figures[:6]] == [2, 11, 2, 23, 120000, 30000]
    assert [f.source for f in figures[:6]] == [
        "AFP", "AFP",
        "Human Rights Ombudsman of Nagorno-Karabakh", "Human Rights Ombudsman of Nagorno-Karabakh",
        "Henrikh Mkhitaryan on X", "Henrikh Mkhitaryan on X",
    ]
    assert figures[0].qualifier == "at-least" and figures[1].qualifier == "exact"
    assert figures[5].unit == {"one": "child", "other": "children"}
    names = {s.name for s in example_brief.sources}
    for cited in [f.source for f in figures if f.source] + [i.source for i in example_brief.sections[0].items if i.source]:
        assert cited in names
        assert example_brief.source_named(cited).name == cited


def test_models_are_frozen(example_brief):
    with pytest.raises(Exception, match="frozen"):
        example_brief.headline = "changed"  # type: ignore[misc]


# -- round trips --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_dump_and_read_round_trip(example_brief, fmt):
    text = dump_brief(example_brief, format=fmt)
    assert read_brief(text, format=fmt) == example_brief
    if fmt == "json":
        assert json.loads(text)["id"] == "nagorno-karabakh"
    # serialising the re-read brief gives the very same text (stable output)
    assert dump_brief(read_brief(text, format=fmt), format=fmt) == text


@pytest.mark.parametrize("name", ["copy.yaml", "copy.yml", "copy.json"])
def test_save_and_load_round_trip(example_brief, tmp_path, name):
    path = tmp_path / name
    save(example_brief, path)
    assert load(path) == example_brief
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # atomic write left no temp file
    if name.endswith(".json"):
        json.loads(path.read_text(encoding="utf-8"))
    else:
        assert path.read_text(encoding="utf-8").startswith("id: nagorno-karabakh\n")


def test_write_brief_to_stream(example_brief):
    import io

    stream = io.StringIO()
    polybrief.write_brief(stream, example_brief, format="json")
    assert read_brief(stream.getvalue(), format="json") == example_brief


def test_json_schema_accepts_what_the_model_accepts_and_refuses_what_it_refuses(example_brief):
    """The exported schema, run by a real JSON Schema validator, agrees with the model on real and broken briefs."""
    import jsonschema

    schema = polybrief.brief_json_schema()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    good = json.loads(polybrief.dump_brief(example_brief, format="json"))
    assert list(validator.iter_errors(good)) == []

    def broken(change) -> dict:
        data = json.loads(json.dumps(good))
        change(data)
        return data

    variants = {
        "missing headline": broken(lambda d: d.pop("headline")),
        "unknown top-level field": broken(lambda d: d.update(headlines="x")),
        "unknown qualifier": broken(lambda d: d["figures"][0].update(qualifier="nearly")),
        "id with capitals": broken(lambda d: d.update(id="Nagorno")),
        "empty lead": broken(lambda d: d.update(lead=[])),
        "section without items": broken(lambda d: d["sections"][0].update(items=[])),
    }
    for name, data in variants.items():
        assert list(validator.iter_errors(data)), f"schema accepts {name}"
        with pytest.raises(polybrief.BriefError):
            read_brief(json.dumps(data), format="json")


# -- bad input ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_text(example_path) -> str:
    return example_path.read_text(encoding="utf-8")


def _error(text: str, fmt: str = "yaml", filename: str = "brief.yaml") -> BriefError:
    with pytest.raises(BriefError) as info:
        read_brief(text, format=fmt, filename=filename)
    assert isinstance(info.value, polybrief.PolybriefError)
    return info.value


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\nheadline: [never closed\nlead: text\n", encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load(path)
    error = info.value
    assert error.file == str(path)
    assert error.line == 3
    assert error.field is None
    assert "invalid YAML" in error.message
    assert str(error).startswith(f"{path}:3: invalid YAML")


def test_malformed_json_names_the_line():
    error = _error('{\n  "id": "x",\n  "headline": ,\n  "lead": []\n}\n', "json", "brief.json")
    assert (error.file, error.line) == ("brief.json", 3)
    assert error.message.startswith("invalid JSON: Expecting value")


def test_missing_field(example_text):
    text = example_text.replace('headline: Azerbaijan launches "anti-terrorist" offensive in Nagorno-Karabakh\n', "")
    error = _error(text)
    assert error.field == "headline"
    assert error.message == "required field is missing"
    assert error.line == _line_of(text, "id: nagorno-karabakh")  # the mapping that lacks it
    assert str(error) == f"brief.yaml:{error.line}: headline: required field is missing"


def test_wrong_type_names_the_field_not_the_union_member(example_text):
    text = example_text.replace("  value: 11\n", "  value: eleven\n")
    error = _error(text)
    assert error.field == "figures[1].value"
    assert error.line == _line_of(text, "value: eleven")
    assert "'eleven' is not a plain number" in error.message
    assert "more problem" not in error.message  # int | Decimal failing is one problem


def test_wrong_type_in_json_has_line(example_brief):
    data = json.loads(dump_brief(example_brief, format="json"))
    data["lead"] = "not a list"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    error = _error(text, "json", "brief.json")
    assert error.field == "lead"
    assert error.line == _line_of(text, '"lead": "not a list"')
    assert "valid list" in error.message


@pytest.mark.parametrize("blank", ['""', '"   "', '"\\t\\n"'])
def test_empty_headline(example_text, blank):
    text = example_text.replace(
        'headline: Azerbaijan launches "anti-terrorist" offensive in Nagorno-Karabakh', f"headline: {blank}")
    error = _error(text)
    assert error.field == "headline"
    assert error.line == _line_of(text, "headline:")
    assert error.message == "must not be empty or only whitespace"


def test_naive_datetime(example_text):
    text = example_text.replace("published: 2023-09-19T18:00:00+05:30", "published: 2023-09-19T18:00:00")
    error = _error(text)
    assert error.field == "published"
    assert error.line == _line_of(text, "published:")
    assert "no time zone" in error.message and "+04:00" in error.message


def test_item_citing_an_undeclared_source(example_text):
    text = example_text.replace("    source: Ministry of Defense of Azerbaijan\n", "    source: Reuters\n")
    error = _error(text)
    assert error.field == "sections[0].items[1].source"
    assert error.line == _line_of(text, "source: Reuters")
    assert error.message == "cites 'Reuters', which is not listed under 'sources'"


def test_duplicate_source_name(example_text):
    text = example_text.replace("- name: The Insider\n", "- name: AFP\n")
    error = _error(text)
    assert error.field == "sources[4].name"
    assert "duplicate source name 'AFP'" in error.message


def test_duplicate_yaml_key(example_text):
    text = example_text.replace("id: nagorno-karabakh\n", "id: nagorno-karabakh\nid: another-id\n")
    error = _error(text)
    assert error.line == _line_of(text, "id: another-id")
    assert error.message == "invalid YAML: duplicate key 'id'"


@pytest.mark.parametrize("bad_id", ["Nagorno_Karabakh", "two--hyphens", "-leading", "trailing-", "with space"])
def test_bad_slug_id(example_text, bad_id):
    text = example_text.replace("id: nagorno-karabakh\n", f"id: '{bad_id}'\n")
    error = _error(text)
    assert error.field == "id"
    assert error.line == _line_of(text, "id: '")
    assert error.message == "id must be a slug: lower-case letters, digits and single hyphens"


@pytest.mark.parametrize("suffix", [".txt", ".yaml.bak", ""])
def test_unknown_file_extension(example_path, tmp_path, example_brief, suffix):
    path = tmp_path / f"brief{suffix}"
    path.write_bytes(example_path.read_bytes())
    with pytest.raises(BriefError) as info:
        load(path)
    assert info.value.file == str(path)
    assert "unknown brief file type" in info.value.message
    assert "yaml" in info.value.hint and "json" in info.value.hint
    with pytest.raises(BriefError, match="unknown brief file type"):
        save(example_brief, path.with_name("out" + suffix))
    assert not path.with_name("out" + suffix).exists()


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(BriefError, match="no such file") as info:
        load(tmp_path / "absent.yaml")
    assert info.value.file == str(tmp_path / "absent.yaml")
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BriefError, match="not UTF-8"):
        load(latin)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "https://example.org/a b", "ftp://example.org/"])
def test_source_url_must_be_a_safe_link(example_text, url):
    text = example_text.replace("url: https://www.afp.com/", f"url: {json.dumps(url)}")
    error = _error(text)
    assert error.field == "sources[0].url"
    assert error.line == _line_of(text, f"url: {json.dumps(url)}")
    assert "http://, https:// or mailto:" in error.message


def test_unknown_field_and_top_level_list(example_text):
    error = _error(example_text.replace("standfirst: >-", "standfirts: >-"))
    assert error.field == "standfirts" and "unknown field" in error.message
    error = _error("- just\n- a list\n")
    assert error.line == 1 and "expected a mapping" in error.message


def test_plural_forms_need_other(example_text):
    text = example_text.replace("unit: {one: child, other: children}", "unit: {one: child, few: children}")
    error = _error(text)
    assert error.field == "figures[5].unit"
    assert "'other' form" in error.message


# -- property: arbitrary Unicode survives both formats ------------------------------


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headline=_TEXT, lead=_TEXT, item=_TEXT)
def test_unicode_text_round_trips_losslessly(make_brief, headline, lead, item):
    brief = make_brief(
        headline=headline,
        lead=[lead, "Second paragraph."],
        sections=[{"heading": "Updates", "items": [{"label": "Note", "text": item}]}],
        sources=[],
    )
    for fmt in ("yaml", "json"):
        back = read_brief(dump_brief(brief, format=fmt), format=fmt)
        assert back.headline == headline, fmt
        assert back.lead[0] == lead, fmt
        assert back.sections[0].items[0].text == item, fmt
        assert back == brief, fmt


@pytest.mark.parametrize("tricky", ["line\u2028separator", "next\x85line", "carriage\rreturn", "trailing space \n",
                                    "\ttab\tand\nnewline", "- looks like a list", "key: value", "'quoted'",
                                    "#not a comment", "null", "yes", "123", "Ադրբեջան «մեջբերում»"])
def test_yaml_scalars_that_look_special_survive(make_brief, tmp_path, tricky):
    brief = make_brief(headline=tricky)
    path = tmp_path / "b.yaml"
    save(brief, path)
    assert load(path).headline == tricky
