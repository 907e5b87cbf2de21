"""polybrief's benchmark: ``python -m bench --full | --quick | --smoke``.

Everything the benchmark needs is generated at run time in a temporary folder:
a SentencePiece model trained on text derived from the example brief,
CTranslate2 Transformers with random weights, ``.argosmodel`` packages built
from them and installed twice (through argostranslate and through polybrief),
and batches of briefs derived from ``examples/nagorno-karabakh.yaml``.
Nothing is downloaded.  Results go to ``bench/results/<profile>.json`` and
``docs/benchmarks.md``.

Modules, in the order a run uses them: :mod:`bench.profiles` (sizes),
:mod:`bench.corpus` (briefs), :mod:`bench.modelgen` (models and packages),
:mod:`bench.argos_side` (the argostranslate baseline), :mod:`bench.mt`,
:mod:`bench.incremental`, :mod:`bench.startup`, :mod:`bench.rendering`,
:mod:`bench.memory` (the measurements), :mod:`bench.report` (JSON and
Markdown) and :mod:`bench.cli` (the command line).
"""

__all__: list[str] = []
