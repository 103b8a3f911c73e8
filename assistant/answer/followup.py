"""Follow-up questions: rewrite one that leans on the previous turn into a standalone question.

Deterministic, no LLM: a follow-up is recognised by its structure, not by its words. It opens
with a conjunction or "what/how about" ("and for agents?", "what about a deputy?"), or it is a
verbless fragment opening with a preposition ("for agents?"), or it refers back with a pronoun
("must it be ...?"; a dummy "it", as in "is it an offence to ...?", refers to nothing). Its noun
phrase is then merged into the previous question's frame:

- a prepositional phrase ("for agents") replaces the previous question's phrase with the same
  preposition ("... threshold for an occasional transaction?" -> "... threshold for agents?");
  without one, its object replaces the previous question's subject;
- a bare noun phrase ("a deputy") replaces the previous question's subject, the noun phrase
  after its auxiliary ("Must the MLRO be resident ...?" -> "Must a deputy be resident ...?");
- a pronoun is replaced by the previous question's subject.

Only closed grammatical word classes are listed below (auxiliaries, determiners, prepositions,
pronouns, conjunctions), never words of particular questions. With an LLM configured,
``rewrite_with_llm`` asks it instead and falls back to the deterministic rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.refs import Ref, find_refs

if TYPE_CHECKING:
    from assistant.answer.llm import LLM

AUX = frozenset(["am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "have", "has", "had", "must", "shall", "should", "can", "could", "may", "might", "will", "would", "need", "needs", "ought"])  # fmt: skip
DET = frozenset(["a", "an", "the", "this", "that", "these", "those", "each", "every", "any", "some", "no", "its", "their", "his", "her", "our", "my", "your", "another", "such", "one"])  # fmt: skip
PREP = frozenset(["for", "to", "in", "on", "of", "at", "by", "with", "without", "from", "under", "over", "about", "as", "into", "within", "per", "than", "between", "against", "during", "before", "after"])  # fmt: skip
BE = frozenset(["am", "is", "are", "was", "were"])
CONJ = frozenset(["and", "or", "but", "also", "plus", "then", "so"])
WH = frozenset(["what", "which", "who", "whom", "whose", "when", "where", "why", "how"])
# The wh-words that ask for an adverbial ("How often must ...?"), not for a subject or an object
# ("Who is the MLRO?": "why?" is not asked in its place).
_WH_ADVERB = frozenset(["when", "where", "why", "how"])
# Subordinating conjunctions that are no wh-word: a fragment opening with one is a condition or
# a circumstance of the previous question ("and if it also provides custody?").
SUBORD = frozenset(["if", "unless", "although", "though", "because", "since", "once", "until",
                    "whereas", "while", "provided"])  # fmt: skip
# Degree words of a wh-adverbial ("how often", "how long", "how many days").
_DEGREE = frozenset(["often", "long", "soon", "much", "many", "quickly", "frequently", "far", "fast",
                     "early", "late", "days",
                     "weeks", "months", "years", "hours", "business", "working", "calendar"])  # fmt: skip
DEGREE = _DEGREE  # the degree words, for readers of a question elsewhere
PRONOUN = {"it": "", "they": "", "them": "", "its": "'s", "their": "'s", "he": "", "she": "",
           "him": "", "her": "'s", "this": "", "that": "", "those": "", "these": ""}  # fmt: skip
_LEAD = re.compile(r"^\s*(?:(?:and|or|but|also|so|then|plus)\b[\s,]*)*"
                   r"(?:(?:what|how)\s+about\b|what\s+if\b|same\s+for\b)?[\s,]*", re.I)  # fmt: skip
_WORD = re.compile(r"[\w'’().-]+")


@dataclass(frozen=True)
class Rewrite:
    question: str  # as asked
    standalone: str  # what retrieval uses
    rewritten: bool
    how: str = ""  # which rule rewrote it, for the tests and the UI


def _words(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _low(m: re.Match[str]) -> str:
    return m.group(0).lower().strip("().,")


def _raw(m: re.Match[str]) -> str:
    return m.group(0).strip("().,")


def is_followup(question: str) -> bool:
    """Structurally elliptical: opens with a conjunction or "what/how about" ("and for agents?"),
    or is a verbless fragment that opens with a preposition ("for agents?") or is a bare
    wh-adverbial ("when?", "how often?", "how many days?"), or refers back with
    a pronoun ("must it be ...?"). A bare noun phrase ("travel rule", "AML 13.1.3") is a new
    search, not a follow-up."""
    words = [_low(m) for m in _words(question)]
    if not words:
        return False
    if words[0] in CONJ or re.match(r"\s*(?:what|how)\s+about\b", question, re.I):
        return True
    if (
        words[0] in PREP
        and not any(w in AUX for w in words)
        and not _asks_a_clause(question, words)
    ):
        return True
    if words[0] in WH and all(w in WH or w in _DEGREE for w in words):
        return True  # a bare wh-adverbial ("when?", "how often?") asks of the previous question
    if _condition_only(question, words):
        return True  # "if it is also a custodian?": a condition without its main clause
    if _object_pronouns(words):
        return True  # "How often must we report it?": what is reported is the previous thing
    return _pronoun_at([_raw(m) for m in _words(question)]) is not None


_PERSONAL = frozenset(["i", "we", "you", "us", "our", "not", "also", "ever", "still", "really"])


def _object_pronouns(words: list[str]) -> list[int]:
    """Where "it" or "them" is the object of a verb and ends its clause ("How often must we
    report it?", "Who must approve it?"; not "is it", "make it clear", "to it"): the word before
    is a lower-case word of no closed class, and the pronoun is the last word or a preposition
    or conjunction follows (a browser trial, seventeenth session: "What is the AML Return? How
    often must we report it?" was refused, "it" read as nothing). Only where no word before the
    verb could name what it stands for (question words, auxiliaries, "we"): in "If a DASP holds
    client money, must it segregate it?" the money is named in the question itself."""
    out = []
    closed = AUX | DET | PREP | WH | CONJ | SUBORD
    for k in range(2, len(words)):
        if words[k] not in ("it", "them"):
            continue
        # (or of a preposition after the verb: "How long can we stay in it?", a trial,
        # 2026-12-05, was asked as a new question)
        verb_at = k - 2 if words[k - 1] in PREP and k >= 3 else k - 1
        before = words[verb_at]
        if before in closed or before in PRONOUN or not before.isalpha():
            continue
        if any(w not in closed | _DEGREE | _PERSONAL for w in words[:verb_at]):
            continue
        if k + 1 < len(words) and words[k + 1] not in PREP | CONJ:
            continue
        out.append(k)
    return out


def _condition_only(text: str, words: list[str], after_conjunction: bool = False) -> bool:
    """A subordinate clause without a main clause that leans on the previous question ("if it
    also provides custody", "unless it only arranges deals", "if so"): a subordinating
    conjunction, then a pronoun of the previous turn's subject; no comma, no wh-word and at most
    one auxiliary (its own). "If a firm breaches AML rules what happens?" and "While applying
    for a licence can we start operating?" are whole questions (a review, 2026-12-04)."""
    return (
        len(words) > 1 and words[0] in SUBORD
        and (after_conjunction or words[1] in PRONOUN or words[1] == "so")
        and "," not in text and not any(w in WH for w in words)
        and sum(w in AUX for w in words) <= 1
    )  # fmt: skip


def _asks_a_clause(question: str, words: list[str]) -> bool:
    """A wh-word that opens a clause after a phrase set off by a comma ("In the AIFC, who
    supervises DASPs?"), or with an auxiliary after it: a whole question, not a fragment
    ("within how many days?", "under what conditions?" are fragments)."""
    at = next((i for i, w in enumerate(words) if w in WH), None)
    if at is None:
        return False
    comma = re.search(rf",\s*(?:{'|'.join(sorted(WH))})\b", question, re.I)
    return comma is not None or any(w in AUX for w in words[at + 1 :])


def _acts(words: list[re.Match[str]], at: int) -> bool:
    """Is the pronoun at ``at`` the doer of a verb ("how often must it report?", "does it need
    ...?"), not the subject of "be" ("when is it due?", "how is it calculated?")?"""
    before = _low(words[at - 1]) if at > 0 else ""
    after = _low(words[at + 1]) if at + 1 < len(words) else ""
    return bool(before) and before not in BE and after not in AUX


def _pronoun_at(words: list[str]) -> int | None:
    """Where the subject is a pronoun ("must it be ...", "what are its duties"): the word right
    after the first auxiliary, in a question that opens with an auxiliary or a wh-word. A dummy
    "it" ("is it an offence to ...", "what does it mean to ...") refers to nothing: None."""
    raw = words
    words = [w.lower() for w in words]
    if not words or not (words[0] in AUX or words[0] in WH):
        return None
    k = next((i for i, w in enumerate(words) if w in AUX), None)
    if k is None or k + 1 >= len(words):
        return None
    w = words[k + 1]
    if w not in PRONOUN or w in ("this", "that", "these", "those"):
        return None
    if w == "it" and _expletive(raw, k + 1, words[k] in BE):
        return None
    return k + 1


def _infinitive(word: str) -> bool:
    """Could ``word`` be the bare verb of a "to"-infinitive? Not a determiner, pronoun,
    preposition or wh-word, not a name (capitalised), not a plural or third-person "-s" form."""
    low = word.lower()
    if low in AUX:
        return True  # "to be", "to have", "to do"
    if low in DET or low in PREP or low in PRONOUN or low in WH or low in CONJ:
        return False
    if word[:1].isupper() or not word.isalpha():
        return False
    return not (low.endswith("s") and not low.endswith("ss"))


def _expletive(words: list[str], at: int, be: bool) -> bool:
    """Is the "it" at ``at`` a dummy subject, standing for a clause later in the question? It is
    when a short predicate (a noun phrase, an adjective or a verb: "an offence", "necessary",
    "mean") is followed by a "to"-infinitive ("to tip off ...", "to be ..."), or, after "is/are",
    by a "that"/"whether" clause ("is it true that ..."). The real subject is then in the question
    itself, which stands alone. A semi-modal or participle before "to" ("does it need to be",
    "is it required to") keeps "it" referring back."""
    rest = words[at + 1 :]
    for i, w in enumerate(rest[:6]):
        low = w.lower()
        if low in CONJ or (low in AUX and i > 0 and low not in ("be", "have", "do")):
            return False  # the clause ended without an extraposed subject
        if i == 0:
            continue  # the predicate has at least one word
        if be and low in ("that", "whether"):
            return True
        if low == "to" and i + 1 < len(rest) and _infinitive(rest[i + 1]):
            before = rest[i - 1].lower()
            return before not in AUX and not before.endswith("ed")
    return False


def subject_span(question: str) -> tuple[int, int] | None:
    """The subject noun phrase: the words after the first auxiliary, from a determiner or a
    capitalised word, up to the next auxiliary or preposition, or a verb (a lower-case word
    followed by a determiner or the end of the clause, or one that opens a prepositional phrase:
    "must the MLRO live in ...", "is the MLRO required to ...")."""
    ws = _words(question)
    low = [_low(m) for m in ws]
    try:
        aux = next(k for k, w in enumerate(low) if w in AUX)
    except StopIteration:
        return None
    i = aux + 1
    if i >= len(ws) or not (low[i] in DET or ws[i].group(0)[:1].isupper()):
        return None  # "Who must appoint ...": the subject is the wh-word
    # "What is the minimum capital for X": after a wh-word and "is", the noun phrase is what is
    # asked for, with no verb in it; otherwise a predicate follows the subject
    # (not after an adverbial wh-phrase, "How long is a FinTech Lab licence valid?", "When is the
    # AML Return due?": a predicate follows there, and "valid" was read into the subject, a
    # browser trial, eighteenth session)
    adverbial = aux > 0 and (
        low[:aux] in (["when"], ["where"], ["why"])
        or (
            low[0] == "how" and aux > 1 and all(w in _DEGREE - {"much", "many"} for w in low[1:aux])
        )
    )
    predicate = not (aux > 0 and low[aux] in BE) or adverbial
    copular = adverbial and low[aux] in BE  # its predicate, if any, is read in the loop
    j = i + 1 if low[i] in DET else i
    end = j
    verb = False
    while end < len(ws):
        w = low[end]
        participle = low[end - 1].endswith(("ing", "ed")) if end > j else False
        # (and a present participle's object keeps its phrases: "a firm providing custody of
        # crypto assets" was cut to "a firm providing", a browser trial, thirty-third session)
        # (only "of", a noun's complement: "a firm holding client money comply with COBS" took
        # the verb into the subject, a review)
        participle = participle or (
            w == "of" and any(x.endswith("ing") and ws[k].group(0).islower()
                              for k, x in enumerate(low[j + 1 : end], j + 1))
        )  # fmt: skip
        if w in PREP and participle and not (low[aux] in BE and low[end - 1].endswith("ed")):
            end += 1  # "a DASP dealing as principal": a participle keeps its phrase (but in
            continue  # "is the MLRO required to", the passive participle is the predicate)
        if w in AUX or w in WH:
            verb = True  # "does a crypto exchange need ...": the auxiliary is the verb
            break
        if w in PREP or w in CONJ:
            break
        nxt = low[end + 1] if end + 1 < len(ws) else None
        is_cap = ws[end].group(0)[:1].isupper()
        if copular and end > j and not is_cap and _predicative(w) and (nxt is None or nxt in PREP):
            verb = True  # "Where is the MLRO based (in the AIFC)?": the predicate follows it
            break
        if copular and nxt is None:
            end += 1  # "When is the annual return?": a noun ends it, no predicate follows
            continue
        if (predicate and end > j and not is_cap and w.isalpha() and nxt is not None
                and ws[end + 1].group(0)[:1].isupper() and not _plural(w)
                and not w.endswith(("ing", "ed")) and _no_verb_after(ws, low, end + 1)):  # fmt: skip
            # "must a firm keep CDD records": a lower-case word before a name or an acronym
            # that opens the rest of the clause, with no verb after it, is the verb ("a firm
            # keep CDD" was read as the subject, and "and for a QIF?" became "How long must a
            # QIF records?"); "must a crypto firm MLRO be resident" reads on to its "be"
            verb = True
            break
        if predicate and end > j and not is_cap and (nxt is None or nxt in DET):
            # (after "What is", no verb follows: "a FinTech Lab licence" is all the subject; it
            # was cut to "a FinTech Lab", and "how long does it last?" lost the licence)
            verb = True  # "does a crypto exchange need?", "does a DASP need a licence"
            if nxt is None and _plural(w) and end - 1 > j and ws[end - 1].group(0).islower():
                end -= 1  # "must a firm keep records": a plural is the object, not the verb
            break
        end += 1
    if predicate and not verb and not copular and end - j >= 2 and _predicate(ws, low, end):
        end -= 1  # "must the MLRO live in Kazakhstan": the verb before the phrase is no noun
    elif (not predicate and end - j >= 2 and low[end - 1].endswith("ed")
          and ws[end - 1].group(0).islower()):  # fmt: skip
        end -= 1  # "How is a digital asset defined under ...": the participle is no noun
    if end == j:
        return None
    return ws[i].start(), ws[end - 1].end()


def _no_verb_after(ws: list[re.Match[str]], low: list[str], start: int) -> bool:
    """No verb from ``start`` to the end of the clause (a preposition, conjunction or wh-word
    ends it): no auxiliary, no determiner (an object's: "a small firm MLRO hold a licence"), and
    no lower-case word but a plural ends it ("a small firm MLRO comply"; "keep CDD records" has
    none; a review)."""
    end = start
    while end < len(low) and not (low[end] in PREP or low[end] in CONJ or low[end] in WH):
        if low[end] in AUX or low[end] in DET:
            return False
        end += 1
    # (an adverb ends a clause with no verb in it: "Must a firm notify AFSA promptly?", a review)
    # (an adverb's stem is a word of five letters or more, "prompt-ly", "annual-ly"; "comply",
    # "apply" are verbs)
    while end > start and low[end - 1].endswith("ly") and len(low[end - 1]) >= 7:
        end -= 1
    last = ws[end - 1].group(0) if end > start else ""
    return not (last.isalpha() and last.islower() and not _plural(last.lower()))


def _predicative(word: str) -> bool:
    """A word that can say what its subject is after "When is ... ?" / "How long is ... ?": a
    participle or an adjective by its ending ("based", "payable", "eligible"), or "due", "valid",
    "mandatory", "necessary"; a noun ends the subject instead ("When is the annual return?", a review)."""
    return word in ("due", "valid", "mandatory", "necessary") or word.endswith(
        ("ed", "able", "ible")
    )


def _plural(word: str) -> bool:
    """A plural or third-person "-s" form, never a bare verb ("records"; not "address")."""
    return word.endswith("s") and not word.endswith("ss")


def _predicate(ws: list[re.Match[str]], low: list[str], end: int) -> bool:
    """Is the word before ``end`` (where a preposition, conjunction or the end of the question
    stopped the subject) the verb or predicate rather than the subject's head? It is when it is
    a lower-case word that is not a plural ("records"), and no verb follows the phrase it opens
    instead ("must a crypto exchange in Astana keep records": a lower-case word, not an adverb,
    right after the name that ends the phrase)."""
    word = ws[end - 1].group(0)
    if not word.isalpha() or word[:1].isupper() or _plural(low[end - 1]):
        return False
    for k in range(end + 1, len(ws)):
        if low[k] in AUX or low[k] in CONJ:
            break
        after_name = ws[k - 1].group(0)[:1].isupper() and k - 1 > end
        closed = low[k] in DET | PREP | WH or low[k] in PRONOUN
        if after_name and not closed and ws[k].group(0).islower() and not low[k].endswith("ly"):
            return False
    return True


def _pp_spans(question: str, prep: str) -> list[tuple[int, int]]:
    """Prepositional phrases opened by ``prep``, each with its modifiers: to the next auxiliary,
    conjunction, comma or the end of the question."""
    out = []
    ws = _words(question)
    for k, m in enumerate(ws):
        if _low(m) == prep:
            end = len(question.rstrip(" ?.!"))
            for n in ws[k + 1 :]:
                if _low(n) in AUX or _low(n) in CONJ:
                    end = n.start()
                    break
            comma = question.find(",", m.end(), end)
            out.append((m.start(), (comma if comma >= 0 else end)))
    return [(a, len(question[:b].rstrip())) for a, b in out]


def last_noun_phrase(question: str) -> tuple[int, int] | None:
    """The last determiner-led noun phrase: to the next preposition or the end."""
    ws = _words(question)
    low = [_low(m) for m in ws]
    for k in range(len(ws) - 1, -1, -1):
        if low[k] in DET and k + 1 < len(ws) and low[k] not in PRONOUN:
            end = k + 1
            while end < len(ws) and low[end] not in PREP | AUX | CONJ | DET:
                end += 1
            if end > k + 1:
                return ws[k].start(), ws[end - 1].end()
    return None


def _only_ref(text: str) -> bool:
    """Is ``text`` one rule reference and nothing else ("GEN 2.1.2"; not "under AML 5.2", "does
    GEN 2.1.2 apply to us too", a review)?"""
    refs = find_refs(text)
    at = _ref_span(text, refs[0]) if len(refs) == 1 else None
    return at is not None and not re.search(r"\w", text[: at[0]] + text[at[1] :])


def _ref_span(text: str, ref: Ref) -> tuple[int, int] | None:
    """Where ``text`` writes ``ref`` ("AML 13.1.2"), as written."""
    for m in re.finditer(r"\b[A-Z][A-Za-z()]{1,8}\s*(?:Rule\s+|s\.\s?)?\d[\w.\-()]*", text):
        if find_refs(m.group(0)) == [ref]:
            return m.start(), m.end() - len(m.group(0)) + len(m.group(0).rstrip(".,;:?"))
    return None


def _fragment(question: str) -> str:
    return _LEAD.sub("", question).strip().rstrip("?.! ").strip()


def _replace(text: str, span: tuple[int, int], new: str) -> str:
    return text[: span[0]] + new + text[span[1] :]


# what a subject means to do, after it: "(a firm) need to provide custody of ...", "(we) plan to
# issue tokens ...", "(a firm) need a licence to provide ..."
_PURPOSE = re.compile(
    r"\s+(?:needs?|wants?|plans?|intends?|wish(?:es)?|seeks?|proposes?)\s+(?:(?:an?|the)\s+\w+\s+)?"
    r"to\s+(?P<act>[a-z][^?.!;]*)"
)


def _purpose(prev: str, at: int, question: str) -> str | None:
    """What the subject ending at ``at`` means to do ("provide custody of crypto assets for
    clients in the AIFC"), to its clause's end; None where it is no activity of its own (under
    three words, "do ...", "be ...") or the question asks of that act itself ("What documents
    does an applicant need to submit?" then "When must it submit them?", a review)."""
    m = _PURPOSE.match(prev, at)
    if m is None:
        return None
    act = re.split(r"\s*[,;]|\s+(?:and|or|but)\s+(?=(?:what|which|when|where|who|how|why|is|are|"
                   r"do|does|can|must|may)\b)", m.group("act"), maxsplit=1)[0].strip()  # fmt: skip
    words = act.split()
    if len(words) < 3 or words[0].lower() in ("do", "be", "have", "get", "make"):
        return None
    # (the same act asked of, its verb in the question: "When must it submit them?", "Can it hold
    # client money?"; a yes/no question on another object asks of another act, "Must it arrange
    # insurance?", two reviews)
    verb = re.search(rf"\b{re.escape(words[0])}\b\s*(?P<rest>[^?]*)", question, re.I)
    if verb:
        yes_no = re.match(r"\s*(?:must|can|may|does|do|is|are|should|will|shall)\b", question, re.I)
        rest = set(re.findall(r"[a-z]{3,}", verb.group("rest").lower()))
        if not yes_no or not rest or rest & {w.lower() for w in words[1:]}:
            return None
    return act


def _substitute_one(np: str, prev: str, subj: tuple[int, int] | None) -> str:
    """ "one dealing as agent" after "a DASP dealing as principal": "one" stands for the previous
    subject's head ("a DASP dealing as agent")."""
    m = re.match(r"(?i)ones?\b", np)
    if not m or not subj:
        return np
    head_words: list[str] = []
    for w in _words(prev[subj[0] : subj[1]]):
        if _low(w).endswith(("ing", "ed")) and head_words:
            break
        head_words.append(w.group(0))
    return " ".join(head_words) + np[m.end() :]


_ABOUT = re.compile(r"\s*(?:what|how)\s+about\b", re.I)
_WHAT_IS_NP = re.compile(
    r"^\s*(?:what|which)\s+(?:is|are)\s+(?P<np>(?:the|a|an)\s.+?)\s*[?.!]*\s*$", re.I
)


def _object_antecedent(prev: str, subj: tuple[int, int] | None) -> str | None:
    """What an object pronoun of the next question ("who reviews it?") stands for: the thing the
    previous question asked about ("What is the fee for a DASP licence?": all of it), the subject
    of a question that says what it is ("How long is a FinTech Lab licence valid?"), or else the
    last noun phrase, the thing acted on, not the one who acts ("When must a firm file an STR?":
    the STR, not the firm, a review)."""
    if m := _WHAT_IS_NP.match(prev):
        return m.group("np")
    ws = _words(prev)
    low = [_low(m) for m in ws]
    aux = next((k for k, w in enumerate(low) if w in AUX), None)
    if aux is not None and low[aux] in BE and subj:
        return prev[subj[0] : subj[1]]
    if not subj and (bare := _bare_subject(prev)):
        return prev[bare[0] : bare[1]]
    span = _last_asked_np(prev) or subj
    return prev[span[0] : span[1]] if span else None


# English's irregular past participles a rule's question asks with ("Is X forbidden ...?")
_IRREGULAR_PARTICIPLES = frozenset(
    [
        "forbidden",
        "written",
        "given",
        "taken",
        "known",
        "shown",
        "done",
        "made",
        "held",
        "paid",
        "kept",
        "sold",
        "bound",
        "sent",
        "set",
        "put",
        "met",
    ]
)


def _bare_subject(prev: str) -> tuple[int, int] | None:
    """ "Is wash trading forbidden on our exchange?": the bare noun phrase between "Is" and its
    predicate ("forbidden") is what is asked about, not the exchange after it ("what must we do
    if we see it?" was read "... if we see our exchange?", an exchange founder's browser trial,
    thirty-third session); None where the question opens otherwise."""
    ws = _words(prev)
    low = [_low(m) for m in ws]
    if not low or low[0] not in BE:
        return None
    k = next((k for k in range(2, min(len(low), 7))
              if _predicative(low[k]) or low[k] in _IRREGULAR_PARTICIPLES), None)  # fmt: skip
    # (not a pronoun: "Is it possible to ...", "Are we allowed to ...", a review)
    if k is None or any(w in DET | PREP | AUX | WH | _PERSONAL or w in PRONOUN for w in low[1:k]):
        return None
    return ws[1].start(), ws[k - 1].end()


def _last_asked_np(prev: str) -> tuple[int, int] | None:
    """The last noun phrase of ``prev`` that it does not set aside: what the question sets aside
    ("through the FinTech Lab instead of a full licence") is not what "it" stands for ("how long
    can we stay in it?" was read "... in a full licence?", a stablecoin founder's trial,
    twentieth session; "how long does it last?" the same as a subject, a founder's browser
    trial, twenty-fourth session)."""
    if (aside := _SET_ASIDE.search(prev)) and (span := last_noun_phrase(prev[: aside.start()])):
        return span
    return last_noun_phrase(prev)


# connectives after which a question names the alternative it does not ask about
_SET_ASIDE = re.compile(
    r"[\s,]+(?:instead\s+of|rather\s+than|as\s+opposed\s+to|other\s+than|except(?:\s+for)?)\b",
    re.I,
)


# "ok", "okay", "right", "fine", "thanks" before what is asked: no part of it ("ok and the fee?"
# was searched as written, and the next turn read "ok and the fee if we want extend?", a COO's
# browser trial, 2026-12-05)
# ("fine" and "right" only set off by a comma or stop: "Fine for late filing ...?" and "Right of
# appeal ...?" are questions, a review; a message that is only an interjection stays as it is)
_INTERJECTION = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|alright|thanks|thank you|got it)\b[\s,.!:;-]*|(?:right|fine)[,.!]\s*)"
    r"(?=[^\W\d_])",
    re.I,
)


