"""The record's closed vocabularies, declared once: event type, document (agreement) kind, project
status, party kind and sector.

``schemas/record.v1.json`` holds the same enums (``tests/test_enums.py`` proves they are equal);
the response models (``models.py``), the review page and the reports take them from here. Each is
a ``Literal`` type for pydantic and mypy, and a tuple of its values in the schema's order.
"""

from __future__ import annotations

from typing import Literal, get_args

EventType = Literal["meeting", "signing", "project", "forum", "trade", "other"]
DocumentKind = Literal["memorandum", "framework_agreement", "agreement", "contract", "other"]
Status = Literal["proposed", "agreed", "under_construction", "operational"]
PartyKind = Literal["person", "government", "region", "company", "organization"]
Sector = Literal[
    "metallurgy", "mining", "machine_building", "automotive", "agricultural_machinery",
    "high_tech", "digital", "electronics", "robotics", "energy", "renewable_energy",
    "electrical_equipment", "ev_charging", "oil_gas", "chemicals", "plastics",
    "construction_materials", "construction", "urban_planning", "textiles", "light_industry",
    "food_agriculture", "logistics_transport", "trade", "tourism", "finance_investment",
    "industrial_zones", "education_science", "healthcare", "other",
]
Qualifier = Literal["exact", "over", "about", "up_to"]

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
STATUSES: tuple[str, ...] = get_args(Status)  # a project's status may also be null
PARTY_KINDS: tuple[str, ...] = get_args(PartyKind)
SECTORS: tuple[str, ...] = get_args(Sector)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)

# the schema's enums, by where record.v1.json declares them
IN_SCHEMA: dict[str, tuple[str, ...]] = {
    "Event.type": EVENT_TYPES,
    "Agreement.kind": DOCUMENT_KINDS,
    "Project.status": STATUSES,
    "Party.kind": PARTY_KINDS,
    "Sector": SECTORS,
    "Money.qualifier": QUALIFIERS,
}
