"""Chunking knobs: owned by the ingest layer, embedded in the one Settings object."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChunkingSettings(BaseModel):
    """Knobs that change chunk boundaries; they are part of the index identity."""

    model_config = ConfigDict(frozen=True)

    max_chars: int = Field(1000, ge=200, le=8000, description="Longest chunk, in characters.")
    min_chars: int = Field(80, ge=0, description="Pieces shorter than this merge into a neighbour.")
    strip_repeated_lines: bool = Field(
        True, description="Drop page headers/footers that repeat across PDF pages."
    )