def _figure_named(phrase: str) -> set[str]:
    """The kinds of figure (``answerability.ASKED_KIND``) a noun phrase names at its end ("the
    minimum capital", "the retention period", "the time limit"), none for one that only holds
    such a word ("the capital adequacy return", "a fee-based adviser")."""
    from assistant.answer.answerability import ASKED_KIND

    phrase = phrase.strip().rstrip("?.! ")
    texts = (f"What is {phrase}", f"What {_bare(phrase)}")  # "What capital": an amount
    return {k for k, rx in ASKED_KIND.items() for text in texts for m in rx.finditer(text)
            if m.end() == len(text)}  # fmt: skip


def _bare(text: str) -> str:
    """A noun phrase without its determiners, lower case: "the fee" and "a Fee" are one."""
    return " ".join(w for w in (_low(m) for m in _words(text)) if w not in DET)


def _noun_phrase_only(text: str) -> bool:
    """Whether ``text`` reads as one short noun phrase ("the deputy", "a custodian"): at most six
    words, none a wh-word, pronoun, auxiliary or subordinator ("what I said", "it")."""
    ws = [_low(m) for m in _words(text)]
    closed = WH | AUX | SUBORD | set(PRONOUN) | {"i", "we", "you", "he", "she", "one"}
    content = [w for w in ws if w not in DET]
    return 0 < len(ws) <= 6 and bool(content) and not any(w in closed for w in content)


