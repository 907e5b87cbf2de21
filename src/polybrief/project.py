"""The configuration of one run, built once and passed down: :class:`Project`.

Everything a run is configured with — template folders, locale-data folders,
the catalogs folder, the glossary, the translation policy, the models folder
and engine options, the output base URL — lives in one frozen object, as
httpx passes one ``Timeout``/``Limits`` to a client instead of threading
loose keyword arguments through every layer.

A project is *settings only*: it opens no file after it is built, caches
nothing and owns no service.  The services of a run (opening briefs,
finding catalogs, one :class:`~polybrief.cldr.LocaleInfo` per tag, the
renderer) belong to a :class:`~polybrief.session.Session` built from it, a
layer above.  So this module is importable from anywhere without a cycle
(it imports only errors, limits, locale types, the policy and the glossary
type), a project can be pickled to a worker as it is, and two runs never
share a cache through their configuration: Jinja2 keeps its configuration on
the ``Environment`` and its services (loaders, caches) on objects above it
for the same reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._repr import settings_repr
from .cldr import Digits
from .errors import CatalogError, LocaleError, TemplateError, TranslationEngineError, UsageError
from .limits import DEFAULT_LIMITS, Limits
from .newsroom import DEFAULT_NEWSROOM, Newsroom
from .provenance import DEFAULT_POLICY, TranslationPolicy

if TYPE_CHECKING:
    from .glossary import Glossary

__all__ = ["CheckSettings", "Project", "EngineOptions", "Device", "Digits", "check_base_url"]

Device = Literal["cpu", "cuda", "auto"]


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Which quality checks run and how severe their findings are, for a whole project.

    ``disabled``: check names that do not run (``--disable-check``);
    ``severities``: (name, ``"error"`` or ``"warning"``) pairs that override a
    check's own severity (``--check-severity NAME=warning``), as Weblate's and
    translate-toolkit's per-project check settings do.  Names are checked
    against the registry when checks run (:mod:`polybrief.qa`, which this
    module may not import); one reviewed false alarm is silenced with an
    ``ignore-<check>`` flag on its catalog entry instead.

    >>> settings = polybrief.CheckSettings(disabled=frozenset({"length"}), severities=(("numbers-minor", "error"),))
    >>> settings.severity("numbers-minor", "warning"), settings.severity("numbers", "error")
    ('error', 'error')
    >>> polybrief.Project(checks=settings).checks.names == {"length", "numbers-minor"}
    True
    """

    disabled: frozenset[str] = frozenset()
    severities: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled", frozenset(self.disabled))
        object.__setattr__(self, "severities", tuple(sorted(dict(self.severities).items())))
        for name, level in self.severities:
            if level not in ("error", "warning"):
                raise UsageError(f"unknown severity {level!r} for quality check {name!r}",
                                 hint="use NAME=error or NAME=warning")

    def severity(self, name: str, default: str) -> str:
        """The severity of findings under ``name`` (``default``: the check's own)."""
        return dict(self.severities).get(name, default)

    @property
    def names(self) -> frozenset[str]:
        """Every check name these settings mention."""
        return self.disabled | {name for name, _ in self.severities}


