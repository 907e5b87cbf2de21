"""Compiled templates shared by a run's environments and kept between runs in the user's cache.

Jinja2 compiles every template once per environment, and polybrief has an
environment per locale and format: without a shared cache a run compiles the
same files eight times, and every new process compiles them again (a fifth of
an incremental run that rebuilds a few pages).  The code is the same for every
environment of one *kind* — HTML or text (autoescape changes the code),
sandboxed or not, one Jinja2, Python and polybrief version — so one cache per
kind serves them all: in memory first, then in
``$XDG_CACHE_HOME/polybrief/templates/<kind>/`` (:func:`polybrief.fs.user_cache_dir`).

Jinja2 checks each entry against the template source's checksum, so an edited
template is compiled again.  What it does not check is who wrote the file: its
bytecode is code.  So the folder is used only when it is this user's own and
writable by no one else (as Python treats ``__pycache__``), files are read
without following links and with a size bound, and any failure to read or write
only costs a compilation: a cache never fails a run.

The code itself comes from :class:`OutputCodeGenerator`: Jinja2's, except that an
HTML template prints a value with one call, :func:`html_output`, instead of
``escape(environment.finalize(value))``, which made a new copy of every piece
of markup the filters had already made (two ``Markup`` objects and three calls
for each of the ~190 values an HTML page prints).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2
import jinja2.bccache
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup, escape

from .._version import __version__
from ..fs import user_cache_dir
from .filters import finalize

__all__ = ["TemplateCodeCache", "OutputCodeGenerator", "html_output", "HTML_OUTPUT"]

log = logging.getLogger(__name__)

#: Largest cache file read (a compiled brief template is about 60 KB).
MAX_ENTRY_BYTES = 4 * 1024 * 1024


#: The environment attribute compiled HTML templates call to print a value (see :func:`html_output`).
HTML_OUTPUT = "polybrief_html_output"


def html_output(value: object) -> Markup:
    """What an HTML template prints for ``{{ value }}``: ``escape(finalize(value))``, except that markup
    (exactly :class:`~markupsafe.Markup`: what the filters and ``_()`` return) is already safe and is
    printed as it is rather than copied.  Anything else (a string, a segment, a number, an object with
    ``__html__``) is finalized and escaped as Jinja2 does it."""
    if type(value) is Markup:
        return value
    return escape(finalize(value))


class OutputCodeGenerator(CodeGenerator):
    """Jinja2's code generator, printing each value of an autoescaped template through :data:`HTML_OUTPUT`
    (the environment's :func:`html_output`).  Output whose escaping is decided at run time (``{% autoescape
    %}`` with a variable) and templates of a text environment compile as Jinja2 compiles them."""

    def _fast(self, frame: Frame, finalize: object) -> bool:
        return bool(frame.eval_ctx.autoescape and not frame.eval_ctx.volatile
                    and getattr(finalize, "src", None) == "environment.finalize("
                    and getattr(self.environment, HTML_OUTPUT, None) is html_output)

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: object) -> None:
        if self._fast(frame, finalize):
            self.write(f"environment.{HTML_OUTPUT}(")
            return
        super()._output_child_pre(node, frame, finalize)  # type: ignore[arg-type]

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Frame, finalize: object) -> None:
        if self._fast(frame, finalize):
            self.write(")")
            return
        super()._output_child_post(node, frame, finalize)  # type: ignore[arg-type]


def _kind(html: bool, sandboxed: bool) -> str:
    """The folder name of one kind of compiled code: whatever changes how a template compiles."""
    parts = [jinja2.__version__, sys.implementation.cache_tag or "", __version__, "output-1",
             "html" if html else "text", "sandboxed" if sandboxed else "plain"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def _owned_folder(folder: Path) -> bool:
    """Whether ``folder`` exists (made if need be, mode 0700), is a real folder, this user's, and closed to others."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class TemplateCodeCache(jinja2.BytecodeCache):
    """Jinja2's bytecode cache for one kind of environment: a dict, backed by a folder when one is usable.

    ``persistent=False`` keeps it in memory (the folder is never looked at)."""

    def __init__(self, *, html: bool, sandboxed: bool, persistent: bool = True) -> None:
        self.codes: dict[str, bytes] = {}
        self.folder: Path | None = user_cache_dir() / "templates" / _kind(html, sandboxed) if persistent else None
        self._checked = False

    def _usable(self) -> Path | None:
        if self.folder is not None and not self._checked:
            self._checked = True
            if not _owned_folder(self.folder):
                log.debug("compiled templates are not kept between runs: %s is not a folder of this user's "
                          "that only this user can write", self.folder)
                self.folder = None
        return self.folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is None:
            code = self._read(bucket.key)
            if code is None:
                return
        try:
            bucket.bytecode_from_string(code)  # Jinja2 checks the source's checksum and its own format
        except Exception:  # a damaged file (its header right, the rest cut short): compile again
            bucket.reset()
        if bucket.code is not None:
            self.codes[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes[bucket.key] = bucket.bytecode_to_string()
        self._write(bucket.key, code)

    def _read(self, key: str) -> bytes | None:
        folder = self._usable()
        if folder is None:
            return None
        try:
            fd = os.open(folder / f"{key}.jinja", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > MAX_ENTRY_BYTES:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        finally:
            os.close(fd)

    def _write(self, key: str, code: bytes) -> None:
        folder = self._usable()
        if folder is None:
            return
        temp: str | None = None
        try:
            with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=f".{key}.", suffix=".tmp",
                                             delete=False) as handle:
                temp = handle.name
                handle.write(code)
            os.replace(temp, folder / f"{key}.jinja")
        except OSError as exc:
            log.debug("compiled template not kept (%s): %s", folder, exc)
            self.folder = None  # one failure is enough: the rest of the run keeps its code in memory
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