# a correction of the previous question ("no, I meant the deputy", "sorry, I mean custody")
_CORRECTION = re.compile(
    r"^\s*(?:(?:no|sorry|oops|actually)\b[\s,.!]*)*i\s+mean[t]?\b[\s,:]*(?P<x>[^?.!]+)[?.!]*\s*$",
    re.I,
)
# a rule's number without its rulebook ("and 13.1.3?" after "What does AML 13.1.2 say?")
_BARE_NUMBER = re.compile(r"^(?:rule\s+)?\d{1,3}(?:[.-]\d{1,3}[A-Z]?)+(?:\([a-z0-9-]+\))*$", re.I)
_RULE_WORD = re.compile(r"^rule\s+", re.I)
# someone a "he" or "she" can stand for: a person's role, by name or by its officer's initials
# (not any acronym: "the FIU", "AML", "KZT" were taken for "he", a review)
_PERSON = re.compile(
    r"\b(?:(?:the|a|an|our|its|their)\s+)?(?:(?:deputy|compliance|finance|chief|senior|executive)\s+)*"
    r"(?:(?-i:MLROs?|SEOs?|CEOs?|CFOs?|COOs?|CCOs?|CROs?|CTOs?|CFTO)\b|officers?\b|managers?\b|"
    r"directors?\b|employees?\b|individuals?\b|controllers?\b|auditors?\b|representatives?\b)",
    re.I,
)


# a condition that ends a question ("... if we deal in the tokens as principal?"; "if" only:
# "when" and "where" may be question words, "What must we report, and when?"), and words that
# add a condition to it rather than put one in its place
_CONDITION_AT = re.compile(r"[\s,]\bif\s+(?P<who>\w+)\s+(?P<rest>\S.*)$", re.I)
_ADDS = re.compile(r"\b(?:also|too|as\s+well|in\s+addition|additionally|both)\b", re.I)
# a condition that only makes sense against the one before: "if not", "if we don't", "if it is
# inside"
# inside" (a negation, a failure or a pronoun anywhere in it: "and if the client isn't?", "and if
# we fail to hold it?", a review)
_LEANS = re.compile(r"^\s*(?:and\s+|or\s+|but\s+)?if\s+(?:not\b|so\b|[^?]*?(?:n't\b|\bnot\b|\bnever\b|"
                    r"\bfail|\bcannot\b|\bunable\b|\b(?:it|them)\b))", re.I)  # fmt: skip


def _last_condition(prev: str) -> int | None:
    """Where the "if" condition that ends ``prev`` starts, if it ends with one (after its main
    clause: not a question that opens with it)."""
    found = [m.start() for m in _CONDITION_AT.finditer(prev)]
    return found[-1] if found and found[-1] > 10 else None


