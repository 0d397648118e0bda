"""Settings: read from the environment here and nowhere else.

Everything below the CLI takes a ``Settings`` (or explicit arguments), so tests
build their own without touching the process environment.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.core.errors import ConfigError
from pipeline.core.redact import redact_url

DEFAULT_PROMPT = "extract-v19"
DEFAULT_SCHEMA = "record.v1"
EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODES = ("tools", "json", "md_json")
MIN_ARTICLE_CHARS = 40  # shorter than this after cleaning is no article (ingest refuses it)


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
    remote_timeout_s: float = 60.0  # a listing or read of an input by URI (s3://, gs://, ...)
    transport_retries: int = 4
    validation_retries: int = 2
    temperature: float = 0.0
    max_tokens: int = 2048
    seed: int = 0
    mode: str = "tools"  # instructor mode: tools | json | md_json
    n_ctx: int = 8192
    n_threads: int = 0  # 0: the embedded server's fixed default (2), for answers that do not vary
    max_chars: int = 60_000
    # the endpoint's context window in tokens; 0: the embedded server's n_ctx, or 8192 for an endpoint
    # (COOPEX_CONTEXT_TOKENS): an article longer than one request carries is read in windows
    context_tokens: int = 0
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

    def validate(self) -> Settings:
        """These settings, or a ``ConfigError`` whose one-line message says what to change."""
        if self.base_url is not None:  # one endpoint, or several as a comma list (batch spreads over them)
            for url in [u.strip() for u in self.base_url.split(",") if u.strip()] or [self.base_url]:
                check_base_url(url)
        if self.model is not None and (not self.model.strip() or self.model != self.model.strip()):
            raise ConfigError(f"--model (or COOPEX_MODEL) must name a model, not {self.model!r}; "
                              "leave it out for the default")
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r} (COOPEX_MODE or --mode); choose tools, json or md_json")
        if not (math.isfinite(self.timeout_s) and self.timeout_s > 0):
            raise ConfigError(f"COOPEX_TIMEOUT must be a number of seconds above 0, not {self.timeout_s:g}")
        if not (math.isfinite(self.remote_timeout_s) and self.remote_timeout_s > 0):
            raise ConfigError("COOPEX_REMOTE_TIMEOUT must be a number of seconds above 0, "
                              f"not {self.remote_timeout_s:g}")
        if self.n_threads < 0:
            raise ConfigError(f"COOPEX_THREADS must be 0 (all cores) or more, not {self.n_threads}")
        if self.max_chars < MIN_ARTICLE_CHARS:
            raise ConfigError(f"--max-chars must be at least {MIN_ARTICLE_CHARS} (an article is never shorter), "
                              f"not {self.max_chars}")
        if self.context_tokens and self.context_tokens < 1024:
            raise ConfigError(f"COOPEX_CONTEXT_TOKENS must be at least 1024 (or 0 for the default), "
                              f"not {self.context_tokens}")
        if self.max_tokens < 1:
            raise ConfigError(f"--max-tokens must be at least 1, not {self.max_tokens}")
        for name, value in (("prompt", self.prompt_id), ("schema", self.schema_id)):
            if not value or "/" in value or "\\" in value or value.startswith("."):
                raise ConfigError(f"--{name} must be a version name such as "
                                  f"{DEFAULT_PROMPT if name == 'prompt' else DEFAULT_SCHEMA}, not {value!r}")
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from the environment, validated: a bad value raises ``ConfigError``."""
        env = os.environ if env is None else env
        home = Path(env["COOPEX_HOME"]) if env.get("COOPEX_HOME") else _cache_home(env)
        s = cls(
            base_url=(env.get("OPENAI_BASE_URL") or "").strip() or None,
            api_key=env.get("OPENAI_API_KEY") or None,
            model=env.get("COOPEX_MODEL") or None,
            prompt_id=env.get("COOPEX_PROMPT") or DEFAULT_PROMPT,
            cache_dir=home / "results",
            model_dir=Path(env["COOPEX_MODEL_DIR"]) if env.get("COOPEX_MODEL_DIR") else home / "models",
            mode=(env.get("COOPEX_MODE") or "tools").strip(),
            ray_address=env.get("COOPEX_RAY_ADDRESS") or None,
        )
        if env.get("COOPEX_TIMEOUT", "").strip():
            s = replace(s, timeout_s=_number("COOPEX_TIMEOUT", env["COOPEX_TIMEOUT"], "a number of seconds above 0"))
        if env.get("COOPEX_REMOTE_TIMEOUT", "").strip():
            s = replace(s, remote_timeout_s=_number("COOPEX_REMOTE_TIMEOUT", env["COOPEX_REMOTE_TIMEOUT"],
                                                    "a number of seconds above 0"))
        if env.get("COOPEX_THREADS", "").strip():
            s = replace(s, n_threads=int(_number("COOPEX_THREADS", env["COOPEX_THREADS"],
                                                 "a whole number of CPU threads (0: all cores)", whole=True)))
        if env.get("COOPEX_CONTEXT_TOKENS", "").strip():
            s = replace(s, context_tokens=int(_number("COOPEX_CONTEXT_TOKENS", env["COOPEX_CONTEXT_TOKENS"],
                                                      "a whole number of tokens (0: the default)", whole=True)))
        return s.validate()


def _number(name: str, raw: str, what: str, *, whole: bool = False) -> float:
    try:
        value = int(raw.strip()) if whole else float(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be {what}, not {raw!r}") from None
    return float(value)


def check_base_url(url: str) -> str:
    """The endpoint URL, if it can be one: http(s), a host, a valid port, no spaces."""
    hint = "set OPENAI_BASE_URL (or --base-url) to an address such as http://127.0.0.1:8080/v1, or unset it"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(f"the endpoint {redact_url(url)!r} is not a valid URL; {hint}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        raise ConfigError(f"the endpoint {redact_url(url)!r} is not an http(s) URL with a host; {hint}")
    if port == 0:
        raise ConfigError(f"the endpoint {redact_url(url)!r} has port 0; {hint}")
    return url


def repo_root() -> Path:
    """The directory holding prompts/ and schemas/ (the project checkout)."""
    here = Path(__file__).resolve().parents[2]  # pipeline/core/config.py
    return here
