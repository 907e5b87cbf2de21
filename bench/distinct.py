"""Distinct briefs with reviewed hy, az and ru catalogs, for timing ``publish`` on work no cache can share.

Brief ``i`` (id ``db-00000``, ``db-00001``, ...) is the example
(``examples/nagorno-karabakh.yaml``) rebuilt from its sentences and its
reviewed translations (``examples/locales/{hy,az,ru}``), perturbed so that its
text, and its catalogs' text, are its own:

* **Every paragraph ends with a sentence of its own**: the standfirst, each lead
  paragraph, each key update's text and the closing paragraph get one sentence
  from a bank of six (``_TRACKERS``), each written in en, hy, az and ru, with a
  number no other paragraph of any brief has (``10 × (1000 + 16 i + p) + d``,
  ``p`` the paragraph's place in the brief) and, in half of them, a
  correspondent's name from ``_NAMES`` (spelled per language, with the forms
  Armenian and Russian grammar need).  The headline gets ``— N civilians under
  attack`` with the brief's own count of people under attack, which the quote,
  the Global Concern update and that figure share.
* **Numbers** the article gives in digits (11 and 23 wounded, 120,000 under
  attack, 30,000 children) change per brief, in the brief, its figures and all
  three translations at once; each new value takes the same CLDR plural
  category as the old one in every language (``babel``), so that the sentence
  around it stays grammatical, and is written as Babel formats it for the
  locale (``1 234`` with a no-break space in hy and ru, ``1.234`` in az).
* **Dates and names**: the dateline moves over 1,000 days (the lead's "on
  Tuesday" follows it: Babel's weekday names in en and hy, the forms running
  text needs in az and ru),
  the publication time over the day; the dateline city comes from ``_PLACES``.
* **Order and subsets**: 2 or 3 of the 3 lead paragraphs, 6 to 10 of the 10
  key updates and 5 to 8 of the 8 figures, each in an order of its own.
* **Revisions**: the example's ``updated`` time and its correction move with
  the publication time (12 and 11 hours after it); the correction's text
  gets the brief's own numbers, and its key its own time.

Labels, the section heading, units and source names stay as they are (short
names a real site repeats too).  Every translation is the example's reviewed
one with the same perturbations, so a brief passes every quality check the
example passes (``polybrief publish --strict`` with no error: the floor
benchmark runs it).  The catalogs are written beside the briefs
(``locales/<tag>/LC_MESSAGES/<id>.po``, msgctxt from
:func:`polybrief.translation_units`) and, for the floor, compiled to ``.mo``
with Babel's ``write_mo`` in a separate folder (``mo/``): the build step a
site built on plain gettext runs once, outside any timed run.

Generation is deterministic (brief ``i`` depends on ``i`` alone), so the first
100 briefs of a 10,000-brief corpus are the 100-brief corpus; a corpus folder
is reused when its stamp matches :data:`VERSION`.
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Corpus", "Generated", "VERSION", "TARGETS", "generate", "ensure_corpus", "paragraph_texts"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
EXAMPLE_LOCALES = REPO / "examples" / "locales"
TARGETS = ("hy", "az", "ru")
LANGS = ("en", *TARGETS)
#: Bump when the generated text changes: a corpus folder with another stamp is rebuilt.
VERSION = 2

# (en, ru, hy as a subject — with its article —, az, ru gender)
_NAMES = [
    ("Anna Petrosyan", "Анна Петросян", "Աննա Պետրոսյանը", "Anna Petrosyan", "f"),
    ("Armen Sargsyan", "Армен Саргсян", "Արմեն Սարգսյանը", "Armen Sarqsyan", "m"),
    ("Leyla Mammadova", "Лейла Мамедова", "Լեյլա Մամեդովան", "Leyla Məmmədova", "f"),
    ("Rashad Aliyev", "Рашад Алиев", "Ռաշադ Ալիևը", "Rəşad Əliyev", "m"),
    ("Irina Volkova", "Ирина Волкова", "Իրինա Վոլկովան", "İrina Volkova", "f"),
    ("Dmitry Orlov", "Дмитрий Орлов", "Դմիտրի Օռլովը", "Dmitri Orlov", "m"),
    ("Nino Beridze", "Нино Беридзе", "Նինո Բերիձեն", "Nino Beridze", "f"),
    ("Tigran Hakobyan", "Тигран Акопян", "Տիգրան Հակոբյանը", "Tiqran Hakobyan", "m"),
]

# One sentence per paragraph, {n} a count (always in Russian's "many" category: the noun after it is
# genitive plural; Armenian and Azerbaijani take the singular after a numeral), {name} a correspondent.
# ru entries are (masculine, feminine) where the verb agrees with {name}.
_TRACKERS: list[dict[str, Any]] = [
    {"en": "By evening, local officials had registered {n} families who had left their homes.",
     "hy": "Երեկոյան դրությամբ տեղական իշխանությունները գրանցել էին իրենց տները լքած {n} ընտանիք։",
     "az": "Axşama yaxın yerli rəsmilər evlərini tərk etmiş {n} ailəni qeydə almışdılar.",
     "ru": "К вечеру местные власти зарегистрировали {n} семей, покинувших свои дома."},
    {"en": "Correspondent {name} counted {n} vehicles leaving the area along the main road.",
     "hy": "Թղթակից {name} հաշվել է գլխավոր ճանապարհով տարածքը լքող {n} մեքենա։",
     "az": "Müxbir {name} əsas yol boyunca ərazini tərk edən {n} avtomobil sayıb.",
     "ru": ("Корреспондент {name} насчитал {n} автомобилей, покидавших район по главной дороге.",
            "Корреспондент {name} насчитала {n} автомобилей, покидавших район по главной дороге.")},
    {"en": "Aid groups said they had delivered {n} food parcels to shelters in the area.",
     "hy": "Օգնության կազմակերպությունները հայտնել են, որ տարածքի ապաստարաններ են հասցրել {n} սննդի փաթեթ։",
     "az": "Yardım təşkilatları bölgədəki sığınacaqlara {n} ərzaq bağlaması çatdırdıqlarını bildiriblər.",
     "ru": "Гуманитарные организации сообщили, что доставили {n} продуктовых наборов в убежища этого района."},
    {"en": "{name} reported that {n} people had spent the night in basements and shelters.",
     "hy": "{name} հայտնել է, որ {n} մարդ գիշերն անցկացրել է նկուղներում և ապաստարաններում։",
     "az": "{name} bildirib ki, {n} nəfər gecəni zirzəmilərdə və sığınacaqlarda keçirib.",
     "ru": ("{name} сообщил, что ночь в подвалах и убежищах провели {n} человек.",
            "{name} сообщила, что ночь в подвалах и убежищах провели {n} человек.")},
    {"en": "Hospitals in the region said they had treated {n} patients over the past day.",
     "hy": "Տարածաշրջանի հիվանդանոցները հայտնել են, որ վերջին մեկ օրվա ընթացքում բուժել են {n} հիվանդի։",
     "az": "Bölgənin xəstəxanaları son bir gün ərzində {n} xəstəni müalicə etdiklərini bildiriblər.",
     "ru": "Больницы региона сообщили, что за последние сутки приняли {n} пациентов."},
    {"en": "{name} noted that {n} homes had lost electricity since the shelling began.",
     "hy": "{name} նշել է, որ հրետակոծության սկսվելուց ի վեր {n} տուն մնացել է առանց էլեկտրաէներգիայի։",
     "az": "{name} qeyd edib ki, atəşlər başlayandan bəri {n} ev elektriksiz qalıb.",
     "ru": ("{name} отметил, что с начала обстрелов без электричества остались {n} домов.",
            "{name} отметила, что с начала обстрелов без электричества остались {n} домов.")},
]

_HEADLINE_TAIL = {
    "en": " — {n} civilians under attack",
    "hy": " — հարձակման է ենթարկվում {n} խաղաղ բնակիչ",
    "az": " — {n} mülki şəxs hücuma məruz qalır",
    "ru": " — под ударом {n} мирных жителей",
}

# (en, hy, az, ru): each differs from the English in every target, so no dateline reads "untranslated".
_PLACES = [
    ("New Delhi", "Նյու Դելի", "Yeni Dehli", "Нью-Дели"), ("Moscow", "Մոսկվա", "Moskva", "Москва"),
    ("Geneva", "Ժնև", "Cenevrə", "Женева"), ("Vienna", "Վիեննա", "Vyana", "Вена"),
    ("Brussels", "Բրյուսել", "Brüssel", "Брюссель"), ("Istanbul", "Ստամբուլ", "İstanbul", "Стамбул"),
    ("Washington", "Վաշինգտոն", "Vaşinqton", "Вашингтон"), ("Rome", "Հռոմ", "Roma", "Рим"),
    ("Warsaw", "Վարշավա", "Varşava", "Варшава"),
]

# The lead's weekday: en and hy from Babel (Armenian names the day in the nominative), Azerbaijani with
# "günü" after the one-word names, Russian in the accusative after в/во.
_RU_ON_DAY = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"]
_AZ_ON_DAY = ["bazar ertəsi", "çərşənbə axşamı", "çərşənbə günü", "cümə axşamı", "cümə günü", "şənbə günü",
              "bazar günü"]
_WEEKDAY_FIELD = "lead[azerbaijans-defense-ministry]"
_WEEKDAY_OLD = {"en": "on Tuesday", "hy": "երեքշաբթի", "az": "çərşənbə axşamı", "ru": "во вторник"}

# Figures given in digits, by their value in the example (their sentences, figures and quote follow).
_WOUNDED_AFP, _WOUNDED_OMBUDSMAN, _ATTACKED, _CHILDREN = 11, 23, 120_000, 30_000


@dataclass
class Generated:
    """One brief: its YAML data, and every translatable text's translations (en text → {tag: text})."""

    index: int
    brief_id: str
    data: dict[str, Any]
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Corpus:
    """A folder of generated briefs: ``<id>.yaml``, ``locales/<tag>/LC_MESSAGES/<id>.po``, ``mo/...``."""

    folder: Path
    count: int

    def ids(self, count: int | None = None) -> list[str]:
        return [brief_id(i) for i in range(self.count if count is None else count)]

    def paths(self, count: int | None = None) -> list[Path]:
        return [self.folder / f"{b}.yaml" for b in self.ids(count)]

    @property
    def catalogs(self) -> Path:
        return self.folder / "locales"

    @property
    def mo(self) -> Path:
        return self.folder / "mo"