def _replaces_condition(old: str, frag: str) -> bool:
    """Whether the condition ``frag`` takes the place of ``old``, the condition that ends the
    question before: both "if" clauses of the same subject ("if we deal ... as principal", "if
    we only arrange deals"), the new one no addition to the old ("also") and no clause that
    leans on it ("if not", "if we don't"), and no pronoun standing for something in it."""
    a = _CONDITION_AT.search(" " + old.strip())
    b = re.match(r"^\s*(?:and\s+|or\s+|but\s+)?if\s+(?P<who>\w+)\s+(?P<rest>\S.*)$", frag, re.I)
    if a is None or b is None or _ADDS.search(frag) or _LEANS.match(frag):
        return False
    if re.search(
        r",\s*(?:and|or)\s+(?:when|where|how|what|who|why|which)\b", a.group("rest"), re.I
    ):
        return False  # "... if we find a breach, and when?": more than a condition
    who = b.group("who").lower()
    if who in ("it", "they", "he", "she", "this", "that"):
        return False
    if who in DET:  # "if the client ...": the subject is the noun phrase, not its article
        return _two_words(b.group(0))[1:] == _two_words(a.group(0))[1:]
    return who == a.group("who").lower()


def _two_words(condition: str) -> list[str]:
    """The two words after "if" in ``condition``."""
    m = re.search(r"\bif\s+(\w+)\s+(\w+)", condition, re.I)
    return [w.lower() for w in m.groups()] if m else []


_WE = re.compile(r"\bwe\b", re.I)
_DO_WE = re.compile(r"\b(do|have|are|were)\s+we\b", re.I)
_SINGULAR_AUX = {"do": "does", "have": "has", "are": "is", "were": "was"}


def _firm_for_us(prev: str, frag: str) -> str | None:
    """``prev``, a question asked of "we", asked of the kind of firm ``frag`` names alone ("a
    custodian"), without a condition on what "we" do ("if we deal ... as principal", which was
    what made us that other kind). None where ``frag`` names no firm type or says more, or
    ``prev`` is not asked of "we" or already names a firm type."""
    from assistant.language.firms import named_firms

    words = [_low(w) for w in _words(frag)]
    if (not named_firms(frag) or not words or words[0] not in ("a", "an", "the")
            or len(words) > 5 or named_firms(prev) or not _WE.search(prev)
            or re.search(r"['’]s\b", frag)):  # fmt: skip
        return None
    text = prev.strip()
    cut = _last_condition(text)
    if cut is not None and _WE.search(text[cut:]):
        text = text[:cut].rstrip(" ,") + "?"
    # one "we" only ("Must we notify the AFSA before we appoint ...?" would read "... before we
    # appoint", a review), and no "us"
    if len(_WE.findall(text)) != 1 or re.search(r"\bus\b", text, re.I):
        return None
    plural = words[-1].endswith("s")
    text = re.sub(r"\bour\b", "their" if plural else "its", text)
    m = _DO_WE.search(text)
    if m and not plural:  # "Do we need ...?" -> "Does a custodian need ...?" (anywhere, a review)
        aux = m.group(1)
        said = _SINGULAR_AUX[aux.lower()]
        said = said.capitalize() if aux[0].isupper() else said
        return f"{text[: m.start()]}{said} {frag.strip()}{text[m.end() :]}"
    return _lead_cap(_WE.sub(frag.strip(), text, count=1))


def _figure_in_place(prev: str, frag: str) -> str | None:
    """``prev`` with ``frag``, a figure and its bound alone ("below USD 1,000", "over 10%"), in
    the place of the figure of the same kind it asks with (its bound words too). None where
    ``frag`` says more than a figure, or ``prev`` has no figure of that kind, or two."""
    from assistant.language.quantities import figures

    same_figure = _BOUND_OF_IT.match(frag.strip(" ?."))
    if same_figure:
        # "and above that?" after "... a transfer of below USD 1,000?": the same figure, the
        # other side (it was added to the question, a browser trial, thirty-second session)
        # (a sum or a share, not a bounded period or one already open-ended: "within 30 days"
        # then "and more than that?", "USD 1,000 or more" then "and below that?", a review)
        old = [q for q in figures(prev) if q.kind in ("amount", "percentage")]
        if len(old) != 1 or re.match(r"\s*(?:or|and)\s+(?:more|less|above|below|over|under)\b",
                                     prev[old[0].span[1] :], re.I):  # fmt: skip
            return None
        frag = f"{same_figure.group(1)} {old[0].text}"
    new = [q for q in figures(frag) if q.kind in _PLACED_KINDS]
    if len(new) != 1:
        return None
    rest = (frag[: new[0].span[0]] + frag[new[0].span[1] :]).strip(" ,?.")
    if rest and not _BOUND_WORDS.fullmatch(rest):
        return None
    same = [q for q in figures(prev) if q.kind == new[0].kind]
    if len(same) != 1:
        return None
    a, b = same[0].span
    bound = _BOUND_BEFORE.search(prev[:a])
    if not rest:  # "and 25%?" after "more than 10%": the bound asked with stays (a review)
        return prev[:a] + frag[new[0].span[0] : new[0].span[1]] + prev[b:]
    if bound is None and re.search(r"\b(?:a|an|the)\s+$", prev[:a], re.I):
        return None  # "over USD 10,000?" after "a USD 5,000 gift": no place for its bound
    return prev[: bound.start() if bound else a] + frag.strip(" ?.") + prev[b:]


# the kinds of figure put in place (not a bare number: "and from 2024?" is no client count, a
# review), and the words that bound one ("below", "at least", "more than", "up to")
_PLACED_KINDS = frozenset({"amount", "percentage", "duration", "deadline"})
_BOUND_WORDS = re.compile(
    r"(?:(?:at\s+)?(?:least|most)|below|above|under|over|up\s+to|(?:more|less|fewer)\s+than|"
    r"exceeding)", re.I)  # fmt: skip
_SO_OPENS = re.compile(r"^\s*(?:and\s+|but\s+)?if\s+(?:so|we\s+do)\b", re.I)
_CONTRACTED_WH = re.compile(r"\b(what|where|how)['’]s\b", re.I)
_BOUND_OF_IT = re.compile(r"^(?:and\s+|but\s+)?(?:what\s+about\s+)?((?:at\s+)?(?:least|most)|below|above|under|"
                          r"over|(?:more|less)\s+than)\s+(?:that|this|it)$", re.I)  # fmt: skip
# (with its negation: "not less than 5%", a review)
_BOUND_BEFORE = re.compile(rf"\b(?:(?:not|no)\s+)?{_BOUND_WORDS.pattern}\s+$", re.I)


