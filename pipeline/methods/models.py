"""The model-facing response model for schema v1.

The JSON Schema in ``schemas/record.v1.json`` is the contract; these pydantic
classes mirror its ``Event`` part so that instructor can hand the same shape
(enums and bounds included) to the model as a grammar. ``tests/test_schema.py``
proves the two do not drift.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core import vocab
from pipeline.core.enums import DocumentKind, EventType, PartyKind, Qualifier, Sector, Status

DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


Str120 = Annotated[str, Field(max_length=120)]
Str200 = Annotated[str, Field(max_length=200)]
Str300 = Annotated[str, Field(max_length=300)]
Str400 = Annotated[str, Field(max_length=400)]
Str600 = Annotated[str, Field(max_length=600)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Money(_Model):
    # the description (with its example in Russian) is part of the schema the model reads: data/money.json
    amount: float = Field(ge=0, description=vocab.text("money", "amount_description"))
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. USD, KZT, CNY")
    qualifier: Qualifier


class Location(_Model):
    place: Str120 | None = Field(description="in English, e.g. Shanghai, Turkestan Region")
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        description="ISO 3166 alpha-2, e.g. CN, KZ"
    )


class Party(_Model):
    name: Str200 = Field(description="as written in the article, original script")
    name_en: Str200 = Field(description="canonical English or Latin name")
    kind: PartyKind
    title: Str200 | None = Field(description="a person's position, in English")
    affiliation: Str200 | None = Field(description="name_en of the body a person represents")


class Agreement(_Model):
    kind: DocumentKind
    subject: Str300 = Field(description="in English, what it is about")
    parties: list[Str200] = Field(max_length=8, description="name_en of the signatories")


class Project(_Model):
    description: Str300 = Field(description="in English, e.g. ferroalloy plant")
    location: Str120 | None = Field(description="in English, the place in Kazakhstan")
    sectors: list[Sector] = Field(max_length=6)
    value: Money | None
    status: Status | None


class Event(_Model):
    type: EventType
    date: Annotated[str, Field(pattern=DATE_PATTERN)] | None = Field(
        description="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    location: Location
    kz_parties: list[Party] = Field(max_length=10)
    cn_parties: list[Party] = Field(max_length=10)
    sectors: list[Sector] = Field(max_length=8)
    agreements: list[Agreement] = Field(max_length=8)
    projects: list[Project] = Field(max_length=8)
    summary: Str400 = Field(description="one English sentence")
    evidence: list[Str600] = Field(
        max_length=6, description="verbatim quotes copied exactly from the article"
    )


class Extraction(_Model):
    """The cooperation events reported in one article (possibly none)."""

    events: list[Event] = Field(max_length=8)
