"""Versions of one rulebook: documents that share a rulebook code and kind, ordered by version date."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.answer.types import Citation
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


def by_regime(documents: list[dict[str, Any]]) -> dict[tuple[str, str], list[Version]]:
    """(rulebook code, regime) -> its versions, oldest first: another regime's text of the same
    code is no version of ours (the app's Changes page offered ADGM's AML as a version of the
    AIFC's, a browser trial, twenty-seventh session)."""
    out: dict[tuple[str, str], list[Version]] = {}
    regimes = sorted({d.get("jurisdiction") or "AIFC" for d in documents})
    for regime in regimes:
        mine = [d for d in documents if (d.get("jurisdiction") or "AIFC") == regime]
        for book, vs in versions(mine).items():
            out[(book, regime)] = vs
    return out


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
              to_day: str | None, regime: str | None = None) -> tuple[Version, Version]:  # fmt: skip
    """The two versions to compare: in force on ``from_day`` and on ``to_day``; by default the
    two latest; of ``regime``'s text where given. Raises a UsageError that lists what is indexed
    when there is no such pair."""
    book = canonical_book(rulebook)
    # versions of one regime's rulebook: ADGM's AML indexed beside the AIFC's is no new version
    # of it (`changes AML` reported 32 AIFC rules repealed, a review): the AIFC's where it has
    # two, else the regime that has
    of_book = {r: vs for (b, r), vs in by_regime(documents).items() if b == book}
    counts = {r: len(vs) for r, vs in of_book.items()}
    if regime:  # as indexed, whatever its case ("--jurisdiction adgm" for ADGM's text)
        regime = next((r for r in counts if r.casefold() == regime.casefold()), regime)
    regime = regime or next((r for r in ("AIFC", *sorted(counts)) if counts.get(r, 0) >= 2),
                            "AIFC" if "AIFC" in counts else next(iter(sorted(counts)), "AIFC"))  # fmt: skip
    vs = of_book.get(regime, [])
    others = sorted(r for r in counts if r != regime)
    listing = ", ".join(f"{v.version or 'undated'} ({v.title})" for v in vs) or "none"
    if others:
        listing += f"; not compared with the {', '.join(others)} text of the same code"
    if not vs and counts:
        held = ", ".join(f"{r} ({n} version(s))" for r, n in sorted(counts.items()))
        raise UsageError(f"no {regime} text of rulebook {book} is indexed",
                         f"indexed texts of {book}: {held}; pick one with --jurisdiction")  # fmt: skip
    if not vs:
        # a misspelt name ("AMLL") is no rulebook to ingest a version of: say what is indexed
        # (a consultant's trial, 2026-12-05, was told to ingest another version of "AMLL")
        books = sorted({d["rulebook"] for d in documents if d.get("rulebook")})
        raise UsageError(f"no indexed document belongs to rulebook {rulebook!r}",
                         f"indexed rulebooks: {', '.join(books) or 'none'}")  # fmt: skip
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
        # (a date before every version said so, and the dates left out not written "-": a
        # change tracker's trial, thirty-eighth session)
        given = [(f"--{flag} {day}", v) for flag, day, v in
                 (("from", from_day, old), ("to", to_day, new)) if day]  # fmt: skip
        early = [flag for flag, v in given if v is None]
        if early:
            why = f"no version of {book} was in force on {' or '.join(early)}"
        elif from_day and to_day:
            why = f"--from {from_day} and --to {to_day} fall in one version of {book}"
        elif to_day:  # (one date: "pick" did not agree with it, a review)
            why = f"no version of {book} came before the one in force on --to {to_day}"
        else:
            why = f"--from {from_day} falls in the latest version of {book}"
        raise UsageError(f"{why}; indexed: {listing}", "pick dates that fall in different versions")  # fmt: skip
    return old, new


def family(document: dict[str, Any]) -> tuple[str, str, str]:
    """The (regime, kind, rulebook code) a document is a version of: what ``as of`` keeps one of
    and what answers call versions of each other. Another regime's rulebook of the same code is
    no version of ours (ADGM's AML indexed beside the AIFC's, ``ingest --jurisdiction ADGM``,
    would have put the older one's quotes last, and "as of" kept only one of them)."""
    return (document.get("jurisdiction") or "AIFC", document.get("kind") or "",
            document.get("rulebook") or "")  # fmt: skip


