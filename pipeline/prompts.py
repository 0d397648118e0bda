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

from . import sentences
from .config import repo_root
from .errors import ConfigError
from .ingest import Article


@dataclass(frozen=True)
class Prompt:
    id: str
    system: str
    user_template: str
    examples: tuple[dict[str, Any], ...]
    sha256: str
    # From the folder's optional config.json:
    # "response": "full" (the spec's event shape), "compact" (see pipeline.compact) or
    # "choose" (numbers over the analysis's candidates: pipeline.choose, pipeline.assemble);
    # "numbered": the article is shown as numbered sentences.
    response: str = "full"
    numbered: bool = False
    # "one_call", or "two_step": find the events (system.md, user.md), then one focused
    # call per event on its sentences (detail_system.md, detail_user.md).
    strategy: str = "one_call"
    require_parties: bool = False  # compact: each event must name a party on each side
    splitter: int = 1  # sentence numbering rule (pipeline.sentences.split)
    # choose: the model may also quote a party no candidate stands for (pipeline.analyse.quotes)
    quotes: bool = False
    detail_system: str | None = None
    detail_user: str | None = None

    def render_user(self, *, text: str, title: str | None, published: str | None, language: str) -> str:
        if self.numbered:
            text = sentences.numbered(sentences.split(text, self.splitter))
        return self.user_template.format(
            text=text, title=title or "(none)", published=published or "unknown", language=language
        )

    def messages(self, article: Article) -> list[dict[str, str]]:
        """Chat messages: fixed part first (so servers reuse its cached prefix), article last."""
        if self.response == "choose":
            from . import choose
            from .analyse import analyse

            return choose.messages(self.system, self.user_template, self.examples, self.splitter,
                                   analyse(article, self.splitter))
        msgs = [{"role": "system", "content": self.system}]
        for ex in self.examples:
            msgs.append({"role": "user", "content": self.render_user(
                text=ex["text"], title=ex.get("title"), published=ex.get("published"),
                language=ex.get("language", "other"))})
            msgs.append({"role": "assistant", "content": json.dumps(ex["output"], ensure_ascii=False)})
        msgs.append({"role": "user", "content": self.render_user(
            text=article.text, title=article.title, published=article.published,
            language=article.language)})
        return msgs


    def detail_messages(self, article: Article, numbers: list[int], event_type: str) -> list[dict[str, str]]:
        """Step 2 of two_step: the event's sentences (and the lead sentence, for who and where)."""
        assert self.detail_system is not None and self.detail_user is not None
        sents = sentences.split(article.text, self.splitter)
        keep = sorted({1, *numbers} & {s.n for s in sents})
        text = "\n".join(f"[{s.n}] {s.text}" for s in sents if s.n in keep)
        return [{"role": "system", "content": self.detail_system},
                {"role": "user", "content": self.detail_user.format(
                    text=text, title=article.title or "(none)", type=event_type,
                    published=article.published or "unknown", language=article.language)}]


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
