"""The learned re-ranker and the one rank fusion: fusion arithmetic, feature contract, the shipped
model (small, loadable, on the right features), the fitting script's split guard, and the search
path with the ranker on and off (exact refs and aliases still first-class)."""

from pathlib import Path

import numpy as np
import pytest

from assistant.index.core import Index
from assistant.index.ingest import ingest_paths
from assistant.search import ranker
from assistant.search.fusion import rrf, rrf_term
from assistant.search.retrieval import Retriever
from assistant.settings import RetrievalSettings
from evals.real.splits import SplitViolation, split_of


def test_rrf_weights_ranks_and_repeats() -> None:
    fused = rrf([(["a", "b", "c"], 1.0), (["c", "a"], 1.0), (["b", "b"], 0.5)], k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62 + 0.5 / 61)  # a repeat counts once, at its best rank
    assert list(fused) == sorted(fused, key=lambda x: -fused[x])
    assert rrf_term(0, 2.0, 10) == pytest.approx(2 / 11)
    assert rrf([]) == {}


def _cands(n: int) -> ranker.Candidates:
    r = np.arange(n, dtype=float)
    return ranker.Candidates(
        bm25=20.0 - r, bm25_rank=r, dense=0.8 - 0.01 * r, dense_rank=r,
        prev=np.array([-1, *range(n - 1)]), next=np.array([*range(1, n), -1]),
        doc=np.array(["d1"] * (n // 2) + ["d2"] * (n - n // 2)),
        guidance=np.zeros(n, dtype=bool), length=np.full(n, 300.0),
        ref_match=np.zeros(n), ref_in_text=np.zeros(n), query_terms=7,
    )  # fmt: skip


def test_feature_matrix_matches_the_feature_names() -> None:
    x = ranker.features(_cands(6))
    assert x.shape == (6, len(ranker.FEATURES))
    col = {name: x[:, i] for i, name in enumerate(ranker.FEATURES)}
    assert col["bm25_rel"][0] == 1.0 and col["dense_gap"][0] == 0.0
    assert col["prev_bm25_rel"][0] == 0.0 and col["next_bm25_rel"][0] == pytest.approx(19 / 20)
    assert col["doc_share"][0] == pytest.approx(0.5) and set(col["query_terms"]) == {7.0}
    assert ranker.features(_cands(0)).shape == (0, len(ranker.FEATURES))


def test_rule_number_features() -> None:
    nums = ranker.rule_numbers("in accordance with Rule 2.3.4, what must an Insurer do?")
    assert nums == {"2.3.4"}
    assert ranker.ref_features(nums, "2.3.4.(1)", "text") == (2.0, 0.0)
    assert ranker.ref_features(nums, "2.3.5", "as required by Rule 2.3.4") == (1.0, 1.0)
    assert ranker.ref_features(nums, "7.1.1", "other") == (0.0, 0.0)
    assert ranker.ref_features(set(), "2.3.4", "") == (0.0, 0.0)
    assert ranker.is_guidance("1.2.1.Guidance.3.") and not ranker.is_guidance("1.2.1")


def test_shipped_model_is_small_and_loads() -> None:
    assert ranker.MODEL_PATH.exists(), "run `make ranker`"
    assert ranker.MODEL_PATH.stat().st_size < 500_000
    model = ranker.load_ranker()
    assert model is not None
    scores = model.score(ranker.features(_cands(30)))
    assert scores.shape == (30,)
    # what both retrievers put first outranks what both put last
    assert scores[0] > scores[-1]


def test_fitting_refuses_check_questions() -> None:
    from evals.real.ltr import fit

    ids = [f"q{i}" for i in range(60)]
    check_ids = [q for q in ids if split_of(q) == "check"]
    tune_ids = [q for q in ids if split_of(q) == "tune"]
    assert check_ids and tune_ids
    x, y = np.zeros((4, len(ranker.FEATURES))), np.array([1, 0, 1, 0])
    with pytest.raises(SplitViolation):
        fit(x, y, [2, 2], [tune_ids[0], check_ids[0]])
    with pytest.raises(SplitViolation):
        fit(x, y, [2, 2], check_ids[:2])


@pytest.fixture
def index_with_corpus(index: Index, corpus_copy: Path) -> Index:
    ingest_paths(index, [corpus_copy])
    return index


def test_small_index_orders_by_fusion(index_with_corpus: Index) -> None:
    """Below ranker.MIN_CHUNKS the model is out of its regime: the order is plain RRF."""
    on = Retriever(index_with_corpus)
    off = Retriever(index_with_corpus, RetrievalSettings(rerank=False))
    q = "customer due diligence records"
    assert [h.chunk.chunk_id for h in on.search(q, k=10)] == [
        h.chunk.chunk_id for h in off.search(q, k=10)
    ]


def test_search_with_and_without_the_ranker(
    index_with_corpus: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.search import retrieval

    monkeypatch.setattr(retrieval, "MIN_CHUNKS", 0)  # the bundled corpus is small
    calls = []
    real = retrieval.Retriever._rerank

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(retrieval.Retriever, "_rerank", spy)
    on = Retriever(index_with_corpus)
    off = Retriever(index_with_corpus, RetrievalSettings(rerank=False))
    for r in (on, off):
        assert r.search("AML 13.1.3")[0].chunk.ref == "AML 13.1.3"  # exact refs stay first
        travel = r.search("travel rule")
        assert travel[0].chunk.ref.startswith("AML 11-1") and "alias" in travel[0].matched_by
        hits = r.search("customer due diligence records", k=8)
        assert len(hits) == 8 and [h.rank for h in hits] == list(range(1, 9))
        assert all({"bm25", "dense"} & set(h.matched_by) for h in hits)
        assert len({(h.chunk.doc_id, h.chunk.record_id or h.chunk.chunk_id) for h in hits}) == 8
    # the ranker reorders candidates but draws from the same two lists
    a = {h.chunk.chunk_id for h in on.search("customer due diligence records", k=200)}
    b = {h.chunk.chunk_id for h in off.search("customer due diligence records", k=200)}
    assert a == b
    assert calls  # the learned ranker did order the "on" searches
    # its first places go to candidates both retrievers found
    top = on.search("customer due diligence records", k=3)
    assert all({"bm25", "dense"} <= set(h.matched_by) for h in top)
    # the ranker's scores travel with the hits (the answerability gate reads them); RRF has none
    assert all(h.learned_score is not None for h in top)
    assert top[0].to_dict()["learned_score"] == top[0].learned_score
    assert all(h.learned_score is None for h in off.search("customer due diligence records", k=3))


def test_agreed_candidates_take_the_first_places() -> None:
    order = np.array([4, 0, 3, 1, 2, 5])
    both = np.array([True, False, True, True, False, True])
    assert ranker.agreed_first(order, both, 3).tolist() == [0, 3, 2, 4, 1, 5]
    assert ranker.agreed_first(order, np.zeros(6, dtype=bool), 3).tolist() == order.tolist()
    assert ranker.agreed_first(order, both, 0).tolist() == order.tolist()


def test_tree_walker_scores_equal_lightgbm_on_the_shipped_model() -> None:
    """The query path scores with ``trees.py`` (no LightGBM import); it must agree with LightGBM
    on the shipped model: real feature ranges, rows on split thresholds, zeros and NaNs."""
    import lightgbm as lgb

    from assistant.search.trees import parse

    text = ranker.MODEL_PATH.read_text()
    ours, booster = parse(text), lgb.Booster(model_str=text)
    rng = np.random.default_rng(7)
    real = np.vstack([ranker.features(_cands(n)) for n in (1, 5, 30, 120)])
    noise = rng.normal(0, 1, (400, len(ranker.FEATURES))) * real.std(axis=0) + real.mean(axis=0)
    # rows sitting exactly on thresholds take the <= branch in both
    thr = ours.threshold[np.isfinite(ours.threshold)]
    on_split = np.tile(real[:1], (50, 1))
    on_split[:, 0] = rng.choice(thr, 50)
    on_split[:, 1] = rng.choice(thr, 50)
    odd = np.zeros((3, len(ranker.FEATURES)))
    odd[1, :] = np.nan
    odd[2, ::2] = np.nan
    x = np.vstack([real, noise, on_split, odd])
    np.testing.assert_allclose(ours.predict(x), booster.predict(x), rtol=0, atol=1e-9)
    assert ours.predict(np.zeros((0, len(ranker.FEATURES)))).shape == (0,)


def test_tree_walker_follows_missing_value_rules_and_refuses_what_it_cannot_score() -> None:
    """A tiny model fitted here with NaN-aware and zero-as-missing splits, and refusal of
    categorical splits (never silently mis-scored)."""
    import lightgbm as lgb

    from assistant.search.trees import UnsupportedModel, parse

    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, (600, 3))
    x[rng.random(600) < 0.2, 0] = np.nan
    x[rng.random(600) < 0.2, 1] = 0.0
    y = np.nan_to_num(x[:, 0], nan=2.0) + (x[:, 1] == 0) * 1.5 + x[:, 2]
    for params in ({"zero_as_missing": False}, {"zero_as_missing": True}):
        booster = lgb.train({"objective": "regression", "verbose": -1, "num_leaves": 7,
                             "min_data_in_leaf": 5, **params},
                            lgb.Dataset(x, y), num_boost_round=20)  # fmt: skip
        probe = np.vstack([x[:200], [[np.nan, 0.0, 0.0], [0.0, np.nan, 1e-40]]])
        np.testing.assert_allclose(parse(booster.model_to_string()).predict(probe),
                                   booster.predict(probe), rtol=0, atol=1e-9)  # fmt: skip
    cat = lgb.train({"objective": "regression", "verbose": -1, "min_data_in_leaf": 5},
                    lgb.Dataset(np.abs(np.round(x[:, 2:] * 3)).astype(int), y, categorical_feature=[0]),
                    num_boost_round=3)  # fmt: skip
    with pytest.raises(UnsupportedModel):
        parse(cat.model_to_string())