def in_force_ids(documents: list[dict[str, Any]], day: str | None = None) -> set[str]:
    """The ids of the documents in force on ``day`` (an ISO date; None: the latest of each).

    Of several dated versions of one rulebook (``family``) only the latest on or before ``day``
    is kept, and versions after it are left out; documents of one date (chapter files) are kept
    together. A document without a version date is kept, unless it is a version of a rulebook
    that has a dated version kept: an undated file cannot be placed among them, and it led
    answers "as of" a date before its own dated versions and doubled every obligation of a
    policy check (a consultant's trial, 2026-12-05)."""
    d = date.fromisoformat(day).isoformat() if day else None
    latest: dict[tuple[str, str, str], str] = {}
    for doc in documents:
        v = doc.get("version")
        if v and doc.get("rulebook") and (d is None or v <= d):
            latest[family(doc)] = max(latest.get(family(doc), ""), v)

    def kept(doc: dict[str, Any]) -> bool:
        v = doc.get("version")
        if not v:
            return not (doc.get("rulebook") and family(doc) in latest)
        in_time = d is None or v <= d
        return in_time and (not doc.get("rulebook") or latest.get(family(doc)) == v)

    return {doc["doc_id"] for doc in documents if kept(doc)}


def _left_out(citations: list[Citation], ns: list[int], newest: list[str],
              has_ref: Callable[[str, str], bool] | None,
              repealed: Repealed | None) -> tuple[list[str], list[str]]:  # fmt: skip
    """Of the rules quoted at citations ``ns``: those the latest version (documents ``newest``)
    marks repealed, each with the marker it writes, quoted ('AML 13.1.2 as repealed ("13.1.2
    [Deleted]")'),
    and those it does not hold at all."""
    quoted = {c.ref for c in citations if c.n in ns and c.ref}
    marked = {r: m for r in sorted(quoted) if repealed is not None
              and (m := next((m for doc_id in newest if (m := repealed(doc_id, r))), None))}  # fmt: skip
    ended = [f'{r} as repealed ("{m}")' if isinstance(m, str) else f"{r} as repealed"
             for r, m in marked.items()]  # fmt: skip
    gone = sorted(r for r in quoted if r not in marked and has_ref is not None
                  and not any(has_ref(doc_id, r) for doc_id in newest))  # fmt: skip
    return ended, gone


# (doc id, ref) -> the line with which that document marks the rule repealed ("1.3.3 [Deleted]",
# quoted as written: the note said "[intentionally omitted]" of a version that wrote "[Deleted]",
# a change tracker's trial, thirty-eighth session), or a truthy value without one; None or False
# where it does not
Repealed = Callable[[str, str], "str | bool | None"]


Moved = Callable[
    [str, str, str], "tuple[str, bool] | None"
]  # (old doc, new doc, ref) -> (ref, amended)


def _first_move(moved: Moved | None, olds: Iterable[str], newest: Iterable[str],
                ref: str) -> tuple[str, bool] | None:  # fmt: skip
    """Where rule ``ref`` of one of the documents ``olds`` stands renumbered in one of ``newest``
    (both read in one order: a version's chapter files), or None."""
    if moved is None:
        return None
    return next((m for o in sorted(olds) for d in sorted(newest) if (m := moved(o, d, ref))), None)


def _moves(citations: list[Citation], ns: list[int], newest: list[str], gone: list[str],
           moved: Moved | None) -> dict[str, tuple[str, bool]]:  # fmt: skip
    """Of the rules ``gone`` from the latest version (documents ``newest``): those it holds under
    another number, renumbered from the version quoted at citations ``ns`` -> (that number,
    whether its words changed too)."""
    out: dict[str, tuple[str, bool]] = {}
    for ref in gone:
        olds = {c.doc_id for c in citations if c.n in ns and c.ref == ref}
        if new := _first_move(moved, olds, newest, ref):
            out[ref] = new
    return out


