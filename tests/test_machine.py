"""Machine translation in the pipeline: drafts into catalogs, live MT in publish,
fallback with reasons, and batching across briefs.

Meaning-dependent properties use the deterministic doubles; the CLI test drives
the real CTranslate2 engine with the session's tiny models.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import polybrief
from polybrief.catalogs import fill_machine_drafts, update_catalog
from polybrief.catalogs.repository import po_path
from polybrief import machine_provider, translate_catalogs
from polybrief.mt import TaggingEngine
from polybrief.mt import ProtectingEngine
from polybrief.catalogs.po import read_po_file
from polybrief import Provenance, TranslationPolicy
from mt_doubles import cyr, russian_tagger
from polybrief.mt import DictionaryEngine

from conftest import entry_blocks, field_key

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"


def _copy_example(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copytree(EXAMPLE.parent / "locales", tmp_path / "locales")
    return tmp_path / EXAMPLE.name


def _edit(path: Path, mutate) -> polybrief.Brief:  # noqa: ANN001
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return polybrief.load(path)


def _entry_blocks(po: Path) -> dict[str, str]:
    """msgctxt -> the entry's full text block, to compare entries byte for byte."""
    return entry_blocks(po.read_text(encoding="utf-8"))


NEW_PLAIN_ITEM = {"label": "Aid Convoys", "text": "Aid agencies said that convoys were stopped."}
NEW_ITEM = {"label": "Humanitarian Access", "text": "Aid agencies said that 3 convoys were stopped. Talks continue."}


def test_translate_fills_only_missing_entries_as_fuzzy(tmp_path: Path) -> None:
    path = _copy_example(tmp_path)
    brief = _edit(path, lambda d: d["sections"][0]["items"].append(dict(NEW_ITEM)))
    root = tmp_path / "locales"
    before = _entry_blocks(po_path(root, polybrief.get_locale("ru"), brief.id))
    engine = russian_tagger()

    filled = translate_catalogs(brief, [polybrief.get_locale("ru")], engine, project=polybrief.Project(catalogs_dir=root), progress=False)

    assert filled == {"ru": 2}
    po = po_path(root, polybrief.get_locale("ru"), brief.id)
    after = _entry_blocks(po)
    for context, block in before.items():
        assert after[context] == block, f"reviewed entry {context} changed"
    catalog = read_po_file(po)
    label, text = field_key(brief, "sections[0].items[10].label"), field_key(brief, "sections[0].items[10].text")
    new = {m.context: m for m in catalog if m.context in (label, text)}
    assert set(new) == {label, text}
    for message in new.values():
        assert message.fuzzy
        assert message.string.startswith("[ру] ")
        assert any(c.startswith("machine translation: engine tagging") and "score" in c
                   for c in message.user_comments)
    assert new[text].string == cyr("[ru] Aid agencies said that 3 convoys were stopped. [ru] Talks continue.")
    # A second run has nothing left to fill and leaves the file alone.
    data = po.read_bytes()
    assert translate_catalogs(brief, [polybrief.get_locale("ru")], engine, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 0}
    assert po.read_bytes() == data


def test_drafts_are_published_only_when_included(tmp_path: Path) -> None:
    path = _copy_example(tmp_path)
    brief = _edit(path, lambda d: d["sections"][0]["items"].append(dict(NEW_ITEM)))
    root = tmp_path / "locales"
    azerbaijani = DictionaryEngine({("en", "az"): {
        "Humanitarian Access": "Humanitar giriş",
        "Aid agencies said that 3 convoys were stopped.": "Yardım təşkilatları 3 karvanın saxlanıldığını bildirdilər.",
        "Talks continue.": "Danışıqlar davam edir.",
    }})
    assert translate_catalogs(brief, [polybrief.get_locale("az")], azerbaijani,
                              project=polybrief.Project(catalogs_dir=root), progress=False) == {"az": 2}
    catalog = polybrief.load_brief_catalog(brief, polybrief.get_locale("az"), root)

    excluded = polybrief.localise(brief, "az", catalog=catalog)
    assert excluded.segments_by_path[field_key(brief, "sections[0].items[10].text")].provenance is Provenance.SOURCE
    assert excluded.needs_notice
    included = polybrief.localise(brief, "az", catalog=catalog, project=polybrief.Project(policy=TranslationPolicy(drafts="include")))
    # `translate` wrote them: machine drafts, told apart from a translator's drafts
    assert included.segments_by_path[field_key(brief, "sections[0].items[10].text")].provenance is Provenance.MACHINE_DRAFT
    assert included.needs_notice and included.has_machine_drafts and not included.has_drafts  # disclosed
    assert included.provenance_counts() == {"reviewed": 52, "draft": 0, "machine-draft": 2, "machine": 0, "source": 0}