def brief_id(index: int) -> str:
    return f"db-{index:05d}"


# -- the example, as parallel text ------------------------------------------------------------------


@dataclass(frozen=True)
class _Example:
    data: dict[str, Any]
    #: msgctxt -> {tag: msgstr} for singular entries; msgctxt -> {tag: [forms]} for plural ones.
    singular: dict[str, dict[str, str]]
    plural: dict[str, dict[str, list[str]]]
    headers: dict[str, tuple[str, dict[str, str]]]


_EXAMPLE: _Example | None = None


def _example() -> _Example:
    global _EXAMPLE
    if _EXAMPLE is None:
        import polib

        data = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        singular: dict[str, dict[str, str]] = {}
        plural: dict[str, dict[str, list[str]]] = {}
        headers = {}
        for tag in TARGETS:
            po = polib.pofile(str(EXAMPLE_LOCALES / tag / "LC_MESSAGES" / f"{EXAMPLE.stem}.po"))
            headers[tag] = (po.header, dict(po.metadata))
            for entry in po:
                if entry.obsolete or not entry.msgstr and not entry.msgstr_plural:
                    continue
                if entry.msgid_plural:
                    forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
                    plural.setdefault(entry.msgctxt, {"en": [entry.msgid, entry.msgid_plural]})[tag] = forms
                else:
                    singular.setdefault(entry.msgctxt, {"en": entry.msgid})[tag] = entry.msgstr
        _EXAMPLE = _Example(data, singular, plural, headers)
    return _EXAMPLE


