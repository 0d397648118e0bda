"""Settings: read from the environment here and nowhere else.

Everything below the CLI takes a ``Settings`` (or explicit arguments), so tests
build their own without touching the process environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_PROMPT = "extract-v8"
DEFAULT_SCHEMA = "record.v1"
EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"


def _cache_home(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coopex"


@dataclass(frozen=True)
class Settings:
    """Everything that selects an endpoint, a model, and where files go."""

    base_url: str | None = None  # None: the embedded model
    api_key: str | None = None
    model: str | None = None
    prompt_id: str = DEFAULT_PROMPT
    schema_id: str = DEFAULT_SCHEMA
    cache_dir: Path = Path("~/.cache/coopex/results").expanduser()
    model_dir: Path = Path("~/.cache/coopex/models").expanduser()
    use_cache: bool = True
    strict_grounding: bool = False  # drop values the article does not support
    timeout_s: float = 600.0
    transport_retries: int = 4
    validation_retries: int = 2
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int = 0
    mode: str = "tools"  # instructor mode: tools | json | md_json
    n_ctx: int = 8192
    n_threads: int = 0  # 0: all cores
    max_chars: int = 60_000
    # batch --ray: the Ray cluster to join ("host:port", "ray://host:port", "auto"), or "local"
    # to start one on this machine; None: no Ray unless --ray is given
    ray_address: str | None = None

    @property
    def embedded(self) -> bool:
        return not self.base_url

    @property
    def model_name(self) -> str:
        if self.model:
            return self.model
        return EMBEDDED_MODEL_NAME if self.embedded else "gpt-4o-mini"

    def with_overrides(self, **kw: object) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in kw.items() if v is not None})  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        home = Path(env["COOPEX_HOME"]) if env.get("COOPEX_HOME") else _cache_home(env)
        s = cls(
            base_url=env.get("OPENAI_BASE_URL") or None,
            api_key=env.get("OPENAI_API_KEY") or None,
            model=env.get("COOPEX_MODEL") or None,
            prompt_id=env.get("COOPEX_PROMPT", DEFAULT_PROMPT),
            cache_dir=home / "results",
            model_dir=Path(env["COOPEX_MODEL_DIR"]) if env.get("COOPEX_MODEL_DIR") else home / "models",
            mode=env.get("COOPEX_MODE", "tools"),
            ray_address=env.get("COOPEX_RAY_ADDRESS") or None,
        )
        if env.get("COOPEX_TIMEOUT"):
            s = replace(s, timeout_s=float(env["COOPEX_TIMEOUT"]))
        if env.get("COOPEX_THREADS"):
            s = replace(s, n_threads=int(env["COOPEX_THREADS"]))
        return s


def repo_root() -> Path:
    """The directory holding prompts/ and schemas/ (the project checkout)."""
    here = Path(__file__).resolve().parent.parent
    return here