def rewrite(question: str, history: Sequence[str]) -> Rewrite:
    """``question`` as a standalone question, given the previous standalone questions
    (oldest first). Unchanged when it does not lean on the previous turn."""
    bare = _INTERJECTION.sub("", question)
    if bare != question and re.search(r"[^\W\d_]{2}", bare):
        r = rewrite(bare, history)
        return Rewrite(question, _lead_cap(r.standalone), True, r.how or "interjection")
    if (history and (m := _CORRECTION.match(question))
            and _noun_phrase_only(m.group("x"))):  # fmt: skip
        # "no, I meant the deputy": what the previous question should have asked of, as "what
        # about the deputy?" is read (it was searched as written, an MLRO's trial, twentieth
        # session)
        # it takes the place of the previous question's subject, when that is a plain noun
        # phrase ("Must the MLRO be resident ...?"); else the message is searched as written
        # (through "what about X?" it gave "What are the deputy?" for "What are the MLRO's
        # duties?" and "Can a custodian client assets?", a review)
        prev = history[-1].strip()
        subj = subject_span(prev)
        said = prev[subj[0] : subj[1]] if subj else ""
        words = [_low(w) for w in _words(said)]
        # (and only where the next word is a verb's auxiliary or copula, "Must the MLRO be ...":
        # a subject read with its verb, "a DASP hold client" in "Can a DASP hold client
        # assets?", is not replaced)
        after = [_low(w) for w in _words(prev[subj[1] :])][:1] if subj else []
        plain = not re.search(r"['’]s\b", said) and not any(
            w in PRONOUN or w in _PERSONAL or w in ("i", "he", "she", "you") for w in words
        )
        if subj and after and after[0] in AUX and plain:
            return Rewrite(question, _lead_cap(_replace(prev, subj, m.group("x").strip())), True,
                           "correction")  # fmt: skip
    if (history and (is_followup(question) or _SO_OPENS.match(question))
            and (done := done_so(question, history[-1].strip())).rewritten):  # fmt: skip
        # "if so, how often?" after "Do we have to notify the AFSA of the outsourcing?" (it was
        # searched as written and refused, a browser trial, thirty-second session)
        return Rewrite(question, _lead_cap(done.standalone), True, done.how)
    if not history or not is_followup(question):
        return Rewrite(question, question, False)
    # "what's the annual fee ...?" read as "what is" (its follow-up "and the application fee?"
    # was appended to it, a browser trial, thirty-second session)
    prev = _CONTRACTED_WH.sub(lambda m: f"{m.group(1)} is", history[-1].strip())
    frag = _fragment(question)
    fw = [_low(m) for m in _words(frag)]
    subj = subject_span(prev)
    named = find_refs(prev)
    if named and (_BARE_NUMBER.match(frag) or _only_ref(frag)):
        # another rule asked of in the same words ("and 13.1.3?", "and GEN 2.1.2?" after "What
        # does AML 13.1.2 say?"): it takes the place of the rule named before; a bare number is
        # of the same rulebook (it lost its rulebook and was answered from a guidance note, and
        # "and GEN 2.1.2?" was asked beside the first, a COO's browser trial, 2026-12-05)
        number = _RULE_WORD.sub("", frag)
        where = _ref_span(prev, named[-1])
        # (its rulebook as the question before wrote it: "What does MKT 7.8.2 say? And 7.8.3?"
        # asked of "MAR 7.8.3", the AIFC's name for ADGM's MKT, a listed company's counsel's
        # trial, thirty-third session)
        written = prev[where[0] : where[1]] if where else ""
        book = (
            written[: written.find(named[-1].number)].strip() if named[-1].number in written else ""
        )
        new = frag if not _BARE_NUMBER.match(frag) else f"{book or named[-1].book} {number}"
        if where is not None:
            return Rewrite(question, _lead_cap(_replace(prev, where, new)), True, "rule")
    if "," in frag and fw and fw[0] not in WH | AUX | PREP | SUBORD:
        # "and the AML return, when is it due?": a topic, then a whole question of its own
        # (not a condition, "and if we are a DASP, do we need one?", nor a question whose
        # pronoun leans on the previous turn, "and the deputy, must he be resident too?")
        head, _, rest = frag.partition(",")
        rw = [_low(m) for m in _words(rest)]
        hw = [_low(m) for m in _words(head)]
        pronouns = [w for w in rw if w in PRONOUN or w in ("he", "she", "one", "him", "her")]
        if rw and rw[0] in WH | AUX and len(rw) >= 2:
            # its one pronoun, of the topic's number, is the topic ("and the deputy, must he be
            # resident too?": the deputy); a second pronoun or another number leans on the
            # previous turn, and "one more thing", "that" are no topic (a review)
            plural = hw[-1].endswith("s") if hw else False
            agrees = (
                ("they", "them", "their") if plural else ("it", "its", "he", "she", "him", "her")
            )
            topical = (
                len(hw) >= 2
                and hw[0] in ("the", "a", "an", "our")
                and hw[1] not in ("thing", "question", "more")
            )
            if len(pronouns) == 1 and pronouns[0] in agrees and topical:
                out = _resolve_pronouns(rest.strip(), head.strip())
                return Rewrite(question, _lead_cap(out) + "?", True, "topic")
            if not pronouns:
                return Rewrite(
                    question, _lead_cap(f"{head.strip()}: {rest.strip()}?"), True, "topic"
                )
    # A pronoun reference in a full question: put the previous subject (or, when the previous
    # question asked "who ...", its last noun phrase) in its place. After "What is the X for
    # Y?" a pronoun that does something ("how often must it report?") is Y, the entity asked
    # about, not X, the thing asked for ("must it be paid up?").
    # (after "and", "or" ... the turn leans on the previous one whatever the condition's subject:
    # "and if the firm also provides custody?", a review)
    if _condition_only(frag, fw, after_conjunction=frag != question.strip().rstrip("?.! ").strip()):
        # "and if it also provides custody?" after "How much capital does a DASP dealing as
        # principal need?": the previous question under that condition, its pronoun the
        # previous subject in the same sentence ("How much capital does if it also provides
        # custody need?" before, a founder's trial, 2026-12-04)
        # (a condition of the same kind where the previous question ends with one takes its
        # place, unless it adds to it, "also": "What capital must we hold if we deal in the
        # tokens as principal?" then "and if we only arrange deals?" was read "... as principal
        # if we only arrange deals?", and the dealer's USD 250,000 led, a tokenisation
        # founder's browser trial, thirty-second session)
        old = _last_condition(prev)
        if old is not None and _replaces_condition(prev[old:], frag):
            return Rewrite(question, prev[:old].rstrip(" ,") + " " + frag + "?", True, "condition")
        return Rewrite(question, prev.rstrip(" ?") + " " + frag + "?", True, "condition")
    firm = _firm_for_us(prev, frag)
    if firm is not None:
        # "What about a custodian?" after "What capital must we hold if we deal in the tokens as
        # principal?": the same question of that kind of firm, not of ours ("... if we deal in a
        # custodian as principal?", and the dealer's USD 250,000 led, a tokenisation founder's
        # browser trial, thirty-second session)
        return Rewrite(question, firm, True, "firm")
    figure = _figure_in_place(prev, frag)
    if figure is not None:
        # "and below USD 1,000?" after "What AML checks do we need when an investor buys tokens
        # worth USD 5,000 once?": the figure in the place of the one asked with ("..., below USD
        # 1,000?" was appended, and the transfer-data rule led, the same trial)
        return Rewrite(question, _lead_cap(figure), True, "figure")
    entity = _asked_about(prev)
    ref = subj or _bare_subject(prev) or _last_asked_np(prev)
    qw = _words(question)
    at = _pronoun_at([_raw(m) for m in qw])
    # "must he be resident ...?" is the MLRO, not the firm, also where the previous question has
    # no subject to offer ("Who must we appoint as MLRO?": "he" was left as it was, an MLRO's
    # trial, twentieth session)
    person = (list(_PERSON.finditer(prev))
              if at is not None and _low(qw[at]) in ("he", "she", "him", "her") else [])  # fmt: skip
    if at is not None and (ref or person):
        acts = _acts(qw, at)
        if person:
            said = person[-1].group().strip()
            # ("as MLRO": the role without an article reads "the MLRO")
            said = said if said.split()[0].lower() in DET else f"the {said}"
        else:
            noun = entity if entity and acts and subj else ref
            # a pronoun of the other number is the verb's object ("Must a stablecoin issuer hold
            # reserves?" then "where must they be held?": the reserves, not the issuer, a founder's
            # browser trial, thirty-ninth session)
            noun = _agreeing(prev, noun, _low(qw[at]), subj)
            said = prev[noun[0] : noun[1]] if noun else ""
            if noun is not None and noun == subj and (act := _purpose(prev, noun[1], question)):
                # "What licence does a firm need to provide custody of crypto assets ...?" then
                # "What capital must it hold?": a firm that will provide custody, not any firm
                # (read "What capital must a firm hold?", the money-services USD 200,000 led, a
                # browser trial, thirty-third session)
                said += " that will " + act
        out = _name(question, qw[at], said).strip()
        return Rewrite(question, _lead_cap(out), True, "pronoun")
    objs = _object_pronouns([_low(m) for m in qw])
    whole = bool(fw) and (fw[0] in WH or fw[0] in AUX) and not _ABOUT.match(frag)
    thing = _object_antecedent(prev, subj)
    if objs and thing and at is None and whole:
        # "who issues it?" after "How long is a FinTech Lab licence valid?": the object of a verb,
        # in a question with no auxiliary; it read as a wh-fragment, "Who issues it is a FinTech
        # Lab licence valid?" (a browser trial, eighteenth session)
        out = question
        for j in sorted(objs, reverse=True):
            out = _name(out, qw[j], thing)
        return Rewrite(question, _lead_cap(out.strip()), True, "pronoun")
    if entity and subj and fw and fw[0] in ("its", "their") and len(fw) > 1:
        # "what about its fees?" after "What is the minimum capital for a DASP?": its fees are
        # asked for in the place of the capital, for the same entity
        rest = frag.split(None, 1)[1]
        return Rewrite(question, _lead_cap(_replace(prev, subj, "the " + rest)), True, "subject")
    if not frag:
        return Rewrite(question, question, False)
    if fw[0] in WH | AUX and any(w in AUX for w in fw):
        # "and how long can a firm stay in it?": a whole question after the conjunction. It
        # stands alone once its pronouns (subject, or object of a preposition) name the previous
        # question's subject.
        fws = _words(frag)
        k = _pronoun_at([_raw(m) for m in fws])
        acts = k is not None and _acts(fws, k)
        span = entity if entity and subj and acts else ref
        antecedent = prev[span[0] : span[1]] if span else None
        clause = _definite_from(prev, _resolve_pronouns(frag, antecedent))
        return Rewrite(question, _lead_cap(clause) + "?", True, "clause")
    late_wh = next((k for k, w in enumerate(fw) if k >= 2 and w in WH), None)
    if fw[0] in PREP and late_wh is not None and not any(w in AUX for w in fw):
        # "and for that what capital?": the wh-phrase asks, the phrase before it says of what;
        # "that" is what the previous question was about (it was put in the place of the
        # previous subject: "Which permissions does that what capital need?", a trial 2026-12-05)
        fws = _words(frag)
        phrase = frag[: fws[late_wh].start()].strip().rstrip(",;: ")
        asked = frag[fws[late_wh].start() :].strip()
        if all(w in PRONOUN for w in fw[1:late_wh]) and ref:
            phrase = f"{fws[0].group(0)} {prev[ref[0] : ref[1]]}"
        phrase = phrase[:1].lower() + phrase[1:]  # "In the AIFC what capital?": "... in the AIFC"
        return Rewrite(question, _lead_cap(f"{asked} {phrase}?"), True, "wh")
    pw_aux = bool(prev) and _low(_words(prev)[0]) in AUX if _words(prev) else False
    wh_at = next((k for k, w in enumerate(fw[:2]) if w in WH), None)
    if wh_at is not None and (wh_at == 0 or fw[0] in PREP) and not any(w in AUX for w in fw):
        # "by whom?", "how often?", "within how many days?": the same question, asking something
        # else of it; the fragment takes the place of the previous question's wh-phrase (the
        # words before its first auxiliary), or opens a yes/no question
        pws = _words(prev)
        pw0 = [_low(m) for m in pws]
        k = next((i for i, w in enumerate(pw0) if w in AUX), None)
        # only where the previous wh-phrase is an adverbial of its own ("How often", "When",
        # "Within how many days"), not the subject ("Who must approve ...") nor a phrase with a
        # noun that the fragment would lose ("What capital must ...")
        adverbial = (
            k is not None
            and not (k == 0 and fw[-1] in ("many", "much"))  # "how many?" of what: no noun
            and (
                k == 0
                or (
                    all(w in _WH_ADVERB or w in PREP or w in _DEGREE for w in pw0[:k])
                    and subj is not None
                )
            )
        )
        if adverbial and k is not None:
            rest = prev[pws[k].start() :]
            return Rewrite(question, _lead_cap(f"{frag} {rest[:1].lower()}{rest[1:]}"), True, "wh")
        # otherwise the fragment is asked beside the previous question ("What capital must a
        # DASP hold, how much?"), never put in the place of its subject
        return Rewrite(question, prev.rstrip(" ?") + ", " + frag + "?", True, "appended")
    if fw[0].endswith("ing") and len(fw[0]) > 5 and fw[0] not in PREP and subj and pw_aux:
        # "what about staking them?" after a yes/no question: another act, not another subject
        # ("Can staking them client assets?"); asked beside the previous question
        return Rewrite(question, prev.rstrip(" ?") + ", " + frag + "?", True, "appended")
    if fw[0] in PREP:
        from assistant.language.regimes import place_mention

        spans = _pp_spans(prev, fw[0])
        if regime := place_mention(frag):
            # another regime's name takes the place of the one the question was placed in,
            # wherever it names it, the rest kept ("Under AIFC rules, what information must
            # accompany a transfer?" then "what about in ADGM?" read "Under AIFC rules, ...
            # transfer in ADGM?", a founder's trial of both regimes, fortieth session; its
            # phrase replaced whole lost "hold client money" and "for custody", a review)
            if placed := place_mention(prev):
                swapped = re.sub(
                    rf"(?<![\w-]){re.escape(placed)}(?![\w-])", regime, prev, flags=re.I
                )
                return Rewrite(question, swapped, True, "phrase")
            # else the regime is added: it takes the place of no other phrase ("What must be
            # included in a transfer?" read "What must be included in ADGM?", and "How long can
            # we stay in the FinTech Lab?" read "How long can we stay in ADGM?", a browser
            # trial) and is no subject ("Must ADGM be resident ...?")
            return Rewrite(question, prev.rstrip(" ?") + " " + frag + "?", True, "appended")
        if spans:
            return Rewrite(question, _lead_cap(_replace(prev, spans[-1], frag)), True, "phrase")
        obj = _substitute_one(frag.split(None, 1)[1], prev, subj) if len(fw) > 1 else ""
        if entity is None and _asks_for_a_thing(prev):
            # "What is the fee?" then "and for custody?": the phrase narrows what was asked
            # for; it is not a new subject ("What is custody?", 2026-12-04)
            return Rewrite(question, prev.rstrip(" ?") + " " + frag + "?", True, "appended")
        if entity is not None and fw[0] not in ("for", "of"):
            # "in the AIFC?" after "What is the minimum capital for a DASP?": another setting,
            # added to the question ("What is the AIFC for a DASP?" before)
            return Rewrite(question, prev.rstrip(" ?") + " " + frag + "?", True, "appended")
        if subj and obj:
            return Rewrite(question, _lead_cap(_replace(prev, subj, obj)), True, "subject")
        return Rewrite(question, prev.rstrip(" ?") + " " + frag + "?", True, "appended")
    pw = [_low(m) for m in _words(prev)]
    if fw[0] in DET and _noun_phrase_only(frag) and (about := entity or subj):
        from assistant.answer.answerability import asked_kinds

        # the kind of figure the phrase names at its end ("the annual fee", "the retention
        # period", "the time limit"; not "the capital adequacy return" nor "the fee schedule",
        # a review), against the kind the previous question asked (a "when" question asks no
        # kind, and the phrase is asked when: "and the annual fee?" after "When is the AML
        # Return due?", a review)
        kinds = _figure_named(frag)
        before = asked_kinds(prev)
        # (a "what" question that asks no figure, "What records must a DASP keep?", names the
        # thing measured as its object, not its subject, which acts: "and the retention
        # period?" is not asked of "a DASP", a review; it is read as before)
        yes_no = bool(pw) and pw[0] in AUX
        if kinds and not kinds & before and (before or yes_no):
            # "what about the fee?" after "How long does the FinTech Lab licence last?": another
            # kind of figure of what was asked about, not the fee in its place ("How long does
            # the fee last?", a founder's browser trial, twenty-fourth session)
            return Rewrite(question, f"What is {frag} for {prev[about[0] : about[1]]}?", True,
                           "object")  # fmt: skip
        if kinds and subj and entity and _bare(frag) != _bare(prev[subj[0] : subj[1]]):
            # "and the capital?" after "What is the fee for a custodian?": a figure of the same
            # kind in the place of the one asked for, of the same entity (not "What is the fee
            # for the capital?")
            return Rewrite(question, _lead_cap(_replace(prev, subj, frag)), True, "subject")
        if _bare(frag) == _bare(prev[about[0] : about[1]]) or (
            subj and _bare(frag) == _bare(prev[subj[0] : subj[1]])
        ):
            # "and the fee?" after "What is the fee for the FinTech Lab?": the same question
            # ("What is the fee for the fee?", the same trial)
            return Rewrite(question, prev, True, "same")
    if subj and entity:
        # "What is the CDD threshold for X?": the subject is what is asked for; the entity it
        # is asked about is the object of the last prepositional phrase.
        return Rewrite(question, _lead_cap(_replace(prev, entity, frag)), True, "object")
    if subj and (obj_span := _object_like(prev, subj, frag)):
        # "How long must a firm keep CDD records?" then "and transaction records?": a noun
        # phrase with the head of the verb's object, not of the subject, takes the object's
        # place ("How long must transaction records keep CDD records?")
        return Rewrite(question, _lead_cap(_replace(prev, obj_span, frag)), True, "object")
    if subj:
        frag = _substitute_one(frag, prev, subj)
        return Rewrite(question, _lead_cap(_replace(prev, subj, frag)), True, "subject")
    obj_np = _last_asked_np(prev)
    if (pw and fw[0] in DET and obj_np and len(pw) > 1
            and (pw[0] in ("when", "where") or (pw[0] == "how" and pw[1] in _DEGREE))
            and re.search(r"\b(?:in|at|inside|within|on)\s+$", prev[: obj_np[0]], re.I)):  # fmt: skip
        # (only a place: "How often must we file the AML return?" then "and the STR?" is the
        # same question of the STR, a review)
        # "How long can we stay in the FinTech Lab?" then "and the fee?": a thing of what was
        # asked about, not another place to stay in ("How long can we stay in the fee?", a
        # COO's browser trial, 2026-12-05)
        return Rewrite(
            question, f"What is {frag} for {prev[obj_np[0] : obj_np[1]]}?", True, "object"
        )
    if pw and pw[0] in WH and fw[0] in DET and obj_np and _noun_phrase_only(frag):
        from assistant.answer.answerability import asked_kinds

        kinds = _figure_named(frag)
        if kinds and asked_kinds(prev) and not kinds & asked_kinds(prev):
            # "and the deadline?" after "How often must we file the AML Return?": another kind
            # of figure of the thing asked about, not the thing in its place ("How often must
            # we file the deadline?", a browser trial, thirty-second session)
            return Rewrite(question, f"What is {frag} for {prev[obj_np[0] : obj_np[1]]}?", True,
                           "object")  # fmt: skip
    if pw and pw[0] in WH and fw[0] in DET and obj_np:
        # "Who must approve the AML policy?" then "and the risk assessment?": the wh-word is the
        # subject, so the noun phrase takes the place of the previous question's object
        return Rewrite(question, _lead_cap(_replace(prev, obj_np, frag)), True, "object")
    return Rewrite(question, prev.rstrip(" ?") + ", " + frag + "?", True, "appended")


