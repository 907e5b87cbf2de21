"""Batches of briefs derived from the example, varied so that deduplication cannot trivially win.

Brief ``i`` of a batch is the example with systematic substitutions chosen by a
random generator seeded with ``i``: the two countries, the region, the cities
and the people named; about forty words swapped for synonyms (verbs, nouns,
weekdays, the key-update labels); every number shifted; and the key updates
shuffled.  Only short, generic strings (some figure units, a few labels) still
repeat across briefs; :func:`sentence_stats` says how many sentences are
distinct, and the report gives it next to every batch.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from polybrief import Brief, load, translation_units
from polybrief.mt.segment import plan_segments

__all__ = ["EXAMPLE", "example_brief", "identical_briefs", "mt_segments", "sentence_stats", "varied_briefs",
           "edit_one_item", "russian_segments", "training_text"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
EXAMPLE_LOCALES = REPO / "examples" / "locales"

_COUNTRIES = [  # (country, adjective)
    ("Azerbaijan", "Azerbaijani"), ("Georgia", "Georgian"), ("Moldova", "Moldovan"), ("Serbia", "Serbian"),
    ("Ukraine", "Ukrainian"), ("Kazakhstan", "Kazakh"), ("Tajikistan", "Tajik"), ("Kyrgyzstan", "Kyrgyz"),
    ("Turkey", "Turkish"), ("Iran", "Iranian"), ("Albania", "Albanian"), ("Bosnia", "Bosnian"),
]
_OTHERS = [
    ("Armenia", "Armenian"), ("Abkhazia", "Abkhazian"), ("Transnistria", "Transnistrian"), ("Kosovo", "Kosovar"),
    ("Crimea", "Crimean"), ("Ossetia", "Ossetian"), ("Montenegro", "Montenegrin"), ("Macedonia", "Macedonian"),
    ("Cyprus", "Cypriot"), ("Kurdistan", "Kurdish"), ("Chechnya", "Chechen"), ("Dagestan", "Dagestani"),
]
_REGIONS = ["Nagorno-Karabakh", "the Ferghana Valley", "the Pankisi Gorge", "the Kodori Valley", "Zangezur",
            "the Tskhinvali region", "the Donbas", "Syunik", "Nakhchivan", "the Lachin corridor", "Gagauzia",
            "the Rasht Valley", "Batken", "Ajaria"]
_CITIES = ["Baku", "Tbilisi", "Chisinau", "Belgrade", "Kyiv", "Astana", "Dushanbe", "Bishkek", "Ankara", "Tehran",
           "Tirana", "Sarajevo", "Yerevan", "Sukhumi"]
_PLACES = ["New Delhi", "Geneva", "Vienna", "Istanbul", "Brussels", "Warsaw", "Prague", "Riga", "Vilnius",
           "Helsinki", "Athens", "Sofia", "Bucharest", "Budapest", "Lisbon", "Madrid"]
_PEOPLE = ["Nikol Pashinyan", "Maia Sandu", "Edi Rama", "Irakli Kobakhidze", "Sadyr Japarov", "Emomali Rahmon",
           "Aleksandar Vucic", "Kassym-Jomart Tokayev", "Denys Shmyhal", "Ilham Aliyev", "Salome Zourabichvili"]
_FOOTBALLERS = ["Henrikh Mkhitaryan", "Khvicha Kvaratskhelia", "Luka Modric", "Dusan Vlahovic", "Edin Dzeko",
                "Granit Xhaka", "Hakan Calhanoglu", "Mehdi Taremi", "Oleksandr Zinchenko", "Eldor Shomurodov"]
_SYNONYMS = [
    ["reported", "said", "stated", "announced"], ["reportedly", "apparently", "allegedly"],
    ["civilians", "residents", "non-combatants", "villagers"], ["civilian", "resident", "villager"],
    ["military", "armed", "army"], ["offensive", "operation", "campaign", "assault"],
    ["region", "area", "territory", "province"], ["officials", "authorities", "representatives"],
    ["announced", "declared", "confirmed"], ["conflict", "dispute", "confrontation"],
    ["Tuesday", "Monday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ["killed", "slain", "dead"], ["wounded", "injured", "hurt"], ["soldiers", "troops", "servicemen"],
    ["soldier", "serviceman", "trooper"], ["children", "minors", "youngsters"], ["child", "minor", "youngster"],
    ["Casualties", "Losses", "Victims"], ["Statement", "Declaration", "Remarks", "Position"],
    ["Concerns", "Worries", "Alarm"], ["Appeal", "Plea", "Request"], ["Proposal", "Offer", "Plan"],
    ["Involvement", "Engagement", "Reaction"], ["Condemnation", "Criticism", "Censure"],
    ["Restricted", "Limited", "Blocked"], ["Global", "Worldwide", "International"],
    ["Key Updates", "Latest Developments", "Main Developments"], ["tragic", "devastating", "grim"],
    ["immediately", "promptly", "quickly"], ["heavy", "intense", "sustained"], ["intense", "fierce", "heavy"],
    ["Tensions", "Frictions", "Hostilities"], ["urging", "pressing", "encouraging"],
    ["volatile", "tense", "unstable"], ["urgently", "desperately", "badly"], ["growing", "mounting", "rising"],
    ["ceasefire", "truce", "cessation of hostilities"], ["talks", "negotiations", "dialogue"],
    ["attention", "notice", "awareness"], ["stable", "calm", "under control"],
    ["fans", "supporters", "followers"], ["sports community", "athletes", "football world"],
    ["media colleagues", "journalists", "the press"], ["genocide", "ethnic cleansing", "a massacre"],
    ["Antonio Guterres", "Volker Turk", "Josep Borrell", "Kaja Kallas"],
    ["delegations", "envoys", "representatives"], ["escalation", "build-up", "flare-up"],
    ["separatist", "breakaway", "de facto"], ["leadership", "authorities", "government"],
    ["Kremlin", "White House", "Elysee", "Chancellery"], ["The Insider", "Meduza", "Novaya Gazeta"],
    ["TikTok", "Telegram", "WhatsApp", "YouTube"], ["landmine", "mine", "roadside bomb"],
    ["high-precision", "precision-guided", "long-range"], ["legitimate", "lawful", "valid"],
]
_SKIP_KEYS = {"id", "language", "url", "published", "updated", "time", "date", "qualifier", "value", "translatable",
              "kind"}
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w])|(?<![\w.,])\d+(?![\w,.]\d)")


def example_brief() -> Brief:
    return load(EXAMPLE)


def _substitution(rng: random.Random) -> tuple[re.Pattern[str], dict[str, str]]:
    country, country_adj = rng.choice(_COUNTRIES)
    other, other_adj = rng.choice(_OTHERS)
    region = rng.choice(_REGIONS)
    table = {
        "Azerbaijani": country_adj, "Azerbaijan": country, "Armenian": other_adj, "Armenia": other,
        "Nagorno-Karabakh": region, "Nagorno Karabakh": region, "Baku": rng.choice(_CITIES),
        "New Delhi": rng.choice(_PLACES), "Nikol Pashinyan": rng.choice(_PEOPLE),
        "Henrikh Mkhitaryan": rng.choice(_FOOTBALLERS),
    }
    for group in _SYNONYMS:
        table.setdefault(group[0], rng.choice(group))
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")
    return pattern, table


def _shift(number: int, rng_offset: int) -> int:
    return number + rng_offset if number < 1000 else number + rng_offset * 1000


def _rewrite(value: Any, pattern: re.Pattern[str], table: dict[str, str], offset: int, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _rewrite(v, pattern, table, offset, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, pattern, table, offset, key) for v in value]
    if isinstance(value, str) and key not in _SKIP_KEYS:
        text = pattern.sub(lambda m: table[m.group(1)], value)

        def number(m: re.Match[str]) -> str:
            n = _shift(int(m.group(0).replace(",", "")), offset)
            return f"{n:,}" if "," in m.group(0) else str(n)

        return _NUMBER.sub(number, text)
    return value


def varied_briefs(count: int, *, seed: int = 2023) -> list[Brief]:
    """``count`` distinct briefs derived from the example (ids ``nagorno-karabakh-000``…)."""
    base = example_brief().model_dump(mode="json", exclude_defaults=True)
    briefs = []
    for i in range(count):
        rng = random.Random(seed * 1000 + i)
        pattern, table = _substitution(rng)
        offset = rng.randint(1, 97)
        data = _rewrite(base, pattern, table, offset)
        data["id"] = f"{base['id']}-{i:03d}"
        for figure in data.get("figures", []):
            figure["value"] = _shift(int(figure["value"]), offset)
        # Labels and units name the brief's city and country, as real briefs' labels name their story.
        city, adjective = table["Baku"], table["Azerbaijani"]
        for section in data.get("sections", []):
            for item in section["items"]:
                item["label"] = f"{item['label']} in {city}"
            rng.shuffle(section["items"])
        for figure in data.get("figures", []):
            figure["label"] = f"{figure['label']} ({city})"
            if "unit" in figure:
                figure["unit"] = {k: f"{adjective} {v}" for k, v in figure["unit"].items()}
        briefs.append(Brief.model_validate(data))
    return briefs


def identical_briefs(count: int) -> list[Brief]:
    """``count`` copies of the example that differ only in their ids (nothing to translate differs)."""
    base = example_brief().model_dump(mode="json", exclude_defaults=True)
    return [Brief.model_validate({**base, "id": f"{base['id']}-copy-{i:03d}"}) for i in range(count)]


def mt_segments(briefs: Sequence[Brief]) -> list[str]:
    """What a publish run hands the engine for one language pair: every field of every brief."""
    segments: list[str] = []
    for brief in briefs:
        for unit in translation_units(brief):
            segments.append(unit.plural if unit.plural is not None else unit.text)
    return segments


def sentence_stats(segments: Sequence[str], *, lang: str = "en") -> dict[str, int]:
    """Segments, sentence occurrences and distinct sentences, as the engine plans them."""
    _, table = plan_segments(segments, lang=lang)
    return {"segments": len(segments), "sentences": table.total, "unique_sentences": len(table.unique)}


def edit_one_item(brief: Brief) -> tuple[Brief, str, str]:
    """``brief`` with one key update's text rewritten: the first one without digits (whose machine
    draft a random model cannot spoil by dropping a number placeholder).  Returns the new brief,
    the edited field's key path and its new text."""
    data = brief.model_dump(mode="json", exclude_defaults=True)
    items = data["sections"][0]["items"]
    index = next((i for i, item in enumerate(items) if not any(ch.isdigit() for ch in item["text"])), 0)
    item = items[index]
    item["text"] = ("Correction: " + item["text"].rstrip(".")
                    + ", according to an updated statement issued this evening.")
    edited = Brief.model_validate(data)
    (path,) = [u.path for u in translation_units(edited) if u.position == f"sections[0].items[{index}].text"]
    return edited, path, item["text"]


