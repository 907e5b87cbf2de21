"""Machine translation failures are loud: ``publish --mt`` summarises each locale and fails when a
locale got nothing usable, ``translate`` applies the same checks and records every rejection, and
``--strict`` names every failing locale at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import polybrief
from conftest import EXAMPLE_ID, assert_one_line_error
from polybrief import Project, TranslationPolicy, publish
from polybrief.catalogs.repository import po_path
from polybrief.mt import TaggingEngine
from polybrief import machine_provider, translate_catalogs
from polybrief.mt import ProtectingEngine
from polybrief.mt.summary import reason_kind, summarise
from mt_doubles import russian_tagger

def _entries(po: Path) -> dict[str, str]:
    out = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgctxt "(.*)"$', block, re.M)
        if match and not block.lstrip().startswith("#~"):
            out[match.group(1)] = block.replace("\n# ", " ")  # unwrap long comments
    return out


def test_reasons_are_grouped_by_kind_without_brief_text():
    assert reason_kind("failed quality checks (script, numbers): most letters are Latn; '120' is missing") == \
        "failed quality checks (script, numbers)"
    assert reason_kind("placeholder for '120,000' did not come back; placeholder for '23' did not come back") == \
        "placeholder for … did not come back"
    assert reason_kind("no machine translation model for en→ka (see `polybrief models list`)") == \
        "no machine translation model for en→ka"


def test_publish_mt_summarises_each_locale(tmp_path, make_brief):
    """Some segments accepted, some rejected: the summary counts both and groups the reasons."""
    brief = make_brief()
    # The decoder loses the placeholder of every number: "2" in the lead, nothing elsewhere.
    brief = make_brief(lead=["The bridge reopened on Tuesday after 2 weeks."])
    engine = ProtectingEngine(russian_tagger(lambda s: s.replace("{1}", "")))
    report = publish([brief], locales=["ru"], out_dir=tmp_path / "out", formats=["html"],
                     machine=machine_provider(engine, progress=False))
    (summary,) = report.machine
    assert (summary.locale, summary.sent, summary.accepted, summary.rejected_count) == ("ru", 6, 5, 1)
    assert summary.rejected == {"placeholder for … did not come back": 1}
    assert summary.line() == "sent 6, accepted 5, rejected 1 (1× placeholder for … did not come back)"


def test_publish_mt_with_nothing_accepted_fails_and_names_every_locale(tmp_path, copy_example, run_cli):
    """Defect 2: every machine output rejected used to print ``ka (source 26)`` and exit 0."""
    empty = tmp_path / "no-models"
    empty.mkdir()
    out = tmp_path / "out"
    # A brief with no catalogs at all: every field goes to MT, which has no model for either pair.
    (copy_example.parent / "locales").rename(tmp_path / "elsewhere")
    result = run_cli("publish", copy_example, "--locales", "ka,hy", "--out", out, "--mt",
                     "--packages-dir", empty, cwd=tmp_path)
    assert_one_line_error(result, "machine translation produced nothing publishable for 2 locale(s)",
                          "ka: 52 sent, none accepted (52× no machine translation model for en→ka)",
                          "hy: 52 sent", "--allow-mt-failure")
    assert not out.exists()
    result = run_cli("publish", copy_example, "--locales", "ka,hy", "--out", out, "--mt",
                     "--packages-dir", empty, "--allow-mt-failure", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "machine translation:" in result.stdout
    assert re.search(r"^\s+ka  sent 52, accepted 0, rejected 52 \(52× no machine translation model for en→ka\)$",
                     result.stdout, re.M), result.stdout


def test_translate_applies_the_publish_checks_and_records_every_rejection(tmp_path, copy_example):
    """Defect 2: translate stored drafts that fail the ``script`` check, which publish --mt rejects."""
    brief = polybrief.load(copy_example)
    root = copy_example.parent / "locales"
    ru = polybrief.get_locale("ru")
    po = po_path(root, ru, brief.id)
    # Empty a few reviewed entries so translate has something to fill.
    units = [u for u in polybrief.translation_units(brief) if not u.is_plural][:3]
    text = po.read_text(encoding="utf-8")
    catalog = polybrief.load_brief_catalog(brief, ru, root)
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        raw = read_po(handle, abort_invalid=True)
    for message in raw:
        if message.context in {u.path for u in units}:
            message.string = ""
    with po.open("wb") as handle:
        write_po(handle, raw)
    assert catalog is not None and text != po.read_text(encoding="utf-8")

    # Latin output on a Russian page: the same error publish --mt gives.
    result = translate_catalogs(brief, [ru], TaggingEngine(), project=Project(catalogs_dir=root), progress=False)
    assert result == {"ru": 0}
    summary = result.summary("ru")
    assert summary is not None and summary.rejected_count == 3
    assert all(kind.startswith("failed quality checks (script") for kind in summary.rejected), summary.rejected
    entries = _entries(po)
    for unit in units:
        block = entries[unit.path]
        assert "#, fuzzy" not in block and 'msgstr ""' in block
        assert re.search(r"# machine translation rejected: engine tagging, model en→ru tagging: "
                         r"failed quality checks \(script", block), block
    # What publish --mt would accept, translate stores.
    good = translate_catalogs(brief, [ru], russian_tagger(), project=Project(catalogs_dir=root), progress=False,
                              retry_rejected=True)
    assert good == {"ru": 3}


def test_a_rejected_refresh_of_a_stale_machine_draft_is_recorded(tmp_path, copy_example):
    import yaml

    root = copy_example.parent / "locales"
    ru = polybrief.get_locale("ru")
    data = yaml.safe_load(copy_example.read_text(encoding="utf-8"))
    data["sections"][0]["items"].append({"label": "Aid", "text": "Convoys were stopped."})
    copy_example.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    brief = polybrief.load(copy_example)
    assert translate_catalogs(brief, [ru], russian_tagger(), project=Project(catalogs_dir=root),
                              progress=False) == {"ru": 2}
    path = [u.path for u in polybrief.translation_units(brief) if u.text == "Convoys were stopped."][0]
    data["sections"][0]["items"][-1]["text"] = "Convoys were stopped again."
    copy_example.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    brief = polybrief.load(copy_example)
    polybrief.update_catalog(brief, ru, root)
    # The new text's machine translation fails the checks: the old draft (of text that is gone) goes too.
    assert translate_catalogs(brief, [ru], TaggingEngine(), project=Project(catalogs_dir=root),
                              progress=False) == {"ru": 0}
    block = _entries(po_path(root, ru, brief.id))[path]
    assert "# machine translation rejected:" in block and "# machine translation: " not in block
    assert "#, fuzzy" not in block and 'msgstr ""' in block and "#| msgid" not in block


def test_strict_names_every_failing_locale(tmp_path, copy_example, run_cli):
    """Defect 3: --strict used to name only the first failing locale."""
    out = tmp_path / "out"
    result = run_cli("publish", copy_example, "--locales", "hy,ka,fa,ru", "--out", out, "--strict", cwd=tmp_path)
    err = assert_one_line_error(result, "2 locale(s)", "ka:", "fa:")
    assert "hy:" not in err and "ru:" not in err
    assert not out.exists()


def test_strict_names_every_failing_brief_and_locale(tmp_path, copy_example, make_brief):
    with pytest.raises(polybrief.UntranslatedError) as info:
        publish([copy_example, make_brief(id="bridge")], locales=["hy", "ka"], out_dir=tmp_path / "out",
                project=Project(policy=TranslationPolicy(strict=True)))
    message = info.value.message
    assert f"ka ({EXAMPLE_ID}):" in message and "hy (bridge):" in message and "ka (bridge):" in message
    assert f"hy ({EXAMPLE_ID})" not in message


def test_summaries_keep_the_order_of_the_locales_asked_for():
    from polybrief.mt import MachineTranslation

    ok = MachineTranslation("x", 0.0, "e", ("m",))
    bad = MachineTranslation("", 0.0, "e", ("m",), problem="no machine translation model for en→ka")
    summaries = summarise({("a", "ru"): {"p": ok}, ("a", "ka"): {"p": bad, "q": bad}}, locales=["ka", "ru", "hy"])
    assert [(s.locale, s.sent, s.accepted, s.failed) for s in summaries] == [
        ("ka", 2, 0, True), ("ru", 1, 1, False), ("hy", 0, 0, False)]
