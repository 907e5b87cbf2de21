"""Joining a Ray cluster, for the two things polybrief runs on one: MT actors and publishing shards.

Why one module: :mod:`polybrief.mt.ray_engine` and
:mod:`polybrief.publishing.distributed` both need the same three rules —
import Ray only when asked, keep a connection the process already has (a
notebook, the tests), and fail in seconds on a ``HOST:PORT`` nobody listens
at (``ray.init`` retries such an address for minutes).  Each caller says
which error a failure is (an MT engine error, a usage error) and what to
install, so its messages stay its own.

``ray`` is imported by :func:`connect`, never on import of this module.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from .errors import MissingExtraError, PolybriefError

__all__ = ["connect"]

_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/\s]+):(?P<port>\d{1,5})$")

#: What to do when a cluster cannot be reached, whoever asked.
_UNREACHABLE_HINT = ("start one with 'ray start --head' (then --ray auto), give its address (--ray HOST:6379), "
                     "or use --ray local for a Ray instance on this machine; see docs/scale.md")


def connect(address: str, *, error: type[PolybriefError], missing: str, missing_hint: str,
            data: bool = False) -> tuple[Any, bool]:
    """Connect this process to the Ray cluster at ``address``; returns ``(ray, started_here)``.

    ``"auto"`` joins the cluster this machine belongs to (``ray start`` ran
    here, or ``RAY_ADDRESS`` is set); ``"local"`` starts a Ray instance on this
    machine for this process alone; anything else is a cluster address
    (``HOST:6379``, ``ray://HOST:10001``).  A process already connected keeps
    its connection whatever ``address`` says; ``started_here`` tells the
    caller whether it must shut the connection down.

    ``error``: the class of the error raised when the cluster cannot be
    reached; ``missing``/``missing_hint``: the message and hint of the
    :class:`~polybrief.errors.MissingExtraError` when Ray (with Ray Data, if
    ``data``) is not installed.
    """
    ray = _import_ray(missing, missing_hint, data=data)
    if ray.is_initialized():
        return ray, False
    kwargs: dict[str, Any] = {"logging_level": logging.WARNING}
    if address == "local":
        kwargs["include_dashboard"] = False
    else:
        _check_reachable(address, error)
        kwargs["address"] = address
    try:
        ray.init(**kwargs)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        raise _unreachable(error, address, str(exc).splitlines()[0] if str(exc) else repr(exc)) from None
    return ray, True


def _import_ray(missing: str, hint: str, *, data: bool) -> Any:
    try:
        import ray
        if data:
            import ray.data  # noqa: F401 - Ray Data is a separate extra of ray
    except ImportError:
        raise MissingExtraError(missing, field="ray", hint=hint) from None
    return ray


def _unreachable(error: type[PolybriefError], address: str, why: str) -> PolybriefError:
    return error(f"cannot connect to the Ray cluster at {address!r}: {why}", field="ray", hint=_UNREACHABLE_HINT)


def _check_reachable(address: str, error: type[PolybriefError]) -> None:
    """Fail in seconds on a ``HOST:PORT`` nobody listens at."""
    match = _HOST_PORT.match(address)
    if match is None:
        return  # "auto", "ray://...": Ray's own discovery and client
    import socket

    host = match["host"].strip("[]")
    try:
        with socket.create_connection((host, int(match["port"])), timeout=5):
            pass
    except OSError as exc:
        raise _unreachable(error, address, exc.strerror or str(exc)) from None