def test_publish_with_live_mt_batches_across_briefs(tmp_path: Path) -> None:
    first = polybrief.load(EXAMPLE)
    second = first.model_copy(update={"id": "second-brief", "headline": "A second brief about the same crisis"})
    engine = TaggingEngine()
    # The tagging double writes English with a tag, which the quality gate rightly rejects
    # as Latin script in a Russian page; this test is about batching, so it runs ungated.
    report = polybrief.publish([first, second], locales=["ru", "hy"], out_dir=tmp_path / "out",
                               machine=machine_provider(engine, progress=False, gate=False),
                               project=polybrief.Project(policy=TranslationPolicy(allow_qa_errors=True)))

    # One engine call per language pair for both briefs together, deduplicated inside.
    assert sorted((src, tgt) for src, tgt, _ in engine.calls) == [("en", "hy"), ("en", "ru")]
    stats = engine.last_run_stats
    assert stats is not None and stats.unique_sentences < stats.sentences
    assert report.provenance("second-brief", "ru")["machine"] == 52
    html = (tmp_path / "out" / "ru" / "second-brief.html").read_text(encoding="utf-8")
    assert '<h1 data-provenance="machine" data-model="en→ru tagging">' in html
    assert "52 фрагмента на этой странице переведены машиной (en→ru tagging)" in html
    assert "[ru] A second brief about the same crisis" in html


def test_machine_output_failing_checks_is_not_published(tmp_path: Path) -> None:
    brief = polybrief.load(EXAMPLE)
    report = polybrief.publish([EXAMPLE], locales=["ru"], out_dir=tmp_path / "out",
                               machine=machine_provider(TaggingEngine(), progress=False))
    localised = [x for x in report.localised if x.locale.tag == "ru"][0]
    # Reviewed catalog entries win; nothing machine-made that failed a check got through.
    assert report.provenance(brief.id, "ru")["reviewed"] == 52
    # Every machine output is rejected (Latin script on a Russian page): that fails the run loudly...
    with pytest.raises(polybrief.TranslationEngineError, match=r"ru: 52 sent, none accepted \(\d+× failed quality checks \(script"):
        polybrief.publish([brief.model_copy(update={"id": "bare"})], locales=["ru"], out_dir=tmp_path / "b",
                          machine=machine_provider(TaggingEngine(), progress=False))
    assert not (tmp_path / "b").exists()
    # ... unless the policy allows it deliberately; then the source text is published and disclosed.
    bare = polybrief.publish([brief.model_copy(update={"id": "bare"})], locales=["ru"], out_dir=tmp_path / "b",
                             machine=machine_provider(TaggingEngine(), progress=False),
                             project=polybrief.Project(policy=TranslationPolicy(allow_mt_failure=True)))
    counts = bare.provenance("bare", "ru")
    assert counts["machine"] == 0 and counts["source"] == 52
    rejected = [x for x in bare.localised if x.locale.tag == "ru"][0].headline
    assert "machine translation rejected" in (rejected.note or "") and "script" in (rejected.note or "")
    assert localised.provenance_counts()["machine"] == 0


def test_failed_placeholders_fall_back_with_reason(tmp_path: Path) -> None:
    brief = polybrief.load(EXAMPLE)
    # A decoder that loses the first placeholder of every sentence.
    inner = TaggingEngine(transform=lambda s: s.replace("{1}", ""))
    engine = ProtectingEngine(inner)
    provider = machine_provider(engine, progress=False, gate=False)
    source = polybrief.Session().open_brief(brief)
    results = provider([(source, polybrief.get_locale("ru"), None)])[(brief.id, "ru")]
    item = results[field_key(brief, "sections[0].items[2].text")]  # "... two civilians were killed and 23 were wounded ..."
    assert not item.ok and "did not come back" in (item.problem or "")
    localised = polybrief.localise(brief, "ru", machine=results)
    segment = localised.segments_by_path[field_key(brief, "sections[0].items[2].text")]
    assert segment.provenance is Provenance.SOURCE and segment.lang == "en"
    assert "machine translation rejected" in (segment.note or "")
    # A segment without numbers went through.
    assert localised.segments_by_path[field_key(brief, "sections[0].items[0].label")].provenance is Provenance.MACHINE


