"""Taking briefs or locales off a site: ``polybrief site remove``.

Publishing never deletes a page: a run that leaves out a locale keeps it on
the site (that is what keeps a subset publish from orphaning the rest).
Removing is therefore explicit.  The pages that remain and linked a removed
version are rendered again from their recorded sources (see
:mod:`polybrief.publishing.sitebuild`) with the folders and policy recorded for them,
the index is rebuilt, the manifest is saved, and only then are the removed
files deleted — so no page on disk ever links a file that is already gone
for longer than one rename.  A brief's source-language page cannot be
removed on its own: it is what translations point back to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError, UsageError
from ..fs import commit_staged, discard_staged, stage_chunks, sync_staged
from ..glossary import load_glossary
from ..project import Project
from ..session import Session
from ..site.inputs import canonical, page_signature
from ..site.manifest import MANIFEST_NAME, SiteManifest, sha256_file, site_lock
from ..site.manifest_read import load_manifest
from .sitebuild import SiteBuild
from .tasks import BriefOutcome, BriefTask, RunContext
from .worker import Worker, build_brief

__all__ = ["RemoveReport", "remove_from_site"]

log = logging.getLogger(__name__)


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
) -> RemoveReport:
    """Remove ``briefs`` (all their pages), ``locales`` (from every brief), or both (those locales of
    those briefs) from the site in ``out_dir``; re-render what linked them; rebuild the index.

    Publishing never deletes a page (a run that leaves out a locale keeps it), so taking a
    translation down is this explicit step (``polybrief site remove``).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as out:
    ...     _ = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "ru"], out_dir=out)
    ...     report = polybrief.remove_from_site(out, locales=["ru"])
    ...     names = sorted(p.name for p in pathlib.Path(out, "hy").iterdir())
    >>> sorted(p.parent.name + "/" + p.name for p in report.removed)
    ['ru/nagorno-karabakh.html', 'ru/nagorno-karabakh.txt']
    >>> names                                         # the Armenian pages stay, their links re-rendered
    ['nagorno-karabakh.html', 'nagorno-karabakh.txt']
    """
    out = Path(out_dir)
    if not briefs and not locales:
        raise UsageError("nothing to remove", hint="name --brief ID and/or --locale TAG")
    if not (out / MANIFEST_NAME).is_file():
        raise OutputError(f"not a polybrief site (no {MANIFEST_NAME})", file=out,
                          hint="publish into it first; only pages on record can be removed")
    with site_lock(out):
        manifest = load_manifest(out)
        targets = _targets(manifest, briefs, locales)
        builds: dict[str, SiteBuild] = {}
        first = _build_for(manifest, out, {}, builds)
        files: list[Path] = []
        for brief_id, tag in targets:
            files += first.remove(brief_id, tag)
        report = RemoveReport(removed=files)
        staged: list[tuple[Path, Path]] = []
        created: list[Path] = []
        try:
            affected = sorted({brief_id for brief_id, _ in targets if brief_id in manifest.briefs})
            for record, page in first.stale_pages(affected):
                site = _build_for(manifest, out, page.settings, builds)
                (task,) = site.refresh_tasks([(record, page)])
                outcome = _refresh(site, task)
                created += outcome.created
                staged += [(s.tmp, s.path) for s in outcome.staged]
                if outcome.untranslated:
                    raise outcome.untranslated[0][1]
                site.merge(outcome)
                report.refreshed += [s.path for s in outcome.staged]
            index = out / "index.html"
            fingerprint = first.index_fingerprint()
            tmp = stage_chunks(index, first.render_index(), sync=False)
            staged.append((tmp, index))
            manifest.index = {"fingerprint": fingerprint, "sha256": sha256_file(tmp),
                              "context": first.hasher.index_context()[0]}
            manifest.stat["index.html"] = page_signature(os.stat(tmp))
            staged.append((stage_chunks(manifest.path, first.manifest_chunks(), sync=False), manifest.path))
            sync_staged(tmp for tmp, _ in staged)
            while staged:
                tmp, path = staged[0]
                commit_staged(tmp, path)
                staged.pop(0)
        except BaseException:
            for tmp, _ in staged:
                discard_staged(tmp)
            for folder in reversed(created):
                _remove_empty(folder, out)
            raise
        for path in files:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise OutputError(f"cannot delete: {exc.strerror or exc}", file=path) from None
            _remove_empty(path.parent, out)
        report.index = out / "index.html"
    return report


def _refresh(site: SiteBuild, task: BriefTask) -> BriefOutcome:
    """Build one page on record again, in this process."""
    context = RunContext(out=site.out, formats=(), targets=(), base_url=site.base_url, recorded={},
                         contexts=site.manifest.contexts)
    return build_brief(task, Worker(site.session.project, context, session=site.session))


def _targets(manifest: SiteManifest, briefs: Sequence[str], locales: Sequence[str]) -> list[tuple[str, str | None]]:
    unknown = [b for b in briefs if b not in manifest.briefs]
    if unknown:
        known = ", ".join(sorted(manifest.briefs)) or "none"
        raise UsageError(f"not on this site: brief(s) {', '.join(unknown)}", hint=f"briefs on record: {known}")
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


def _folders(settings: dict[str, Any]) -> dict[str, Any]:
    return {key: settings.get(key) for key in ("templates", "locale_data", "glossary")}


def _build_for(manifest: SiteManifest, out: Path, settings: dict[str, Any], builds: dict[str, SiteBuild]) -> SiteBuild:
    """A :class:`SiteBuild` whose project has the folders a page was published with."""
    key = canonical(_folders(settings))
    build = builds.get(key)
    if build is None:
        folders = _folders(settings)
        glossary = None
        if folders.get("glossary"):
            glossary = load_glossary(manifest.resolve_path(folders["glossary"]))  # type: ignore[arg-type]
        project = Project(
            template_dirs=tuple(p for p in (manifest.resolve_path(t) for t in folders.get("templates") or ()) if p),
            locale_dirs=tuple(p for p in (manifest.resolve_path(t) for t in folders.get("locale_data") or ()) if p),
            glossary=glossary, base_url=manifest.base_url,
        )
        build = builds[key] = SiteBuild(out, Session(project), manifest=manifest)
    return build


def _remove_empty(folder: Path, root: Path) -> None:
    if folder.resolve() == root.resolve():
        return
    try:
        folder.rmdir()
    except OSError:
        pass
