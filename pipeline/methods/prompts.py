"""Versioned prompts: ``prompts/<id>/`` holds system.md, user.md and examples.json.

A prompt's hash covers every file in its folder, so any edit gives a new cache
key and shows in each record's provenance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.config import repo_root
from pipeline.core.errors import ConfigError


@dataclass(frozen=True)
class Prompt:
    id: str
    system: str
    user_template: str
    examples: tuple[dict[str, Any], ...]
    sha256: str
    # From the folder's optional config.json:
    # "response": the method (pipeline.methods): "full" (the spec's event shape), "compact" (a short
    # answer the pipeline expands) or "choose" (numbers over the analysis's candidates);
    # "numbered": the article is shown as numbered sentences.
    response: str = "full"
    numbered: bool = False
    # "one_call", or "two_step": find the events (system.md, user.md), then one focused
    # call per event on its sentences (detail_system.md, detail_user.md).
    strategy: str = "one_call"
    require_parties: bool = False  # compact: each event must name a party on each side
    splitter: int = 1  # sentence numbering rule (pipeline.ingest.sentences.split)
    # choose: the model may also quote a party no candidate stands for (pipeline.analyse.quotes)
    quotes: bool = False
    detail_system: str | None = None
    detail_user: str | None = None


def available_prompts(root: Path | None = None) -> list[str]:
    base = root or repo_root() / "prompts"
    return sorted(p.name for p in base.iterdir() if (p / "system.md").exists())


def load_prompt(prompt_id: str, root: Path | None = None) -> Prompt:
    base = (root or repo_root() / "prompts") / prompt_id
    if not (base / "system.md").exists():
        have = ", ".join(available_prompts(base.parent)) if base.parent.exists() else "none"
        raise ConfigError(f"unknown prompt {prompt_id!r} (have: {have})")
    h = hashlib.sha256()
    for f in sorted(base.iterdir()):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    examples: list[dict[str, Any]] = []
    if (base / "examples.json").exists():
        examples = json.loads((base / "examples.json").read_text("utf-8"))
    config: dict[str, Any] = {}
    if (base / "config.json").exists():
        config = json.loads((base / "config.json").read_text("utf-8"))
    unknown = set(config) - {"response", "numbered", "strategy", "require_parties", "splitter", "note", "quotes"}
    strategy = config.get("strategy", "one_call")
    if unknown or config.get("response", "full") not in ("full", "compact", "choose") or strategy not in ("one_call", "two_step"):
        raise ConfigError(f"prompt {prompt_id!r}: bad config.json ({sorted(unknown) or config})")
    if strategy == "two_step" and not ((base / "detail_system.md").exists() and (base / "detail_user.md").exists()):
        raise ConfigError(f"prompt {prompt_id!r}: two_step needs detail_system.md and detail_user.md")
    return Prompt(
        id=prompt_id,
        system=(base / "system.md").read_text("utf-8").strip(),
        user_template=(base / "user.md").read_text("utf-8"),
        examples=tuple(examples),
        sha256=h.hexdigest(),
        response=config.get("response", "full"),
        numbered=bool(config.get("numbered", False)),
        strategy=strategy,
        require_parties=bool(config.get("require_parties", False)),
        splitter=int(config.get("splitter", 1)),
        quotes=bool(config.get("quotes", False)),
        detail_system=(base / "detail_system.md").read_text("utf-8").strip() if strategy == "two_step" else None,
        detail_user=(base / "detail_user.md").read_text("utf-8") if strategy == "two_step" else None,
    )