def test_numbers_come_back_in_the_target_format() -> None:
    engine = ProtectingEngine(TaggingEngine())
    (ru,) = engine.translate(["120,000 civilians including 30,000 children."], source="en", target="ru")
    assert ru.ok and ru.text == "[ru] 120\u00a0000 civilians including 30\u00a0000 children."
    (az,) = engine.translate(["120,000 civilians in 2023."], source="en", target="az")
    assert az.text == "[az] 120.000 civilians in 2023."


def test_unsupported_pair_falls_back_and_strict_refuses(tmp_path: Path) -> None:
    brief = polybrief.load(EXAMPLE)
    engine = TaggingEngine(pairs=[("en", "ru")])
    report = polybrief.publish([brief], locales=["ka"], out_dir=tmp_path / "out",
                               machine=machine_provider(engine, progress=False),
                               project=polybrief.Project(policy=TranslationPolicy(allow_mt_failure=True)))
    assert [(s.locale, s.sent, s.accepted, s.rejected) for s in report.machine] == [
        ("ka", 52, 0, {"no machine translation model for en→ka": 52})]
    assert report.provenance(brief.id, "ka")["source"] == 52
    localised = [x for x in report.localised if x.locale.tag == "ka"][0]
    assert "no machine translation model for en→ka" in (localised.headline.note or "")
    with pytest.raises(polybrief.UntranslatedError):
        polybrief.publish([brief], locales=["ka"], out_dir=tmp_path / "strict",
                          machine=machine_provider(engine, progress=False),
                          project=polybrief.Project(policy=TranslationPolicy(strict=True, allow_mt_failure=True)))
    assert not (tmp_path / "strict").exists()


def test_cli_translate_with_real_tiny_models(tmp_path: Path, mt_packages: Path) -> None:
    path = _copy_example(tmp_path)
    # No digits: the random-weight model garbles placeholders, which (rightly) blocks a draft.
    edited = _edit(path, lambda d: d["sections"][0]["items"].append(dict(NEW_PLAIN_ITEM)))
    po = tmp_path / "locales" / "az" / "LC_MESSAGES" / "nagorno-karabakh.po"
    update_catalog(polybrief.load(path), polybrief.get_locale("az"), tmp_path / "locales")
    before = _entry_blocks(po)
    run = subprocess.run(
        [sys.executable, "-m", "polybrief", "translate", str(path), "--locales", "az",
         "--packages-dir", str(mt_packages), "--beam-size", "1"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    after = _entry_blocks(po)
    changed = {c for c in after if after[c] != before.get(c)}
    assert changed == {field_key(edited, "sections[0].items[10].label"), field_key(edited, "sections[0].items[10].text")}
    # Random weights write gibberish in any script: each output is either a fuzzy draft naming the
    # engine and model (and passing the same error-level checks as publish --mt), or a recorded rejection.
    drafts = rejected = 0
    for context in changed:
        flat = after[context].replace("\n# ", " ")  # a long translator comment is wrapped over lines
        if "#, fuzzy" in after[context]:
            drafts += 1
            assert re.search(r"# machine translation: engine \S+, model .*en→az.*, score -?\d", flat)
        else:
            rejected += 1
            assert re.search(r"# machine translation rejected: engine \S+, model .*en→az.*: failed quality checks", flat)
            assert 'msgstr ""' in after[context]
    line = next(line for line in run.stdout.splitlines() if line.strip().startswith("az"))
    assert f"az  {drafts} machine draft(s) written as fuzzy" in line
    assert (f"{rejected} rejected and recorded in the catalog" in line) == bool(rejected)


def test_cli_mt_without_models_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "polybrief", "render", str(EXAMPLE), "--locale", "ka", "--format", "text", "--mt",
         "--packages-dir", str(empty)],
        capture_output=True, text=True, timeout=120,
    )
    # No model for en→ka: the page falls back to the source and says so.
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "passages on this page are not yet translated" in run.stdout


def test_fill_machine_drafts_never_touches_reviewed(tmp_path: Path) -> None:
    path = _copy_example(tmp_path)
    brief = polybrief.load(path)
    root = tmp_path / "locales"
    po = po_path(root, polybrief.get_locale("hy"), brief.id)
    data = po.read_bytes()
    from polybrief.mt import MachineTranslation

    bogus = {u.path: MachineTranslation("XXX", -1.0, "e", ("m",)) for u in polybrief.translation_units(brief)}
    assert fill_machine_drafts(brief, polybrief.get_locale("hy"), root, bogus) == 0
    assert po.read_bytes() == data


