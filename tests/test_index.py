"""Index and retrieval logic: incremental ingest, filters, fusion, BM25 tokens, bad input.

These use the hashing stand-in embedder for speed; tests/test_index_real.py runs the
same paths with the real multilingual-e5 model, embedded Chroma and a Chroma server.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant._bm25 import BM25Index, tokenize
from assistant._fuse import reciprocal_rank_fusion
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._search import Filters, NewsRetriever, Searcher, cohesion, rocchio
from assistant.config import Settings
from assistant.errors import ChromaUnavailableError, EmptyQueryError, IndexMissingError, InputError
from assistant.records import Article

from .conftest import SEED_PAGE, HashEmbedder


class CountingEmbedder(HashEmbedder):
    def __init__(self, fail_after: int | None = None) -> None:
        self.calls = 0
        self.embedded = 0
        self.fail_after = fail_after

    def embed_passages(self, texts: list[str]):  # type: ignore[override]
        if self.fail_after is not None and self.embedded >= self.fail_after:
            raise KeyboardInterrupt  # the user pressed Ctrl-C half-way
        self.calls += 1
        self.embedded += len(texts)
        return super().embed_passages(texts)


@pytest.fixture()
def seed() -> list[Article]:
    return load_paths([SEED_PAGE]).articles


def test_tokenisation_of_chinese_is_pinned() -> None:
    """jieba search mode: words and their sub-words; particles and question words dropped."""
    assert tokenize("平湖首批设立了多少家劳模工匠学堂？") == [
        "平湖",
        "首批",
        "设立",
        "家",
        "劳模",
        "工匠",
        "学堂",
    ]
    assert tokenize("兰亭能源是新加坡淡马锡的全资子公司") == [
        "兰亭",
        "能源",
        "新加坡",
        "淡马锡",
        "全资",
        "公司",
        "子公司",
    ]
    assert tokenize("老旧小区垃圾桶") == ["老旧", "小区", "垃圾", "垃圾桶"]
    assert tokenize("今年一季度完成交通项目投资4.3亿元") == [
        "今年",
        "一季",
        "季度",
        "一季度",
        "完成",
        "交通",
        "项目",
        "投资",
        "4.3",
        "亿元",
    ]
    assert tokenize("How many schools?") == ["many", "schools"]


def test_rrf_is_weighted_and_deterministic() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "b", "d"]], k=60)
    assert [d for d, _ in fused][:2] == ["b", "c"] or [d for d, _ in fused][:2] == ["c", "b"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 62) or fused[0][1] == pytest.approx(1 / 63 + 1 / 61)
    dense_only = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1.0, 0.0])
    assert [d for d, _ in dense_only] == ["a", "b"]
    tie = reciprocal_rank_fusion([["x"], ["y"]])
    assert [d for d, _ in tie] == ["x", "y"]


def test_rocchio_moves_the_query_towards_its_first_hits() -> None:
    q = np.array([1.0, 0.0, 0.0], np.float32)
    hits = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
    moved = rocchio(q, hits, 1.0)
    assert np.isclose(np.linalg.norm(moved), 1.0)
    assert np.allclose(moved, np.array([1.0, 0.5, 0.5]) / np.linalg.norm([1.0, 0.5, 0.5]))
    assert rocchio(q, hits[:0], 1.0) is q  # nothing to learn from: the query as it was


def test_cohesion_is_the_mean_pairwise_cosine() -> None:
    e = np.eye(3, dtype=np.float32)
    assert cohesion(e) == pytest.approx(0.0)
    assert cohesion(np.stack([e[0]] * 4)) == pytest.approx(1.0)
    v = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], np.float32)
    assert cohesion(v) == pytest.approx((0.6 + 0.0 + 0.8) / 3)
    assert cohesion(e[:1]) == 0.0  # one hit agrees with nothing


def test_bm25_filters_and_ranks() -> None:
    bm = BM25Index()
    bm.add("p1", "平湖劳模工匠学堂首批16家", 20240521, "嘉兴日报")
    bm.add("p2", "六店大桥改建工程", 20240601, "嘉兴日报")
    bm.add("p3", "劳模工匠学院成立", 20230101, "平湖发布")
    assert [pid for pid, _ in bm.search("劳模工匠学堂", 5)][:1] == ["p1"]
    assert [pid for pid, _ in bm.search("劳模", 5, date_from=20240101)] == ["p1"]
    assert [pid for pid, _ in bm.search("劳模", 5, sources=["平湖发布"])] == ["p3"]
    bm.remove({"p1"})
    assert [pid for pid, _ in bm.search("劳模", 5)] == ["p3"]


def test_ingest_is_idempotent_and_incremental(settings: Settings, seed: list[Article]) -> None:
    emb = CountingEmbedder()
    index = NewsIndex(settings, emb)
    first = index.ingest(seed)
    assert first.articles_new == 7 and first.passages_embedded == first.passages_total > 20
    embedded = emb.embedded
    again = index.ingest(seed)
    assert again.articles_unchanged == 7 and again.passages_embedded == 0 and emb.embedded == embedded
    # An article whose text changed (same id) has its passages replaced, not doubled.
    changed = replace(seed[3], text=seed[3].text + "记者补充了一句话。")
    report = index.ingest([changed])
    assert report.articles_replaced == 1 and report.passages_total == first.passages_total
    assert "记者补充了一句话" in index.get_article(changed.id).text
    assert index.remove([seed[0].id]) == 1
    assert index.get_article(seed[0].id) is None
    assert all(h.passage.article_id != seed[0].id for h in Searcher(index).search("仲旭东 新加坡", 10))


def test_a_file_that_changed_replaces_its_old_articles(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "a.md"
    f.write_text("# 旧标题\n旧的正文内容。\n", encoding="utf-8")
    index = NewsIndex(settings, HashEmbedder())
    index.ingest(load_paths([f]).articles)
    f.write_text("# 新标题\n新的正文内容。\n", encoding="utf-8")
    loaded = load_paths([f])
    report = index.ingest(loaded.articles, whole_files=loaded.files)
    assert report.articles_removed == 1 and report.passages_total == 1
    assert [a["title"] for a in index.list_articles()] == ["新标题"]


def test_interrupted_ingest_is_completed_by_the_next(settings: Settings, seed: list[Article]) -> None:
    import assistant._ingest as ingest_module

    old_batch = ingest_module.BATCH
    ingest_module.BATCH = 8
    try:
        with pytest.raises(KeyboardInterrupt):
            NewsIndex(settings, CountingEmbedder(fail_after=16)).ingest(seed)
        emb = CountingEmbedder()
        index = NewsIndex(settings, emb)
        report = index.ingest(seed)
    finally:
        ingest_module.BATCH = old_batch
    total = sum(1 for _ in index.passages_collection().get(include=[])["ids"])
    assert report.passages_total == total
    assert emb.embedded == total - 16  # what was finished is not embedded again
    assert len(index.list_articles()) == 7
    assert len(index.bm25()) == total  # BM25 agrees with Chroma


def test_bm25_is_rebuilt_when_its_file_is_lost(settings: Settings, seed: list[Article]) -> None:
    NewsIndex(settings, HashEmbedder()).ingest(seed)
    for f in settings.index_dir.glob("bm25-*.npz"):
        f.unlink()
    index = NewsIndex(settings, HashEmbedder())
    assert len(index.bm25()) == index.count()


def test_filters_by_date_and_source(settings: Settings) -> None:
    arts = [
        Article(
            id="old", title="防汛", text="平湖部署防汛工作。", date="2023-06-01", source="嘉兴日报·平湖版"
        ),
        Article(
            id="new", title="防汛", text="平湖再次部署防汛工作。", date="2024-06-01", source="嘉兴日报·平湖版"
        ),
        Article(id="other", title="防汛", text="平湖发布防汛通知。", date="2024-06-02", source="平湖发布"),
    ]
    index = NewsIndex(settings, HashEmbedder())
    index.ingest(arts)
    s = Searcher(index)
    ids = lambda f: {h.passage.article_id for h in s.search("防汛", 5, f)}  # noqa: E731
    assert ids(Filters.make(date_from="2024-01-01")) == {"new", "other"}
    assert ids(Filters.make(date_to="2023-12-31")) == {"old"}
    assert ids(Filters.make(sources="平湖发布")) == {"other"}
    assert ids(Filters.make("2024-01-01", "2024-12-31", ["嘉兴日报·平湖版"])) == {"new"}
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        Filters.make(date_from="last week")


def test_langchain_retriever_returns_documents_with_metadata(settings: Settings, seed: list[Article]) -> None:
    index = NewsIndex(settings, HashEmbedder())
    index.ingest(seed)
    retriever = NewsRetriever(searcher=Searcher(index), k=3)
    docs = retriever.invoke("劳模工匠学堂")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert {"article_id", "passage_id", "title", "date", "source", "start", "end", "score"} <= set(meta)
    art = index.get_article(meta["article_id"])
    assert art.text[meta["start"] : meta["end"]] == docs[0].page_content


def test_bad_queries(settings: Settings, seed: list[Article]) -> None:
    index = NewsIndex(settings, HashEmbedder())
    index.ingest(seed)
    s = Searcher(index)
    for q in ("", "   \n\t"):
        with pytest.raises(EmptyQueryError):
            s.search(q)
    hits = s.search("劳模工匠学堂" * 20_000)  # 120k characters: capped, still answered
    assert hits and index.count() > 0


def test_search_before_ingest_says_run_ingest(settings: Settings) -> None:
    with pytest.raises(IndexMissingError, match="ingest"):
        Searcher(NewsIndex(settings, HashEmbedder())).search("劳模")


def test_chroma_server_down_names_host_and_port(settings: Settings) -> None:
    down = settings.with_(chroma_host="127.0.0.1", chroma_port=9)  # discard port: nobody listens
    with pytest.raises(ChromaUnavailableError, match=r"127\.0\.0\.1:9"):
        NewsIndex(down, HashEmbedder())
