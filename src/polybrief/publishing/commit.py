"""The last stages of a run: *gate* (strict-mode failures and quality errors stop it) and *commit*.

When every brief is built, strict-mode failures (all of them, in one error)
and quality errors stop the run; the staged files are removed and nothing is
replaced (:func:`discard_run`).  Otherwise the write is all or nothing: the
staged files are made durable (one ``syncfs``), renamed into place, then the
index and the site's own files (:mod:`.sitepages`: language indexes, the 404
page, feeds, sitemaps, ``robots.txt``; each only when its bytes changed), the
site files no longer needed are removed, and the manifest comes last: it
describes the files before it.  A kill between two renames leaves each page
old or new, never half-written.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UntranslatedError
from ..fs import commit_staged, discard_staged, stage_chunks, staged_target, sync_staged
from ..qa.gate import gate_findings
from ..qa.report import QAReport
from ..site.inputs import page_signature
from ..site.manifest import sha256_file
from .report import PublishReport
from .sitebuild import SiteBuild

if TYPE_CHECKING:
    from ..mt.summary import MachineSummary
    from .run import Progress, Run

__all__ = ["gate", "commit", "discard_run", "remove_files"]


def gate(run: Run) -> QAReport:
    """Stop the run on strict-mode failures and on quality errors its policy does not allow; its report."""
    _raise_untranslated(run.untranslated)
    locales = list(dict.fromkeys(run.qa_locales))
    report = QAReport.from_findings(run.findings, locales=locales)
    gate_findings(report, allow_errors=run.session.policy.allow_qa_errors)
    for allow in (False, True):
        group = [f for allowed, findings in run.refresh_findings if allowed is allow for f in findings]
        if group:
            gate_findings(QAReport.from_findings(group), allow_errors=allow)
    return report


def commit(run: Run, *, write_index: bool, summaries: list[MachineSummary],
           now: datetime | None = None, progress: Progress | None = None) -> PublishReport:
    """Gate the run, then rename every staged file into place, the index, the site's files and the
    manifest last (``now``: the run's time, for the Google News sitemap)."""
    qa_report = gate(run)
    site = run.site
    site.remember_shared_files()
    index_path = site.out / "index.html" if write_index else None
    index_written = index_path is not None and _stage_index(run, index_path)
    written: list[Path] = []
    obsolete: list[Path] = []
    if write_index:
        from .sitepages import stage_site_files

        written, obsolete = stage_site_files(site, run.staged, run.created, now)
    _stage_checks(run)
    manifest_path = os.fspath(site.manifest.path)
    if run.staged or index_written or obsolete or not site.manifest.path.exists() or site.hasher.rehashed:
        tmp = stage_chunks(site.manifest.path, site.manifest_chunks(), sync=False)
        run.staged.append(os.fspath(tmp))  # last: it describes the files before it
    sync_staged(run.staged)
    total = len(run.staged)
    for done, staged in enumerate(run.staged):
        target = staged_target(staged)
        try:
            if target == manifest_path:
                remove_files(obsolete, site.out)
            commit_staged(staged, target)
        except BaseException:
            run.staged = run.staged[done + 1:]
            raise
        if progress is not None and (done % 64 == 63 or done == total - 1):
            progress("write", done + 1, total)
    run.staged = []
    run.created = []
    if site.manifest.legacy:
        site.manifest.drop_legacy()  # the manifest at the old place, in the web root
    return PublishReport(
        out_dir=site.out, files=run.files, index=index_path, localised=run.localised, qa=qa_report,
        machine=summaries, refreshed=run.refreshed, manifest=site.manifest.path, pages=run.pages,
        unchanged=run.unchanged, index_written=index_written, site_files=written, withheld=run.withheld,
    )


def _stage_checks(run: Run) -> None:
    """Stage the check cache when an entry changed: one per page on record (after the manifest's merge), in
    the order of brief ids, so the file does not depend on the order briefs were built or shards merged."""
    checks = run.checks
    if checks is not None and checks.enabled and checks.changed():
        briefs = run.site.manifest.briefs
        pages = (f"{bid}/{tag}" for bid in sorted(briefs) for tag in sorted(briefs[bid].pages))
        tmp = stage_chunks(checks.path, checks.chunks(pages), sync=False)
        run.staged.append(os.fspath(tmp))


def remove_files(paths: list[Path], root: Path) -> None:
    """Delete site files a run no longer writes (gone already: fine); never a file outside ``root``, whatever
    the manifest named (names on record are checked when read, and again here after resolving links)."""
    top = root.resolve()
    for path in paths:
        if not path.resolve().is_relative_to(top):
            continue
        try:
            if not path.is_dir():
                path.unlink()
        except FileNotFoundError:
            pass


def _stage_index(run: Run, index_path: Path) -> bool:
    """Stage ``index.html`` when what it shows changed or the file on disk is not the one written."""
    site = run.site
    fingerprint = site.index_fingerprint()
    recorded = site.manifest.index or {}
    if fingerprint == recorded.get("fingerprint") and _same_file(site, "index.html"):
        return False
    tmp = stage_chunks(index_path, site.render_index(), sync=False)
    run.staged.append(os.fspath(tmp))
    site.manifest.index = {"fingerprint": fingerprint, "sha256": sha256_file(tmp),
                           "context": site.hasher.index_context()[0]}
    site.manifest.stat["index.html"] = page_signature(os.stat(tmp))
    return True


def _raise_untranslated(failures: list[tuple[str, str, UntranslatedError]]) -> None:
    if not failures:
        return
    if len(failures) == 1:
        raise failures[0][2]
    several = len({brief_id for brief_id, _, _ in failures}) > 1
    locales = list(dict.fromkeys(tag for _, tag, _ in failures))
    parts = [f"{tag}{f' ({brief_id})' if several else ''}: {error.message}" for brief_id, tag, error in failures]
    raise UntranslatedError(
        f"--strict: {len(locales)} locale(s) would show source text — " + "; ".join(parts),
        file=None if several else failures[0][2].file, field=failures[0][2].field,
        hint=f"translate them in the {', '.join(locales)} catalogs (polybrief update / stats), or allow fallbacks to the source text (no --strict; TranslationPolicy(strict=False))",
    )


def discard_run(run: Run) -> None:
    """Remove every staged file and every folder created for them (a failed run).

    Pages are ``<locale>/<brief id>.<ext>``, so the folders a run can
    create are the output folder and its locale folders: any of them that
    was not there before and is empty now goes, whichever worker made it.
    """
    for tmp in run.staged:
        discard_staged(tmp)
    run.staged = []
    for folder in reversed(run.created):
        _rmdir(folder)
    out = run.site.out
    if out.is_dir():
        for name in os.listdir(out):
            if run.existing is None or name not in run.existing:
                _rmdir(out / name)
        if run.existing is None:
            _rmdir(out)


def _rmdir(folder: Path) -> None:
    try:
        if folder.is_dir() and not folder.is_symlink():
            folder.rmdir()
    except OSError:
        pass


def _same_file(site: SiteBuild, name: str) -> bool:
    try:
        st = os.stat(site.out / name)
    except OSError:
        return False
    return site.manifest.stat.get(name) == page_signature(st)
