"""Text knowledge that quality checks, machine translation and rendering share.

:mod:`~polybrief.text.patterns`
    What a URL, an e-mail address and a placeholder are: spans MT protection
    hides, the checks verify and bidi isolation keeps in their direction.
:mod:`~polybrief.text.sentences`
    Splitting a segment into sentences (sentencex) with its layout kept: the
    same cut for a model and for the sentence-level checks.
:mod:`~polybrief.text.numbers`
    Reading numbers the way each locale writes them (CLDR symbols, scale words).
:mod:`~polybrief.text.scripts`
    Which script a locale is written in, and which script a letter belongs to.

Its own package so that none of its users has to import another: ``qa`` may
not import ``mt`` (machine output is gated by the checks, not the other way
round), and ``bidi`` sits below both.  Nothing here imports from ``qa``,
``mt``, ``render``, ``catalogs``, ``localise`` or ``project``; importing the
package loads none of its modules.
"""
