"""Versions of one rulebook: documents that share a rulebook code and kind, ordered by version date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.errors import UsageError
from ingest.refs import canonical_book


@dataclass(frozen=True)
class Version:
    doc_id: str
    rulebook: str
    kind: str
    version: str | None  # ISO date, or None when the document carries none
    title: str
    source: str


def versions(
    documents: list[dict[str, Any]], rulebook: str | None = None
) -> dict[str, list[Version]]:
    """Rulebook code -> its versions, oldest first (undated versions first, by title)."""
    book = canonical_book(rulebook) if rulebook else None
    out: dict[str, list[Version]] = {}
    for d in documents:
        if not d.get("rulebook") or d.get("kind") == "policy":
            continue
        if book and d["rulebook"] != book:
            continue
        out.setdefault(d["rulebook"], []).append(
            Version(
                d["doc_id"], d["rulebook"], d["kind"], d.get("version"), d["title"], d["source"]
            )
        )
    for vs in out.values():
        vs.sort(key=lambda v: (v.version or "", v.title))
    return out


def in_force(vs: list[Version], day: str | None) -> Version | None:
    """The latest version whose date is on or before ``day`` (the latest of all when no day)."""
    if day is None:
        return vs[-1] if vs else None
    d = date.fromisoformat(day).isoformat()
    dated = [v for v in vs if v.version and v.version <= d]
    return dated[-1] if dated else None


def pick_pair(documents: list[dict[str, Any]], rulebook: str, from_day: str | None,
              to_day: str | None) -> tuple[Version, Version]:  # fmt: skip
    """The two versions to compare: in force on ``from_day`` and on ``to_day``; by default the
    two latest. Raises a UsageError that lists what is indexed when there is no such pair."""
    book = canonical_book(rulebook)
    vs = versions(documents, book).get(book, [])
    listing = ", ".join(f"{v.version or 'undated'} ({v.title})" for v in vs) or "none"
    if len(vs) < 2:
        raise UsageError(f"rulebook {book} has {len(vs)} indexed version(s): {listing}",
                         "ingest another version with --version-date (or a version date in the front matter)")  # fmt: skip
    new = in_force(vs, to_day) if to_day else vs[-1]
    if from_day:
        old = in_force(vs, from_day)
    else:
        earlier = [
            v
            for v in vs
            if new is not None and (v.version or "") < (new.version or "") and v != new
        ]
        old = earlier[-1] if earlier else None
    if old is None or new is None or old == new:
        raise UsageError(f"no two different versions of {book} for --from {from_day or '-'} --to {to_day or '-'}; "
                         f"indexed: {listing}", "pick dates that fall in different versions")  # fmt: skip
    return old, new
