"""Where each published segment's text came from, and the policy that decides it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from ._repr import settings_repr
from .controls import SUSPECT, has_control_or_rtl, neutralise_controls

__all__ = ["Provenance", "Segment", "TranslationPolicy", "DEFAULT_POLICY", "MachineTranslation", "is_full_version"]


class Provenance(str, Enum):
    """The translation state of one segment, turned into PO flags only at the file boundary.

    Every state but ``REVIEWED`` is disclosed to readers on a translated page,
    each by its own kind: a human draft, a machine draft from the catalog,
    live machine translation, or the source text.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ka")   # no Georgian catalog
    >>> page.headline.provenance, page.disclosed
    (<Provenance.SOURCE: 'source'>, [<Provenance.SOURCE: 'source'>])
    >>> str(polybrief.Provenance.MACHINE_DRAFT)                             # as reports spell it
    'machine-draft'
    """

    REVIEWED = "reviewed"
    """A non-fuzzy catalog entry: approved by a translator."""
    DRAFT = "draft"
    """A translator's fuzzy catalog entry, published only when the policy includes drafts."""
    MACHINE_DRAFT = "machine-draft"
    """A fuzzy catalog entry written by ``polybrief translate`` (its comment names the engine and
    model), published only when the policy includes drafts: machine output nobody has reviewed."""
    MACHINE = "machine"
    """Machine translation produced for this run."""
    SOURCE = "source"
    """Untranslated: the source text (or, on the source-language page, the original)."""

    def __str__(self) -> str:
        return self.value


def is_full_version(counts: Mapping[str, int], threshold: float = 1.0, *, original: bool = False) -> bool:
    """Whether a page whose segments have ``counts`` (by :class:`Provenance` value) is a *full* language
    version: the original, or a translation with at least ``threshold`` of its segments reviewed.

    The one definition behind every language claim a site makes (see "Honest language claims" in
    :mod:`polybrief.publishing`, where ``threshold`` is ``--index-threshold``): a full version is
    indexed by search engines and is an ``hreflang`` alternate, in other pages' language menus, the
    sitemaps and the feeds; any other published translation is *partial* — ``noindex``, reached only
    from the site's indexes, which label it "partly translated".  A draft or a machine translation is
    not reviewed, so under the default threshold (1.0) one such passage makes a page partial.
    """
    total = sum(counts.values())
    return original or not total or counts.get(Provenance.REVIEWED.value, 0) / total >= threshold


_SUSPECT = SUSPECT.search
_set = object.__setattr__


@dataclass(frozen=True, slots=True)
class Segment:
    """One rendered field: its text, the language that text is in, and its provenance.

    ``lang`` is the BCP 47 tag of the text itself: the target locale when
    translated, the brief's source language when it fell back to the source, so
    HTML can mark it and screen readers pronounce it right.

    >>> segment = polybrief.localise("examples/nagorno-karabakh.yaml", "ka").headline
    >>> segment.lang, segment.provenance, segment.disclosed        # English on a Georgian page
    ('en', <Provenance.SOURCE: 'source'>, True)
    """

    path: str
    text: str
    provenance: Provenance
    lang: str
    engine: str | None = None
    models: tuple[str, ...] = ()
    note: str | None = None
    proper_name: bool = False
    """A name shown as written (``AFP``), not a translatable field: never disclosed as untranslated."""
    ignored_checks: frozenset[str] = frozenset()
    """Quality checks a reviewer silenced for this segment's catalog entry (``#, ignore-<check>``)."""
    shown: str = field(init=False, repr=False, compare=False)
    """The text as pages print it: control characters made visible (:func:`~polybrief.controls.neutralise_controls`),
    worked out once, here, rather than on every print."""
    plain: bool = field(init=False, repr=False, compare=False)
    """No control character and no right-to-left letter: on a left-to-right page it needs escaping only."""

    def __post_init__(self) -> None:
        text = self.text
        plain = _SUSPECT(text) is None or not has_control_or_rtl(text)  # the first test clears almost every text
        _set(self, "plain", plain)
        _set(self, "shown", text if plain else neutralise_controls(text))

    def __str__(self) -> str:
        return self.text

    def with_text(self, text: str) -> Segment:
        """This segment showing ``text`` instead (a figure's unit in the plural form its number takes):
        ``dataclasses.replace(self, text=text)``, without its look at every field on each call."""
        return Segment(self.path, text, self.provenance, self.lang, self.engine, self.models, self.note,
                       self.proper_name, self.ignored_checks)

    @property
    def model(self) -> str | None:
        return " + ".join(self.models) if self.models else None

    @property
    def disclosed(self) -> bool:
        """Shown to readers as unreviewed on a translated page (everything but reviewed text and names)."""
        return self.provenance is not Provenance.REVIEWED and not self.proper_name

    @property
    def is_machine(self) -> bool:
        """Machine output nobody has reviewed: live machine translation or a machine draft."""
        return self.provenance in (Provenance.MACHINE, Provenance.MACHINE_DRAFT)


@dataclass(frozen=True, kw_only=True, slots=True, repr=False)
class TranslationPolicy:
    """What a publish run may use.

    ``drafts="exclude"`` (the default, as in Sphinx) never publishes fuzzy
    entries; ``strict`` fails the run when any segment would fall back to the
    source text; ``allow_qa_errors`` publishes a locale even when the quality
    checks report errors (they are still reported); ``allow_mt_failure``
    publishes a locale for which machine translation was asked and none of its
    output was accepted (otherwise the run fails, naming every such locale).

    >>> polybrief.localise("examples/nagorno-karabakh.yaml", "ka",     # no Georgian catalog
    ...                    policy=polybrief.TranslationPolicy(strict=True))
    Traceback (most recent call last):
    polybrief.errors.UntranslatedError: headline: 52 segment(s) would fall back to the source text: ...
    """

    drafts: Literal["include", "exclude"] = "exclude"
    strict: bool = False
    allow_qa_errors: bool = False
    allow_mt_failure: bool = False

    @property
    def include_drafts(self) -> bool:
        return self.drafts == "include"

    def __repr__(self) -> str:
        return settings_repr(self, "DEFAULT_POLICY")


DEFAULT_POLICY = TranslationPolicy()
"""The policy of a run configured with none: reviewed translations only, fallbacks allowed."""


@dataclass(frozen=True, slots=True)
class MachineTranslation:
    """One translated segment.

    ``score`` is the mean per-token log-probability of the hypothesis (higher
    is better, 0.0 when the engine has none); ``models`` names every model that
    produced it, two of them when the text was pivoted through English.
    ``problem`` is set when the engine itself knows the output must not be
    published as it is (a protected span that did not come back, say); callers
    then fall back per their policy and keep the reason.

    What an engine returns, and what :func:`~polybrief.localise` takes per field path:

    >>> draft = polybrief.MachineTranslation("Азербайджан начал наступление в Нагорном Карабахе",
    ...                                      score=-0.42, engine="argos", models=("en→ru 1.9",))
    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru", catalog=None,
    ...                           machine={"headline": draft})
    >>> page.headline.provenance, page.headline.model       # disclosed to readers as machine output
    (<Provenance.MACHINE: 'machine'>, 'en→ru 1.9')
    """

    text: str
    score: float
    engine: str
    models: tuple[str, ...]
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def model(self) -> str:
        """The model names joined for display, e.g. ``ru→en 1.9 + en→az 1.5``."""
        return " + ".join(self.models)