#: The registry's checks, each with its own severity.
DEFAULT_CHECKS = CheckSettings()


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class EngineOptions:
    """How the engine runs its models.  Every field has a safe CPU default.

    ``beam_size`` is 4, as in Argos Translate: on these small models beam 4
    is measurably better than greedy for a cost a brief can afford (about
    2× greedy); use 1 for drafts or benchmarks of raw speed.
    ``compute_type`` ``"auto"`` means ``int8`` on CPU (the fastest type on
    every x86/ARM CPU, with negligible quality loss on these models) and
    ``int8_float16`` on CUDA when the GPU supports it; any CTranslate2 type
    may be named explicitly.
    ``device`` ``"auto"`` uses CUDA when CTranslate2 sees a GPU.
    ``max_batch_tokens`` bounds each batch by tokens, not sentences, so a few
    long sentences cannot blow memory up while many short ones still share
    a batch.  ``max_decoding_length`` caps every output: a healthy model ends
    sentences itself, but a damaged (or, in tests, random) one never emits
    its end token and would otherwise run to CTranslate2's limit.
    ``length_penalty`` stays 1.0 so that a returned score is the mean
    per-token log-probability (see :class:`~polybrief.mt.base.MachineTranslation`).
    ``pivot`` is the language two models are chained through when no direct
    model exists.

    >>> project = polybrief.Project(engine_options=polybrief.EngineOptions(beam_size=1))  # fast drafts
    >>> project.engine_options.beam_size
    1
    >>> polybrief.EngineOptions(device="tpu")
    Traceback (most recent call last):
    polybrief.errors.TranslationEngineError: device: unknown device 'tpu' (use 'cpu', 'cuda' or 'auto')
    """

    device: Device = "cpu"
    device_index: int = 0
    compute_type: str = "auto"
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0
    max_batch_tokens: int = 2048
    max_input_length: int = 1024
    max_decoding_length: int = 256
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    pivot: str = "en"

    def __repr__(self) -> str:
        return settings_repr(self)

    def __post_init__(self) -> None:
        if self.device not in ("cpu", "cuda", "auto"):
            raise TranslationEngineError(
                f"unknown device {self.device!r}", field="device", hint="use 'cpu', 'cuda' or 'auto'",
            )
        for name in ("beam_size", "inter_threads", "max_batch_tokens", "max_decoding_length"):
            if int(getattr(self, name)) < 1:
                raise TranslationEngineError(f"{name} must be at least 1", field=name)
        if self.intra_threads < 0 or self.max_input_length < 0:
            raise TranslationEngineError("thread and length limits cannot be negative")


def _folders(values: Iterable[str | os.PathLike[str]] | None) -> tuple[Path, ...]:
    return tuple(Path(v) for v in (values or ()))


