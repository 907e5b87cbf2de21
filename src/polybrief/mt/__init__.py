"""Machine translation behind one small interface.

Importing this package is cheap: the Argos/CTranslate2 engine lives in
submodules that import ctranslate2, sentencepiece and argostranslate only when
an engine is built.  ``argostranslate.translate`` (which pulls stanza and
torch) is never imported by polybrief.
"""

from .base import MachineTranslation, TranslationEngine

__all__ = ["MachineTranslation", "TranslationEngine"]