# -- numbers ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _fmt(value: int, tag: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=tag)


def _categories(value: int) -> tuple[str, ...]:
    from babel import Locale

    return tuple(Locale.parse(tag).plural_form(value) for tag in LANGS)


def _like(value: int, rng: random.Random, low: int, high: int, *, step: int = 1) -> int:
    """A number in ``[low, high]`` with ``value``'s CLDR plural category in every language (and not ``value``)."""
    wanted = _categories(value)
    while True:
        candidate = rng.randrange(low, high + 1, step)
        if candidate != value and _categories(candidate) == wanted:
            return candidate


def _number_pattern(value: int) -> re.Pattern[str]:
    """``value`` as any locale writes it: digit groups of three joined by one separator, or none."""
    digits = str(value)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[k:k + 3] for k in range(head, len(digits), 3)]
    return re.compile(r"(?<![\d.,])" + r"[,. \u00a0\u202f]?".join(groups) + r"(?![\d])")


_PATTERNS = {v: _number_pattern(v) for v in (_WOUNDED_AFP, _WOUNDED_OMBUDSMAN, _ATTACKED, _CHILDREN)}


def _renumber(text: str, tag: str, numbers: Mapping[int, int]) -> str:
    for old, new in numbers.items():
        text = _PATTERNS[old].sub(_fmt(new, tag), text)
    return text