def _gone_text(latest: str, gone: list[str], moves: dict[str, tuple[str, bool]],
               read: Callable[[str], bool] | None = None) -> str:  # fmt: skip
    """What the latest version did with the rules it does not hold under the number quoted;
    ``read(ref)``: whether its rules were read for a renumbering and hold the rule's chapter,
    so that a rule none of them holds was removed ("may have been repealed or renumbered" where
    the change report knew it was repealed, an app user's trial, twenty-ninth session; a later
    version indexed in part, its chapter 15 alone, is no evidence of a repeal of 14.2.3, a
    review)."""
    said = "".join(f" The {latest} version numbers {ref} as {new} ("
                   + ("renumbered and amended: its words differ" if amended
                      else "the same rule renumbered") + ")."
                   for ref, (new, amended) in moves.items())  # fmt: skip
    rest = [r for r in gone if r not in moves]
    ended = [r for r in rest if read is not None and read(r)]
    open_ = [r for r in rest if r not in ended]
    if ended:
        said += (f" The {latest} version has no {', '.join(ended)}, nor a rule of another number "
                 "with its text: it was repealed (or renumbered and rewritten).")  # fmt: skip
    if open_:
        said += (f" The {latest} version has no {', '.join(open_)}: it may have been repealed or "
                 "renumbered.")  # fmt: skip
    return said


def _chapter_held(newest: list[str], moved: Moved | None,
                  chapter: Callable[[str, str], bool] | None) -> Callable[[str], bool] | None:  # fmt: skip
    """Whether the latest version (documents ``newest``) holds a rule's chapter, where its rules
    were read for a renumbering (``moved``) and ``chapter(doc_id, ref)`` can tell."""
    if moved is None or chapter is None:
        return None
    return lambda ref: any(chapter(d, ref) for d in newest)


def version_notes(citations: list[Citation], documents: list[dict[str, Any]],
                  has_ref: Callable[[str, str], bool] | None = None,
                  repealed: Repealed | None = None,
                  moved: Moved | None = None,
                  chapter: Callable[[str, str], bool] | None = None) -> list[str]:  # fmt: skip
    """Where the citations quote more than one version of a rulebook, or only a version that a
    later indexed one replaces, say so: two versions of one rule must not read as two rules.
    Versions are the dated documents of one kind and rulebook code (as for ``as of``), told apart
    by their dates: undated documents, or several of one date (a rulebook's chapter files), are
    not called versions of each other. ``has_ref(doc_id, ref)`` lets the note say that the later
    version has no such rule, ``repealed(doc_id, ref)`` that it marks the rule repealed
    (and the marker's words, quoted), ``moved(old_doc_id, new_doc_id, ref)`` the number it has in
    the later version where it was renumbered, and ``chapter(doc_id, ref)`` whether a document
    holds the rule's chapter (so that a rule it lacks was repealed)."""
    docs = {d["doc_id"]: d for d in documents}
    dates: dict[tuple[str, str, str], set[str]] = {}
    for d in documents:
        if d.get("rulebook") and d.get("kind") != "policy" and d.get("version"):
            dates.setdefault(family(d), set()).add(d["version"])
    cited: dict[tuple[str, str, str], dict[str, list[int]]] = {}  # family -> date -> [n]
    for c in citations:
        doc = docs.get(c.doc_id)
        if doc and doc.get("rulebook") and doc.get("kind") != "policy" and doc.get("version"):
            cited.setdefault(family(doc), {}).setdefault(doc["version"], []).append(c.n)

    def marks(ns: list[int]) -> str:
        return " ".join(f"[{n}]" for n in sorted(set(ns)))

    hint = 'Ask with an "as of" date to answer from the version in force on that date.'
    notes: list[str] = []
    for (regime, kind, book), by_date in cited.items():
        known = dates.get((regime, kind, book), set())
        if len(known) < 2:
            continue
        what = f"{book} {'guidance' if kind == 'guidance' else 'rulebook'}"
        latest = max(known)
        newest = [d["doc_id"] for d in documents if d.get("version") == latest
                  and family(d) == (regime, kind, book)]  # fmt: skip

        if len(by_date) > 1:
            parts = ", ".join(
                f"the {day} version {marks(ns)}" for day, ns in sorted(by_date.items())
            )
            # a rule quoted from an older version that the latest no longer holds is said so
            # here too (a consultant's trial, 2026-12-04: a deleted DAA 2.13.3 was quoted as the
            # answer under only this note, because another citation came from the new version)
            older = [n for day, ns in by_date.items() if day < latest for n in ns]
            ended, gone = _left_out(citations, older, newest, has_ref, repealed)
            extra = "".join(
                [f" The {latest} version marks {', '.join(ended)}." if ended else "",
                 _gone_text(latest, gone, _moves(citations, older, newest, gone, moved),
                            _chapter_held(newest, moved, chapter))]
            )  # fmt: skip
            notes.append(f"These citations quote {len(by_date)} versions of the {what}: {parts}. "
                         f"They are versions of the same rules, not separate rules. The latest "
                         f"indexed is {latest}.{extra} {hint}")  # fmt: skip
            continue
        day, ns = next(iter(by_date.items()))
        if day >= latest:
            continue
        ended, gone = _left_out(citations, ns, newest, has_ref, repealed)
        if ended:
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; the later version "
                         f"indexed ({latest}) marks {', '.join(ended)}. {hint}")  # fmt: skip
        elif gone and moved is not None:
            moves = _moves(citations, ns, newest, gone, moved)
            said = _gone_text(latest, gone, moves, _chapter_held(newest, moved, chapter))
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; a later version "
                         f"({latest}) is indexed.{said} {hint}")  # fmt: skip
        elif gone:
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; the later version "
                         f"indexed ({latest}) has no {', '.join(gone)}: it may have been "
                         f"repealed or renumbered. {hint}")  # fmt: skip
        else:
            notes.append(f"{marks(ns)} quotes the {day} version of the {what}; a later version "
                         f"({latest}) is indexed and may differ. {hint}")  # fmt: skip
    return notes


