"""Versioned JSON Schemas: loading, hashing and validating records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from pipeline.core.config import repo_root
from pipeline.core.errors import ConfigError, RecordValidationError

ERROR_SCHEMA_ID = "error.v1"


@dataclass(frozen=True)
class Schema:
    id: str
    document: dict[str, Any]
    sha256: str

    def validator(self) -> Draft202012Validator:
        key = (self.id, self.sha256)
        v = _VALIDATORS.get(key)
        if v is None:
            Draft202012Validator.check_schema(self.document)
            v = _VALIDATORS[key] = Draft202012Validator(self.document)
        return v

    def errors(self, record: dict[str, Any]) -> list[str]:
        out = []
        for e in sorted(self.validator().iter_errors(record), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            out.append(f"{where}: {e.message}")
        return out

    def validate(self, record: dict[str, Any]) -> None:
        if self.validator().is_valid(record):
            return
        errs = self.errors(record)
        if errs:
            raise RecordValidationError(
                f"record fails schema {self.id}: {errs[0]}" + (f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""),
                errs,
            )


_VALIDATORS: dict[tuple[str, str], Draft202012Validator] = {}


def load_schema(schema_id: str, root: Path | None = None) -> Schema:
    path = (root or repo_root() / "schemas") / f"{schema_id}.json"
    try:
        raw = path.read_bytes()
    except OSError as e:
        known = sorted(p.stem for p in path.parent.glob("*.json"))
        raise ConfigError(f"unknown schema {schema_id!r} (have: {', '.join(known)})") from e
    return Schema(schema_id, json.loads(raw), hashlib.sha256(raw).hexdigest())