# -- one brief --------------------------------------------------------------------------------------


def _tracker(rng: random.Random, n: int) -> dict[str, str]:
    template = rng.choice(_TRACKERS)
    en, ru, hy, az, gender = rng.choice(_NAMES)
    out = {}
    for tag, name in (("en", en), ("hy", hy), ("az", az), ("ru", ru)):
        text = template[tag]
        if isinstance(text, tuple):
            text = text[0 if gender == "m" else 1]
        out[tag] = text.format(n=_fmt(n, tag), name=name)
    return out


def _weekday(day: date) -> dict[str, str]:
    from babel.dates import format_date

    out = {"en": "on " + format_date(day, "EEEE", locale="en"),
           "hy": format_date(day, "EEEE", locale="hy"),
           "az": _AZ_ON_DAY[day.weekday()], "ru": _RU_ON_DAY[day.weekday()]}
    return out


def generate(index: int) -> Generated:
    """Brief ``index``: deterministic, and different in every paragraph from every other index."""
    example = _example()
    rng = random.Random(f"polybrief-distinct-{index}")
    data = json.loads(json.dumps(example.data, default=str))  # a deep copy with plain types
    gen = Generated(index=index, brief_id=brief_id(index), data=data)
    attacked = _ATTACKED - 20_000 + 10 * index  # injective, a multiple of 10 (Russian "many")
    numbers = {
        _WOUNDED_AFP: _like(_WOUNDED_AFP, rng, 5, 99),
        _WOUNDED_OMBUDSMAN: _like(_WOUNDED_OMBUDSMAN, rng, 12, 99),
        _ATTACKED: attacked,
        _CHILDREN: _like(_CHILDREN, rng, 10_000, 90_000, step=10),
    }
    day = date(2023, 1, 2) + timedelta(days=(index * 37) % 1000)
    weekday = _weekday(day)
    place = rng.choice(_PLACES)
    tracker_no = 0

    def tracked(text: Mapping[str, str]) -> dict[str, str]:
        nonlocal tracker_no
        n = 10 * (1000 + 16 * index + tracker_no) + rng.choice((0, 5, 6, 7, 8, 9))
        tracker_no += 1
        extra = _tracker(rng, n)
        return {tag: f"{text[tag]} {extra[tag]}" for tag in LANGS}

    def source(ctx: str, *, weekday_field: bool = False) -> dict[str, str]:
        entry = example.singular[ctx]
        out = {tag: _renumber(entry[tag], tag, numbers) for tag in LANGS}
        if weekday_field:
            out = {tag: out[tag].replace(_WEEKDAY_OLD[tag], weekday[tag], 1) for tag in LANGS}
        return out

    def put(text: Mapping[str, str], *, paragraph: bool = False) -> str:
        en = text["en"]
        known = gen.texts.get(en)
        if known is not None and known != {t: text[t] for t in TARGETS}:
            raise AssertionError(f"one English text with two translations: {en!r}")
        gen.texts[en] = {t: text[t] for t in TARGETS}
        if paragraph:
            gen.paragraphs.append(en)
        return en

    data["id"] = gen.brief_id
    headline = source("headline")
    data["headline"] = put({t: headline[t] + _HEADLINE_TAIL[t].format(n=_fmt(attacked, t)) for t in LANGS},
                           paragraph=True)
    data["standfirst"] = put(tracked(source("standfirst")), paragraph=True)
    data["dateline"] = {"place": put(dict(zip(LANGS, place))), "date": day.isoformat()}
    zone = timezone(timedelta(minutes=rng.choice((0, 60, 120, 180, 240, 330))))
    published = datetime(day.year, day.month, day.day, rng.randrange(6, 23), rng.randrange(60), tzinfo=zone)
    data["published"] = published.isoformat()
    # A live brief: revised and corrected some hours after publication (the example's times moved with it).
    if data.get("updated"):
        data["updated"] = (published + timedelta(hours=12)).isoformat()
    for n, correction in enumerate(data.get("corrections") or []):
        correction["date"] = (published + timedelta(hours=11, minutes=n)).isoformat()

    from .floor import key as slug_key  # the rule polybrief keys catalogs by; the example's catalogs agree

    leads = [(slug_key(text, "lead"), text) for text in example.data["lead"]]
    rng.shuffle(leads)
    data["lead"] = [put(tracked(source(f"lead[{key}]", weekday_field=f"lead[{key}]" == _WEEKDAY_FIELD)),
                        paragraph=True) for key, _ in leads[:rng.randint(2, 3)]]
    section = data["sections"][0]
    section_key = f"sections[{slug_key(section['heading'], 'section')}]"
    put(source(f"{section_key}.heading"))
    items = list(section["items"])
    rng.shuffle(items)
    section["items"] = items[:rng.randint(6, 10)]
    for item in section["items"]:
        item_key = f"items[{slug_key(item['label'], 'item')}]"  # keys are unique in the brief, not per section
        put(source(f"{item_key}.label"))
        item["text"] = put(tracked(source(f"{item_key}.text")), paragraph=True)
    figures = data["figures"]
    for figure in figures:
        figure_key = f"figures[{slug_key(figure['label'], 'figure')}]"
        put(source(f"{figure_key}.label"))
        figure["value"] = numbers.get(figure["value"], figure["value"])
    rng.shuffle(figures)
    data["figures"] = figures[:rng.randint(5, 8)]
    for quote in data["quotes"]:
        key = f"quotes[{slug_key(quote['text'], 'quote')}]"
        quote["text"] = put(source(f"{key}.text"), paragraph=True)
        put(source(f"{key}.speaker"))
    for src in data["sources"]:
        if src.get("translatable"):
            put(source(f"sources[{slug_key(src['name'], 'source')}].name"))
    for author in data.get("authors") or []:
        if author.get("translatable"):
            put(source(f"authors[{slug_key(author['name'], 'author')}].name"))
        if author.get("role"):
            put(source(f"authors[{slug_key(author['name'], 'author')}].role"))
    example_corrections = [ctx for ctx in example.singular if ctx.startswith("corrections[")]
    for correction, ctx in zip(data.get("corrections") or [], example_corrections):
        correction["text"] = put(source(ctx))  # its key follows its (moved) time; the example's finds its text
    data["closing"] = [put(tracked(source(f"closing[{slug_key(text, 'closing')}]")), paragraph=True)
                       for text in example.data["closing"]]
    return gen


