"""JSON answers built by the route itself, byte for byte what FastAPI would send.

A route declared with `response_model=dict[str, Any]` that returns a dict has FastAPI
validate it (for a sync route in the thread pool: one more hop per call) and then dump it
with that model's serializer. Returning `json_answer(out)` gives the same bytes (the same
pydantic serializer, `TypeAdapter(dict[str, Any]).dump_json`) and the same content type,
while the decorator's `response_model` keeps the OpenAPI document unchanged.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import TypeAdapter

MEDIA_TYPE = "application/json"
_DICT = TypeAdapter(dict[str, Any])  # immutable: the serializer of the declared model
AnyDict = dict[str, Any]  # the routes' declared response model


def json_answer(content: dict[str, Any], status_code: int = 200) -> Response:
    return Response(_DICT.dump_json(content), status_code=status_code, media_type=MEDIA_TYPE)
