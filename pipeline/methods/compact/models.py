"""The compact model-facing answer (see pipeline.methods.compact.expand for how it becomes the spec's events).

Short keys, evidence as sentence numbers, amounts as written: what a small CPU
model writes is what costs time. ``CExtractionNamed`` makes the grammar require
a party on each side; ``CFind`` and ``CDetail`` are the two-step strategy's
answers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.methods.models import DATE_PATTERN, Sector

Kind = Literal["person", "government", "region", "company", "organization"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CParty(_Model):
    name: str = Field(max_length=120, description="copied from the article")
    en: str = Field(max_length=120, description="in English")
    kind: Kind
    title: str | None = Field(max_length=120, description="a person's position, in English")


class CDoc(_Model):
    kind: Literal["memorandum", "framework_agreement", "agreement", "contract", "other"]
    about: str = Field(max_length=200, description="in English")


class CProject(_Model):
    what: str = Field(max_length=160, description="in English, e.g. cement plant")
    where: str | None = Field(max_length=80, description="place in Kazakhstan")
    money: str | None = Field(max_length=80, description="the amount as written in the article")
    status: Literal["proposed", "agreed", "under_construction", "operational"] | None


class _CEventHead(_Model):
    sentences: list[int] = Field(max_length=4, description="numbers of the sentences that report it")
    type: Literal["meeting", "signing", "project", "forum", "trade", "other"]
    date: Annotated[str, Field(pattern=DATE_PATTERN)] | None
    place: str | None = Field(max_length=80, description="where it took place, in English")
    country: Literal["KZ", "CN", "other"] | None


class CDetail(_Model):
    """Step 2, one call per event, on that event's sentences only."""

    kz: list[CParty] = Field(max_length=6)
    cn: list[CParty] = Field(max_length=6)
    docs: list[CDoc] = Field(max_length=4)
    projects: list[CProject] = Field(max_length=4)
    sectors: list[Sector] = Field(max_length=5)
    summary: str = Field(max_length=300, description="one English sentence")


class CEvent(CDetail, _CEventHead):
    # the head's fields first, then the detail's: pydantic orders the fields of the later base first
    pass


class CExtraction(_Model):
    """The Kazakhstan–China cooperation events in the article (often none)."""

    events: list[CEvent] = Field(max_length=6)


class CEventNamed(CEvent):
    """An event that must name at least one party on each side (the grammar then
    keeps a small model from leaving the sides empty)."""

    kz: list[CParty] = Field(min_length=1, max_length=6)
    cn: list[CParty] = Field(min_length=1, max_length=6)


class CExtractionNamed(_Model):
    """The Kazakhstan–China cooperation events in the article (often none)."""

    events: list[CEventNamed] = Field(max_length=6)


class CFound(_Model):
    sentences: list[int] = Field(max_length=4, description="numbers of the sentences that report it")
    type: Literal["meeting", "signing", "project", "forum", "trade", "other"]
    place: str | None = Field(max_length=80, description="where it took place, in English")
    date: Annotated[str, Field(pattern=DATE_PATTERN)] | None


class CFind(_Model):
    """Step 1 of the two-step strategy: where the events are."""

    events: list[CFound] = Field(max_length=6)


def combine(found: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any]:
    """One compact event from its step-1 finding and step-2 detail."""
    return {"sentences": found["sentences"], "type": found["type"], "date": found.get("date"),
            "place": found.get("place"), "country": None, **detail}