def training_text(lines: int, *, seed: int = 7) -> list[str]:
    """Text for the SentencePiece model: the example (English and its ru/hy/az catalogs),
    varied briefs, and random sentences of real and made-up words (so that 8k pieces exist)."""
    from babel.messages.pofile import read_po

    rng = random.Random(seed)
    real = mt_segments([example_brief(), *varied_briefs(12, seed=seed)])
    for po in sorted(EXAMPLE_LOCALES.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        for message in catalog:
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            real.extend(s for s in strings if s)
    words = re.findall(r"\w+", " ".join(real))
    chunks = [w[i:i + rng.randint(2, 4)] for w in words for i in range(0, len(w), 2)]
    made_up = sorted({"".join(rng.choice(chunks) for _ in range(rng.randint(2, 3))) for _ in range(lines)})
    lexicon = words * 20 + made_up
    out = real * 5
    while len(out) < lines:
        sentence = " ".join(rng.choice(lexicon) for _ in range(rng.randint(4, 24)))
        number = rng.choice(["", f" {rng.randint(1, 9999)}"])
        out.append(sentence[:1].upper() + sentence[1:] + rng.choice(".,;!?") + number)
    return out


def russian_segments() -> list[str]:
    """The reviewed Russian translation of every field of the example (the source of the pivot run)."""
    from babel.messages.pofile import read_po

    path = EXAMPLE_LOCALES / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    out = []
    for message in catalog:
        if not message.id:
            continue
        string = message.string
        text = string[-1] if isinstance(string, (tuple, list)) else string
        if text:
            out.append(text)
    return out
