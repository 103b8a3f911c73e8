"""Answerability from evidence: how likely it is that the retrieved evidence answers the question.

Official rulebooks never say "not specified in the indexed rules", so whether to answer cannot
hang on such phrases. The score here is a logistic regression over what the retrieval and the
evidence show, whatever the corpus:

- retrieval strength: the best dense cosine, its margin over the next hit, the best BM25 score
  (per unit of the question's term weight) and its margin;
- agreement between the keyword and the dense ranking (top hits found by both);
- coverage of the question's rare terms (corpus IDF from the keyword index) by the best chunk and
  by the top three, the weight of the rarest term that no evidence contains, and the share of the
  question's weight that the corpus does not know at all;
- whether the kind of figure the question asks for (an amount, a period, a frequency, a
  percentage) is present in evidence that is about the question's subject;
- whether the best evidence is guidance rather than a rule, matched by an explicit rule number,
  or itself a gap statement (our digest's "not specified ...": one signal among the others);
- where the learned re-ranker ordered the candidates (an index of ``ranker.MIN_CHUNKS`` chunks or
  more, as a rulebook collection is), its scores: the best hit's, the highest, the margin over the
  next and the best's distance from the others in standard deviations.

There are two models, one per retrieval regime: the re-ranker's scores exist only where it runs,
and the order of the evidence differs between the regimes. The ``unranked`` model (the file's top
level) applies where reciprocal rank fusion ordered the candidates (a small index such as our
digest); the ``ranked`` one, fitted on a rulebook-scale index, where the re-ranker did.

The coefficients are fitted on the ``tune`` split only by ``evals/real/fit_answerability.py`` and
shipped in ``answerability.json`` beside this file, with the decision threshold chosen there.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import statistics
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer.followup import AUX, CONJ, DEGREE, DET, PREP, PRONOUN, SUBORD, WH
from assistant.answer.verify import quantities, reference_spans
from assistant.language.firms import mentions, named_firms, qualified_for
from assistant.language.quantities import AS_SOON, IMMEDIATE, Quantity, figures, frequencies
from assistant.language.regimes import AIFC_NAMED
from assistant.language.tables import reading
from assistant.language.text import sentence_spans

if TYPE_CHECKING:  # pragma: no cover
    from assistant.index.core import Index
    from assistant.search.retrieval import Hit

MODEL_PATH = Path(__file__).with_name("answerability.json")

FEATURES = (
    "dense1", "dense_margin", "bm25_1", "bm25_margin", "agree3", "agree_top", "same_top",
    "cov1", "cov3", "cov_sent", "sent_idf_cov", "bigram1", "rare3_top1", "miss_max", "oov",
    "asks_figure", "figure_missing", "guidance1", "ref", "gap", "n_terms",
)  # fmt: skip
# The re-ranker's scores, added to FEATURES by the model of the ranked regime.
LEARNED = ("learned1", "learned_max", "learned_margin", "learned_z")
RANKED_FEATURES = (*FEATURES, *LEARNED)

# What kind of figure a question asks for, read from its interrogative words (general English,
# not our questions): "how long", "how often", "what percentage", "how much", "what fee" ...
ASKED_KIND: dict[str, re.Pattern[str]] = {
    "period": re.compile(
        # ("how much years": a learner's "how many", a Russian speaker's trial, thirty-seventh
        # session, refused as asking an amount)
        r"\bhow (?:long|soon|quickly|(?:many|much) (?:business |working |calendar )?(?:hours|days|weeks|months|years))\b"
        r"|\bwithin (?:how|what)\b(?: many (?:business |working |calendar )?"
        r"(?:hours|days|weeks|months|years)\b)?"
        r"|\bdeadline\b|\btime ?limit\b|\bretention period\b|\bby when\b"
        # the questionnaire's form: "State the period for which CDD records must be retained"
        # (a trial, 2026-12-05; "minimum period" alone took "minimum period of notice" as a
        # time limit, a review)
        r"|\b(?:state|specify|provide|give|indicate|what is|what's)\s+(?:the\s+)?"
        r"(?:minimum\s+|maximum\s+)?period (?:for|within) which\b"
        r"|\bhow much (?:(?:advance|prior|written|formal) ){0,2}(?:notice|time|warning)\b"  # in days
        # ("How far in advance must the Issuer notify ...?": a tokenisation founder's trial on
        # the real MKT, thirtieth session)
        r"|\bhow far (?:in advance|ahead)\b",
        re.I,
    ),
    "frequency": re.compile(r"\bhow (?:often|frequently)\b|\bfrequency\b|\bhow many times\b", re.I),
    # a calendar date ("By what date each year is the AML return due?": an MLRO's trial on the
    # real ADGM AML, twenty-seventh session), which a period from an event answers too ("within
    # 2 months after the end of its financial year")
    # (not "Which date is the retention period counted from?", whose answer is an event: a
    # review; "What date must the annual fee be paid by?" is one, a third review)
    "date": re.compile(
        # (a review: "What day-to-day responsibility ...", "What date format ..." ask none)
        r"\b(?:what|which)\s+date(?![\w-])(?!\s+(?:formats?|stamps?)\b)(?![^?]*\b(?:from|starts?|"
        r"begins?|commences?|counted|runs?)\b)|\b(?:by|on|before)\s+(?:what|which)\s+day(?![\w-])"
        r"|\bwhat\s+day\s+of\s+the\s+(?:year|month)\b",
        re.I,
    ),
    # "How many directors ...": a count of something other than time (periods above) or times.
    "count": re.compile(
        r"\bhow many\b(?!\s+(?:business |working |calendar )?"
        r"(?:hours|days|weeks|months|years|times)\b)",
        re.I,
    ),
    "percentage": re.compile(
        r"\bpercentage\b|\bper ?cent\b|\bratio\b|\bwhat proportion\b"
        # a rate as the head of its phrase ("the VAT rate on ..."), not a modifier ("interest
        # rate curves"): followed by a preposition, a verb of being or applying, or the end
        # (or a modal: "What corporate tax rate will our exchange pay?" asked for none, and a
        # passage on tax risks was quoted as its answer, a founder's trial, twenty-eighth session)
        r"|\brates?\b(?=\s+(?:on|for|of|in|to|at|under|that|which|is|are|was|were|do|does|must"
        r"|will|would|shall|should|can|could|may|might|appl\w*)\b"
        r"|\s*[?.,;]|\s*$)",
        re.I,
    ),
    "amount": re.compile(
        # (either wh-determiner: "which capital need for crypto exchange in AIFC?" led with an
        # [RK] sentence, a founder's trial, twenty-third session)
        # ("how much capital" names the amount as "what capital" does: "How much capital do we
        # need in the FinTech Lab?" got the USD 100 pre-application fee, a founder's trial,
        # twenty-second session)
        r"\bhow much(?:\s+(?:capital|fees?)\b)?(?!\s+(?:(?:advance|prior|written|formal) ){0,2}(?:notice|time|warning)\b)"
        r"(?!\s+(?:business |working |calendar )?(?:hours|days|weeks|months|years)\b)"
        r"|\bamounts?\b|\bfees?\b"
        r"|\b(?:minimum|min\b\.?|base|regulatory|required|charter|paid-up|initial)\s+(?:[\w-]+\s+){0,2}?capital\b|\b(?:what|which) (?:(?:level|amount) of )?capital\b"
        r"|\bcapital (?:required|requirements?)\b|\bcost\b|\bthreshold\b"
        # a keyword query whose noun phrase is the bare word ("capital for custody crypto", its
        # focus "capital"): asked as "What capital ...?" it was refused; telegraphic, it was
        # answered with the money-services figure (a founder's trial, eighteenth session)
        r"|^\W*capital\W*$",
        re.I,
    ),
}
# A threshold may be an amount or a percentage. A count is a number in a sentence that names the
# thing counted (``counted``).
ACCEPTS = {"period": {"period"}, "frequency": {"frequency"}, "percentage": {"percentage"},
           "amount": {"amount", "percentage"}, "count": {"count"},
           "date": {"date", "period"}}  # fmt: skip
# What "how many" counts: the words after it, up to the verb ("How many independent directors
# must a custodian have?" counts directors).
_COUNTED = re.compile(
    r"\bhow many\s+(?P<np>(?:[\w-]+\s+){0,3}?[\w-]+?)"
    r"(?:\s+(?:must|should|shall|are|is|do|does|did|can|could|may|might|will|would|need|needs|"
    r"have|has|were|was|per|for|in|of|on|at|to|by|from|with|under|within)\b|\s*[?,.;]|\s*$)",
    re.I,
)
# Interrogatives and generic request words carry no subject.
_QUESTION_WORDS = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|why|how|is|are|do|does|did|can|could|should|"
    r"would|must|shall|may|tell|me|please|explain|describe|there|any)\b",
    re.I,
)
GAP = re.compile(
    r"not specified in the indexed rules|is not specified|not (?:been )?retrieved|not confirmed|"
    r"no AFSA (?:rule|requirement)[^.]*?(?:found|is in the indexed)|(?:is|are) not AIFC law|not authority in the AIFC"
    r"|^\s*no\b[^;]*?\b(?:is|are) in the indexed rules",
    re.IGNORECASE,
)


def is_gap_statement(sentence: str) -> bool:
    """A sentence that says the indexed text does not give the answer (parentheticals aside)."""
    return bool(GAP.search(re.sub(r"\([^)]*\)", "", sentence)))


# The part of GAP that excludes another regime's provision rather than saying a point is open.
_EXCLUSION = re.compile(r"(?:is|are) not AIFC law|not authority in the AIFC", re.IGNORECASE)


def is_exclusion(sentence: str) -> bool:
    """A gap statement that only says another regime's provision is not AIFC law ("Retention
    periods of other jurisdictions ... are not AIFC law"), not that the point is unspecified."""
    bare = re.sub(r"\([^)]*\)", "", sentence)
    return bool(_EXCLUSION.search(bare)) and not GAP.search(_EXCLUSION.sub(" ", bare))


_LEAD = re.compile(
    r"^\s*(?:in|for|under|as per|according to|with regard to|regarding|given|when|if|where)\b[^,?]{0,160},\s*",
    re.I,
)
_OPEN = re.compile(
    r"^\s*(?:what|which|how|within|by when|at what|when|(?:could|can|would|will) you(?: please)?\s+\w+|"
    r"please\s+\w+|tell me|i need to know)\b",
    re.I,
)


_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|does|do|did|can|could|must|should|shall|may|will|would|has|have|need)\b"
    r"(?!\s+(?:you|we|i)\s+(?:please\s+)?(?:tell|specify|clarify|state|provide|explain|give|list|say)\b)",
    re.I,
)


