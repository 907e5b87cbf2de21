"""The machine and the library versions a run used."""

from __future__ import annotations

import os
import platform
import re
from importlib import metadata
from typing import Any

__all__ = ["machine_info"]

LIBRARIES = ("polybrief", "argostranslate", "ctranslate2", "sentencepiece", "sentencex", "Jinja2", "Babel",
             "wcwidth", "numpy", "torch", "stanza")


def _cpuinfo() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                info[key.strip()] = value.strip()
    except OSError:
        pass
    return info


def machine_info() -> dict[str, Any]:
    cpu = _cpuinfo()
    flags = set(cpu.get("flags", "").split())
    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            match = re.search(r"MemTotal:\s+(\d+)", handle.read())
            memory = int(match.group(1)) * 1024 if match else None
    except OSError:
        pass
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu_model": cpu.get("model name") or platform.processor() or "unknown",
        "cpu_family_model_stepping": "/".join(cpu.get(k, "?") for k in ("cpu family", "model", "stepping")),
        "cpu_flags": sorted(flags & {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8"}),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_bytes": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "load_average_start": list(os.getloadavg()),
    }
