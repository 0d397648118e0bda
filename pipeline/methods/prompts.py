"""Versioned prompts: ``prompts/<id>/`` holds system.md, user.md and examples.json.

A prompt's hash covers every file in its folder, so any edit gives a new cache
key and shows in each record's provenance.

A prompt may be built on another (``config.json``: ``"base": "<id>"``): its main question is the
base's, word for word (the base's system.md, user.md, examples and settings), and is keyed as the
base's, so the base's cached and recorded answers answer it. Its own folder holds what it adds: a
follow-up question (``"follow_up"``: which one; ``follow_up_system.md``, ``follow_up_user.md``,
``follow_up_examples.json``), asked after the main answer (``pipeline.methods.base.Method.follow_up``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.core.config import repo_root
from pipeline.core.errors import ConfigError

SENTENCES_CAP = 6  # choose: the most sentence numbers one event's answer lists, unless the prompt says
MAX_SENTENCES_CAP = 60  # an event's answer listing more sentence numbers is a model running on


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
    finders: int = 1  # choose: the finder set the analysis reads with (pipeline.analyse.finders.FINDER_SETS)
    # choose: the model may also quote a party no candidate stands for (pipeline.analyse.quotes)
    quotes: bool = False
    # choose: the most sentence numbers one event's answer may list (pipeline.methods.choose.prompt)
    sentences_cap: int = SENTENCES_CAP
    detail_system: str | None = None
    detail_user: str | None = None
    # "base": the prompt whose main question this one asks, word for word: the main question is
    # keyed with the base's id and hash (``key_prompt``), so the base's answers answer it
    key_prompt: tuple[str, str] | None = None
    follow_up: FollowUp | None = None  # "follow_up": a further question after the main answer


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question's texts (``follow_up_system.md``, ``follow_up_user.md``,
    ``follow_up_examples.json``): ``kind`` names the question (the choose method's ``empty_side``)."""

    kind: str
    system: str
    user_template: str
    examples: tuple[dict[str, Any], ...]


FOLLOW_UPS = ("empty_side",)


def _is_prompt(folder: Path) -> bool:
    """A prompt's folder: its own system.md, or a config.json that names a base prompt."""
    if (folder / "system.md").exists():
        return True
    config = folder / "config.json"
    return config.exists() and "base" in json.loads(config.read_text("utf-8"))


def available_prompts(root: Path | None = None) -> list[str]:
    base = root or repo_root() / "prompts"
    return sorted(p.name for p in base.iterdir() if _is_prompt(p))


def _folder_sha256(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def load_prompt(prompt_id: str, root: Path | None = None) -> Prompt:
    base = (root or repo_root() / "prompts") / prompt_id
    if not _is_prompt(base):
        have = ", ".join(available_prompts(base.parent)) if base.parent.exists() else "none"
        raise ConfigError(f"unknown prompt {prompt_id!r} (have: {have})")
    config: dict[str, Any] = {}
    if (base / "config.json").exists():
        config = json.loads((base / "config.json").read_text("utf-8"))
    if "base" in config:
        return _built_on(prompt_id, base, config, root)
    sha256 = _folder_sha256(base)
    examples: list[dict[str, Any]] = []
    if (base / "examples.json").exists():
        examples = json.loads((base / "examples.json").read_text("utf-8"))
    unknown = set(config) - {"response", "numbered", "strategy", "require_parties", "splitter", "note", "quotes", "finders",
                             "sentences_cap"}
    strategy = config.get("strategy", "one_call")
    if unknown or config.get("response", "full") not in ("full", "compact", "choose") or strategy not in ("one_call", "two_step"):
        raise ConfigError(f"prompt {prompt_id!r}: bad config.json ({sorted(unknown) or config})")
    cap = config.get("sentences_cap", SENTENCES_CAP)
    if not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= MAX_SENTENCES_CAP:
        raise ConfigError(f"prompt {prompt_id!r}: sentences_cap must be a whole number from 1 to "
                          f"{MAX_SENTENCES_CAP}, not {cap!r}")
    if strategy == "two_step" and not ((base / "detail_system.md").exists() and (base / "detail_user.md").exists()):
        raise ConfigError(f"prompt {prompt_id!r}: two_step needs detail_system.md and detail_user.md")
    return Prompt(
        id=prompt_id,
        system=(base / "system.md").read_text("utf-8").strip(),
        user_template=(base / "user.md").read_text("utf-8"),
        examples=tuple(examples),
        sha256=sha256,
        response=config.get("response", "full"),
        numbered=bool(config.get("numbered", False)),
        strategy=strategy,
        require_parties=bool(config.get("require_parties", False)),
        splitter=int(config.get("splitter", 1)),
        finders=int(config.get("finders", 1)),
        quotes=bool(config.get("quotes", False)),
        sentences_cap=cap,
        detail_system=(base / "detail_system.md").read_text("utf-8").strip() if strategy == "two_step" else None,
        detail_user=(base / "detail_user.md").read_text("utf-8") if strategy == "two_step" else None,
    )


def _built_on(prompt_id: str, folder: Path, config: dict[str, Any], root: Path | None) -> Prompt:
    """A prompt that asks its base's main question (keyed as the base's) and a follow-up of its own."""
    unknown = set(config) - {"base", "follow_up", "note", "response"}
    kind = config.get("follow_up")
    if unknown or kind not in FOLLOW_UPS or config["base"] == prompt_id or config.get("response", "choose") != "choose":
        raise ConfigError(f"prompt {prompt_id!r}: bad config.json ({sorted(unknown) or config}); "
                          f"a prompt built on a base names its follow-up ({', '.join(FOLLOW_UPS)})")
    parent = load_prompt(config["base"], root)
    if parent.response != "choose" or parent.follow_up is not None:
        raise ConfigError(f"prompt {prompt_id!r}: its base {parent.id!r} must be a choose prompt without a follow-up")
    files = [folder / f"follow_up_{n}" for n in ("system.md", "user.md", "examples.json")]
    if not all(f.exists() for f in files):
        raise ConfigError(f"prompt {prompt_id!r}: a follow-up needs {', '.join(f.name for f in files)}")
    follow = FollowUp(kind=kind, system=files[0].read_text("utf-8").strip(), user_template=files[1].read_text("utf-8"),
                      examples=tuple(json.loads(files[2].read_text("utf-8"))))
    # the prompt's own hash covers its folder and its base's: an edit to either shows in provenance
    sha256 = hashlib.sha256(f"{_folder_sha256(folder)}\0{parent.id}\0{parent.sha256}".encode()).hexdigest()
    return replace(parent, id=prompt_id, sha256=sha256, key_prompt=(parent.id, parent.sha256), follow_up=follow)