_PREPOSITION = re.compile(
    r"\s(?:on|for|of|in|under|to|with|from|at|about|regarding|by|per)\s", re.I
)


def focus(question: str) -> str:
    """What a question asks for: its first ten words after any leading context clause ("In the
    context of Rule 8.1.1, ..."): the wh-phrase, the request ("Could you specify the minimum
    retention period ...") or the noun phrase of a keyword query ("CDD threshold for ...").
    A yes/no question ("Does the FSRA have ...", "Is custody insurance mandatory?") asks for no
    figure: its focus is empty."""
    q = _LEAD.sub("", question, count=1)
    if _YES_NO.match(q) and not _OPEN.match(q):
        return ""
    words = q.split()
    head = " ".join(words[:10])
    if _WH_OPEN_END.search(head):
        # a wh-phrase cut by the ten words goes on to its noun: "If Non-Equivalent Estimates have
        # not been verified after how many years must we explain why?" asked a count, its head
        # ending "after how many", and was refused with "after 3 years" among the closest
        # provisions (a listed issuer's trial, thirty-fifth session)
        head = " ".join(words[:13])
    # The figure asked for is named before the phrase that says what it is about: "What is the
    # VAT rate on crypto trading fees?" asks for a rate, not a fee. Where the words before the
    # first preposition name a kind of figure, the rest is the subject.
    # (Tried 2026-12-04 and not kept: a second wh-phrase joined on after the first ten words,
    # "... and how often?", read as asked too: on ADGM check three answerable questions were
    # refused, answered 0.9047 -> 0.9015, gold quoted 0.696 -> 0.694.)
    for m in _PREPOSITION.finditer(head):
        before = head[: m.start()]
        if any(rx.search(before) for rx in ASKED_KIND.values()) or _FINE.search(before):
            return before
        break
    return head


# a head that ends inside a wh-phrase, before the noun it asks of ("... after how many")
_WH_OPEN_END = re.compile(
    r"\b(?:how(?:\s+(?:many|much|long|often|far|soon))?|what|which)\W*$", re.I
)

# "Above what amount ...", "Within which period ...": the word before the opening wh-word.
_WH_PREPOSITION = re.compile(r"^\W*([A-Za-z]+)\s+(?:what|which|how)\b", re.I)

# A question that names Republic of Kazakhstan national law or its bodies.
# (a statute by its title, "the Law on Digital Assets", "the Law of the Republic of Kazakhstan
# on ...": AIFC acts are Regulations and Rules, never a "Law on"; the AIFC's capital figure
# answered "... under the Law on Digital Assets?" with no word on the regime, a broker's trial,
# twenty-fourth session; unless the user calls AIFC rules so, "the AIFC Law on ...", a review)
# (the Republic's codes and "national AML law" named too: "under the Labour Code" and "Article 4
# of the national AML Law" were answered from AIFC rules without the note that nothing cited is
# national law, a Kazakh lawyer's trial, thirty-eighth session)
# (and "Kazakh legislation", "the laws of Kazakhstan", "RK legislation": an LLM's answer said so
# of an AIFC rule, a platform engineer's trial, thirty-ninth session)
_NATIONAL = (r"Kazakh(?:stan)?\s+(?:national\s+)?(?:law|legislation)|(?<![\w-])national\s+(?:(?-i:[A-Z][\w/-]*)\s+){0,2}law|"
             r"RK\s+(?:law|legislation)|laws?\s+of\s+(?:the\s+Republic\s+of\s+)?Kazakhstan|"
             r"NBK|National\s+Bank|"
             r"(?:Tax|Civil|Labou?r|Entrepreneurial|Criminal|Budget|Customs|Land|Social|"
             r"Administrative(?:\s+Offences)?)\s+Code|Code\s+on\s+Administrative\s+Offences|"
             r"Constitution\s+of\s+(?:the\s+Republic\s+of\s+)?Kazakhstan|"
             r"Law\s+No\.?\s*\d+|Law\s+of\s+the\s+Republic\b"
             r"|(?<!AIFC )(?<!AIFC's )(?-i:Law\s+on\s+(?:the\s+)?[A-Z])")  # fmt: skip
_NATIONAL_NAMED = re.compile(rf"\b({_NATIONAL})", re.IGNORECASE)
# "..., not (under) Kazakh national law", "rather than national law": the question sets it aside
_NOT_NATIONAL = re.compile(
    rf"\b(?:not|rather\s+than|other\s+than|instead\s+of|excluding|apart\s+from|unlike)\s+"
    rf"(?:(?:under|in|by|from)\s+)?(?:the\s+)?(?:{_NATIONAL})",
    re.IGNORECASE,
)


class _National:
    """A question that names Republic of Kazakhstan national law or its bodies, other than to
    set it aside ("under AIFC rules, not Kazakh national law" names only the AIFC: a new reviewer
    got the National Bank's figure for it, 2026-12-04)."""

    def search(self, question: str) -> re.Match[str] | None:
        return _NATIONAL_NAMED.search(_NOT_NATIONAL.sub(" ", question))


NATIONAL = _National()


def regime_words(question: str) -> str:
    """The words by which the question says under which regime it asks: national law ("under
    Kazakh national law", "RK law") or the AIFC: where it asks, not what. Not a body that acts
    ("does the AFSA need to be told?", "the National Bank"), nor a statute's title."""
    return " ".join(m.group(0) for m in _REGIME_SCOPE.finditer(question))


_REGIME_SCOPE = re.compile(
    r"\b(?:(?:Kazakh(?:stan)?|RK)\s+(?:national\s+)?law|national\s+law|AIFC)\b", re.I
)


_NOT_AIFC = re.compile(
    r"\b(?:outside|beyond|not\s+in|other\s+than|rather\s+than)\s+(?:the\s+)?AIFC\b|\bnon-AIFC\b",
    re.I,
)


def national_law_excluded(question: str) -> bool:
    """Whether the question asks about the AIFC regime and not national law: then a figure of
    national law (an [RK] provision) is no answer ("What is the minimum capital for a crypto
    exchange in the AIFC?" is not answered by the National Bank's KZT 50,000,000). A question
    that names neither may be answered from either, each marked with its regime."""
    inside = _NOT_AIFC.sub(" ", question)  # "outside the AIFC", "non-AIFC" ask about national law
    return bool(AIFC_NAMED.search(inside)) and NATIONAL.search(question) is None


def _firm_aliases(question: str) -> list[tuple[str, str]]:
    """(words of the question, the AIFC wording they stand for) of the alias table's entries
    whose wording names a firm type ("crypto exchange" -> "Operating a ... Trading Facility")."""
    from assistant.search.aliases import ALIASES

    return [(m.group(0), al.adds) for al in ALIASES for m in [al.pattern.search(question)]
            if m and named_firms(al.adds)]  # fmt: skip


def asked_firms(question: str) -> set[str]:
    """The firm types (language.firms) the question names, the wording its aliases give
    counting: "crypto custodian" is a custodian, "crypto exchange" a DATF operator."""
    return named_firms(
        " ".join([question, *(adds for _, adds in _firm_aliases(question))]), asked=True
    )


def firm_mentions(question: str) -> list[str]:
    """The words of the question that name the firm types it asks about."""
    return [*mentions(question), *(words for words, _ in _firm_aliases(question))]


@lru_cache(maxsize=256)
def _sentences_of(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))


def sentence_at(text: str, at: int) -> tuple[int, int] | None:
    return next(((a, b) for a, b in _sentences_of(text) if a <= at < b), None)


# What ends the list item a figure sits in: "fees of USD 3,000 for Providing Custody, USD 7,000
# for Dealing as Agent; ..." (a parenthesis stays inside its item: "USD 8,000 for Dealing as
# Principal (USD 5,000 as matched principal)"; a comma inside a number ends nothing)
_ITEM_SEP = re.compile(r"[;:]|,(?=\s)|\s(?:and|or)\s+(?=(?:[A-Z]{3}|US\$|[$€£])?\s?\d)")
_DIGIT = re.compile(r"\d")
_NAME_PART = 3  # words of a comma-joined name before the item it belongs to ("Custody, ...")


def _item_at(sentence: str, at: int) -> str:
    """The list item of ``sentence`` that holds offset ``at``: the stretch between separators,
    parentheses kept whole, reaching back over short comma-joined names that state no figure
    ("Custody, Advising or Arranging application USD 7,000" is one item)."""
    start, end = _item_span(sentence, at)
    return sentence[start:end]


def _item_span(sentence: str, at: int) -> tuple[int, int]:
    """The offsets of ``_item_at``'s item."""
    depth, cuts = 0, [(-1, "")]
    for i, ch in enumerate(sentence):
        depth = max(0, depth + (ch == "(") - (ch == ")"))
        if depth == 0 and _ITEM_SEP.match(sentence, i):
            cuts.append((i, ch))
    cuts.append((len(sentence), ""))
    k = max(n for n, (c, _) in enumerate(cuts) if c < at)
    e = k + 1
    while k > 0 and cuts[k][1] == ",":
        part = sentence[cuts[k - 1][0] + 1 : cuts[k][0]]
        if _DIGIT.search(part) or len(part.split()) > _NAME_PART:
            break
        k -= 1
    # and on over the names that follow ("USD 7,000 for Providing Custody, Advising or Arranging")
    while e + 1 < len(cuts) and cuts[e][1] == ",":
        part = sentence[cuts[e][0] + 1 : cuts[e + 1][0]]
        if _DIGIT.search(part) or len(part.split()) > _NAME_PART:
            break
        e += 1
    return cuts[k][0] + 1, cuts[e][0]


_LABEL_WORDS = 8  # the most words of a label in a list of figures ("for Dealing as Principal")

# a word before a list's first figure that makes what precedes it the list's stem, the same for
# every item, whose labels then follow the figures ("fees of USD 3,000 for Providing Custody, USD
# 7,000 for Dealing"); otherwise a label precedes its figure ("Dealing application USD 14,000")
_STEM_END = re.compile(
    r"(?:\b(?:of|is|are|be|been|at|to|than|least|most|exceeding|above|below|under|over|by|"
    r"within|from|with|totalling|equal)|[:=])\s*$",
    re.I,
)


