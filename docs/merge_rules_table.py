"""Generate the merge-rule table of docs/catalogs.md: polybrief ``update`` side by side with
``msgmerge --previous`` (GNU gettext) on the same catalogs.

Run from the repository root (GNU gettext installed)::

    PYTHONPATH=src python docs/merge_rules_table.py            # print the table
    PYTHONPATH=src python docs/merge_rules_table.py --write    # and put it into docs/catalogs.md

For each scenario a small brief is translated into Russian and every entry
reviewed (each field's translation names its field, ``«A.text»``); then the
brief changes and both tools merge the reviewed catalog with the new brief.
Each field of the new brief is classified from the merged file, so the table
is data, not prose: which translation the field got, and in which state.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib

import polybrief
from polybrief import get_locale, translation_units, update_catalog, write_template

DOC = Path(__file__).resolve().parent / "catalogs.md"
START, END = "<!-- merge-table:start -->", "<!-- merge-table:end -->"
RU = get_locale("ru")

Items = list[dict[str, Any]]


def _brief(items: Items, unit: tuple[str, str] = ("civilian", "civilians")) -> polybrief.Brief:
    return polybrief.Brief.model_validate({
        "id": "table", "headline": "Headline", "dateline": {"place": "Baku", "date": "2024-01-02"},
        "published": "2024-01-02T10:00:00+04:00", "lead": ["Lead."],
        "sections": [{"heading": "Updates", "items": [{k: v for k, v in i.items() if k != "name"} for i in items]}],
        "figures": [{"label": "Killed", "value": 2, "unit": {"one": unit[0], "other": unit[1]}}],
    })


def _names(brief: polybrief.Brief, items: Items) -> dict[str, str]:
    """Field key path -> a short name (``B.text``, ``figure unit``) for the table."""
    names: dict[str, str] = {}
    item_units = [u for u in translation_units(brief) if ".items[" in u.path]
    for unit in item_units:
        index = int(re.search(r"items\[(\d+)\]", unit.position).group(1))
        names[unit.path] = f"{items[index]['name']}.{unit.path.rsplit('.', 1)[1]}"
    plain = {"headline": "headline", "dateline.place": "dateline", "lead": "lead", "sections": "heading"}
    for unit in translation_units(brief):
        if unit.path not in names:
            names[unit.path] = ("figure unit" if unit.is_plural else "figure label" if unit.path.startswith("figures")
                                else plain[unit.path.split("[")[0]])
    return names


A = {"name": "A", "label": "Casualties", "text": "Two civilians were killed."}
B = {"name": "B", "label": "Appeal", "text": "Armenia asked peacekeepers to intervene."}
C = {"name": "C", "label": "Ceasefire", "text": "Separatists proposed a ceasefire."}
S1 = {"name": "S1", "label": "Statement", "text": "Baku said it hit military targets."}
S2 = {"name": "S2", "label": "Statement", "text": "Yerevan said its forces were not involved."}
N = {"name": "N", "label": "Statement", "text": "Fighting resumed on Tuesday."}
S3 = {"name": "S3", "label": "Statement", "text": "The OSCE called for restraint."}
B2 = {**B, "text": "Armenia asked Russian peacekeepers to intervene."}

Scenario = tuple[str, Items, tuple[str, str], Items, tuple[str, str], Items | None]
SCENARIOS: list[Scenario] = [
    # name, reviewed items, reviewed unit, new items, new unit, (an intermediate brief both tools saw first)
    ("one item edited", [A, B, C], ("civilian", "civilians"), [A, B2, C], ("civilian", "civilians"), None),
    ("two swapped", [A, B, C], ("civilian", "civilians"), [B, A, C], ("civilian", "civilians"), None),
    ("one deleted", [A, B, C], ("civilian", "civilians"), [A, C], ("civilian", "civilians"), None),
    ("one re-added", [A, B, C], ("civilian", "civilians"), [A, B, C], ("civilian", "civilians"), [A, C]),
    ("shared text with an insert", [A, S1, S2], ("civilian", "civilians"), [A, N, S1, S2],
     ("civilian", "civilians"), None),
    ("shared text in a new field", [A, S1, C], ("civilian", "civilians"), [A, S1, C, S3],
     ("civilian", "civilians"), None),
    ("a unit changed", [A, B], ("civilian", "civilians"), [A, B], ("soldier", "soldiers"), None),
    ("only the plural changed", [A, B], ("child", "children"), [A, B], ("child", "minors"), None),
]


def _reviewed_catalog(root: Path, brief: polybrief.Brief, names: dict[str, str]) -> Path:
    update_catalog(brief, RU, root)
    path = root / "ru" / "LC_MESSAGES" / "table.po"
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
    subprocess.run(["msgmerge", "--previous", "-q", str(old), str(pot_dir / "table.pot"), "-o", str(out)], check=True)
    return out


def _origin(entry: Any) -> str:
    text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
    match = re.match(r"«([^»]+?)(?:\[\d\])?»", text or "")
    return match.group(1) if match else ""


def _describe(path: Path, brief: polybrief.Brief, names: dict[str, str], old_names: set[str]) -> dict[str, str]:
    po = polib.pofile(str(path))
    live = {e.msgctxt: e for e in po if not e.obsolete}
    out: dict[str, str] = {}
    for unit in translation_units(brief):
        name = names[unit.path]
        entry = live.get(unit.path)
        origin = _origin(entry) if entry is not None else ""
        if not origin:
            out[name] = "untranslated"
            continue
        whose = "its own" if origin == name else f"{origin}'s"
        if "fuzzy" not in entry.flags:
            out[name] = f"**reviewed**, {whose}" + ("" if origin == name else " ✗ wrong field")
        elif entry.previous_msgctxt not in (None, entry.msgctxt):
            out[name] = f"suggestion ({whose}, `#\\| msgctxt` {names.get(entry.previous_msgctxt, 'old key')})"
        elif entry.previous_msgid is not None:
            what = "plural" if entry.previous_msgid == entry.msgid else "text"
            out[name] = f"fuzzy, {whose}, `#\\|` old {what}"
        else:
            out[name] = f"fuzzy, {whose}"
    obsolete = sorted({_origin(e) for e in po if e.obsolete and _origin(e)})
    out["(obsolete)"] = ", ".join(obsolete) if obsolete else "none"
    return out


def table() -> str:
    rows = ["| scenario | field | polybrief `update` | `msgmerge --previous` |", "|---|---|---|---|"]
    for title, items, unit, new_items, new_unit, middle in SCENARIOS:
        work = Path(tempfile.mkdtemp())
        try:
            brief = _brief(items, unit)
            names = _names(brief, items)
            reviewed = _reviewed_catalog(work / "pb", brief, names)
            ours_path, theirs_path = reviewed, work / "gnu.po"
            shutil.copy(reviewed, theirs_path)
            for step_items, step_unit in ([(middle, unit)] if middle else []) + [(new_items, new_unit)]:
                step = _brief(step_items, step_unit)
                update_catalog(step, RU, work / "pb")
                merged = _msgmerge(theirs_path, step, work)
                shutil.copy(merged, theirs_path)
            new = _brief(new_items, new_unit)
            new_names = _names(new, new_items)
            ours = _describe(ours_path, new, new_names, set(names.values()))
            theirs = _describe(theirs_path, new, new_names, set(names.values()))
            shown = [f for f in ours if ours[f] != theirs[f] or not ours[f].startswith("**reviewed**, its own")]
            shown = [f for f in shown if f != "(obsolete)"] + ["(obsolete)"]
            for n, field in enumerate(shown):
                rows.append(f"| {title if n == 0 else ''} | {field} | {ours[field]} | {theirs[field]} |")
        finally:
            shutil.rmtree(work)
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"replace the table in {DOC}")
    args = parser.parse_args(argv)
    text = table()
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        start, end = doc.index(START) + len(START), doc.index(END)
        DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