def superseded_lead(citation: Citation, documents: list[dict[str, Any]],
                    has_ref: Callable[[str, str], bool], repealed: Repealed,
                    moved: Moved | None = None) -> str | None:  # fmt: skip
    """The words that go before an answer's first line when the rule it quotes (``citation``,
    from an older version) is no longer in the latest indexed version: marked repealed there,
    or not held under any number. "The Regulator may delegate ..." led an answer asked with no
    date although the later version marks AML 15.1.2 "[Intentionally omitted]", which only a
    note below said (a change tracker's trial, twenty-ninth session). None otherwise."""
    docs = {d["doc_id"]: d for d in documents}
    doc = docs.get(citation.doc_id)
    if not (doc and citation.ref and doc.get("version") and doc.get("kind") != "policy"):
        return None
    mine = family(doc)
    dated = [d for d in documents if family(d) == mine and d.get("version")]
    latest = max(d["version"] for d in dated)
    if doc["version"] >= latest:
        return None
    newest = [d["doc_id"] for d in dated if d["version"] == latest]
    day, ref = doc["version"], citation.ref
    if marker := next((m for d in newest if (m := repealed(d, ref))), None):
        said = f' ("{marker}")' if isinstance(marker, str) else ""
        return (
            f"Repealed: the {latest} version marks {ref} as omitted{said}; the {day} version said:"
        )
    if any(has_ref(d, ref) for d in newest):
        return None
    move = _first_move(moved, [citation.doc_id], newest, ref)
    if move is not None:
        new, amended = move
        # (renumbered with its words kept: the rule in force, quoted under its old number,
        # which the note says; amended too, what it says now differs: a review)
        return (f"Renumbered and amended: the {latest} version has {ref} as {new}, in other "
                f"words; the {day} version said:") if amended else None  # fmt: skip
    return f"Not in the indexed {latest} version (no {ref} there); the {day} version said:"


def earlier_text_notes(citations: list[Citation], documents: list[dict[str, Any]],
                       held: Callable[[str, str], bool]) -> list[str]:  # fmt: skip
    """For each cited rule marked repealed ("[Intentionally omitted]") in its version, the
    earlier dated versions of the same rulebook that still hold its text (``held(doc_id,
    ref)``): "What does AML 15.1.2 say?" got "[Intentionally omitted]" with no word of what it
    said before or since when (an app user's trial, twenty-ninth session)."""
    docs = {d["doc_id"]: d for d in documents}
    out = []
    for c in citations:
        doc = docs.get(c.doc_id)
        if not (c.repealed and c.ref and doc and doc.get("version")):
            continue
        earlier = sorted((d["version"], d["doc_id"]) for d in documents
                         if d.get("version") and d["version"] < doc["version"]
                         and family(d) == family(doc) and held(d["doc_id"], c.ref))  # fmt: skip
        if earlier:
            day = earlier[-1][0]
            out.append(f"[{c.n}] {c.ref} is marked omitted in the {doc['version']} version; the "
                       f"{day} version holds its earlier text (ask with an as-of date before "
                       f"{doc['version']} to read it).")  # fmt: skip
    return out
