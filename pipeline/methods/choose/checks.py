"""Check and assemble: named rules over the model's choice, run in order by one runner.

Each rule is a ``Rule(name, stage, fn, doc)``: ``fn(drafts, analysis, note)`` returns the
drafts it was given, changed where it applies; ``note(target, reason)`` records each change
in the record's provenance as ``{rule, target, reason}``. The table ``RULES`` is the whole
deterministic half of the choose method, in order:

- stage ``check`` corrects the model's choice (sides, kinds, events that cannot be events);
- stage ``assemble`` fills the slots the model does not write (date, place, sectors,
  agreements, projects) from the analysis.

``run(drafts, analysis, without=...)`` skips the named rules: ``coopex eval --without RULE``
measures what each one adds. Thresholds live in ``pipeline.methods.choose.rules`` as named constants, and
the windows of words read around a mention in ``pipeline.analyse.features``: a rule reads the
``Analysis`` only (its sentence and candidate features), never the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.analyse import Analysis, Candidate


class Note(Protocol):
    """Records one change a rule made: ``note(target, reason)``, with extra fields where a caller needs
    them structured (the quote method's ``quote`` and ``party``)."""

    def __call__(self, target: str, reason: str, **extra: Any) -> None: ...


@dataclass
class Draft:
    """One event while the rules work on it."""

    type: str
    sentences: list[int]
    kz: list[Candidate]
    cn: list[Candidate]
    amounts: list[Candidate]
    document: str = "none"
    status: str = "none"
    date: str | None = None
    place: str | None = None
    country: str | None = None
    sectors: list[str] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    quotes: dict[str, list[str]] = field(default_factory=dict)  # side -> the model's quoted parties (quote method)
    number: int = 0  # the event's number in the model's answer (1-based)
    asked: dict[str, str] = field(default_factory=dict)  # side -> the quote a follow-up question gave it

    def label(self) -> str:
        return f"{self.type} event at sentences {','.join(map(str, self.sentences)) or '-'}"


RuleFn = Callable[[list[Draft], Analysis, Note], list[Draft]]


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str  # "check" | "assemble"
    fn: RuleFn
    doc: str


def run(drafts: list[Draft], analysis: Analysis, rules: Iterable[Rule],
        without: Iterable[str] = ()) -> tuple[list[Draft], list[dict[str, str]]]:
    """Apply the rules in order, skipping those named in ``without``; the provenance of every change."""
    log: list[dict[str, str]] = []
    skip = set(without)
    for rule in rules:
        if rule.name in skip:
            continue

        def note(target: str, reason: str, _name: str = rule.name, **extra: Any) -> None:
            log.append({"rule": _name, "target": target[:200], "reason": reason[:300], **extra})

        drafts = rule.fn(drafts, analysis, note)
    return drafts, log
