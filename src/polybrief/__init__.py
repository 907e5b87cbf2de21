"""polybrief: write a news or situation brief once, publish it in every language.

The public API, in pipeline order::

    project = polybrief.Project(locale_dirs=["my-locales"])       # settings: one frozen object per run
    page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy", project=project)  # its catalog found
    html = polybrief.render(page)                                  # or render("….yaml", "hy")
    polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "az", "ru"], out_dir="dist",
                      project=project)

A :class:`Session` holds the services of one run (briefs opened, catalogs
found, one locale object per tag, the renderer) when you make many calls.

Only the names exported here (and the engines in :mod:`polybrief.mt`) are
public; the modules behind them are internal and may move.  Importing
polybrief is cheap: pydantic, Babel, Jinja2 and PyYAML are imported where
they are used (the first use of a public name imports its module), and
machine translation only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from ._version import __version__
from .errors import (
    BriefError,
    CatalogError,
    GlossaryError,
    InterruptedRunError,
    LocaleError,
    MissingExtraError,
    ModelPackageError,
    NetworkError,
    OutputError,
    PolybriefError,
    QualityGateError,
    TemplateError,
    TranslationEngineError,
    UntranslatedError,
    UsageError,
)

if TYPE_CHECKING:
    from .brief_io import BriefSource, brief_json_schema, dump_brief, load, read_brief, save, write_brief
    from .catalogs import (
        BriefCatalog,
        CatalogRepository,
        CatalogStats,
        catalog_stats,
        catalogs_root,
        extract_template,
        load_brief_catalog,
        update_catalog,
        write_template,
    )
    from .catalogs.ui import AddedLocale, add_locale
    from .checking import CheckOutcome, check_files
    from .cldr import LocaleInfo, QuotationMarks, get_locale
    from .fields import Translatable, Unit, translation_units
    from .glossary import Glossary, load_glossary
    from .limits import Limits
    from .localisation import LocalisedBrief, LocalisedNode
    from .model import Author, Brief, Correction, Dateline, Figure, Image, Item, Quote, Section, Source
    from .mt.pipeline import machine_provider, translate_catalogs
    from .newsroom import Newsroom
    from .project import CheckSettings, EngineOptions, Project
    from .provenance import MachineTranslation, Provenance, Segment, TranslationPolicy
    from .publishing import PageSummary, PublishedFile, PublishReport, RemoveReport, publish, remove_from_site
    from .qa import Finding, QAReport, Severity, check_briefs
    from .rendering import Alternate, Renderer
    from .session import FIND, Session, localise, render


def _table(module: str, names: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), module)


#: Every public name but the version and the errors is imported on first use: ``import polybrief`` (and so
#: ``polybrief --version``, whose entry point imports the package first) loads neither pydantic (the model)
#: nor Babel, Jinja2 or PyYAML; a command imports what it uses when it runs.
_LAZY = {
    **_table("brief_io", "BriefSource brief_json_schema dump_brief load read_brief save write_brief"),
    **_table("catalogs", "BriefCatalog CatalogRepository CatalogStats catalog_stats catalogs_root "
                         "extract_template load_brief_catalog update_catalog write_template"),
    **_table("catalogs.ui", "AddedLocale add_locale"),
    **_table("cldr", "LocaleInfo QuotationMarks get_locale"),
    **_table("fields", "Translatable Unit translation_units"),
    **_table("limits", "Limits"),
    **_table("localisation", "LocalisedBrief LocalisedNode"),
    **_table("model", "Author Brief Correction Dateline Figure Image Item Quote Section Source"),
    **_table("newsroom", "Newsroom"),
    **_table("project", "CheckSettings EngineOptions Project"),
    **_table("provenance", "MachineTranslation Provenance Segment TranslationPolicy"),
    **_table("rendering", "Alternate Renderer"),
    **_table("session", "FIND Session localise render"),
    **_table("glossary", "Glossary load_glossary"),
    **_table("qa", "check_briefs QAReport Finding Severity"),
    **_table("mt.pipeline", "machine_provider translate_catalogs"),
    **_table("publishing", "publish PublishReport PublishedFile PageSummary remove_from_site RemoveReport"),
    **_table("checking", "check_files CheckOutcome"),
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "__version__",
    # configuration
    "Project", "EngineOptions", "CheckSettings", "Newsroom", "BriefSource", "TranslationPolicy", "Limits",
    # services: one run's briefs, catalogs, locales and renderer; the one-call entry points
    "Session", "FIND", "localise", "render",
    # model and files
    "Brief", "Dateline", "Section", "Item", "Figure", "Quote", "Source", "Author", "Image", "Correction",
    "Translatable",
    "load", "save", "read_brief", "write_brief", "dump_brief", "brief_json_schema",
    # locales and localisation
    "LocaleInfo", "QuotationMarks", "get_locale",
    "Provenance", "Segment", "MachineTranslation", "LocalisedBrief", "LocalisedNode",
    # catalogs
    "Unit", "translation_units", "BriefCatalog", "CatalogStats", "CatalogRepository", "catalogs_root",
    "extract_template", "write_template", "update_catalog", "load_brief_catalog", "catalog_stats",
    "add_locale", "AddedLocale",
    # glossary, quality checks, machine translation
    "Glossary", "load_glossary", "check_briefs", "check_files", "CheckOutcome", "QAReport", "Finding", "Severity",
    "machine_provider", "translate_catalogs",
    # rendering and publishing
    "Renderer", "Alternate", "PublishedFile", "PageSummary", "PublishReport", "publish", "remove_from_site",
    "RemoveReport",
    # errors
    "PolybriefError", "BriefError", "LocaleError", "TemplateError", "OutputError", "CatalogError",
    "UntranslatedError", "TranslationEngineError", "MissingExtraError", "ModelPackageError",
    "GlossaryError", "QualityGateError", "UsageError", "NetworkError", "InterruptedRunError",
]