def test_incremental_translate_sends_only_the_edited_item(tmp_path: Path) -> None:
    path = _copy_example(tmp_path)
    brief = _edit(path, lambda d: d["sections"][0]["items"].extend([dict(NEW_ITEM), dict(NEW_PLAIN_ITEM)]))
    root = tmp_path / "locales"
    ru = polybrief.get_locale("ru")
    engine = russian_tagger()
    assert translate_catalogs(brief, [ru], engine, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 4}

    # Edit the machine-drafted item and a reviewed one; nothing else changes.
    def edit(d: dict) -> None:
        d["sections"][0]["items"][11]["text"] = "Aid agencies said that convoys were stopped again."
        d["sections"][0]["items"][0]["label"] = "Civilian casualties"

    brief = _edit(path, edit)
    update_catalog(brief, ru, root)
    po = po_path(root, ru, brief.id)
    before = _entry_blocks(po)
    assert translate_catalogs(brief, [ru], engine, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 1}
    assert engine.last_run_stats is not None and engine.last_run_stats.segments == 1
    after = _entry_blocks(po)
    changed = {c for c in after if after[c] != before[c]}
    assert changed == {field_key(brief, "sections[0].items[11].text")}
    block = after[field_key(brief, "sections[0].items[11].text")]
    assert cyr("[ru] Aid agencies said that convoys were stopped again.") in block
    assert "#| msgid" not in block and block.count("# machine translation:") == 1
    # The reviewed label that changed stays the translator's fuzzy entry with its previous msgid.
    assert "#| msgid \"Civilian Casualties\"" in after[field_key(brief, "sections[0].items[0].label")]
    assert "[ру]" not in after[field_key(brief, "sections[0].items[0].label")]


def test_rejected_machine_translations_are_remembered_not_retried(tmp_path: Path) -> None:
    path = _copy_example(tmp_path)
    brief = _edit(path, lambda d: d["sections"][0]["items"].append(dict(NEW_ITEM)))
    root = tmp_path / "locales"
    ru = polybrief.get_locale("ru")
    # The decoder loses the placeholder for "3": the item's text is rejected, its label is not.
    engine = ProtectingEngine(russian_tagger(lambda s: s.replace("{1}", "")))
    assert translate_catalogs(brief, [ru], engine, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 1}
    po = po_path(root, ru, brief.id)
    block = _entry_blocks(po)[field_key(brief, "sections[0].items[10].text")]
    assert "# machine translation rejected: engine tagging" in block and "did not come back" in block
    assert 'msgstr ""' in block and "#, fuzzy" not in block
    data = po.read_bytes()
    assert translate_catalogs(brief, [ru], engine, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 0}
    assert engine.inner.calls == engine.inner.calls[:1]  # nothing was sent the second time
    assert po.read_bytes() == data
    # --retry-rejected sends it again; a working engine then fills it and clears the note.
    good = ProtectingEngine(russian_tagger())
    assert translate_catalogs(brief, [ru], good, project=polybrief.Project(catalogs_dir=root), progress=False, retry_rejected=True) == {"ru": 1}
    block = _entry_blocks(po)[field_key(brief, "sections[0].items[10].text")]
    assert "rejected" not in block and "#, fuzzy" in block


def test_drafts_with_unicode_line_separators_stay_readable(tmp_path: Path) -> None:
    """Babel writes U+2028, NEL and form feed raw inside PO strings; polybrief must read them back."""
    path = _copy_example(tmp_path)
    brief = _edit(path, lambda d: d["sections"][0]["items"].append(dict(NEW_PLAIN_ITEM)))
    root = tmp_path / "locales"
    ru = polybrief.get_locale("ru")
    odd = russian_tagger(lambda s: s.replace(" ", "\u2028", 1).replace("Aid", "Aid\x85\x0c"))
    assert translate_catalogs(brief, [ru], odd, project=polybrief.Project(catalogs_dir=root), progress=False) == {"ru": 2}
    catalog = polybrief.load_brief_catalog(brief, ru, root)  # parses, passes the string-line check
    units = {u.path: u for u in polybrief.translation_units(brief)}
    entry = catalog.lookup(units[field_key(brief, "sections[0].items[10].text")])
    assert entry is not None and "\u2028" in entry.text and "\x85\x0c" in entry.text
    update_catalog(brief, ru, root)  # and survives another read-merge-write
