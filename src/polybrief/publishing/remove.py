"""Taking briefs or locales off a site: ``polybrief site remove``.

Publishing never deletes a page: a run that leaves out a locale keeps it on
the site (that is what keeps a subset publish from orphaning the rest).
Removing is therefore explicit.  The pages that remain and linked a removed
version are rendered again from their recorded sources (see
:mod:`polybrief.publishing.sitebuild`), the index is rebuilt, the manifest is
saved, and only then are the removed files deleted — so no page on disk ever
links a file that is already gone for longer than one rename.  A brief's
source-language page cannot be removed on its own: it is what translations
point back to.

The manifest is data, not authority (:mod:`polybrief.site.records`): the
briefs and locales named are looked up among checked records, so a page
path is always ``<locale tag>/<slug>.<ext>`` inside the folder, and every
path is checked to stay there before anything is deleted.  Pages are
rendered again with *this command's* configuration — its template and
locale-data folders, glossary, digits and sandbox (``Project``), never with
folders named by the manifest (a manifest naming a template folder used to
get that folder's code run).  Each such page must have been published with
the same configuration (its recorded settings), so that removing a locale
never changes how the rest of the site looks: a page published with
``--digits latin`` or with other templates is refused with a one-line error
until the command is given the same options; a page published in the
sandbox is rendered in the sandbox whatever the command says (the sandbox
can only become stricter).  The policy on record (drafts, strictness) is
kept: it chooses which of the brief's own translations show, and reaches
nothing outside them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError, UsageError
from ..fs import commit_staged, discard_staged, stage_chunks, staged_target, sync_staged
from ..project import Project
from ..session import Session
from ..site.inputs import page_signature
from ..site.manifest import BriefRecord, PageRecord, SiteManifest, sha256_file
from ..site.manifest_read import load_manifest
from ..site.state import MANIFEST_NAME, has_manifest, remove_stale_temps, site_lock
from .commit import remove_files
from .sitebuild import SiteBuild
from .sitepages import stage_site_files
from .tasks import BriefOutcome, BriefTask, RunContext
from .worker import Worker, build_brief

__all__ = ["RemoveReport", "remove_from_site"]

log = logging.getLogger(__name__)

#: Settings a page on record must share with the command that renders it again (see the module docstring).
RENDER_SETTINGS = ("templates", "locale_data", "glossary", "digits")
_OPTIONS = {"templates": "--templates", "locale_data": "--locale-data", "glossary": "--glossary",
            "digits": "--digits", "sandboxed_templates": "--sandbox-templates"}


@dataclass
class RemoveReport:
    """What :func:`remove_from_site` did: the files it deleted, the pages it rendered again because their
    language links named a removed version, and the rebuilt index.

    >>> polybrief.RemoveReport().removed
    []
    """

    removed: list[Path] = field(default_factory=list)
    refreshed: list[Path] = field(default_factory=list)
    index: Path | None = None


def remove_from_site(
    out_dir: str | os.PathLike[str],
    *,
    briefs: Sequence[str] = (),
    locales: Sequence[str] = (),
    project: Project | None = None,
) -> RemoveReport:
    """Remove ``briefs`` (all their pages), ``locales`` (from every brief), or both (those locales of
    those briefs) from the site in ``out_dir``; re-render what linked them with ``project`` (the
    configuration they were published with: templates, locale data, glossary, digits, sandbox);
    rebuild the index.

    Publishing never deletes a page (a run that leaves out a locale keeps it), so taking a
    translation down is this explicit step (``polybrief site remove``).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as out:
    ...     _ = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "ru"], out_dir=out)
    ...     report = polybrief.remove_from_site(out, locales=["ru"])
    ...     names = sorted(p.name for p in pathlib.Path(out, "hy").iterdir())
    >>> sorted(p.parent.name + "/" + p.name for p in report.removed)
    ['ru/nagorno-karabakh.html', 'ru/nagorno-karabakh.txt']
    >>> names                                 # the Armenian pages and index stay, their links re-rendered
    ['index.html', 'nagorno-karabakh.html', 'nagorno-karabakh.txt']
    """
    out = Path(out_dir)
    session = Session(project)
    if not briefs and not locales:
        raise UsageError("nothing to remove", hint="name --brief ID and/or --locale TAG")
    if not has_manifest(out):
        raise OutputError(f"not a polybrief site (no {MANIFEST_NAME})", file=out,
                          hint="publish into it first; only pages on record can be removed")
    with site_lock(out):
        remove_stale_temps(out)
        manifest = load_manifest(out, limits=session.project.limits)
        targets = _targets(manifest, briefs, locales)
        site = SiteBuild(out, session, manifest=manifest)
        files: list[Path] = []
        for brief_id, tag in targets:
            files += site.remove(brief_id, tag)
        for path in files:
            _inside(path, out)
        report = RemoveReport(removed=files)
        affected = sorted({brief_id for brief_id, _ in targets if brief_id in manifest.briefs})
        obsolete = _rebuild(site, affected, report)
        if manifest.legacy:
            manifest.drop_legacy()
        for path in files:
            _delete(path, out)
        remove_files(obsolete, out)  # site files the site no longer has (a language's index, its feed)
        for folder in dict.fromkeys(path.parent for path in (*files, *obsolete)):
            _remove_empty(folder, out)  # a locale taken off the site leaves no empty folder behind
        report.index = out / "index.html"
    return report


def _rebuild(site: SiteBuild, affected: Sequence[str], report: RemoveReport) -> list[Path]:
    """Render again what linked the removed pages, then the index, the site files and the manifest: staged,
    then renamed; returns the site files the site no longer has (deleted by the caller)."""
    out, manifest = site.out, site.manifest
    staged: list[str] = []
    created: list[Path] = []
    try:
        stale = site.stale_pages(affected)
        _check_settings(site, stale)
        for task in site.refresh_tasks(stale):
            outcome = _refresh(site, task)
            created += outcome.created
            staged += [os.fspath(s.tmp) for s in outcome.staged]
            if outcome.untranslated:
                raise outcome.untranslated[0][1]
            site.merge(outcome)
            report.refreshed += [s.path for s in outcome.staged]
        index = out / "index.html"
        fingerprint = site.index_fingerprint()
        tmp = stage_chunks(index, site.render_index(), sync=False)
        staged.append(os.fspath(tmp))
        manifest.index = {"fingerprint": fingerprint, "sha256": sha256_file(tmp),
                          "context": site.hasher.index_context()[0]}
        manifest.stat["index.html"] = page_signature(os.stat(tmp))
        _, obsolete = stage_site_files(site, staged, created, None)
        tmp = stage_chunks(manifest.path, site.manifest_chunks(), sync=False)
        staged.append(os.fspath(tmp))
        sync_staged(staged)
        while staged:
            commit_staged(staged[0], staged_target(staged[0]))
            staged.pop(0)
    except BaseException:
        for name in staged:
            discard_staged(name)
        for folder in reversed(created):
            _remove_empty(folder, out)
        raise
    return obsolete


def _delete(path: Path, out: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot delete: {exc.strerror or exc}", file=path) from None
    _remove_empty(path.parent, out)


def _inside(path: Path, out: Path) -> None:
    """Refuse to touch a page file unless its locale folder is a real folder right inside the output folder
    (the file itself may be a link: unlinking removes the link, never what it points to)."""
    folder = os.path.join(os.path.realpath(out), path.parent.name)
    if os.path.realpath(path.parent) != folder or os.path.islink(path.parent):
        raise OutputError("refusing to delete a file outside the output folder", file=path,
                          hint="the site manifest names it; rebuild the manifest by publishing again")


def _check_settings(site: SiteBuild, pages: Sequence[tuple[BriefRecord, PageRecord]]) -> None:
    """Refuse to render a page again with a configuration other than the one it was published with."""
    current = site.hasher.settings()
    for record, page in pages:
        recorded = page.settings
        differ = [name for name in RENDER_SETTINGS
                  if recorded.get(name, _DEFAULTS[name]) != current.get(name, _DEFAULTS[name])]
        if recorded.get("sandboxed_templates") and not current.get("sandboxed_templates"):
            differ.append("sandboxed_templates")
        if not differ:
            continue
        shown = ", ".join(f"digits {recorded.get('digits')}" if name == "digits" else _OPTIONS[name] for name in differ)
        raise UsageError(
            f"cannot render the {page.locale} page of {record.id!r} again: it was published with other settings "
            f"than this command has ({shown})",
            hint=f"give `site remove` the options it was published with ({', '.join(_OPTIONS[n] for n in differ)}; "
                 f"`polybrief site list DIR --json` shows them), or publish {record.id} again first")


_DEFAULTS: dict[str, Any] = {"templates": [], "locale_data": [], "glossary": None, "digits": "locale"}


def _refresh(site: SiteBuild, task: BriefTask) -> BriefOutcome:
    """Build one page on record again, in this process."""
    context = RunContext(out=site.out, formats=(), targets=(), base_url=site.base_url, recorded={},
                         contexts=site.manifest.contexts)
    return build_brief(task, Worker(site.session.project, context, session=site.session))


def _targets(manifest: SiteManifest, briefs: Sequence[str], locales: Sequence[str]) -> list[tuple[str, str | None]]:
    unknown = [b for b in briefs if b not in manifest.briefs]
    if unknown:
        known = ", ".join(sorted(manifest.briefs)) or "none"
        raise UsageError(f"not on this site: brief(s) {', '.join(map(repr, unknown))}",
                         hint=f"briefs on record: {known}")
    chosen = list(briefs) or list(manifest.briefs)
    if not locales:
        return [(brief_id, None) for brief_id in chosen]
    targets: list[tuple[str, str | None]] = []
    for tag in locales:
        holders = [b for b in chosen if tag in manifest.briefs[b].pages]
        if not holders:
            raise UsageError(f"no page in {tag!r} on this site" + (f" for {', '.join(briefs)}" if briefs else ""),
                             hint="`polybrief site list DIR` shows what is published")
        for brief_id in holders:
            record = manifest.briefs[brief_id]
            if tag == record.language and len(record.pages) > 1:
                raise UsageError(
                    f"{tag} is the source language of {brief_id!r}; its translations link back to it",
                    hint=f"remove the whole brief instead: polybrief site remove DIR --brief {brief_id}")
            targets.append((brief_id, tag))
    return targets


def _remove_empty(folder: Path, root: Path) -> None:
    if folder.resolve() == root.resolve():
        return
    try:
        folder.rmdir()
    except OSError:
        pass
