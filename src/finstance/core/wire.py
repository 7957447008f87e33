"""The parts of the Flinks wire format every product shares: how request bodies bind, how response documents
are described, and the error body.

Requests bind keys case-insensitively (``username`` works like ``Username``, as on Flinks) and ignore unknown
legacy fields, but values are typed strictly. Response models describe documents in the OpenAPI document and
keep unknown fields (``extra="allow"``) for clients. Pure pydantic: the SDK shares these models.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_pascal


def _holds_nul(value: Any) -> bool:
    """Whether a NUL character hides in any key or string of a JSON value: no Flinks field holds one, and
    PostgreSQL refuses it in text, so it is refused here as invalid input rather than reaching the store."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class FlinksRequest(BaseModel):
    """A request body: PascalCase keys, bound case-insensitively; no NUL anywhere."""

    model_config = ConfigDict(alias_generator=to_pascal, populate_by_name=True, extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _case_insensitive_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if _holds_nul(data):
            raise ValueError("text must not contain NUL characters")
        by_lower = _aliases_by_lower(cls)
        return {by_lower.get(k.lower(), k) if isinstance(k, str) else k: v for k, v in data.items()}


@cache
def _aliases_by_lower(model: type[BaseModel]) -> dict[str, str]:
    """A request model's field aliases by their lower-case form (built at its first validation)."""
    return {(field.alias or name).lower(): field.alias or name for name, field in model.model_fields.items()}


class FlinksResponse(BaseModel):
    """A response document: PascalCase keys, unknown fields kept."""

    model_config = ConfigDict(alias_generator=to_pascal, populate_by_name=True, extra="allow")


class Link(BaseModel):
    model_config = ConfigDict(extra="allow")
    rel: str
    href: str
    example: str | None = None


class FlinksErrorBody(FlinksResponse):
    """Every error, and the 202 answers, have this shape."""

    http_status_code: int
    flinks_code: str
    message: str
    links: list[Link] | None = None
    institution: str | None = None
    request_id: str | None = None