def cue_terms(question: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """The terms of the words that say what kind of figure the question asks for ("minimum",
    "capital" in "What is the minimum capital for ...?"): the figure asked, not its subject."""
    return {t for m in _cue_matches(question)[1] for t in tokenize(m.group(0))}


def _cue_matches(question: str) -> tuple[str, list[re.Match[str]]]:
    """The question's focus and the matches of the words that say what kind of figure it asks
    for ("fee" in "What is the annual fee ...?")."""
    head = focus(question)
    return head, [m for k in asked_kinds(question) for m in ASKED_KIND[k].finditer(head)]


def facets(question: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """The terms of the (at most two) words that qualify what a figure question asks for, just
    before its cue: "annual" in "What is the annual fee ...?", "application" in "How much is the
    application fee for a custodian?". Empty when the question asks for no figure or nothing
    qualifies its cue."""
    head, cues = _cue_matches(question)
    if not head and figures(question):
        # a yes/no question that checks a figure ("Is USD 2,800 really the whole annual
        # supervision fee for a DATF operator?"): its cue's qualifiers too (none were read, and the
        # DATF's application fee led, a founder's browser trial, thirty-first session)
        head = question
        cues = [m for rx in ASKED_KIND.values() for m in rx.finditer(head)]
    out: set[str] = set()
    for m in cues:
        for word in reversed(head[: m.start()].split()[-2:]):
            if not word.isalpha() or _QUESTION_WORDS.fullmatch(word):
                break
            terms = tokenize(word)
            if not terms:
                break
            out.update(terms)
    return out


def _labels(sentence: str, figs: Sequence[Quantity],
            tokenize: Callable[[str], list[str]]) -> dict[tuple[int, int], str]:  # fmt: skip
    """The words that label each figure of ``figs`` (figures of one ``sentence``): the words
    before it in its list item, from the figure before it ("the annual fee USD 3,000"), or, when
    none, those after it up to the next figure ("USD 50,000 annual"). In a list with a stem ("fees
    of USD 3,000 for Providing Custody, USD 7,000 for Dealing": the first figure follows a stem
    word, every other item opens with its figure) the words after each figure label it."""
    every = [g.span for g in figures(sentence)]
    spans = {f.span: _item_span(sentence, f.span[0]) for f in figs}

    def before(f: Quantity) -> str:
        ends = [b for a, b in every if b <= f.span[0]]
        start = max([spans[f.span][0], *ends])
        text = sentence[start : f.span[0]]
        head = sentence[:start].rstrip()
        if not text.strip() and head.endswith(":") and start not in ends:
            # "Annual fee: USD 3,000": the words before the colon, back to a figure or a ";"
            cut = max([0, *(b for a, b in every if b <= len(head)), head.rfind(";") + 1])
            return sentence[cut : len(head) - 1]
        return text

    def after(f: Quantity) -> str:
        starts = [a for a, b in every if a >= f.span[1]]
        return sentence[f.span[1] : min([spans[f.span][1], *starts])]

    first, *rest = sorted(figs, key=lambda f: f.span[0])
    # the other items' first figures ("(USD 5,000 as matched principal)" shares its item)
    openers = [f for f in rest if spans[f.span] != spans[first.span]]
    openers = [
        f for i, f in enumerate(openers) if i == 0 or spans[openers[i - 1].span] != spans[f.span]
    ]
    stem = (
        bool(_STEM_END.search(before(first)))
        and bool(openers)
        and not any(tokenize(before(f)) for f in openers)
    )
    return {f.span: after(f) if stem or not tokenize(before(f)) else before(f) for f in figs}


def _items(sentence: str, figs: Sequence[Quantity]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each figure's list item (``_item_span``), the two ends of a range one item ("between USD
    1,000 and USD 5,000", "from USD 1,000 to USD 5,000")."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    prev: Quantity | None = None
    for f in sorted(figs, key=lambda g: g.span[0]):
        item = _item_span(sentence, f.span[0])
        if prev is not None:
            gap = sentence[prev.span[1] : f.span[0]].strip().lower()
            if gap in ("to", "-", "–") or (
                gap == "and" and sentence[: prev.span[0]].rstrip().lower().endswith("between")
            ):
                first = out[prev.span]
                item = (min(first[0], item[0]), max(first[1], item[1]))
                out[prev.span] = item
        out[f.span] = item
        prev = f
    return out


def _in_sentence(text: str, span: tuple[int, int]) -> tuple[str, Quantity, list[Quantity]] | None:
    """The sentence of ``text`` holding the figure at ``span``, that figure and the sentence's
    figures of its kind (spans within the sentence); None when no figure is there."""
    at = sentence_at(text, span[0])
    if at is None:
        return None
    sentence = text[at[0] : at[1]]
    found = figures(sentence)
    mine = next((f for f in found if f.span[0] <= span[0] - at[0] < f.span[1]), None)
    if mine is None:
        return None
    return sentence, mine, [f for f in found if f.kind == mine.kind]


def figure_label(text: str, span: tuple[int, int],
                 tokenize: Callable[[str], list[str]]) -> tuple[str, bool]:  # fmt: skip
    """The words that label the figure at ``span`` of ``text`` (``_labels``), and whether its
    sentence lists two figures or more of its kind; ("", False) when no figure is there."""
    got = _in_sentence(text, span)
    if got is None:
        return "", False
    sentence, mine, same = got
    items = _items(sentence, same)
    if len(same) > 1 and len(set(items.values())) < 2 and _a_range(sentence, same):
        a, b = items[mine.span]  # one item, a range: its words label both
        return sentence[a:b], False
    return _labels(sentence, same, tokenize)[mine.span], len(same) > 1


# what joins the two ends of a range: "between USD 1,000 and USD 5,000", "10% to 20%", "5-7 days"
_RANGE_GAP = re.compile(
    r"\s*(?:and|to|or|through|-|–|—|(?:and|or)?\s*(?:up\s+to|at\s+most|to\s+a\s+maximum\s+of|"
    r"not\s+more\s+than|no\s+more\s+than))?\s*",
    re.I,
)


def _a_range(sentence: str, figs: Sequence[Quantity]) -> bool:
    """Whether the figures of one list item are a range's ends: nothing but "and", "to", a dash
    between each two; "Application fee of $125,000 and annual supervision fee of $60,000" is two
    figures, each with its label (both were the application fee's, so "What is the application
    fee for a spot commodities MTF?" led with "$125,000; $60,000": a spot-commodities platform's
    trial, thirty-first session)."""
    ordered = sorted(figs, key=lambda f: f.span)
    return all(_RANGE_GAP.fullmatch(sentence[x.span[1] : y.span[0]])
               for x, y in pairwise(ordered))  # fmt: skip


def asked_cues(question: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """The terms of the words that say what kind of figure the question asks for ("fee" in
    "What is the annual fee ...?")."""
    return {t for m in _cue_matches(question)[1] for t in tokenize(m.group(0))}


_Span = tuple[int, int]


def _list_labels(text: str, span: _Span, tokenize: Callable[[str], list[str]],
                 variants: bool = False) -> tuple[_Span, dict[_Span, set[str]], set[_Span]] | None:  # fmt: skip
    """The figure at ``span`` of ``text`` (its span in its sentence), the words labelling each
    figure of its kind in its sentence, and the figures whose label is the words after them
    ("USD 7,000 for ..."), when the sentence is a list whose items label them; None when it is
    not (one figure, a range, or labels over ``_LABEL_WORDS`` words: prose). With ``variants``,
    a figure that shares its item with one before it is a variant of that one, under its label
    too ("USD 8,000 for Dealing as Principal (USD 5,000 as matched principal)")."""
    got = _in_sentence(text, span)
    if got is None or len(got[2]) < 2:
        return None
    sentence, mine, same = got
    items = _items(sentence, same)
    if len(set(items.values())) < 2:
        return None  # one item: a range ("from USD 1,000 to USD 5,000"), not a list
    texts = _labels(sentence, same, tokenize)
    if any(len(t.split()) > _LABEL_WORDS for t in texts.values()):
        return None
    opener: dict[tuple[int, int], str] = {}
    for f in sorted(same, key=lambda g: g.span[0]):
        opener.setdefault(items[f.span], texts[f.span])
    after = {f.span for f in same
             if texts[f.span] and sentence.startswith(texts[f.span], f.span[1])}  # fmt: skip
    words = {
        f.span: set(tokenize(texts[f.span]))
        | (set(tokenize(opener[items[f.span]])) if variants else set())
        for f in same
    }
    return mine.span, words, after


def for_another_label(
    text: str, span: tuple[int, int], terms: set[str], tokenize: Callable[[str], list[str]]
) -> bool:
    """Whether the figure at ``span`` of ``text`` sits in a list whose items label figures of
    its kind and its own label lacks one of ``terms`` (the question's ``facets``) that labels
    another item: "What is the annual fee for operating a DATF?" is not answered by "Operating a
    DATF application USD 98,000; ... Advising annual USD 1,400", where "annual" labels another
    item, so the application fee is not the annual one. A term every label carries, or none
    does, decides nothing; a list's stem ("annual fees of USD 3,000 for ...") is no label, and a
    sentence whose labels run over ``_LABEL_WORDS`` words is prose, not a list."""
    got = _list_labels(text, span, tokenize) if terms else None
    if got is None:
        return False
    mine, words, _ = got
    labels = {at: {t for t in terms if has_family(t, w)} for at, w in words.items()}
    told = set().union(*labels.values())
    common = set.intersection(*labels.values())
    return bool((told - common) - labels[mine])


def outlabelled(text: str, span: tuple[int, int], terms: set[str],
                tokenize: Callable[[str], list[str]]) -> bool:  # fmt: skip
    """Whether the figure at ``span`` of ``text`` sits in a labelled list (``_list_labels``, a
    variant under its item's label too) where another item's label carries every one of
    ``terms`` (the question's words that may label an item, its cue and facets aside) that its
    own carries, and more, or, its own carrying none, all of them: "What is the annual fee
    for Dealing as Agent?" is answered by "USD 7,000 for Dealing as Agent", not by "USD 8,000
    for Dealing as Principal". Labels that each carry words the other lacks are both kept
    ("Custody, Advising or Arranging application USD 7,000" and "Dealing application USD
    14,000" for "Arranging Deals"; "Operating a DATF: USD 98,000 on application, USD 50,000
    annual", where a stem labels the first item only)."""
    got = _list_labels(text, span, tokenize, variants=True) if terms else None
    if got is None:
        return False
    mine, words, after = got
    carried = {at: {t for t in terms if has_family(t, w)} for at, w in words.items()}
    if carried[mine]:
        return any(carried[mine] < other for other in carried.values())
    # a label that carries none of them is outranked only by one that carries them all, in a list
    # whose labels follow their figures: "What is the annual fee for providing advice?" led with
    # "USD 3,000 ... for Providing Custody", whose "providing" the advising item's "Advising"
    # lacks (a review), while "... for a matched principal?" is "USD 5,000 as matched principal"
    # alone (a second review); a label before its figure may be a stem that labels the items
    # after it too ("Operating a DATF: USD 98,000 on application, USD 50,000 annual")
    return len(after) == len(words) and any(other >= terms for other in carried.values())


# A period in the possessive measures the noun phrase after it ("on 7 days' notice", "30 days'
# prior written notice", "two years' relevant experience"); the phrase ends at a function word.
# the verbs a clause's subject is followed by (``_FUNCTION``'s modals and forms of "be")
_VERBS = frozenset(
    ["is", "are", "be", "been", "was", "were", "must", "shall", "may", "will", "should"]
)
_POSSESSIVE = re.compile(r"['’]\s+((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*)")
_FUNCTION = re.compile(
    r"\b(?:a|an|the|of|to|in|on|at|for|from|by|with|before|after|and|or|but|that|which|who|"
    r"is|are|be|been|was|were|must|shall|may|will|should|unless|if|where|when|than)\b.*",
    re.I | re.S,
)


def measures_another(text: str, span: tuple[int, int], question_toks: set[str],
                     tokenize: Callable[[str], list[str]]) -> bool:  # fmt: skip
    """Whether the period at ``span`` of ``text`` is in the possessive and measures a thing the
    question does not name: "How long is a FinTech Lab licence valid?" is not answered by "the
    CFTO may vary the terms ... on 7 days' notice", a length of notice; "How much notice ...?"
    is."""
    m = _POSSESSIVE.match(text, span[1])
    if m is None:
        return False
    # the head of each conjunct: "ten years' relevant and demonstrable experience" measures
    # experience (it was cut at "and" and read as measuring "relevant": the Licensed Director's
    # five years led "How many years of experience must the SEO ... have?", a fund manager's
    # trial on the real VC guidance, thirtieth session)
    words = m.group(1).split()
    heads: list[str] = []
    last: list[str] = []  # the words of the conjunct being read
    for i, w in enumerate(words):
        if _FUNCTION.fullmatch(w):
            # "and" or "or" between modifiers of one noun goes on ("relevant and demonstrable
            # experience"); before a clause's subject it ends the phrase ("7 days' notice and
            # Clients may object", a review)
            rest = list(itertools.takewhile(lambda x: not _FUNCTION.fullmatch(x), words[i + 1 :]))
            after = words[i + 1 + len(rest) : i + 2 + len(rest)]
            clause = bool(after) and after[0].lower() in _VERBS  # "Clients may object"
            if w.lower() in ("and", "or") and last and rest and not clause:
                heads.append(last[-1])
                last = []
                continue
            break
        last.append(w)
    # a compound's last two words ("prior written notice period": notice period; a review)
    heads += last[-2:] if len(last) >= 3 else last[-1:]
    head = [t for w in heads for t in tokenize(w)]
    return bool(head) and not any(has_family(t, question_toks) for t in head)


def for_another_firm(text: str, span: tuple[int, int], firms: set[str]) -> bool:
    """Whether the figure at ``span`` of ``text`` is stated for firm types other than
    ``firms``: its sentence is a rule whose subject names only others ("A firm Providing Money
    Services ... must hold capital of ...", asked about a custodian), or, in a sentence that
    lists figures, the item it sits in names only others ("... annual fees of USD 3,000 for
    Providing Custody, USD 7,000 for Dealing as Agent ...", asked about a DATF operator) or
    names none where two items or more name a type. Never when ``firms`` is empty."""
    if not firms:
        return False
    at = sentence_at(text, span[0])
    if at is None:
        return False
    sentence = text[at[0] : at[1]]
    only = qualified_for(sentence)
    if only:
        return not only & firms
    if len(figures(sentence)) < 2:
        # no list: a firm named in a condition ("where ... held in custody") binds no figure
        return False
    own = span[0] - at[0]
    named = named_firms(_item_at(sentence, own), names=True)
    if not named:
        # an item that goes on from its firm's ("Providing Custody pays ... USD 7,000 and, from
        # 2025, an annual fee of USD 3,000; Dealing ...") is that firm's: its ";" segment names it
        seg_start = sentence.rfind(";", 0, own) + 1
        seg_end = sentence.find(";", own)
        named = named_firms(sentence[seg_start : seg_end if seg_end >= 0 else None], names=True)
    if named:
        return not named & firms
    # an item that names no type, in a list keyed by firm type ("Operating a DATF application
    # USD 98,000; a Digital Asset uplift of USD 2,800 ...; Dealing application USD 14,000"), is
    # no one type's figure
    items = {_item_span(sentence, f.span[0]) for f in figures(sentence)}
    return sum(bool(named_firms(sentence[a:b], names=True)) for a, b in items) >= 2


def titles(chunk: Any) -> list[str]:
    """A chunk's headings: the document's heading path and its own "#" lines."""
    return [*chunk.heading_path, *re.findall(r"(?m)^#+\s*(.*)$", chunk.text)]


_NON = re.compile(r"\bnon-([a-z][a-z-]*[a-z])", re.I)


def heading_excludes(heading: str, question_toks: set[str],
                     tokenize: Callable[[str], list[str]]) -> bool:  # fmt: skip
    """Whether a heading says its provision is not about what the question names: "Base capital
    for conventional (non-digital-asset) activities" for a question on digital assets (or on
    crypto, which the alias table reads as digital assets). Its figures answer no such question:
    a founder's "capital for custody crypto" was answered with that table's conventional
    custody figure, and "minimum capital for providing custody of digital assets" with the
    money-services figure beside it (eighteenth session). Only a heading, where "non-" names
    the provision's scope; in a rule's text it is mostly part of a name ("non-Professional
    Client"), and in a question it was tried and not kept (see ``extractive._EXCLUDED``)."""
    for m in _NON.finditer(heading):
        parts = tokenize(m.group(1).replace("-", " "))
        if parts and all(has_family(p, question_toks) for p in parts):
            return True
    return False


def non_terms(question: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """The terms of what the question itself calls "non-X" ("the fine for non-compliance"): a
    heading's "non-compliance" is what such a question asks about (a review found it refused)."""
    return {t for m in _NON.finditer(question) for t in tokenize(m.group(1).replace("-", " "))}


def for_firm(text: str, span: tuple[int, int], firms: set[str]) -> bool:
    """Whether the sentence of ``text`` holding ``span`` is a rule whose subject names one of
    ``firms`` ("a DASP Dealing in Investments as Principal must hold ...", asked about a dealer)."""
    if not firms:
        return False
    at = sentence_at(text, span[0])
    return at is not None and bool(qualified_for(text[at[0] : at[1]]) & firms)


# A fine or penalty asked about as a thing ("What is the fine for ...?", "the maximum penalty";
# not "Is it fine to ...?"): an amount, unless the question asks when or how long it is paid.
_FINE = re.compile(r"\b(?:the|a|any|maximum|minimum)\s+(?:fines?|(?:financial\s+)?penalt(?:y|ies))\b",
                   re.I)  # fmt: skip
# A question that asks when: "when" opens it or one of its parts ("When must ...?", "..., and
# when is it paid?", "We had an outage. When do we ...?"), followed by its verb, or "by, since,
# until, from when". Not a "when" inside a clause, a conjunction ("What rules apply when the
# broker holds client money?" led with a capital figure, a founder's trial 2026-12-04), nor one
# that sets the scene ("When an Information Requirement is imposed, what ...?").
_ASKS_WHEN = re.compile(
    r"(?:^\s*|[,;:.?!(]\s*|\b(?:and|or)\s+)when\s+(?:must|is|are|was|were|do|does|did|should|shall|"
    r"can|could|will|would|may|might|has|have|had|need|needs)\b|\b(?:by|since|until|from)\s+when\b",
    re.I,
)
# "When" that asks on what condition something is classed as something, not at what time:
# "When are digital assets considered to be held by a DASP?" (the verbs of legal deeming and
# classification), which a reporting deadline beside the definition does not answer; unless
# what it is deemed is a state in time ("When is the AML Return considered overdue?").
_WHEN_CONDITION = re.compile(
    r"^\s*when(?=\s+(?:is|are|was|were|does|do|did|will|would|can|could|may|might|should|shall)\b"
    r"[^?]*?\b(?:considered|deemed|treated|regarded|classed|classified|categori[sz]ed|qualif(?:y|ies)"
    r"|counts?\s+as)\b"
    r"(?!\s+(?:to\s+(?:be|have\s+been)\s+)?(?:late|overdue|expired|lapsed|decided|granted|refused|"
    r"withdrawn|complete|completed|effective|valid|filed|received|submitted|made|in\s+force)\b))",
    re.I,
)


def asks_when(question: str) -> bool:
    """Whether the question asks at what time (``_ASKS_WHEN``), not on what condition
    (``_WHEN_CONDITION``): one reading for the figure asked, the fine's amount and the first
    line's lead."""
    return bool(_ASKS_WHEN.search(question)) and not _WHEN_CONDITION.match(question)


# "how" before an auxiliary or modal (the follow-up module's closed class): a manner asked;
# and an auxiliary next, which ends a "how many" phrase
_AUX_WORD = rf"(?:{'|'.join(sorted(AUX))})\b"
_HOW_AUX = re.compile(rf"\s*how\s+{_AUX_WORD}", re.I)
_AUX_NEXT = re.compile(rf"\s+{_AUX_WORD}", re.I)

# "(In) what/which NOUN PHRASE must ...": the noun phrase the wh-word determines
_WH_NOUN = re.compile(
    r"^\s*(?:(?:in|by|for|on|at|to|from|with|under|of)\s+)?(?:what|which)\s+([\w'’-]+(?:\s+[\w'’-]+){0,3}?)"
    r"\s+(?:must|is|are|was|were|do|does|did|should|shall|can|could|will|would|may|might|has|have|"
    r"had|need|needs|applies|apply)\b",
    re.I,
)


def asked_kinds(question: str) -> set[str]:
    """The kinds of figure the question asks for (empty when it asks for none)."""
    head = focus(question)
    if not head:
        return set()
    kinds = {k for k, rx in ASKED_KIND.items() if rx.search(head)}
    how_much = re.search(r"\bhow\s+much\b", head, re.I)
    # (a "What is the registration fee, and when is it payable?" asks the fee first, a review)
    asks_what = re.match(r"\s*(?:what|which)\b(?!\s+(?:date|day|time)\b)", head, re.I)
    # "How are passporting fees charged for an umbrella fund?" asks the manner, as "when" asks
    # a time: the fee is what it is asked of (refused as a fee amount not stated, with the rule
    # that answers it, "the prescribed fees must be paid for each Sub-Fund", the closest
    # provision: a fund COO's trial, fortieth session); "how" before an adjective ("How high
    # is the threshold?") still asks the figure
    manner = _HOW_AUX.match(head)
    # (not where a later clause asks what it is: "How are fees charged and what amount is
    # payable?", "When is the fee due? What is the amount?", a review)
    later_what = re.search(r"\b(?:what|which)\b", question, re.I)
    if (asks_when(head) or manner) and not how_much and not asks_what and not later_what:
        # "When is the initial annual fee due?" asks a time, not the fee's amount (asked for an
        # amount, it was refused with FEES 1.2.2(a)'s "within twenty days" the closest
        # provision, and "When must the annual supervision fee be paid?" led with a branch's
        # "50%", a regulatory lawyer's trial, thirty-third session); not where it asks "how
        # much" too ("How much is the annual fee and when is it due?", a review)
        kinds.discard("amount")
    elif ((m := _WH_NOUN.match(head)) and not ASKED_KIND["amount"].search(f"what {m.group(1)}")
          and not _FINE.search(f"the {m.group(1)}") and not how_much):  # fmt: skip
        # "In what currency must FSRA fees be paid?", "Which firms must pay the fee?": the
        # thing asked for is the wh-word's noun, and the fee only what it is asked of (refused
        # as an amount not stated, the same trial)
        kinds.discard("amount")
    elif not kinds and _FINE.search(head):
        kinds.add("amount")
    return kinds


# ("for how many years" is a length as "for six years" is: a trial's "For how many years do we
# keep KYC files ...?" led with a filing deadline, "within 6 months")
_HOW_LONG = re.compile(
    r"\bhow\s+long\b|\bhow\s+much\s+time\b|\bvalid\b|\blast\b|\bperiod for which\b"
    r"|\bfor\s+how\s+many\b"
    # (a retention period, a minimum or maximum period: a length, which "as soon as
    # practicable" does not answer; a counterfactual question's confidence rose 0.10 -> 0.84
    # on "the minimum retention period for data held on cloud platforms", run I4)
    r"|\bretention\b|\b(?:minimum|maximum)\s+period\b"
    # (and a lead time, "How far in advance must ... notify ...?", "how much notice": the
    # counterfactual questions of run T6 were answered from "as soon as practicable")
    r"|\bin\s+advance\b|\bahead\b|\bnotice\b",
    re.I,
)


def asks_deadline(question: str) -> bool:
    """A period asked for as a time limit ("Within how many days must ...?", "How quickly ...?",
    "By when ...?"), which "immediately" or "without delay" answers; not a length ("How long must
    assets stay frozen?", "How long is a licence valid?")."""
    return "period" in asked_kinds(question) and not _HOW_LONG.search(focus(question))


def accepted_kinds(question: str) -> set[str]:
    """The kinds of figure that answer the question (``ACCEPTS`` of each kind it asks for); a
    period asked as a time limit ("By when ...?", "What is the deadline ...?") is answered by a
    date too ("by the end of April each year")."""
    kinds = set().union(*(ACCEPTS[k] for k in asked_kinds(question)))
    if "period" in kinds and asks_for_date(question):
        kinds.add("date")
    return kinds


# A time limit asked for as such, which a calendar date may give ("By when must the annual fee
# be paid?": "on or before 31 January"); not a number of days ("How many days ...?", "How
# quickly ...?", which a date does not answer, a review)
_DATE_LIMIT = re.compile(r"\b(?:by|until)\s+when\b|\bdeadline\b|\btime\s?limit\b", re.I)


def asks_for_date(question: str) -> bool:
    """Whether a calendar date answers the time limit the question asks for."""
    return "period" in asked_kinds(question) and bool(_DATE_LIMIT.search(focus(question)))


YEAR = re.compile(r"(?:19|20)\d\d")
_COUNT_SPAN = 5  # words between a count and what it counts ("two or more independent directors")


def counted(question: str, tokenize: Callable[[str], list[str]]) -> str | None:
    """The word for what a "how many" question counts (the head of its noun phrase), or None."""
    head = focus(question)
    m = _COUNTED.search(head)
    words = m.group("np").split() if m else []
    # (an auxiliary after the phrase ends it at its head: "How many operations staff must a
    # firm employ?" counts staff, a review)
    after = head[m.end("np") :] if m else ""
    by_aux = _AUX_NEXT.match(after) is not None
    # (a plural noun before a last word that is none heads the phrase: the verb ran on into it,
    # "How many English statutes apply in ADGM?" counted "apply" and was refused with "the 47
    # modified English statutes" among the closest provisions, a lawyer's trial, fortieth
    # session)
    plural = [i for i, w in enumerate(words) if len(w) > 3 and re.search(r"[^su]s$", w, re.I)
              and not w.lower().endswith("sis")]  # fmt: skip
    if (plural and not by_aux and plural[-1] < len(words) - 1
            and not re.search(r"[^s]s$", words[-1], re.I)):  # fmt: skip
        words = words[: plural[-1] + 1]
    toks = [t for t in tokenize(" ".join(words)) if not t.isdigit()]
    return toks[-1] if toks else None


# "maximum leverage", "minimum net worth", "a cap on fees": the thing a limit is set on.
_LIMIT_ON = re.compile(
    r"\b(?:maximum|minimum|max|min|upper|lower)\s+(?:(?:permitted|allowed|permissible|possible)\s+)?"
    r"(?P<a>[a-z][\w-]*)|\b(?:caps?|ceilings?|limits?)\s+(?:on|for)\s+(?:(?:the|a|an)\s+)?"
    r"(?P<b>[a-z][\w-]*)",
    re.I,
)


# adverbs of time and degree with no suffix of their kind ("today", "overall")
_ADVERBS = frozenset({"today", "now", "nowadays", "currently", "overall", "also", "still",
                      "already", "here", "there", "then", "ever", "even", "just", "only"})  # fmt: skip


def unknown_limit(question: str, tokenize: Callable[[str], list[str]],
                  known: Callable[[str], bool] | None) -> str | None:  # fmt: skip
    """The word for what a limit question limits ("maximum leverage"), when no indexed document
    uses that word at all: then no figure for it can be in evidence. None otherwise."""
    if known is None:
        return None
    for m in _LIMIT_ON.finditer(question):
        # the limited thing's noun phrase, up to two more words ("minimum office rent": "office"
        # is in the index, "rent" is not, and "3-year; 1-year" from a business plan's
        # projections answered it, a consultant's browser trial, thirty-eighth session)
        words = [m.group("a") or m.group("b")]
        # (not after a wh-word, "a cap on how much ...": "much" was read as the thing, a run;
        # nor an adverb or a participle, "the minimum capital today for ...", "... stipulated",
        # a review: only a run of nouns that a closed word or the end follows)
        after = re.findall(r"[A-Za-z][\w-]*|\S", question[m.end() :])
        run: list[str] = []
        for w in after[:2]:
            if (words[0].lower() in _NOT_NOUN or not w.isalpha() or not w.islower()
                    or w in _NOT_NOUN or w in DEGREE or w in _ADVERBS
                    or w.endswith(("ed", "ing", "ly", "able", "ible"))):  # fmt: skip
                break
            run.append(w)
        nxt = after[len(run)] if len(run) < len(after) else ""
        if run and (not nxt or not nxt[0].isalpha() or nxt.lower() in _NOT_NOUN):
            words += run
        for t in (t for w in words for t in tokenize(w)):
            if len(t) >= 4 and not t.isdigit() and not known(t):
                return t
    return None


# What a "what"/"which" question asks for: the words after it ("What penalty can the AFSA
# impose?", "Which licence do we need?", "What is the maximum fine for ...?"), up to the first
# word that is no part of a noun phrase (an auxiliary, a preposition, a pronoun, a capitalised
# name, punctuation). Without a copula the phrase must be followed by an auxiliary or a
# preposition (or end the question), so that a verb ("What happens if ...?") is not read as it.
_WHAT_OPENS = re.compile(
    # (where a question or one of its clauses opens: not a relative "what", "We found what looks
    # like layering", a review 2026-12-05)
    r"(?:^|[.?!;:,(]\s*|\b(?:and|or|but|so)\s+)\W*"
    r"(?:(?:what|which)\s+(?:(?P<cop>is|are|was|were|would\s+be|will\s+be)\s+)?"
    # or whether something exists ("Is there a cooling off period for retail clients?", in no
    # indexed text, got a reporting deadline with no note, a broker's trial, 2026-12-06)
    r"|(?P<there>(?:is|are)\s+there)\s+(?=(?:a|an|any)\s))"
    r"(?:(?:the|a|an|any|our|my|its|their)\s+)?"
    r"(?:(?:kinds?|types?|sorts?|forms?|amount|level)\s+of\s+)?",
    re.I,
)
# what may follow the phrase, without a copula; what ends it (the follow-up module's closed
# word classes, one reading of English's small words)
_FOLLOWS = AUX | PREP | {"apply", "applies"}
_NOT_NOUN = (
    AUX
    | PREP
    | DET
    | CONJ
    | SUBORD
    | WH
    | set(PRONOUN)
    | {"i", "we", "you", "there", "apply", "applies", "happen", "happens", "mean", "means"}
)


def asked_thing(question: str) -> str | None:
    """The head word of what a "what/which" question asks for ("penalty" in "What penalty can
    the AFSA impose for an AML breach?"), or None when the question has no such phrase."""
    run = asked_phrase(question)
    return run[-1] if run else None


def asked_phrase(question: str) -> list[str] | None:
    """The words of what a "what/which" question asks for, or an "is/are there a/any" question
    asks about, its head last ("complaints", "handling", "procedure" in "What complaints
    handling procedure must the firm maintain?"), lower-cased; None when the question has no
    such phrase."""
    got = _asked_run(question)
    return got[0] if got else None


def _asked_run(question: str) -> tuple[list[str], bool] | None:
    """``asked_phrase``, and whether the question asks whether the thing exists ("Is there
    ...?")."""
    for m in _WHAT_OPENS.finditer(question):
        words = re.findall(r"[A-Za-z][\w-]*|[^\w\s]", question[m.end() :])
        run: list[str] = []
        for w in words[:4]:
            if not w[0].isalpha() or w.lower() in _NOT_NOUN or (w[0].isupper() and run):
                break
            if w[0].isupper() and w.upper() == w:  # an abbreviation opens no head ("What AML ...")
                break
            run.append(w)
        if not run:
            continue
        after = words[len(run)] if len(words) > len(run) else "?"
        if (
            (m.group("cop") or m.group("there"))
            and run[0].lower().endswith("ed")
            and not run[0].lower().endswith("eed")
        ):
            continue  # a participle: "What is considered a Professional Client?"
        last = run[-1].lower()
        if len(run) >= 2 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
            # a verb after the phrase, "What appeals process exists?"
            after, run = run[-1], run[:-1]
            if not (m.group("cop") or m.group("there")):
                return [w.lower() for w in run], False
        # (a name after it opens the clause's subject, "What penalty AFSA can impose", unless
        # the phrase is a verb in -s: "What triggers CDD?")
        named = after[0].isupper() and not run[-1].lower().endswith("s")
        if (
            m.group("cop")
            or m.group("there")
            or after.lower() in _FOLLOWS
            or not after[0].isalnum()
            or named
        ):
            return [w.lower() for w in run], bool(m.group("there"))
    return None


def unknown_thing(question: str, tokenize: Callable[[str], list[str]],
                  known: Callable[[str], bool] | None) -> str | None:  # fmt: skip
    """The head word of what the question asks for (``asked_thing``) when no indexed document
    uses it or a word of its family (``known``: ``KeywordIdf.known_family``), nor does the alias
    table read it as indexed words: the evidence may then speak of something else ("What
    penalty can the AFSA impose?" over rules that never speak of penalties was answered with a
    filing deadline, a founder's trial 2026-12-05), or say it in other words ("What is the
    duration of a FinTech Lab licence?": "valid for 2 years"), so it is noted, not refused
    (refusing it refused such questions, a review); ``Retriever.unknown_words`` notes the
    question's other words that no text holds."""
    from assistant.search.aliases import ALIASES

    got = _asked_run(question)
    if known is None or not got:
        return None
    run, there = got
    # the head first, then the words that qualify it ("complaints" in "What complaints handling
    # procedure must the firm maintain?" was in no digest text, and the answer, "COB 8.3.12
    # requires procedures for handling client investments.", came with no note: a
    # questionnaire trial, twenty-third session)
    from assistant.language.lemmas import lemma

    for n, thing in enumerate(reversed(run)):
        if n == 0 and there:
            # "Is there any problem / an option / a difference ...?": the head of an existence
            # question is often a framing noun no rule uses, noted on right answers (a review);
            # its qualifier is read ("cooling" in "... a cooling off period ...?")
            continue
        if len(thing) < 4 or asked_kinds(f"What {thing}?"):
            continue  # "What percentage ...?": a figure asked (figure_missing)
        if n and lemma(thing) == thing:
            # a qualifier only in an inflected form, a plural noun ("complaints"): not an
            # adjective the index need not use ("Which exact amount applies?", a review)
            continue
        if any(al.pattern.search(thing) for al in ALIASES):
            continue
        toks = tokenize(thing)
        if toks and not any(known(t) for t in toks):
            return thing
    return None


def frequency_of(question: str, tokenize: Callable[[str], list[str]]) -> Callable[[str], bool]:
    """Whether a noun phrase that a frequency adjective qualifies ("annual AFSA AML Return") is
    the thing the question asks about (``quantities.frequencies``): its head is a word of the
    question, and the question's word right before that one qualifies it in the phrase too
    ("How often must we file the AML Return?"; not "... frequency prudential return", whose
    return is another, nor "... file a return?", which a firm's own quarterly return may answer:
    the AML Return's "annual" led both, reviews of this reading, twenty-fourth session)."""
    words = re.findall(r"[A-Za-z][\w-]*", question)

    def names(phrase: str) -> bool:
        toks = tokenize(phrase)
        if not toks:
            return False
        inside = set(toks[:-1])
        for i, w in enumerate(words):
            if has_family(toks[-1], set(tokenize(w))):
                before = tokenize(words[i - 1]) if i else []
                if any(has_family(t, inside) for t in before):
                    return True
        return False

    return names


_EVENT_LIMIT = re.compile(
    r"\b(?:no|not)\s+later\s+than\s+the\s+(?:date|time|day)\s+(?:when|on\s+which|at\s+which)\b",
    re.I,
)


def figure_kinds(text: str, counted_word: str | None = None,
                 tokenize: Callable[[str], list[str]] | None = None,
                 named: Callable[[str], bool] | None = None, at_once: bool = True) -> set[str]:  # fmt: skip
    """The kinds of figure ``text`` states; "count" when a number stands within a few words of
    ``counted_word`` (a word of the same family): "at least two independent directors", "the
    Governing Body has no fewer than 3 members". A frequency may be an adjective
    (``quantities.frequencies``; ``named``: ``frequency_of`` the question). ``at_once``: a time
    limit of immediacy ("immediately", "as soon as practicable") is a period; it answers a
    deadline only (``asks_deadline``), not a length ("the minimum retention period for data
    held on cloud platforms" was answered, a counterfactual question's confidence 0.10 -> 0.84,
    when "as soon as practicable" became such a limit, fortieth session)."""
    qs = [q for q in quantities(text) if at_once or not IMMEDIATE.fullmatch(q.text.strip())]
    kinds = {q.kind for q in qs if q.kind != "number"}
    if at_once and AS_SOON.search(text):
        kinds.add("period")  # "as soon as practicable": no parsed deadline, a limit all the same
    if _EVENT_LIMIT.search(text):
        # a time limit set by an event, not a number: "No later than the date when the changes are
        # published or notified to those Members" answers "By when must we notify ...?", which
        # was refused with it first among the closest provisions (a spot-commodities platform's
        # trial, thirty-first session); as a date answers only a time limit (``accepted_kinds``)
        kinds.add("date")
    if "frequency" not in kinds and frequencies(text, named):
        kinds.add("frequency")  # "on an annual basis", "file the annual AML Return"
    if "frequency" in kinds and any(f.detail == "business day" for f in figures(text)):
        kinds.add("period")  # "every 10 business days" states a number of days too
    if counted_word and tokenize:
        words = list(re.finditer(r"\S+", text))
        naming = [
            i for i, w in enumerate(words) if has_family(counted_word, set(tokenize(w.group())))
        ]
        refs = reference_spans(text)
        for q in qs:
            at = next((i for i, w in enumerate(words) if w.end() > q.start), len(words))
            before = words[at - 1].group().lower() if at > 0 else ""
            # a year ("Since 2024"), a rule's number ("Rule 8") or "no one" counts nothing
            if (q.kind != "number" or YEAR.fullmatch(q.text) or before == "no"
                    or any(a <= q.start < b for a, b in refs)):  # fmt: skip
                continue
            if any(abs(at - i) <= _COUNT_SPAN for i in naming):
                kinds.add("count")
                break
    return kinds


class KeywordIdf:
    """Corpus IDF of a token, read from the index's BM25 statistics (refreshed when the index
    changes); tokens the corpus lacks get the IDF of a term seen in no document."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def _load(self) -> tuple[Mapping[str, int], int] | None:
        # No cache here: one Assistant serves every thread, and the keyword index keeps these
        # statistics per build, so this is two attribute reads once they exist.
        n, df = self.index.sync_keywords(persist=False).term_stats()
        return (df, n) if n else None

    def __call__(self, token: str) -> float:
        table = self._load()
        if table is None:
            return 1.0
        df_of, n = table
        df = df_of.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def known(self, token: str) -> bool:
        table = self._load()
        return table is None or token in table[0]

    def known_family(self, token: str) -> bool:
        """Whether the corpus holds ``token`` or a word of its family (``has_family``: "info" and
        "information", "categorizations" and "categorisation"). Scans the vocabulary: for rare
        use (``unknown_thing``), not per sentence."""
        table = self._load()
        return table is None or has_family(token, table[0].keys())


def has_family(term: str, toks: Collection[str]) -> bool:
    """``term`` or a word of the same family (one stem a prefix of the other, 4+ letters)."""
    if term in toks:
        return True
    return len(term) >= 4 and any(
        len(t) >= 4 and (t.startswith(term) or term.startswith(t)) for t in toks
    )


# English nouns in -sion from verbs in -d/-de ("decide"/"decision", "extend"/"extension",
# "respond"/"response"): stems "decis", "extens", "respons" read as "decid", "extend", "respond".
# Adjectives share those stems ("extensive", "responsible", "exclusively"), so this is read only
# where a gap statement is matched to a question's words (ExtractiveAnswerer.gap_beside), never
# where a draft is judged against a rule.
_SION = re.compile(r"(?<=[aeiou])s$|(?<=[eo]n)s$")


def _root(stem: str) -> str:
    return _SION.sub("d", stem) if len(stem) >= 5 else stem


def has_kin(term: str, toks: set[str]) -> bool:
    """``has_family``, or the same word once a noun in -sion is read as its verb ("decision"
    for "decide")."""
    if has_family(term, toks):
        return True
    if len(term) < 5:
        return False
    root = _root(term)
    return any(len(t) >= 5 and _root(t) == root for t in toks)


@dataclass(frozen=True)
class Evidence:
    """What the gate decided from, for the answer's notes and the evals."""

    features: dict[str, float]
    probability: float
    asked: frozenset[str]
    figure_present: bool


# where one coordinated clause ends and the next begins: not at a comma alone, which may set off
# an aside within the subject ("A Category 2 firm, as defined in Rule 1.3, must hold ...", a
# review)
_CLAUSE_EDGE = re.compile(r"[;:]|,\s*(?:and|or|but)\b|\b(?:whereas|while)\b", re.I)


def _clause_of(sentence: str, at: int) -> str:
    """The coordinated clause of ``sentence`` around the character offset ``at``: from the last
    semicolon, colon, ", and", ", or", ", but" before it to the next after it."""
    start = max((m.end() for m in _CLAUSE_EDGE.finditer(sentence, 0, at)), default=0)
    nxt = _CLAUSE_EDGE.search(sentence, at)
    return sentence[start : nxt.start() if nxt else len(sentence)]


DEEP_FIGURE = 10  # the figure gate reads the hits after the top three up to this rank


# Verbs by which a question says what its asker means to do ("a firm wanting to operate ...")
_INTENT = ("want", "wants", "wanting", "wish", "wishes", "wishing", "intend", "intends",
           "intending", "plan", "plans", "planning", "hope", "hoping")  # fmt: skip


def question_weights(question: str, tokenize: Callable[[str], list[str]],
                     idf: Callable[[str], float] | None = None) -> dict[str, float]:  # fmt: skip
    """The question's terms, without its question words, and their corpus IDF (1.0 without)."""
    terms = dict.fromkeys(tokenize(_QUESTION_WORDS.sub(" ", question)))
    return {t: (idf(t) if idf else 1.0) for t in terms}


def _closed_class(tokenize: Callable[[str], list[str]]) -> frozenset[str]:
    """The terms of English's closed-class words (prepositions, conjunctions, auxiliaries and
    their participles ...): "done" in "... must the reconciliation be done?" named no subject."""
    if tokenize not in _CLOSED:
        # (not "provided", whose stem is "provider"'s, nor "may", a month, a review)
        words = (AUX | PREP | DET | CONJ | SUBORD | WH | set(PRONOUN)
                 | {"done", "doing", "having"}) - {"provided", "may"}  # fmt: skip
        _CLOSED[tokenize] = frozenset(t for w in words for t in tokenize(w))
    return _CLOSED[tokenize]


_CLOSED: dict[Callable[[str], list[str]], frozenset[str]] = {}


# A figure asked as a least amount ("the minimum subscription") is not one the text states as a
# most ("limits total subscriptions to an amount not to exceed $100 million" answered "What is
# the minimum subscription for a Venture Capital Fund?"; a fund manager's trial, thirty-seventh
# session), nor the other way round.
# (not "highest" nor "lowest", which compare figures: "Which capital figure applies, the sum
# or the highest?" is answered by minimums)
_ASKS_LEAST = re.compile(r"\b(?:minimum|min\b\.?|at\s+least)\b", re.I)
_ASKS_MOST = re.compile(r"\b(?:maximum|max\b\.?|at\s+most|ceiling)\b", re.I)
_AMOUNT_OF = r"\s+(?:(?:an?|the)\s+)?(?:(?:amount|sum|total|value|level)\s+(?:of\s+)?)?$"
_MOST_BEFORE = re.compile(
    r"(?:\bup\s+to|\bat\s+most|\bmaximum(?:\s+of)?|\bno(?:t)?\s+more\s+than|\bnot\s+(?:to\s+)?"
    r"exceed(?:ing)?|\bnot\s+in\s+excess\s+of|\bcapped\s+at|(?<!\bnot\s)(?<!\bno\s)\bless\s+than)"
    + _AMOUNT_OF,
    re.I,
)
_LEAST_BEFORE = re.compile(
    r"(?:\bat\s+least|\bminimum(?:\s+of)?|\bno(?:t)?\s+less\s+than|(?<!\bnot\s)(?<!\bno\s)\bmore\s+than|"
    r"(?<!\bnot\s)\bexceeding|(?<!\bnot\s)\bin\s+excess\s+of)" + _AMOUNT_OF,
    re.I,
)


_PREMISE_KINDS = {"amount": "amount", "percentage": "percentage", "duration": "period",
                  "deadline": "period", "frequency": "frequency"}  # fmt: skip


# what makes a figure of the question a claim about the rules, not a fact of the user's case
# ("a transfer of USD 3,000"): a premise clause ("Since the AFSA requires USD 5 million ..."),
# or a rule's figure named just before it ("the threshold of USD 15,000", "valid for 24
# months", "within 10 days", "at least six years"; a review, thirty-eighth session)
# (or a question opening "As" and a clause of three words or more before the figure: "As the
# minimum Leverage Ratio is 5%, ...", an auditor's trial, thirty-ninth session; not "As a DASP,",
# "As of 2024,", nor the user's own case, "As we received a transfer of USD 20,000", a review)
_PREMISE = re.compile(r"\b(?:since|given(?:\s+that)?|because|now\s+that|considering(?:\s+that)?)\b"
                      r"[^?.;]*$|^\s*as\s+(?!an?\b|of\b|soon\b|well\b|(?:we|i|our|my|us|you|your)\b)"
                      r"(?:[^\s,?.;]+\s+){3,}[^,?.;]*$",
                      re.I)  # fmt: skip
_RULE_FIGURE_BEFORE = re.compile(
    r"\b(?:thresholds?|limits?|minimum|maximum|caps?|ceiling|fees?|capital|requirements?|"
    r"deadlines?|period|rate|ratio|requires?|required|prescribes?|valid\s+for|within|"
    r"at\s+least|at\s+most|no\s+(?:more|less)\s+than|(?:is|are|be)\s+set\s+at)"
    r"(?:\s+(?:is|are|of|at|to|for|be))?\s+(?:the\s+|a\s+|an\s+)?$",
    re.I,
)


def _claimed(question: str, f: Quantity) -> bool:
    """Whether figure ``f`` of ``question`` is claimed of the rules (``_PREMISE``,
    ``_RULE_FIGURE_BEFORE``), not a fact of the case asked about."""
    before = question[: f.span[0]]
    return bool(
        # written with a bound: "at least ten years", "above USD 15,000" (a frequency's is read
        # into it: "annually" is at least once a year, and claims nothing)
        (f.bound is not None and f.kind != "frequency")
        or _PREMISE.search(before)
        or _RULE_FIGURE_BEFORE.search(before[-40:])
    )


def unstated_figures(question: str, texts: Sequence[str]) -> list[str]:
    """The amounts, percentages and periods ``question`` claims of the rules ("Since the AFSA
    requires USD 5 million", "the threshold of USD 15,000", "valid for 24 months") that none of
    ``texts`` states, by value and unit ("USD 5,000,000" states "USD 5 million"; a period within
    2%, "24 months" being "2 years"), as the question writes them."""
    # (and frequencies: "As the MLRO reports ... only once every two years" stood beside the
    # rule's "semi-annually" with no note, an auditor's trial, thirty-ninth session)
    asked = [f for f in [*figures(question), *frequencies(question)]
             if f.kind in _PREMISE_KINDS and _claimed(question, f)]  # fmt: skip
    if not asked:
        return []
    held = [f for t in texts for f in [*figures(t), *frequencies(t)] if f.kind in _PREMISE_KINDS]
    # a claimed frequency only where the texts state one, another: one they write in words
    # not read as a frequency ("for each quarter", "in each calendar year") is no other (a
    # review)
    if not any(g.kind == "frequency" for g in held):
        asked = [f for f in asked if f.kind != "frequency"]

    def stated(f: Quantity) -> bool:
        return any(
            _PREMISE_KINDS[g.kind] == _PREMISE_KINDS[f.kind] and g.unit == f.unit
            and abs(float(g.value) - float(f.value)) <= 0.02 * max(abs(float(f.value)), 1e-9)
            for g in held
        )  # fmt: skip

    return list(dict.fromkeys(f.text for f in asked if not stated(f)))


def against_bound(question: str, sentence: str, start: int) -> bool:
    """Whether the figure at ``start`` of ``sentence`` is bounded the other way from the one
    ``question`` asks: a maximum for "the minimum ...", a minimum for "the maximum ..."."""
    least, most = bool(_ASKS_LEAST.search(question)), bool(_ASKS_MOST.search(question))
    if least == most:
        return False
    before = " ".join(sentence[max(0, start - 60) : start].split()) + " "  # ("not  less than")
    rx = _MOST_BEFORE if least else _LEAST_BEFORE
    # a duration's figure may open with its bound ("not more than 30 days" is one figure; a
    # second review, thirty-seventh session): the words before its number are read too, where
    # they are that bound alone (not "fourteen days and not more than" of a figure in words
    # before another's bound, a review, thirty-eighth session)
    lead = re.match(r"[^\d$€£]*", sentence[start : start + 40])
    own = " ".join(lead.group(0).split()) + " " if lead else ""
    bound = rx.search(own) if own.strip() else None
    return bool(rx.search(before) or (bound is not None and bound.start() == 0))


def figure_in_evidence(question: str, hits: Sequence[Hit], tokenize: Callable[[str], list[str]],
                       weight: Mapping[str, float], idf: Callable[[str], float] | None = None,
                       known: Callable[[str], bool] | None = None,
                       every_term: bool = False) -> bool:  # fmt: skip
    """Whether ``hits`` state a figure of the kind the question asks about its subject (the
    ``figure_missing`` feature reads the top three). ``weight``: the question's terms and their
    IDF. ``every_term``: only a sentence that names every term of the subject, two or more,
    counts (what the figure gate reads beyond the top three, ``DEEP_FIGURE``)."""
    asked = asked_kinds(question)
    cue = set()
    for k in asked:
        for m in ASKED_KIND[k].finditer(focus(question)):
            cue |= set(tokenize(m.group(0)))
    # the preposition of the wh-phrase is part of what is asked, not of the subject ("Above
    # what amount must ...": "above" was taken for a distinctive subject word, 2026-12-04)
    if opening := _WH_PREPOSITION.match(question):
        cue |= set(tokenize(opening.group(1)))
    subj = {t: w for t, w in weight.items() if t not in cue}
    wanted = accepted_kinds(question)
    at_once = asks_deadline(question)
    thing = counted(question, tokenize) if "count" in asked else None
    often = frequency_of(question, tokenize) if "frequency" in asked else None
    # A figure answers only where it is stated about the question's subject: in a chunk that
    # names one of the subject's two most distinctive terms (highest IDF among words of four
    # letters or more that the corpus knows, are not near-ubiquitous (IDF >= 2) and are not
    # user words the alias table maps to rule words; "deal" matches "dealer"), and in the
    # best-ranked chunk or a sentence that names part of the subject. "Minimum capital for a
    # digital asset custodian" is not answered by the capital of a money-services firm.
    from assistant.search.aliases import ALIASES, expand

    hits_al = [(al, m) for al in ALIASES for m in al.pattern.finditer(question)
               if not set(tokenize(m.group(0))) <= cue]  # fmt: skip
    aliased = {t for _, m in hits_al for t in tokenize(m.group(0))}
    # (not a word that qualifies the figure asked, "minimum" of "What minimum ratio ...?": it
    # says which figure, not whose, and is checked as a label below; with "keep" it made the
    # subject's two terms, neither in the rule that states the 10.0% ratio, a CFO's trial)
    qualifiers = facets(question, tokenize)
    # (a verb of intent frames the question and names nothing: "a firm wanting to operate an
    # MTF" made "want", the index's rarest word, a subject word no provision holds; an
    # abbreviation the question writes in capitals is a subject word however short: "MTF", a
    # trial on the ADGM guidance, twenty-sixth session)
    intent = {t for w in _INTENT for t in tokenize(w)}
    short = {t for w in re.findall(r"\b[A-Z]{2,3}\b", question) for t in tokenize(w)}
    # (nor a closed-class word: "after" in "... paid into a client account after we receive
    # it?" was one of the two, no chunk holding it stated the period, and the question was
    # refused with COBS 14.4.1's "within one day of receipt" among the closest provisions, a
    # custodian's trial, thirty-second session)
    cands = [t for t in subj if (len(t) >= 4 or t in short) and subj[t] >= 2.0
             and (known is None or known(t)) and t not in aliased and t not in qualifiers
             and t not in intent and (t in short or t not in _closed_class(tokenize))]  # fmt: skip
    distinctive = sorted(cands, key=lambda t: -subj[t])[:2] if idf else []
    # The rule words an alias gives for the subject ("dealer" -> "Dealing ... as Principal").
    rule_words = {t for al, _ in hits_al for t in tokenize(al.adds) if idf and idf(t) >= 2.0}
    if rule_words and distinctive:
        distinctive = [*distinctive, *sorted(rule_words)]
    elif rule_words:
        distinctive = sorted(rule_words)
    # The firm type the question asks about, by the AIFC permission names, its aliases'
    # wording counting ("crypto exchange" -> "Operating a ... Trading Facility"): a figure
    # in a rule whose subject names only another type ("A firm Providing Money Services
    # ... must hold capital of at least USD 200,000") is not that firm's.
    firms = asked_firms(question)
    aifc_only = national_law_excluded(question)
    # "crypto" counts as "digital asset"; the question's own "non-X" is no X it names
    asked_toks = set(tokenize(expand(question)[0])) - non_terms(question, tokenize)
    for rank, h in enumerate(hits):
        if h.document.get("jurisdiction") == "RK" and aifc_only:
            continue  # a national-law figure is not the AIFC's
        toks = set(
            tokenize(
                f"{h.chunk.ref or ''} {' '.join(h.chunk.heading_path)} {h.chunk.table_header or ''} {h.chunk.text}"
            )
        )
        pointed = "ref" in h.matched_by  # the question names this rule
        if h.chunk.repealed and not pointed:
            continue  # a repealed provision's figure is not law in force
        if not pointed and heading_excludes(" ".join(titles(h.chunk)), asked_toks, tokenize):
            continue  # "Base capital for conventional (non-digital-asset) activities"
        if distinctive and not pointed and not any(has_family(t, toks) for t in distinctive):
            continue
        text = h.chunk.text
        for a, b in sentence_spans(text):
            # a table's row is read with its header: its columns' units, and its words
            sent, header = reading(text, a, b, question, tokenize, h.chunk.table_header)
            if is_gap_statement(sent) or not figure_kinds(sent, thing, tokenize, often,
                                                          at_once) & wanted:  # fmt: skip
                continue
            asked_figs = [(q.start, q.end) for q in quantities(sent) if q.kind in wanted
                          or (q.kind == "number" and "count" in wanted)]  # fmt: skip
            if asked_figs and all(
                for_another_firm(sent, at, firms)
                or for_another_label(sent, at, qualifiers, tokenize)
                or against_bound(question, sent, at[0])
                for at in asked_figs
            ):
                continue  # every figure of the kind asked is stated for another firm or item
            if every_term:
                # every subject term in the clause of a figure of the kind asked, not only in
                # its sentence ("Records of client complaints must be kept until closed, and
                # records of client orders must be kept for six years": a review)
                clauses = (set(tokenize(f"{header or ''} {_clause_of(sent, at[0])}"))
                           for at in asked_figs)  # fmt: skip
                if len(subj) >= 2 and any(all(has_family(t, c) for t in subj) for c in clauses):
                    return True
            elif not subj or rank == 0 or any(has_family(t, set(tokenize(f"{header or ''} {sent}")))
                                              for t in subj):  # fmt: skip
                return True
    return False


def features(question: str, hits: Sequence[Hit], tokenize: Callable[[str], list[str]],
             sentence_coverage: float, gap_near: bool,
             idf: Callable[[str], float] | None = None,
             known: Callable[[str], bool] | None = None) -> tuple[dict[str, float], bool]:  # fmt: skip
    """The feature vector of FEATURES, and whether a figure of the asked kind is in evidence
    about the question's subject. ``sentence_coverage`` is the best quotable sentence's coverage of
    the question (ExtractiveAnswerer.sentences), ``gap_near`` whether the best chunk's relevant
    sentences say the point is not specified."""
    weight = question_weights(question, tokenize, idf)
    terms = list(weight)
    total = sum(weight.values()) or 1.0
    chunk_toks = [set(tokenize(f"{h.chunk.ref or ''} {h.chunk.text}")) for h in hits[:3]]

    def cov(toks: set[str]) -> float:
        return sum(w for t, w in weight.items() if t in toks) / total

    cov1 = cov(chunk_toks[0]) if chunk_toks else 0.0
    union = set().union(*chunk_toks) if chunk_toks else set()
    cov3 = cov(union)
    wmax = max(weight.values(), default=1.0) or 1.0
    miss = max((w for t, w in weight.items() if t not in union), default=0.0) / wmax
    oov = sum(w for t, w in weight.items() if known and not known(t)) / total
    dense = sorted((h.dense_score for h in hits if h.dense_score is not None), reverse=True)
    bm25 = sorted((h.bm25_score for h in hits if h.bm25_score is not None), reverse=True)
    d1 = dense[0] if dense else 0.0
    d2 = dense[1] if len(dense) > 1 else 0.0
    b1 = bm25[0] if bm25 else 0.0
    b2 = bm25[1] if len(bm25) > 1 else 0.0
    both = [("bm25" in h.matched_by and "dense" in h.matched_by) for h in hits[:3]]
    # Do the two rankings put the same chunk first?
    by_dense = max(
        hits, key=lambda h: h.dense_score if h.dense_score is not None else -9.0, default=None
    )
    by_bm25 = max(
        hits, key=lambda h: h.bm25_score if h.bm25_score is not None else -9.0, default=None
    )
    same_top = float(by_dense is not None and by_dense is by_bm25)
    # The best single sentence of the top three chunks, weighed by corpus IDF; the question's
    # word pairs found side by side in the best chunk; its three rarest terms in the best chunk.
    sent_cov = 0.0
    for h in hits[:3]:
        for a, b in sentence_spans(h.chunk.text):
            st = set(tokenize(h.chunk.text[a:b]))
            sent_cov = max(sent_cov, sum(w for t, w in weight.items() if t in st) / total)
    seq = tokenize(_QUESTION_WORDS.sub(" ", question))
    pairs = set(pairwise(seq))
    top_seq = tokenize(hits[0].chunk.text) if hits else []
    bigram1 = len(pairs & set(pairwise(top_seq))) / max(1, len(pairs))
    rare = sorted(weight, key=lambda t: -weight[t])[:3]
    rare3 = sum(t in chunk_toks[0] for t in rare) / max(1, len(rare)) if chunk_toks else 0.0
    asked = asked_kinds(question)
    fig_present = bool(asked) and figure_in_evidence(
        question, hits[:3], tokenize, weight, idf, known
    )
    top = hits[0] if hits else None
    learned = [h.learned_score for h in hits if h.learned_score is not None]
    by_learned = sorted(learned, reverse=True)
    spread = statistics.pstdev(learned) if learned else 0.0
    f = {
        "dense1": d1,
        "dense_margin": d1 - d2,
        "bm25_1": b1 / total if idf else b1 / max(1, len(terms)),
        "bm25_margin": (b1 - b2) / b1 if b1 > 0 else 0.0,
        "agree3": sum(both) / 3.0,
        "agree_top": float(bool(both and both[0])),
        "same_top": same_top,
        "sent_idf_cov": sent_cov,
        "bigram1": bigram1,
        "rare3_top1": rare3,
        "cov1": cov1,
        "cov3": cov3,
        "cov_sent": sentence_coverage,
        "miss_max": miss,
        "oov": oov,
        "asks_figure": float(bool(asked)),
        "figure_missing": float(bool(asked) and not fig_present),
        "guidance1": float(bool(top and top.chunk.is_guidance)),
        "ref": float(bool(top and "ref" in top.matched_by)),
        "gap": float(gap_near),
        "n_terms": math.log1p(len(terms)),
        # the re-ranker's scores (the ranked regime only; "ranked" says which model applies)
        "ranked": float(bool(learned)),
        "learned1": top.learned_score if top and top.learned_score is not None else 0.0,
        "learned_max": by_learned[0] if by_learned else 0.0,
        "learned_margin": by_learned[0] - by_learned[1] if len(by_learned) > 1 else 0.0,
        "learned_z": (by_learned[0] - sum(learned) / len(learned)) / spread
        if len(learned) > 2 and spread > 0
        else 0.0,
    }
    return f, fig_present


@dataclass(frozen=True)
class AnswerabilityModel:
    """Standardised logistic regression: P(answerable) = sigmoid(b + sum_i w_i (x_i - mu_i) / s_i).

    ``ranked``, when present, is the model of the re-ranked regime: evidence whose features say
    the learned re-ranker ordered it (``f["ranked"]``) is scored and thresholded by it."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    meta: dict[str, Any]
    ranked: AnswerabilityModel | None = None

    def applies(self, f: Mapping[str, float]) -> AnswerabilityModel:
        """The model for this evidence's regime."""
        return self.ranked if self.ranked is not None and f.get("ranked") else self

    def probability(self, f: Mapping[str, float]) -> float:
        m = self.applies(f)
        if m is not self:
            return m.probability(f)
        z = self.intercept + sum(
            w * (f.get(name, 0.0) - mu) / (s or 1.0)
            for name, mu, s, w in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def threshold_for(self, f: Mapping[str, float]) -> float:
        return self.applies(f).threshold

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"features": list(self.features), "mean": list(self.mean),
                             "scale": list(self.scale), "coef": list(self.coef),
                             "intercept": self.intercept, "threshold": self.threshold,
                             "meta": self.meta}  # fmt: skip
        if self.ranked is not None:
            d["ranked"] = self.ranked.to_dict()
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AnswerabilityModel:
        ranked = cls.from_dict(d["ranked"]) if d.get("ranked") else None
        return cls(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]),
                   float(d["intercept"]), float(d["threshold"]), dict(d.get("meta", {})),
                   ranked)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> AnswerabilityModel:
        return cls.from_dict(json.loads(text))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> AnswerabilityModel | None:
    """The shipped model, or None when the file is missing (the answerer then uses its heuristic)."""
    p = Path(path) if path else MODEL_PATH
    if not p.is_file():
        return None
    return AnswerabilityModel.from_json(p.read_text(encoding="utf-8"))