def _number_of(phrase: str) -> str | None:
    """ "plural" or "singular" by a noun phrase's last word (a lower-case "-s" is plural), None
    for a name or an acronym, whose number its letters do not tell."""
    ws = _words(phrase)
    # the head, before what qualifies it: "a firm providing custody of crypto assets" is a firm
    for k, m in enumerate(ws[1:], start=1):
        w = _low(m)
        if (
            w in PREP
            or w in ("that", "which", "who", "whose")
            or (m.group(0).islower() and w.endswith("ing"))
        ):
            ws = ws[:k]
            break
    if not ws:
        return None
    last = ws[-1].group(0).strip("().,")
    if not last.isalpha() or not last.islower():
        return None
    return "plural" if _plural(last) else "singular"


def _verb_object(prev: str, subj: tuple[int, int]) -> tuple[int, int] | None:
    """The verb's object after the subject: the words after the verb that follows it, to a
    preposition, conjunction, auxiliary or the end."""
    ws = [m for m in _words(prev) if m.start() >= subj[1]]
    low = [_low(m) for m in ws]
    if len(ws) < 2 or low[0] in BE or low[0] in PREP:
        return None
    end = 1
    while end < len(ws) and low[end] not in PREP | CONJ | AUX | WH:
        end += 1
    return (ws[1].start(), ws[end - 1].end()) if end > 1 else None


def _agreeing(prev: str, noun: tuple[int, int] | None, pronoun: str,
              subj: tuple[int, int] | None) -> tuple[int, int] | None:  # fmt: skip
    """``noun``, or the verb's object where the pronoun's number is the object's and not the
    noun's ("they" of a singular subject and a plural object)."""
    want = ("plural" if pronoun in ("they", "them", "their")
            else "singular" if pronoun in ("it", "its") else None)  # fmt: skip
    if want is None or noun is None or subj is None or noun != subj:
        return noun
    if _number_of(prev[noun[0] : noun[1]]) in (want, None):
        return noun
    obj = _verb_object(prev, subj)
    if obj is not None and _number_of(prev[obj[0] : obj[1]]) == want:
        return obj
    return noun


def _object_like(prev: str, subj: tuple[int, int], frag: str) -> tuple[int, int] | None:
    """The span of the verb's object in ``prev`` (the words after the verb that follows the
    subject, to a preposition, conjunction or the end) when ``frag``'s head noun is the object's
    head and not the subject's; None otherwise."""
    from assistant.language.lemmas import lemma

    obj = _verb_object(prev, subj)
    fw = _words(frag)
    if obj is None or not fw:
        return None
    last = _low(_words(prev[obj[0] : obj[1]])[-1])
    if last in DET:
        return None  # a determiner alone
    head = lemma(_low(fw[-1]))
    if lemma(last) != head or lemma(_low(_words(prev[subj[0] : subj[1]])[-1])) == head:
        return None
    return obj


def _asks_for_a_thing(question: str) -> bool:
    """ "What is the X ...?", "Which are the Y ...?": a wh-word and a form of "be", then what is
    asked for."""
    pw = [_low(m) for m in _words(question)]
    return len(pw) > 1 and pw[0] in WH and pw[1] in BE


def _asked_about(question: str) -> tuple[int, int] | None:
    """In "What is the CDD threshold for X?", the span of X: the object of the last
    prepositional phrase of a question that asks for a thing (a preposition after a participle
    belongs to the object, "for a DASP dealing as principal", so it does not open one)."""
    if not _asks_for_a_thing(question) or subject_span(question) is None:
        return None
    pw = [_low(m) for m in _words(question)]
    preps = [w for k, w in enumerate(pw)
             if w in PREP and not (k and pw[k - 1].endswith(("ing", "ed")))]  # fmt: skip
    for prep in reversed(preps):
        spans = _pp_spans(question, prep)
        if spans:
            a, b = spans[-1]
            if b > a + len(prep) + 1:
                return a + len(prep) + 1, b
    return None


