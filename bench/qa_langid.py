"""py3langid against lingua for the ``language`` check: accuracy on short sentences, speed, first-use cost.

The labelled set is every sentence (two or more words) of the shipped example catalogs and of their
English sources, plus the first 2, 3 and 4 words of each (short texts), and each detector answers the
check's question for the pair: source (en) or target?  Run ``python -m bench.qa_langid`` with both
``py3langid`` and ``lingua-language-detector`` installed (py3langid is not a polybrief dependency:
``pip install py3langid``); the figures are in ``polybrief/qa/language.py``.  Each detector's first
use is timed in a fresh process, since that is what every ``publish`` pays.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("hy", "az", "ru", "uk")
_FIRST_USE = {
    "py3langid": "from py3langid.langid import LanguageIdentifier, MODEL_FILE\n"
                 "LanguageIdentifier.from_model_file(MODEL_FILE).rank('The ministry announced an offensive on Tuesday.')",
    "lingua-low": "from lingua import LanguageDetectorBuilder as B, IsoCode639_1 as I\n"
                  "B.from_iso_codes_639_1(I.EN, I.AZ).with_low_accuracy_mode().build()"
                  ".detect_language_of('The ministry announced an offensive on Tuesday.')",
    "lingua-high": "from lingua import LanguageDetectorBuilder as B, IsoCode639_1 as I\n"
                   "B.from_iso_codes_639_1(I.EN, I.AZ).build().detect_language_of('The ministry announced an offensive on Tuesday.')",
}


def labelled() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(text, its language, the target of its pair) for full sentences and for short prefixes."""
    from polybrief.catalogs.po import read_po_file
    from polybrief.qa.sentences import sentences

    full: list[tuple[str, str, str]] = []
    for locale in LOCALES:
        catalog = read_po_file(REPO / "examples" / "locales" / locale / "LC_MESSAGES" / "nagorno-karabakh.po")
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            for language, texts in ((locale, strings), ("en", ids)):
                for text in texts:
                    for s in sentences(text, language):
                        if len(re.findall(r"[^\W\d_]+", s)) >= 2:
                            full.append((s, language, locale))
    short = [(" ".join(t.split()[:n]), lang, pair) for t, lang, pair in full for n in (2, 3, 4) if len(t.split()) > n]
    return full, short


def detectors() -> dict[str, Callable[[str, str], str | None]]:
    out: dict[str, Callable[[str, str], str | None]] = {}
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE)

        def p3(text: str, target: str) -> str | None:
            ranks = dict(ident.rank(text))
            return max(("en", target), key=lambda lang: ranks.get(lang, float("-inf")))

        out["py3langid"] = p3
    except ImportError:
        print("py3langid is not installed: skipped", file=sys.stderr)
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    for mode in ("low", "high"):
        cache: dict[str, object] = {}

        def ling(text: str, target: str, mode: str = mode, cache: dict[str, object] = cache) -> str | None:
            if target not in cache:
                builder = LanguageDetectorBuilder.from_iso_codes_639_1(IsoCode639_1.EN, IsoCode639_1.from_str(target))
                cache[target] = (builder.with_low_accuracy_mode() if mode == "low" else builder).build()
            found = cache[target].detect_language_of(text)  # type: ignore[attr-defined]
            return None if found is None else found.iso_code_639_1.name.lower()

        out[f"lingua-{mode}"] = ling
    return out


def main() -> int:
    full, short = labelled()
    print(f"{len(full)} sentences, {len(short)} short texts")
    print("| detector | full sentences | short texts | ms per text | first use (fresh process) |")
    print("|---|---:|---:|---:|---:|")
    for name, detect in detectors().items():
        cells = []
        seconds = 0.0
        for data in (full, short):
            detect(data[0][0], data[0][2])  # load models before timing
            start = time.perf_counter()
            ok = sum(detect(text, pair) == lang for text, lang, pair in data)
            seconds += time.perf_counter() - start
            cells.append(f"{100 * ok / len(data):.1f} %")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _FIRST_USE[name]], check=True)
        first = time.perf_counter() - start
        print(f"| {name} | {cells[0]} | {cells[1]} | {1000 * seconds / (len(full) + len(short)):.3f} | {first:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
