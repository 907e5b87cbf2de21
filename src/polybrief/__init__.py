"""polybrief: write a news or situation brief once, publish it in every language.

The public API, in pipeline order::

    brief = polybrief.load("examples/nagorno-karabakh.yaml")
    localised = polybrief.localise(brief, "hy", catalog=...)
    html = polybrief.Renderer().render(localised, format="html")
    polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "az", "ru"], out_dir="dist")

Importing polybrief is cheap: Babel, Jinja2 and PyYAML are imported where they
are used, and machine translation (``polybrief.mt``) only when asked for.
"""

from .brief_io import brief_json_schema, dump_brief, load, read_brief, save, write_brief
from .catalogs import (
    BriefCatalog,
    CatalogStats,
    catalog_stats,
    catalogs_root,
    extract_template,
    load_brief_catalog,
    update_catalog,
    write_template,
)
from .errors import (
    BriefError,
    CatalogError,
    GlossaryError,
    LocaleError,
    MissingExtraError,
    ModelPackageError,
    OutputError,
    PolybriefError,
    QualityGateError,
    TemplateError,
    TranslationEngineError,
    UntranslatedError,
)
from .cldr import LocaleInfo, QuotationMarks, get_locale
from .localise import LocalisedBrief, localise
from .model import Brief, Dateline, Figure, Item, Quote, Section, Source
from .provenance import Provenance, Segment, TranslationPolicy
from .publish import BriefSource, PublishedFile, PublishReport, open_brief, publish
from .render import Alternate, Renderer
from .units import Unit, translation_units

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # model and files
    "Brief", "Dateline", "Section", "Item", "Figure", "Quote", "Source",
    "load", "save", "read_brief", "write_brief", "dump_brief", "brief_json_schema",
    # locales and localisation
    "LocaleInfo", "QuotationMarks", "get_locale",
    "Provenance", "Segment", "TranslationPolicy", "LocalisedBrief", "localise",
    # catalogs
    "Unit", "translation_units", "BriefCatalog", "CatalogStats", "catalogs_root", "extract_template",
    "write_template", "update_catalog", "load_brief_catalog", "catalog_stats",
    # rendering and publishing
    "Renderer", "Alternate", "BriefSource", "PublishedFile", "PublishReport", "open_brief", "publish",
    # errors
    "PolybriefError", "BriefError", "LocaleError", "TemplateError", "OutputError", "CatalogError",
    "UntranslatedError", "TranslationEngineError", "MissingExtraError", "ModelPackageError",
    "GlossaryError", "QualityGateError",
]
