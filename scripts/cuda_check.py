"""One short check of polybrief's MT engine on a CUDA GPU (run on a lent GPU machine).

Builds an Argos-shaped model (6+6 layers, d_model 512, 8 heads, FFN 2048,
random weights), installs it with polybrief's installer, and translates the
same batch of sentences with ``ArgosEngine`` on ``device="cpu"`` and on
``device="cuda"``, reporting times, the ratio and whether outputs agree.

CTranslate2's PyPI wheels load ``libcublas.so.12`` at run time; a machine that
only has CUDA 13 libraries gets a second attempt through a shim folder that
names the CUDA 13 cuBLAS ``libcublas.so.12`` (reported as such).

Usage: python scripts/cuda_check.py OUT_DIR [--phase all|run] [--device cpu|cuda]
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(HERE / "src"), str(HERE / "tests")]


def build_package(work: Path) -> Path:
    from mt_fixtures import _train_spm, _vocabulary, build_ct2_model  # noqa: PLC2701

    spm = _train_spm(work / "sentencepiece.model")
    vocab = _vocabulary(spm) + [f"<extra_{i}>" for i in range(8000 - 800)]
    folder = work / "translate-en_ru-1_0"
    build_ct2_model(folder / "model", vocab, seed=1, d=512, ff=2048, num_layers=6, num_heads=8, scale=0.05,
                    quantization="int8")
    (folder / "sentencepiece.model").write_bytes(spm.read_bytes())
    (folder / "metadata.json").write_text(json.dumps({
        "package_version": "1.0", "argos_version": "1.9.0", "from_code": "en", "to_code": "ru",
        "from_name": "English", "to_name": "Russian", "code": "translate-en_ru"}))
    return folder


COPIES = int(os.environ.get("CUDA_CHECK_COPIES", "12"))


def sentences() -> list[str]:
    import polybrief

    brief = polybrief.load(HERE / "examples" / "nagorno-karabakh.yaml")
    texts = [u.text for u in polybrief.translation_units(brief)]
    # 40 varied copies: different numbers per copy so deduplication cannot collapse them.
    return [f"{t} ({i})" for i in range(COPIES) for t in texts]


def run(device: str, packages: Path) -> dict:
    import ctranslate2

    from polybrief.mt.argos import ArgosEngine, EngineOptions

    info = {"device": device, "cuda_devices": ctranslate2.get_cuda_device_count()}
    if device == "cuda":
        info["cuda_compute_types"] = sorted(ctranslate2.get_supported_compute_types("cuda"))
    options = EngineOptions(device=device, beam_size=4, max_decoding_length=64,
                            intra_threads=16 if device == "cpu" else 0, max_batch_tokens=8192)
    engine = ArgosEngine(packages_dir=packages, options=options)
    segs = sentences()
    engine.translate(segs[:8], source="en", target="ru")  # warm-up: loads the model
    times = []
    for _ in range(3 if device == "cuda" else 1):
        t = time.perf_counter()
        out = engine.translate(segs, source="en", target="ru")
        times.append(time.perf_counter() - t)
    stats = engine.last_run_stats
    info.update(compute_type=engine.compute_type, seconds=sorted(times), median=sorted(times)[len(times) // 2],
                segments=len(segs), unique_sentences=getattr(stats, "unique_sentences", None),
                source_tokens=getattr(stats, "source_tokens", None),
                first_outputs=[o.text[:60] for o in out[:3]], scores=[round(o.score, 4) for o in out[:3]])
    return info


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    if "--phase" in sys.argv and sys.argv[sys.argv.index("--phase") + 1] == "run":
        device = sys.argv[sys.argv.index("--device") + 1]
        packages = Path(sys.argv[sys.argv.index("--packages") + 1])
        try:
            result = run(device, packages)
        except Exception as exc:  # report, do not hide: this is a diagnostic script
            result = {"device": device, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(result))
        return 0
    report: dict = {"python": sys.version.split()[0]}
    import ctranslate2

    report["ctranslate2"] = ctranslate2.__version__
    try:
        report["nvidia_smi"] = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                                               "--format=csv,noheader"], capture_output=True, text=True).stdout.strip()
    except FileNotFoundError:
        report["nvidia_smi"] = None
    patterns = ["/usr/local/cuda*/**/libcublas.so*", "/usr/lib/x86_64-linux-gnu/libcublas.so*",
                "/usr/local/nvidia/**/libcublas.so*", "/opt/*/.venv/lib/python3*/site-packages/nvidia/**/libcublas.so*"]
    patterns += [f"{p}/nvidia/**/libcublas.so*" for p in sys.path if p.endswith("site-packages")]
    found = [hit for pattern in patterns for hit in glob.glob(pattern, recursive=True)]
    ldconfig = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    found += [line.split("=>")[-1].strip() for line in ldconfig.splitlines() if "libcublas.so" in line]
    cublas = sorted(set(found))
    report["cublas_found"] = cublas
    work = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    from polybrief.mt.install import install_package  # noqa: F401 - proves the import path
    from polybrief.mt.folders import install_folder

    packages = work / "packages"
    install_folder(build_package(work), from_code="en", to_code="ru", packages_dir=packages)
    report["build_seconds"] = round(time.perf_counter() - t, 1)
    attempts = [("cpu", {}), ("cuda", {})]
    twelve = [p for p in cublas if p.endswith(".so.12") or ".so.12." in p]
    thirteen = [p for p in cublas if ".so.13" in p]
    if not twelve and thirteen:
        shim = work / "shim"
        shim.mkdir()
        os.symlink(thirteen[0], shim / "libcublas.so.12")
        lt = [p for p in glob.glob(os.path.dirname(thirteen[0]) + "/libcublasLt.so.13*")]
        if lt:
            os.symlink(lt[0], shim / "libcublasLt.so.12")
        env = {"LD_LIBRARY_PATH": f"{shim}:{os.path.dirname(thirteen[0])}:{os.environ.get('LD_LIBRARY_PATH', '')}"}
        attempts.append(("cuda", env))
    report["runs"] = []
    for device, extra in attempts:
        env = {**os.environ, **extra}
        proc = subprocess.run([sys.executable, __file__, str(out), "--phase", "run", "--device", device,
                               "--packages", str(packages)], capture_output=True, text=True, env=env, timeout=400)
        line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        try:
            result = json.loads(line)
        except json.JSONDecodeError:
            result = {"device": device, "error": (proc.stderr or proc.stdout)[-1500:]}
        result["shim"] = bool(extra)
        report["runs"].append(result)
        print(json.dumps(result), flush=True)
    ok = {r["device"] + ("+shim" if r["shim"] else ""): r for r in report["runs"] if "median" in r}
    if "cpu" in ok:
        for key, r in ok.items():
            if key != "cpu":
                report[f"speedup_{key}_vs_cpu16"] = round(ok["cpu"]["median"] / r["median"], 2)
                report[f"outputs_agree_{key}"] = r["first_outputs"] == ok["cpu"]["first_outputs"]
    (out / "cuda_check.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "runs"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