def check_base_url(url: str) -> str:
    """``url`` as a site's base URL (ending in ``/``), or a :class:`UsageError` saying why it cannot be one.

    It ends up in every page's canonical link, ``og:url`` and JSON-LD, so it
    is held to what such a link may be: an absolute ``http(s)`` URL with a
    host and a valid port, and nothing a reader or a crawler could be misled
    by — no user name or password (``user:secret@``), no query or fragment
    (a page URL is appended to it), no whitespace, control, bidirectional or
    other invisible formatting character (U+202E would display the address
    reversed; CR/LF would split a header).
    """
    import unicodedata
    from urllib.parse import urlsplit

    hint = "e.g. --base-url https://news.example.org/briefs/"
    shown = ascii(url) if isinstance(url, str) else repr(url)
    if not isinstance(url, str) or len(url) > 2000:
        raise UsageError(f"base URL {shown[:80]} is not a URL", hint=hint)
    bad = next((c for c in url if unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn")
                or c.isspace()), None)
    if bad is not None:
        raise UsageError(f"base URL {shown} holds U+{ord(bad):04X}, an invisible or control character", hint=hint)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"base URL {shown} is not a valid URL ({exc})", hint=hint) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not parts.hostname:
        raise UsageError(f"base URL {shown} is not an absolute http(s) URL", hint=hint)
    if "@" in parts.netloc:
        raise UsageError(f"base URL {shown} holds a user name or password; it would be published in every page",
                         hint=hint)
    if "?" in url or "#" in url:
        raise UsageError(f"base URL {shown} has a query or a fragment; page paths are appended to it", hint=hint)
    if port == 0 or parts.netloc.endswith(":"):
        raise UsageError(f"base URL {shown} has no valid port", hint=hint)
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True, kw_only=True)
class Project:
    """Everything one run is configured with.  Build it once; pass it to every step.

    ``template_dirs`` are searched before polybrief's own templates;
    ``locale_dirs`` (``--locale-data``) before the brief's own ``locales/``
    folder and polybrief's for UI catalogs and ``quotation-marks.toml``;
    ``catalogs_dir`` (``--catalogs``) replaces each brief's ``locales/``
    folder for brief catalogs.  ``digits="latin"`` (``--digits latin``)
    writes figures, dates and times in Latin digits where the locale's CLDR
    default numbering system is another (Persian digits in ``fa``).  A named
    folder that does not exist is an error, so a typo cannot silently publish
    everything as source text.  ``limits`` bounds every input the run reads
    (:mod:`polybrief.limits`); ``sandboxed_templates`` renders templates in
    Jinja's sandbox, for templates that are not trusted code.
    ``index_threshold`` (``--index-threshold``) is the share of a page's
    segments that must be reviewed for it to be a full language version
    (:mod:`polybrief.publishing.tasks`, "Honest language claims").  Folders may
    be given as ``str`` or any path-like object.

    >>> project = polybrief.Project(digits="latin", policy=polybrief.TranslationPolicy(strict=True))
    >>> project                      # only what differs from the defaults
    Project(policy=TranslationPolicy(strict=True), digits='latin')
    >>> polybrief.Project(template_dirs=["no-such-folder"])
    Traceback (most recent call last):
    polybrief.errors.TemplateError: no-such-folder: template folder does not exist (...)
    """

    template_dirs: tuple[Path, ...] = ()
    locale_dirs: tuple[Path, ...] = ()
    catalogs_dir: Path | None = None
    glossary: Glossary | None = None
    policy: TranslationPolicy = DEFAULT_POLICY
    models_dir: Path | None = None
    engine_options: EngineOptions | None = None
    base_url: str | None = None
    digits: Digits = "locale"
    limits: Limits = DEFAULT_LIMITS
    sandboxed_templates: bool = False
    #: The share of a page's segments that must be reviewed for it to be a full language version (in
    #: hreflang links and indexed by search engines); below it a page is published as partial.
    index_threshold: float = 1.0
    #: Run the MT models on a Ray cluster (``"auto"``, ``"local"`` or an address); None: in this process.
    ray_address: str | None = None
    #: Size of the Ray actor pool (None: one per GPU, or per ``intra_threads`` CPUs, of the cluster).
    ray_actors: int | None = None
    #: The site's name, publisher and logo, and how its feeds and sitemaps are cut (:mod:`polybrief.newsroom`).
    newsroom: Newsroom = DEFAULT_NEWSROOM
    #: Quality checks switched off and severities overridden (``--disable-check``, ``--check-severity``).
    checks: CheckSettings = DEFAULT_CHECKS

    def __post_init__(self) -> None:
        object.__setattr__(self, "template_dirs", _folders(self.template_dirs))
        object.__setattr__(self, "locale_dirs", _folders(self.locale_dirs))
        if self.catalogs_dir is not None:
            object.__setattr__(self, "catalogs_dir", Path(self.catalogs_dir))
        if self.models_dir is not None:
            object.__setattr__(self, "models_dir", Path(self.models_dir))
        self._check_folders()
        if self.digits not in ("locale", "latin"):
            raise UsageError(f"unknown digits setting {self.digits!r}", hint="use locale or latin")
        if self.ray_address is not None and not self.ray_address.strip():
            raise UsageError("empty Ray address", hint="use --ray auto, --ray local or --ray HOST:6379")
        if self.ray_actors is not None and self.ray_actors < 1:
            raise UsageError(f"--ray-actors must be at least 1, not {self.ray_actors}")
        if self.ray_actors is not None and self.ray_address is None:
            raise UsageError("--ray-actors needs --ray", hint="e.g. --ray local --ray-actors 2")
        if self.base_url is not None:
            object.__setattr__(self, "base_url", check_base_url(self.base_url))
        if not 0 < self.index_threshold <= 1:
            raise UsageError(f"--index-threshold must be above 0 and at most 1, not {self.index_threshold}",
                             hint="1.0 (the default): only fully reviewed pages are full language versions")

    def _check_folders(self) -> None:
        for folder in self.template_dirs:
            if not folder.is_dir():
                raise TemplateError("template folder does not exist", file=folder,
                                    hint="pass an existing folder holding brief.html.j2 / brief.txt.j2")
        for folder in self.locale_dirs:
            if not folder.is_dir():
                raise LocaleError("locale-data folder does not exist", file=folder,
                                  hint="pass an existing folder holding <lang>/LC_MESSAGES/polybrief.po "
                                       "or quotation-marks.toml")
        if self.catalogs_dir is not None and not self.catalogs_dir.is_dir():
            raise CatalogError("catalogs folder does not exist", file=self.catalogs_dir,
                               hint="pass the folder holding <lang>/LC_MESSAGES/<brief-id>.po, "
                                    "or leave --catalogs out to use the brief's own locales/ folder")

    def __repr__(self) -> str:
        """Only the settings that differ from the defaults (``Project()``, ``Project(digits='latin')``)."""
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                   if getattr(self, f.name) != f.default]
        return f"Project({', '.join(changed)})"

    def with_options(self, **changes: Any) -> Project:
        """A copy with some settings changed (checked like a new project)."""
        known = {f.name for f in fields(self) if f.init}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown Project settings: {unknown}")
        return replace(self, **changes)

