"""Generate the merge-rule tables of docs/catalogs.md: polybrief ``update`` side by side with
``msgmerge --previous`` (GNU gettext) on the same catalogs.

Run from the repository root (GNU gettext installed)::

    PYTHONPATH=src python docs/merge_rules_table.py            # print the tables
    PYTHONPATH=src python docs/merge_rules_table.py --write    # and put them into docs/catalogs.md

For each scenario a small brief is translated into Russian and every entry
reviewed (each field's translation names its field, ``«A.text»``); then the
brief changes and both tools merge the reviewed catalog with the new brief
(msgmerge with the template polybrief extracts, so both see the same keys).
Each field of the new brief is classified from the merged file, so the tables
are data, not prose: which translation the field got, and in which state; and
per edit, how many fields a translator must look at again.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

import polybrief
from polybrief import get_locale, translation_units, update_catalog, write_template

DOC = Path(__file__).resolve().parent / "catalogs.md"
START, END = "<!-- merge-table:start -->", "<!-- merge-table:end -->"
COUNT_START, COUNT_END = "<!-- revisit-table:start -->", "<!-- revisit-table:end -->"
RU = get_locale("ru")

Item = dict[str, Any]


@dataclass
class Spec:
    """A small brief: its id, sections (heading, items), lead paragraphs and figure unit."""

    sections: list[tuple[str, list[Item]]]
    lead: list[str] = field(default_factory=lambda: ["Lead."])
    unit: tuple[str, str] = ("civilian", "civilians")
    id: str = "table"

    def brief(self) -> polybrief.Brief:
        return polybrief.Brief.model_validate({
            "id": self.id, "headline": "Headline", "dateline": {"place": "Baku", "date": "2024-01-02"},
            "published": "2024-01-02T10:00:00+04:00", "lead": self.lead,
            "sections": [{"heading": heading, "items": [{k: v for k, v in i.items() if k != "name"} for i in items]}
                         for heading, items in self.sections],
            "figures": [{"label": "Killed", "value": 2, "unit": {"one": self.unit[0], "other": self.unit[1]}}],
        })

    def names(self) -> dict[str, str]:
        """Field key path -> a short name (``B.text``, ``L1``, ``heading``) for the tables."""
        out: dict[str, str] = {}
        for unit in translation_units(self.brief()):
            found = re.match(r"sections\[(\d+)\]\.items\[(\d+)\]\.(\w+)", unit.position)
            lead = re.match(r"lead\[(\d+)\]", unit.position)
            heading = re.match(r"sections\[(\d+)\]\.heading", unit.position)
            if found:
                out[unit.path] = f"{self.sections[int(found[1])][1][int(found[2])]['name']}.{found[3]}"
            elif lead:
                out[unit.path] = f"L{int(lead[1]) + 1}"
            elif heading:
                out[unit.path] = "heading" if len(self.sections) == 1 else f"heading {int(heading[1]) + 1}"
            else:
                out[unit.path] = ("figure unit" if unit.is_plural else "figure label" if unit.path.startswith("figures")
                                  else {"headline": "headline", "dateline.place": "dateline"}[unit.path])
        return out

    def sources(self) -> dict[str, str]:
        """Field name -> its source text (to tell which fields an edit changed)."""
        names = self.names()
        return {names[u.path]: f"{u.text}\x00{u.plural}" for u in translation_units(self.brief())}


A = {"name": "A", "label": "Casualties", "text": "Two civilians were killed."}
B = {"name": "B", "label": "Appeal", "text": "Armenia asked peacekeepers to intervene."}
C = {"name": "C", "label": "Ceasefire", "text": "Separatists proposed a ceasefire."}
S1 = {"name": "S1", "label": "Statement", "text": "Baku said it hit military targets."}
S2 = {"name": "S2", "label": "Statement", "text": "Yerevan said its forces were not involved."}
N = {"name": "N", "label": "Statement", "text": "Fighting resumed on Tuesday."}
S3 = {"name": "S3", "label": "Statement", "text": "The OSCE called for restraint."}
B2 = {**B, "text": "Armenia asked Russian peacekeepers to intervene."}
S1_COPY = {**S1, "name": "S1'"}
S1_KEYED = {**S1, "key": "baku-statement"}
STATEMENT_YEREVAN = {"name": "N", "label": "Statement", "text": "Yerevan denied that its troops were there."}
LEAD = ("Azerbaijan's Defense Ministry announced on Tuesday that it had launched a military offensive "
        "against Armenian positions in the region.")
LEAD_NEW = ("Azerbaijan's Defense Ministry said on Wednesday that a ceasefire had been agreed after talks "
            "with local representatives.")
HEADING = "Updates from the conflict zone"


def _one(items: list[Item], **extra: Any) -> Spec:
    return Spec([("Updates", items)], **extra)


Scenario = tuple[str, Spec, Spec, "Spec | None"]
SCENARIOS: list[Scenario] = [
    # name, reviewed brief, new brief, (an intermediate brief both tools saw first)
    ("one item edited", _one([A, B, C]), _one([A, B2, C]), None),
    ("two swapped", _one([A, B, C]), _one([B, A, C]), None),
    ("one deleted", _one([A, B, C]), _one([A, C]), None),
    ("one re-added", _one([A, B, C]), _one([A, B, C]), _one([A, C])),
    ("shared text with an insert", _one([A, S1, S2]), _one([A, N, S1, S2]), None),
    ("shared text in a new field", _one([A, S1, C]), _one([A, S1, C, S3]), None),
    ("a unit changed", _one([A, B]), _one([A, B], unit=("soldier", "soldiers")), None),
    ("only the plural changed", _one([A, B], unit=("child", "children")), _one([A, B], unit=("child", "minors")),
     None),
    ("a heading's typo fixed", Spec([("Updates from the confilct zone", [A, B, C])]), Spec([(HEADING, [A, B, C])]),
     None),
    ("an item moved to another section", Spec([(HEADING, [A, B]), ("Reactions", [C])]),
     Spec([(HEADING, [A]), ("Reactions", [B, C])]), None),
    ("key: added to an item", _one([A, S1, C]), _one([A, S1_KEYED, C]), None),
    ("an item duplicated", _one([A, S1, C]), _one([A, S1, S1_COPY, C]), None),
    ("a twin put before its original", _one([A, S1, C]), _one([A, S2, S1, C]), None),
    ("the brief id changed", _one([A, B, C]), Spec([("Updates", [A, B, C])], id="table-2"), None),
    ("a lead paragraph replaced", _one([A, B], lead=[LEAD]), _one([A, B], lead=[LEAD_NEW]), None),
    ("an item replaced (same label)", _one([A, S1]), _one([A, STATEMENT_YEREVAN]), None),
]


def _reviewed_catalog(root: Path, spec: Spec) -> Path:
    brief = spec.brief()
    update_catalog(brief, RU, root)
    path = root / "ru" / "LC_MESSAGES" / f"{brief.id}.po"
    names = spec.names()
    po = polib.pofile(str(path))
    for entry in po:
        name = names[entry.msgctxt]
        if entry.msgid_plural:
            entry.msgstr_plural = {i: f"«{name}[{i}]»" for i in range(3)}
        else:
            entry.msgstr = f"«{name}»"
    po.save(str(path))
    return path


def _msgmerge(old: Path, brief: polybrief.Brief, work: Path) -> Path:
    pot_dir = work / "pot"
    write_template(brief, pot_dir)
    out = work / "msgmerge.po"
    subprocess.run(["msgmerge", "--previous", "-q", str(old), str(pot_dir / f"{brief.id}.pot"), "-o", str(out)],
                   check=True)
    return out


def _origin(entry: Any) -> str:
    text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
    match = re.match(r"«([^»]+?)(?:\[\d\])?»", text or "")
    return match.group(1) if match else ""


def _describe(path: Path, spec: Spec) -> dict[str, str]:
    po = polib.pofile(str(path))
    live = {e.msgctxt: e for e in po if not e.obsolete}
    names = spec.names()
    out: dict[str, str] = {}
    for unit in translation_units(spec.brief()):
        name = names[unit.path]
        entry = live.get(unit.path)
        origin = _origin(entry) if entry is not None else ""
        if not origin:
            out[name] = "untranslated"
            continue
        whose = "its own" if origin == name else f"{origin}'s"
        previous = entry.previous_msgctxt
        if "fuzzy" not in entry.flags:
            out[name] = f"**reviewed**, {whose}" + ("" if origin == name else " ✗ wrong field")
        elif "polybrief suggestion:" in (entry.tcomment or "") or previous not in (None, entry.msgctxt):
            where = names.get(previous or "", "old key") if previous not in (None, entry.msgctxt) else "its key"
            out[name] = f"suggestion ({whose}, `#\\| msgctxt` {where})" if previous else f"suggestion ({whose})"
        elif entry.previous_msgid is not None:
            what = "plural" if entry.previous_msgid == entry.msgid else "text"
            out[name] = f"fuzzy, {whose}, `#\\|` old {what}"
        else:
            out[name] = f"fuzzy, {whose}"
    obsolete = sorted({_origin(e) for e in po if e.obsolete and _origin(e)})
    out["(obsolete)"] = ", ".join(obsolete) if obsolete else "none"
    return out


@dataclass
class Outcome:
    title: str
    ours: dict[str, str]
    theirs: dict[str, str]
    before: Spec
    after: Spec


def _run(title: str, before: Spec, after: Spec, middle: Spec | None) -> Outcome:
    work = Path(tempfile.mkdtemp())
    try:
        reviewed = _reviewed_catalog(work / "pb", before)
        ours_path, theirs_path = reviewed, work / "gnu.po"
        shutil.copy(reviewed, theirs_path)
        for step in [*([middle] if middle else []), after]:
            brief = step.brief()
            update_catalog(brief, RU, work / "pb")
            ours_path = work / "pb" / "ru" / "LC_MESSAGES" / f"{brief.id}.po"
            shutil.copy(_msgmerge(theirs_path, brief, work), theirs_path)
        return Outcome(title, _describe(ours_path, after), _describe(theirs_path, after), before, after)
    finally:
        shutil.rmtree(work)


def outcomes() -> list[Outcome]:
    return [_run(*scenario) for scenario in SCENARIOS]


def table(results: list[Outcome] | None = None) -> str:
    rows = ["| scenario | field | polybrief `update` | `msgmerge --previous` |", "|---|---|---|---|"]
    for result in results if results is not None else outcomes():
        ours, theirs = result.ours, result.theirs
        shown = [f for f in ours if ours[f] != theirs[f] or not ours[f].startswith("**reviewed**, its own")]
        shown = [f for f in shown if f != "(obsolete)"] + ["(obsolete)"]
        for n, name in enumerate(shown):
            rows.append(f"| {result.title if n == 0 else ''} | {name} | {ours[name]} | {theirs[name]} |")
    return "\n".join(rows)


def _revisit(result: Outcome, described: dict[str, str]) -> tuple[int, int, int]:
    """(edited fields to re-approve, other reviewed fields to re-approve, another field's or text's translation
    published) for one tool's merge."""
    old, new = result.before.sources(), result.after.sources()
    edited = other = wrong = 0
    for name, state in described.items():
        if name == "(obsolete)":
            continue
        if name in old and not state.startswith("**reviewed**, its own"):
            if old[name] != new[name]:
                edited += 1
            else:
                other += 1
        published = state.startswith(("**reviewed**", "fuzzy"))
        if published and ("'s" in state.split(",")[1] or (name in old and old[name] != new[name]
                                                            and "`#\\|` old" not in state)):
            wrong += 1
    return edited, other, wrong


def revisit_table(results: list[Outcome] | None = None) -> str:
    rows = ["| edit | polybrief: edited fields to re-approve | other reviewed fields to re-approve | "
            "another field's or text's translation published (reviewed or draft) | msgmerge: edited | other | "
            "published |", "|---|---|---|---|---|---|---|"]
    for result in results if results is not None else outcomes():
        ours, theirs = _revisit(result, result.ours), _revisit(result, result.theirs)
        rows.append(f"| {result.title} | {ours[0]} | {ours[1]} | {ours[2]} | {theirs[0]} | {theirs[1]} | "
                    f"{theirs[2]} |")
    return "\n".join(rows)


def _replace(doc: str, start: str, end: str, text: str) -> str:
    a, b = doc.index(start) + len(start), doc.index(end)
    return doc[:a] + "\n" + text + "\n" + doc[b:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"replace the tables in {DOC}")
    args = parser.parse_args(argv)
    results = outcomes()
    text, counts = table(results), revisit_table(results)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        doc = _replace(_replace(doc, START, END, text), COUNT_START, COUNT_END, counts)
        DOC.write_text(doc, encoding="utf-8")
    sys.stdout.write(text + "\n\n" + counts + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