def paragraph_texts(gen: Generated) -> list[str]:
    """The paragraph-like texts of a brief (headline, standfirst, lead, key updates, quote, closing), in English."""
    return list(gen.paragraphs)


# -- writing: brief, catalogs, compiled catalogs -----------------------------------------------------


def _po_text(gen: Generated, tag: str, units: Sequence[Any]) -> str:
    import polib

    example = _example()
    header, metadata = example.headers[tag]
    po = polib.POFile(wrapwidth=78)
    po.header = header.replace("nagorno-karabakh", gen.brief_id)
    po.metadata = {**metadata, "Project-Id-Version": f"{gen.brief_id} 1"}
    plurals = {tuple(v["en"]): v for v in example.plural.values()}
    for unit in units:
        kwargs: dict[str, Any] = {"msgctxt": unit.path, "msgid": unit.text, "comment": unit.comment}
        if "{count}" in unit.text:
            kwargs["flags"] = ["python-brace-format"]
        if unit.plural is not None:
            forms = plurals[(unit.text, unit.plural)][tag]
            po.append(polib.POEntry(msgid_plural=unit.plural, msgstr_plural=dict(enumerate(forms)), **kwargs))
        else:
            po.append(polib.POEntry(msgstr=gen.texts[unit.text][tag], **kwargs))
    return str(po)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_brief(gen: Generated, folder: Path) -> None:
    """``<id>.yaml``, its three ``.po`` catalogs, and their ``.mo`` forms under ``mo/``."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from polybrief import load, translation_units

    path = folder / f"{gen.brief_id}.yaml"
    _write(path, yaml.dump(gen.data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100))
    units = translation_units(load(path))
    for tag in TARGETS:
        text = _po_text(gen, tag, units)
        _write(folder / "locales" / tag / "LC_MESSAGES" / f"{gen.brief_id}.po", text)
        buffer = BytesIO()
        write_mo(buffer, read_po(BytesIO(text.encode("utf-8")), locale=tag))
        target = folder / "mo" / tag / "LC_MESSAGES" / f"{gen.brief_id}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(buffer.getvalue())


def iter_generated(count: int, start: int = 0) -> Iterator[Generated]:
    for index in range(start, count):
        yield generate(index)


def ensure_corpus(folder: Path, count: int, *, log: Any = None) -> Corpus:
    """A corpus of at least ``count`` briefs in ``folder`` (the briefs already there, at this
    :data:`VERSION`, are kept; the rest are generated).  UI catalogs compiled to ``mo/`` too."""
    stamp = folder / "corpus.json"
    have = 0
    if stamp.is_file():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("version") == VERSION:
            have = int(info.get("count", 0))
    if have == 0 and folder.exists():
        import shutil

        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if have < count:
        for n, gen in enumerate(iter_generated(count, have), start=have):
            write_brief(gen, folder)
            if log is not None and (n + 1) % 1000 == 0:
                log.info("generated %d of %d distinct briefs", n + 1, count)
        _compile_ui(folder / "mo")
        stamp.write_text(json.dumps({"version": VERSION, "count": count}), encoding="utf-8")
    return Corpus(folder, max(have, count))


def _compile_ui(mo: Path) -> None:
    """polybrief's UI catalogs (the page chrome) compiled for the floor, as its build step would."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for tag in TARGETS:
        with open(REPO / "locales" / tag / "LC_MESSAGES" / "polybrief.po", "rb") as handle:
            catalog = read_po(handle, locale=tag)
        target = mo / tag / "LC_MESSAGES" / "polybrief.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            write_mo(out, catalog)
