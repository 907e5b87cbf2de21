"""A corpus of real, human-reviewed translations: catalogs shipped in PyPI wheels and Debian packages.

The quality gate is measured on what translators really write, not only on
the shipped example catalogs.  This module downloads public packages whose
catalogs are reviewed (Django, Sphinx, Wagtail, Weblate, Django REST
framework, GNOME and Xfce applications, LibreOffice's language packs,
iso-codes, apt, dpkg), reads their gettext catalogs for the languages the
checks support (:data:`LANGUAGES`) and writes one JSON line per pair:
``{"project", "lang", "source", "target", "plural", "licence"}``.

What counts as reviewed: a PO entry that is translated, not fuzzy and not
obsolete; every entry of an MO file (``msgfmt`` leaves fuzzy entries out).
A plural entry gives one pair per side (``msgid`` with the form CLDR uses for
1, ``msgid_plural`` with the last form), or one pair (``msgid_plural`` and
the only form) in a catalog with one form for every count.  Pairs are deduplicated per
language; the project of a pair is the first package it came from.

Nothing downloaded is committed (licences and size): the packages go into a
cache folder (``--cache``, by default ``~/.cache/polybrief-bench/real``),
which later runs reuse, and only ``tests/fixtures/real-pairs/`` — a few
hundred pairs per language from permissively licensed projects, with their
source and licence — is in the repository (:func:`write_sample`).

The corpus is split by *project* (:func:`split`): the checks are tuned on
one part and reported on the other, so a rule written against one project's
habits is measured on projects it has not seen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The languages the checks are measured in.
LANGUAGES = ("ru", "uk", "hy", "az", "ka", "fa", "ar")
DEFAULT_CACHE = Path.home() / ".cache" / "polybrief-bench" / "real"
SAMPLE = REPO / "tests" / "fixtures" / "real-pairs"


@dataclass(frozen=True)
class Source:
    """One package: where it comes from, the project its catalogs belong to, and their licence."""

    kind: str  # "pypi" or "deb"
    name: str
    project: str
    licence: str


#: Every package the corpus is read from.  PyPI wheels ship PO files; Debian packages ship MO files.
SOURCES: tuple[Source, ...] = (
    Source("pypi", "Django==5.1.4", "django", "BSD-3-Clause"),
    Source("pypi", "Sphinx==8.1.3", "sphinx", "BSD-2-Clause"),
    Source("pypi", "wagtail==6.3.1", "wagtail", "BSD-3-Clause"),
    Source("pypi", "Weblate==5.14.3", "weblate", "GPL-3.0-or-later"),
    Source("pypi", "djangorestframework==3.15.2", "django-rest-framework", "BSD-3-Clause"),
    Source("pypi", "django-allauth==65.22.1", "django-allauth", "MIT"),
    Source("deb", "iso-codes", "iso-codes", "LGPL-2.1-or-later"),
    Source("deb", "apt", "apt", "GPL-2.0-or-later"),
    Source("deb", "dpkg", "dpkg", "GPL-2.0-or-later"),
    *(Source("deb", f"libreoffice-l10n-{lang}", "libreoffice", "MPL-2.0") for lang in ("ru", "uk", "ar", "fa", "ka")),
    *(Source("deb", name, "gnome", "GPL-2.0-or-later") for name in (
        "libgtk-3-common", "libglib2.0-data", "nautilus-data", "gedit-common", "gnome-shell-common", "evince-common",
        "gnome-control-center-data", "gnome-terminal-data", "gnome-disk-utility", "totem-common", "eog",
        "gnome-software-common", "gnome-text-editor", "gnome-calculator", "file-roller")),
    *(Source("deb", name, "xfce", "GPL-2.0-or-later") for name in (
        "xfce4-panel", "thunar-data", "xfce4-settings", "xfce4-session", "mousepad", "xfce4-terminal")),
    Source("deb", "network-manager", "networkmanager", "GPL-2.0-or-later"),
)

#: Projects whose licence lets a sample of their pairs be committed as a test fixture.
SAMPLE_LICENCES = {"django": "BSD-3-Clause", "sphinx": "BSD-2-Clause", "iso-codes": "LGPL-2.1-or-later",
                   "django-rest-framework": "BSD-3-Clause", "wagtail": "BSD-3-Clause"}


@dataclass(frozen=True)
class RealPair:
    """One reviewed translation of one message."""

    project: str
    lang: str
    source: str
    target: str
    plural: bool
    licence: str


# -- download ---------------------------------------------------------------------------------------------------


def _download(source: Source, cache: Path) -> Path:
    """The package file of ``source`` in ``cache`` (downloaded once)."""
    folder = cache / source.kind / source.name.split("==")[0]
    folder.mkdir(parents=True, exist_ok=True)
    found = sorted(p for p in folder.iterdir() if p.suffix in (".whl", ".deb"))
    if found:
        return found[0]
    if source.kind == "pypi":
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        source.name, "-d", str(folder)], check=True)
    else:
        subprocess.run(["apt-get", "download", "-q", source.name], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
    found = sorted(p for p in folder.iterdir() if p.suffix in (".whl", ".deb"))
    if not found:
        raise RuntimeError(f"nothing was downloaded for {source.name}")
    return found[0]


def _lang_of(member: str) -> str | None:
    """The language of a catalog path (``…/locale/ru/LC_MESSAGES/x.po``, ``…/resource/uk/LC_MESSAGES/…``)."""
    parts = member.split("/")
    if "LC_MESSAGES" not in parts:
        return None
    tag = parts[parts.index("LC_MESSAGES") - 1]
    lang = tag.replace("-", "_").split("_")[0].split("@")[0].lower()
    if lang not in LANGUAGES or "@" in tag:
        return None
    region = tag.replace("-", "_").split("_")[1:] if "_" in tag.replace("-", "_") else []
    if region and region[0].upper() not in {"RU", "UA", "AM", "AZ", "GE", "IR", "EG", "SA"}:
        return None  # a regional variant (fa_AF, ar_MA…) would repeat its language's pairs
    return lang


def _catalogs(package: Path) -> Iterator[tuple[str, str, bytes]]:
    """(member path, language, bytes) of every catalog of a supported language in a wheel or a .deb."""
    if package.suffix == ".whl":
        with zipfile.ZipFile(package) as archive:
            for name in archive.namelist():
                lang = _lang_of(name)
                if lang and name.endswith(".po"):
                    yield name, lang, archive.read(name)
        return
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(package)], check=True, capture_output=True).stdout
    import io

    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            lang = _lang_of(member.name)
            if lang and member.isfile() and member.name.endswith(".mo"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield member.name, lang, handle.read()


def _pairs_of(name: str, data: bytes) -> Iterator[tuple[str, str, bool]]:
    """(source, target, plural) of every reviewed entry of one PO or MO file."""
    import tempfile

    import polib

    suffix = ".mo" if name.endswith(".mo") else ".po"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            catalog = polib.mofile(tmp.name) if suffix == ".mo" else polib.pofile(tmp.name)
        except (OSError, ValueError, UnicodeDecodeError):
            return
    for entry in catalog:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if not forms or not all(f.strip() for f in forms):
                continue
            if len(forms) == 1:  # one form for every count (ka, fa, az in some catalogs): it translates the plural
                yield entry.msgid_plural, forms[0], True
                continue
            yield entry.msgid, forms[0] if len(forms) < 6 else forms[1], True
            yield entry.msgid_plural, forms[-1], True
        elif entry.msgstr.strip():
            yield entry.msgid, entry.msgstr, False


def build(cache: Path, *, sources: Iterable[Source] = SOURCES, log: bool = True) -> list[RealPair]:
    """Every reviewed pair of every source, deduplicated per language (the first project keeps a pair)."""
    seen: set[tuple[str, str, str]] = set()
    out: list[RealPair] = []
    for source in sources:
        try:
            package = _download(source, cache)
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            if log:
                print(f"skipped {source.name}: {exc}", file=sys.stderr)
            continue
        for name, lang, data in _catalogs(package):
            for src, tgt, plural in _pairs_of(name, data):
                key = (lang, src, tgt)
                if key in seen or src.strip() == "" or len(src) > 2000:
                    continue
                seen.add(key)
                out.append(RealPair(source.project, lang, src, tgt, plural, source.licence))
    return out


def write(pairs: Iterable[RealPair], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(asdict(pair), ensure_ascii=False) + "\n")


def read(path: Path) -> list[RealPair]:
    with path.open(encoding="utf-8") as handle:
        return [RealPair(**json.loads(line)) for line in handle if line.strip()]


def corpus(cache: Path = DEFAULT_CACHE) -> list[RealPair]:
    """The corpus, built into ``cache/pairs.jsonl`` on first use."""
    path = cache / "pairs.jsonl"
    if not path.exists():
        write(build(cache), path)
    return read(path)


# -- the split and the sample -----------------------------------------------------------------------------------

#: Projects held out of tuning: the numbers reported as "held-out" are measured on them only.  One
#: project per language family of sources (a framework, a desktop, a data set), so every language has some.
HELD_OUT = frozenset({"wagtail", "xfce", "iso-codes", "dpkg", "django-allauth"})


def split(pairs: Iterable[RealPair]) -> tuple[list[RealPair], list[RealPair]]:
    """(tuning, held-out) pairs, split by project (:data:`HELD_OUT`)."""
    tune: list[RealPair] = []
    held: list[RealPair] = []
    for pair in pairs:
        (held if pair.project in HELD_OUT else tune).append(pair)
    return tune, held


def _rank(pair: RealPair) -> str:
    return hashlib.sha256(f"{pair.lang}\0{pair.source}\0{pair.target}".encode()).hexdigest()


def write_sample(pairs: Iterable[RealPair], folder: Path = SAMPLE, *, per_language: int = 300) -> None:
    """A fixed, hash-chosen sample of pairs from permissively licensed projects, one JSONL per language."""
    by_lang: dict[str, list[RealPair]] = defaultdict(list)
    for pair in pairs:
        if pair.project in SAMPLE_LICENCES and not pair.plural:
            by_lang[pair.lang].append(pair)
    for lang, items in by_lang.items():
        chosen = sorted(items, key=_rank)[:per_language]
        write(sorted(chosen, key=lambda p: (p.project, p.source)), folder / f"{lang}.jsonl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real_corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where packages and the corpus are kept")
    parser.add_argument("--rebuild", action="store_true", help="read the packages again")
    parser.add_argument("--sample", action="store_true", help=f"rewrite {SAMPLE.relative_to(REPO)}")
    args = parser.parse_args(argv)
    path = args.cache / "pairs.jsonl"
    if args.rebuild and path.exists():
        path.unlink()
    pairs = corpus(args.cache)
    counts = Counter((p.lang, p.project) for p in pairs)
    for lang in LANGUAGES:
        row = {project: n for (lg, project), n in counts.items() if lg == lang}
        print(f"{lang}: {sum(row.values())} pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(row.items())))
    if args.sample:
        write_sample(pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