def _resolve_pronouns(clause: str, noun: str | None) -> str:
    """``clause`` with its referring pronouns replaced by ``noun``: the subject pronoun after the
    first auxiliary ("must it be" -> "must the MLRO be") and a pronoun that is the object of a
    preposition ("stay in it" -> "stay in the FinTech Lab"), which never stands for a clause."""
    if not noun:
        return clause
    ws = _words(clause)
    at = {k for k in [_pronoun_at([_raw(m) for m in ws])] if k is not None}
    at |= {
        k for k in range(1, len(ws)) if _low(ws[k - 1]) in PREP and _low(ws[k]) in ("it", "them")
    }
    at |= set(_object_pronouns([_low(m) for m in ws]))  # "how often must we report it"
    for k in sorted(at, reverse=True):
        clause = _name(clause, ws[k], noun)
    # "one" ending the clause after a preposition or "be" ("who may be classified as one?"):
    # one of what the previous question named ("What is a Retail Client, and who may be
    # classified as one?" asked of "one category of Client", a data engineer's trial,
    # thirty-ninth session)
    # (only of a singular noun phrase its article opens: not "the requirements" nor "my client",
    # "as a requirements", "as a my client", a review)
    ws = _words(clause)
    nw = _words(noun)
    singular = (len(nw) > 1 and _low(nw[0]) in ("a", "an", "the")
                and not (_plural(_low(nw[-1])) and nw[-1].group(0).islower()))  # fmt: skip
    if (singular and _one_at_end([_low(m) for m in ws])
            and not clause[ws[-1].end() :].strip(" ?.!")):  # fmt: skip
        bare = re.sub(r"(?i)^(?:the|a|an)\s+", "", noun.strip())
        if bare.count('"') % 2:  # a closing quotation mark the span left out
            bare += '"'
        elif bare.count("“") > bare.count("”"):
            bare += "”"
        article = "an" if re.match(r"[\"'“‘]?[aeiouAEIOU]", bare) else "a"
        clause = _replace(clause, ws[-1].span(), f"{article} {bare}")
    return clause


def _one_at_end(words: list[str]) -> bool:
    """Whether the question ends with "one" after a preposition or "be"/"become" ("... classified
    as one?", "... become one?"): a pronoun, not the number ("more than one?")."""
    return (len(words) > 1 and words[-1] == "one" and words[-2] != "than"
            and (words[-2] in PREP or words[-2] in ("be", "become", "becomes", "became")))  # fmt: skip


def _definite_from(prev: str, clause: str) -> str:
    """``clause`` with a definite noun of one word ("the licence") given the modifiers it had in
    the previous question ("a FinTech Lab licence" -> "the FinTech Lab licence"): "and how long
    is the licence valid?" after "Who can apply for a FinTech Lab licence?" lost the FinTech Lab
    (a known issue of earlier sessions). Only the first such noun, and only where the previous
    question names the noun once with modifiers."""
    from assistant.language.lemmas import lemma

    pw = _words(prev)
    plow = [_low(m) for m in pw]
    stop = DET | PREP | AUX | WH | CONJ
    ws = _words(clause)
    for k in range(len(ws) - 1):
        if _low(ws[k]) != "the" or _low(ws[k + 1]) in stop or not ws[k + 1].group(0).islower():
            continue
        head = lemma(_low(ws[k + 1]))
        found = [i for i, w in enumerate(plow) if lemma(w) == head]
        if len(found) != 1 or found[0] == 0 or plow[found[0] - 1] in stop:
            return clause
        first = found[0]

        def participle(i: int) -> bool:  # "holding" of "a firm holding client money"
            return pw[i].group(0).islower() and plow[i].endswith("ing")

        while (first > 0 and plow[first - 1] not in stop and plow[first - 1] not in PRONOUN
               and not participle(first - 1)):  # fmt: skip
            first -= 1
        # the modifiers open a noun phrase: after a determiner, a preposition or a participle
        # ("a firm holding client money": "client"), never after a wh-word, an auxiliary or the
        # question's start ("Which firms hold client money?" made "the firms hold client
        # money", a review); four words at most
        opens = first > 0 and (plow[first - 1] in DET | PREP or participle(first - 1))
        if not opens or found[0] - first > 4 or first >= found[0]:
            return clause
        subj = subject_span(prev)
        if subj and pw[first].start() < subj[1] <= pw[found[0]].start():
            # "a firm keep CDD records": the subject and its verb are no modifiers
            first = next(i for i, w in enumerate(pw) if w.start() >= subj[1]) + 1
            if first >= found[0]:
                return clause
        modifiers = prev[pw[first].start() : pw[found[0] - 1].end()]
        return clause[: ws[k + 1].start()] + modifiers + " " + clause[ws[k + 1].start() :]
    return clause


def _name(text: str, pronoun: re.Match[str], noun: str) -> str:
    """``text`` with ``pronoun`` replaced by ``noun`` ("its" -> "the MLRO's")."""
    suffix = PRONOUN[_low(pronoun)]
    if suffix == "'s" and noun.endswith("s") and not noun.endswith("ss"):
        suffix = "'"  # "the DASPs' obligations"
    return _replace(text, pronoun.span(), noun + suffix)


def _lead_cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


REWRITE_SYSTEM = ("Rewrite the user's last question into one standalone question, using the "
                  "conversation only to resolve what it refers to. Reply with the question only.")  # fmt: skip


def rewrite_with_llm(llm: LLM, question: str, history: Sequence[str]) -> Rewrite:
    """The LLM's standalone question; the deterministic rewrite when it fails or says nothing.
    Only a question that leans on the previous turn (``is_followup``) is sent, and the LLM's
    question stands only where it keeps every word the user asked with (pronouns and function
    words aside): a question that stands alone was replaced by another one the LLM made up,
    and answered, confidently (a platform engineer's trial, 2026-12-05)."""
    base = rewrite(question, history)
    if not history or not (is_followup(question) or _REFERS.search(question)):
        return base
    convo = "\n".join(f"Q{i}: {q}" for i, q in enumerate(history[-3:], start=1))
    try:
        out = llm.complete(REWRITE_SYSTEM, f"{convo}\nLast question: {question}").strip()
    except Exception:
        return base
    out = out.splitlines()[0].strip().strip('"') if out else ""
    if not out or len(out) > 400 or not _keeps_words(question, out, history[-3:]):
        return base
    return Rewrite(question, out, out != question, "llm")


# A word that refers back ("Does that apply to us?", "Is there a fee for that?"): such a
# question may lean on the previous turn though ``is_followup`` does not read it so (a review).
_REFERS = re.compile(r"\b(?:it|its|they|them|their|that|this|those|these)\b(?![-'’])", re.I)
_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:s|re|ve|ll|d|m))\b", re.I)


_NEGATIVE_WORD = re.compile(r"n['’]t\b|\b(?:not|no|never|nor|neither|cannot)\b", re.I)


def _keeps_words(question: str, rewritten: str, history: Sequence[str] = ()) -> bool:
    """Does ``rewritten`` keep the content words of ``question`` (as words of the same stem;
    contractions aside: "what's", "doesn't") and its negation, and add no content word that
    neither the question nor the conversation has (a rewrite resolves what the question refers
    to; "... with regard to the CDD threshold" and "a penalty fee" were added, a review)?"""
    from assistant.language.lemmas import lemma

    closed = AUX | DET | PREP | WH | CONJ | SUBORD | set(PRONOUN) | _PERSONAL | _DEGREE

    def content(text: str) -> list[str]:
        return [
            w
            for w in re.findall(r"[a-z][a-z-]*", _CONTRACTION.sub("", text.lower()))
            if w not in closed
            and w not in ("there", "that", "this", "those", "these")
            and w not in ("firm", "firms", "company")
        ]  # fmt: skip  ("us": "our firm")

    text = rewritten.lower()
    own = {lemma(w) for w in re.findall(r"[a-z][a-z-]*", text)}
    if not all(lemma(w) in own or w in text for w in content(question)):
        return False
    # (a question opening with a negative auxiliary asks the same as without: "Doesn't it need
    # board approval?")
    negated = _NEGATIVE_WORD.search(re.sub(r"^\s*\w+n['’]t\b", "", question))
    if negated and not _NEGATIVE_WORD.search(rewritten):
        return False  # "and if we don't file it on time?" is no question about filing on time
    import Stemmer  # PyStemmer, as the keyword index reads words ("filing" and "filed": "file")

    stem = Stemmer.Stemmer("english").stemWord
    known = {f(w) for t in (question, *history) for w in re.findall(r"[a-z][a-z-]*", t.lower())
             for f in (lemma, stem)}  # fmt: skip
    return all(lemma(w) in known or stem(w) in known for w in content(rewritten))


_QUESTION_BREAK = re.compile(r"(?<=\?)\s+")
MAX_PARTS = 4


def split_questions(text: str) -> list[str]:
    """The questions of one message that asks several, each ending with "?" and opening as a
    question does (a wh-word or an auxiliary): "Do we need an AML officer? Can our MLRO live in
    Dubai?" is two, answered one after the other (asked as one, the second went unanswered, a
    founder's trial 2026-12-04). So is a question joined to another by ", and" where the second
    is a whole question ("Do we need the sandbox first, and how long does the sandbox licence
    last?": asked as one it was refused, another founder's trial). A fragment ("... threshold?
    For digital assets?") or a follow-up ("... ? And for a broker?", "..., and when?") does not
    open as a question, and keeps the message whole; so do more than ``MAX_PARTS`` questions
    (counted before the ", and" splits, which are left out where they would make more). A later
    part after a question mark is read with the one before it by ``rewrite`` where it leans on
    it ("How often must it report?")."""
    asked = [p.strip() for p in _QUESTION_BREAK.split(text.strip()) if p.strip()]
    parts = [q for p in asked for q in _clauses(p)]
    if len(parts) > MAX_PARTS:
        parts = asked
    if not 2 <= len(parts) <= MAX_PARTS:
        return [text]
    out = []
    for k, p in enumerate(parts):
        # a later question may open with a conjunction ("... ? And can we hold the reserves
        # ...?", a founder's trial): the conjunction goes, so that the question is not read as
        # a follow-up of the one before
        opened = _JOINED.sub("", p, count=1) if k else p
        # (tried and withdrawn, twenty-sixth session: splitting off a follow-up that the rewrite
        # reads in place of the first part's subject or object, "... ? And the annual
        # supervision fee?": a review found the rewrite wrong as often as right, "Can an MTF
        # operator hold client money? And a broker?" becoming "Can a broker money?")
        # (a rule's number alone, after a question naming a rule, is that question of the rule:
        # "What does MKT 7.8.2 say? And 7.8.3?" was asked as one, and 7.8.3 went unanswered,
        # a listed company's counsel's trial, thirty-third session; ``asked_parts`` reads it)
        alone = opened.rstrip("?").strip()
        of_rule = (bool(k) and opened != p and bool(_BARE_NUMBER.match(alone) or _only_ref(alone))
                   and bool(find_refs(" ".join(parts[:k]))))  # fmt: skip
        if not p.endswith("?") or not (_opens_question(opened) or of_rule):
            return [text]
        if of_rule:  # (its conjunction kept: "And 7.8.3?" reads as the follow-up it is)
            opened = p
        out.append(opened[:1].upper() + opened[1:])
    return out


def too_many_questions(text: str) -> str | None:
    """A note when ``text`` asks more than ``MAX_PARTS`` questions, which are answered together
    as one (``split_questions`` keeps such a message whole): five questions in one chat message
    got one answer, on two of them, and no word of the rest (a browser trial, eighteenth
    session)."""
    asked = [p for p in _QUESTION_BREAK.split(text.strip()) if p.strip().endswith("?")]
    if len(asked) <= MAX_PARTS:
        return None
    return (
        f"This message asks {len(asked)} questions; more than {MAX_PARTS} are answered together "
        f"as one, so some may go unanswered: ask them {MAX_PARTS} or fewer at a time."
    )


# "... if we do?", "... if so?" (a pro-verb standing for the part before's predicate), and that
# part as a yes/no question with a pronoun for its subject ("Can we outsource our custody ...?")
_PRO_VERB = re.compile(
    r"\b(?P<conj>if|when|once|unless)\s+(?:(?P<who>we|they|you|I)\s+(?:do|did)|so)\b(?=\s*[?.,!]|\s*$)",
    re.I,
)
_YES_NO_PREDICATE = re.compile(
    r"^\s*(?:can|may|must|should|could|do|will|shall|might)\s+(?P<who>we|they|you|I)\s+"
    r"(?P<pred>[^?]{3,}?)\s*\??\s*$",
    re.I,
)


def done_so(part: str, before: str) -> Rewrite:
    """``part`` with its pro-verb spelt out from the yes/no question before it: "Can we outsource
    our custody to a third party, and what does the FSRA require if we do?" asks "What does the
    FSRA require if we outsource our custody to a third party?" (its second part was searched as
    "... if we do" and answered with a passage saying firms are not bound by it, a custodian's
    trial, thirty-second session). Unchanged where the part before asks no such question or
    names another subject."""
    m = _PRO_VERB.search(part)
    prev = _YES_NO_PREDICATE.match(before)
    if m is None or prev is None:
        return Rewrite(part, part, False, "")
    if m.group("who") and m.group("who").lower() != prev.group("who").lower():
        return Rewrite(part, part, False, "")
    said = f"{m.group('conj')} {prev.group('who')} {prev.group('pred')}"
    return Rewrite(part, part[: m.start()] + said + part[m.end() :], True, "pro-verb")


def asked_parts(text: str) -> list[str]:
    """The questions ``text`` asks (``split_questions``), each standalone: a later part that
    leans on the one before ("..., and how is it calculated?") is read with it (``rewrite``)."""
    from assistant.language.regimes import place_mention, regime_mention

    asked: list[str] = []
    for part in split_questions(text):
        if not asked:
            asked.append(part)
            continue
        read = rewrite(part, asked)
        if (not read.rewritten and _JOINED_PART.search(text) is not None
                and _one_at_end([_low(m) for m in _words(part)])):  # fmt: skip
            # "What is a "Retail Client", and who may be classified as one?": the part joined
            # by ", and" ending in "one" is one of what the part before named (a data
            # engineer's trial, thirty-ninth session); alone, "as one" may be the number ("Can
            # linked transactions be treated as one?", a review)
            read = rewrite("and " + part, asked)
        if not read.rewritten:
            read = done_so(part, asked[-1])
        if not read.rewritten:
            read = of_the_same(part, asked[-1])
        standalone = read.standalone
        # a regime the part before named stays named where the rewrite drops it with the phrase
        # it replaces ("the FSRA application fee" -> "the annual supervision fee": searched in
        # every regime's texts, a trial, twenty-sixth session), and where a part joined to it by
        # ", and" names none ("What is the minimum capital in ADGM, and how long is a licence
        # valid?": its second part was searched in every regime's texts, as a Kazakh lawyer's
        # trial found of the National Bank's registration, thirty-eighth session)
        named = regime_mention(asked[-1])
        joined = not read.rewritten and _JOINED_PART.search(text) is not None
        if joined:  # (a place, "in ADGM"; not "notifying the AFSA", which says who is told)
            named = place_mention(asked[-1])
        if (
            (read.rewritten or joined)
            and named
            and standalone.endswith("?")
            and not regime_mention(standalone)
        ):
            standalone = f"{standalone[:-1].rstrip()} ({named})?"
        asked.append(standalone)
    return asked


def _figure_cue(text: str) -> bool:
    """Whether ``text`` names a kind of figure anywhere ("of the application fee for a PFP")."""
    from assistant.answer.answerability import ASKED_KIND

    return any(rx.search(f"What is {text}") for rx in ASKED_KIND.values())


def _head_phrase(np: str) -> str:
    """A noun phrase up to its first preposition: "the concentration limit per borrower" is "the
    concentration limit"."""
    ws = _words(np)
    cut = next((w.start() for w in ws[1:] if _low(w) in PREP), len(np))
    return np[:cut].rstrip()


def _head(np: str) -> str:
    """The last word of a noun phrase's head, lower case ("limit")."""
    ws = _words(_head_phrase(np))
    return _low(ws[-1]) if ws else ""


# what a "What is the fee ...?" question asks the figure of: its phrase "for ..." or "of ..." at
# the end, after the figure's noun ("for a PFP", "of a custodian")
_FIGURE_OF = re.compile(
    r"^\s*(?:what|which)\s+(?:is|are)\s+(?P<np>(?:the|a|an)\s[^,;?]*?)\s(?P<pp>(?:for|of)\s[^,;?]+?)"
    r"\s*\?\s*$",
    re.I,
)


def of_the_same(part: str, before: str) -> Rewrite:
    """``_of_the_same`` as a rewrite of ``part``, a later part of one message that also asked
    ``before`` (the chat, ``ask`` and the questionnaire read a message's parts so; a later chat
    turn is a question of its own: applied to every turn it glued the previous question's
    thing onto unrelated ones, "the record retention period for notifying the AFSA ...", a
    second review)."""
    same = _of_the_same(part, before)
    return Rewrite(part, same, same != part, "same thing" if same != part else "")


def _of_the_same(part: str, before: str) -> str:
    """A later part that asks for a figure by its name alone ("what is the annual supervision
    fee?") after one that asked a figure of something ("What is the application fee for a PFP,
    ..."), a figure of the same kind or named by the same noun ("limit"): the same thing's (its
    phrase is left out, as the second of two coordinated questions leaves it: asked alone it got
    the supervision fee of a branch, and in another trial of the intermediaries, a
    private-markets founder and a spot-commodities platform, thirty-first session). Not where
    the part names a thing of its own ("the fee for a broker", "the AML Return's deadline", "the
    MTF application fee", "the Category 4 fee": a name in capitals or a number), asks another
    kind of figure, or where what follows the first figure is another figure ("the amount of
    the application fee for a PFP": a review)."""
    m = _WHAT_IS_NP.match(part)
    prev = _FIGURE_OF.match(before)
    if not m or not prev or not part.rstrip().endswith("?"):
        return part
    np = m.group("np")
    words = [_low(w) for w in _words(np)]
    if any(w in PREP or w.endswith(("'s", "’s")) for w in words):
        return part
    if any(w.group(0)[:1].isupper() or w.group(0)[:1].isdigit() for w in _words(np)[1:]):
        return part
    if _figure_named(prev.group("np")) and _figure_cue(prev.group("pp")):
        return part
    if _head(np) != _head(_head_phrase(prev.group("np"))):
        # another figure's name may be another thing's ("the AML Return deadline"; "the record
        # retention period" after "the deadline for notifying the AFSA ...", a second review)
        return part
    return f"{part.rstrip()[:-1].rstrip()} {prev.group('pp')}?"


def _opens_question(text: str) -> bool:
    words = [_low(m) for m in _words(text)]
    return len(words) >= 3 and words[0] in WH | AUX


# ", and how long ...?": a conjunction after a comma, then a wh-word or an auxiliary
_CLAUSE_BREAK = re.compile(r"[,;]\s+(?:and|but)\s+(?=(?:" + "|".join(sorted(WH | AUX)) + r")\b)",
                           re.I)  # fmt: skip


def _clauses(question: str) -> list[str]:
    """A question that joins two whole questions with ", and" as its two parts, the first given
    its question mark; otherwise the question whole. Both parts open as a question does; the
    second is a whole question that stands alone: it opens with an auxiliary, or with a
    wh-word and has an auxiliary after it ("..., and how long does the licence last?", not
    "..., and where based?"), and has no comma (", and what insurance, does a broker need?" is
    one question with a phrase set off). A pronoun in the second ("..., and when is it paid?")
    is read with the first only where the first opens with a wh-word, whose subject or thing
    asked for ``rewrite`` reads; after a yes/no question ("Can a firm hold client money, and
    when must it be segregated?") which noun it stands for is not read reliably (the firm's,
    a review), so the question is asked whole."""
    if not question.endswith("?"):
        return [question]
    for m in _CLAUSE_BREAK.finditer(question):
        head, tail = question[: m.start()].rstrip(), question[m.end() :]
        tail_words = [_low(w) for w in _words(tail)]
        whole = bool(tail_words) and (tail_words[0] in AUX or any(w in AUX for w in tail_words[1:]))
        head_words = [_low(w) for w in _words(head)]
        leans = any(w in PRONOUN for w in tail_words) and head_words[0] not in WH
        if (
            _opens_question(head)
            and _opens_question(tail)
            and whole
            and "," not in tail
            and not leans
        ):
            return [head + "?", *_clauses(tail[:1].upper() + tail[1:])]
    return [question]


_JOINED = re.compile(r"^(?:and|also|but|plus|then|so)\b[\s,]*", re.I)
_JOINED_PART = re.compile(r",\s+(?:and|but)\s+\w", re.I)  # a message's parts joined by ", and"
