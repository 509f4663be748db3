"""`python -m assistant verify [--repair]`: is every article whole, findable and counted once?

Checks, each a number in the report:
- counts: article records, stored passages, passages the records list, BM25 documents;
- orphan passages: stored, but listed by no article record (a crashed or old write);
- missing passages: listed by a record, not stored;
- passages without a readable vector (Chroma cannot return one, or returns none);
- BM25 in step: the persisted file holds exactly the stored passage ids;
- self-retrieval: each passage, queried with its own stored vector, comes back first (or
  tied first with an identical vector). Below 100% some passage can never be found by
  dense search, whatever is asked.

`--repair` deletes orphans, re-embeds what is missing or has no readable vector, re-adds
passages dense search cannot reach, and rewrites BM25; it runs under the write lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._bm25 import BM25Index
from ._ingest import BATCH, GET_BATCH
from ._split_passages import split_article

if TYPE_CHECKING:
    from ._index import NewsIndex

QUERY_BATCH = 64
TIE = 1e-6  # cosine distance within which two vectors count as the same
TIES = 50  # results asked for when identical vectors may hide a passage behind its copies


@dataclass
class VerifyReport:
    articles: int = 0
    passages: int = 0
    passages_listed: int = 0
    bm25_documents: int = 0
    orphan_passages: list[str] = field(default_factory=list)
    missing_passages: list[str] = field(default_factory=list)
    without_vector: list[str] = field(default_factory=list)
    bm25_in_step: bool = True
    self_retrieval_checked: int = 0
    unreachable: list[str] = field(default_factory=list)
    repaired: dict[str, int] = field(default_factory=dict)

    @property
    def self_retrieval(self) -> float:
        n = self.self_retrieval_checked
        return 1.0 if n == 0 else (n - len(self.unreachable)) / n

    @property
    def ok(self) -> bool:
        return not (
            self.orphan_passages or self.missing_passages or self.without_vector or self.unreachable
        ) and (self.bm25_in_step)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "articles": self.articles,
            "passages": self.passages,
            "passages_listed": self.passages_listed,
            "bm25_documents": self.bm25_documents,
            "bm25_in_step": self.bm25_in_step,
            "orphan_passages": len(self.orphan_passages),
            "missing_passages": len(self.missing_passages),
            "passages_without_vector": len(self.without_vector),
            "self_retrieval": round(self.self_retrieval, 6),
            "self_retrieval_checked": self.self_retrieval_checked,
            "unreachable": self.unreachable[:20],
            "repaired": self.repaired,
        }


def _readable_vectors(col: Any, ids: list[str]) -> tuple[dict[str, np.ndarray], list[str]]:
    """Vectors by id, and the ids Chroma cannot return one for (a batch that fails is split)."""
    got: dict[str, np.ndarray] = {}
    bad: list[str] = []
    todo = [ids[i : i + GET_BATCH] for i in range(0, len(ids), GET_BATCH)]
    while todo:
        part = todo.pop()
        try:
            res = col.get(ids=part, include=["embeddings"])
        except Exception:  # chromadb.errors.InternalError "Error finding id" on a lost vector
            if len(part) == 1:
                bad.extend(part)
            else:
                todo += [part[: len(part) // 2], part[len(part) // 2 :]]
            continue
        embs = res.get("embeddings")
        for j, pid in enumerate(res["ids"]):
            vec = None if embs is None else embs[j]
            if vec is None or len(vec) == 0:
                bad.append(pid)
            else:
                got[pid] = np.asarray(vec, np.float32)
    return got, bad


def _unreachable(col: Any, vectors: dict[str, np.ndarray]) -> list[str]:
    """Ids whose own vector does not bring them back first.

    Identical vectors (the same paragraph in several articles) tie at distance 0 in any
    order, so a passage that is not among the first few is asked again for more results:
    it counts as found when it comes back at the best distance.
    """
    ids = list(vectors)
    lost: list[str] = []
    for i in range(0, len(ids), QUERY_BATCH):
        part = ids[i : i + QUERY_BATCH]
        res = col.query(
            query_embeddings=np.stack([vectors[p] for p in part]),
            n_results=min(3, len(ids)),
            include=["distances"],
        )
        lost += [
            pid
            for pid, got, dist in zip(part, res["ids"], res["distances"], strict=True)
            if not _first(pid, got, dist)
        ]
    really: list[str] = []
    for pid in lost:
        res = col.query(query_embeddings=[vectors[pid]], n_results=min(TIES, len(ids)), include=["distances"])
        if not _first(pid, res["ids"][0], res["distances"][0]):
            really.append(pid)
    return really


def _first(pid: str, got: list[str], dist: list[float]) -> bool:
    """`pid` is among the hits at the best distance."""
    best = dist[0] if dist else 1.0
    return any(g == pid and d <= best + TIE for g, d in zip(got, dist, strict=True))


def verify(index: NewsIndex, repair: bool = False, self_retrieval: bool = True) -> VerifyReport:
    """Check the index (see the module docstring); with `repair`, fix what it found and check again."""
    if repair:
        with index._write_lock():
            index.refresh()
            first = _check(index, self_retrieval)
            if first.ok:
                return first
            done = _repair(index, first)
            index._written()
        after = _check(index, self_retrieval)
        after.repaired = done
        return after
    index.refresh()
    return _check(index, self_retrieval)


def _check(index: NewsIndex, self_retrieval: bool) -> VerifyReport:
    passages_col, articles_col = index._collections(create=False)
    rep = VerifyReport()
    records = articles_col.get(include=["metadatas"])
    rep.articles = len(records["ids"])
    stored = set(passages_col.get(include=[])["ids"])
    rep.passages = len(stored)
    listed: set[str] = set()
    legacy_articles: set[str] = set()
    for aid, meta in zip(records["ids"], records["metadatas"] or [], strict=True):
        raw = (meta or {}).get("passage_ids")
        if raw:
            listed.update(json.loads(raw))
        else:
            legacy_articles.add(aid)
    if legacy_articles:  # records from before the lists: their article's passages count as listed
        for i in range(0, len(stored), GET_BATCH):
            part = sorted(stored)[i : i + GET_BATCH]
            got = passages_col.get(ids=part, include=["metadatas"])
            listed.update(
                p
                for p, m in zip(got["ids"], got["metadatas"], strict=True)
                if m["article_id"] in legacy_articles
            )
    rep.passages_listed = len(listed)
    rep.orphan_passages = sorted(stored - listed)
    rep.missing_passages = sorted(listed - stored)
    try:
        bm_ids = set(BM25Index.load(index._bm25_path).ids)
    except Exception:  # missing or unreadable: not in step
        bm_ids = set()
    rep.bm25_documents = len(bm_ids)
    rep.bm25_in_step = bm_ids == stored
    vectors, rep.without_vector = _readable_vectors(passages_col, sorted(stored))
    if self_retrieval and vectors:
        rep.self_retrieval_checked = len(vectors)
        rep.unreachable = _unreachable(passages_col, vectors)
    return rep


def _repair(index: NewsIndex, rep: VerifyReport) -> dict[str, int]:
    from ._index import passage_metadata

    passages_col = index.passages_collection()
    done: dict[str, int] = {}
    if rep.orphan_passages:
        for i in range(0, len(rep.orphan_passages), GET_BATCH):
            passages_col.delete(ids=rep.orphan_passages[i : i + GET_BATCH])
        done["orphans_deleted"] = len(rep.orphan_passages)
    # Re-embed: passages a record lists but Chroma lacks, or holds without a readable vector.
    # Unreachable ones are re-added too: a fresh insert links them into the graph again.
    redo = set(rep.missing_passages) | set(rep.without_vector) | set(rep.unreachable)
    if redo:
        by_article: dict[str, set[str]] = {}
        for pid in redo:
            by_article.setdefault(pid.rsplit(":", 2)[0], set()).add(pid)
        fresh = []
        for aid, pids in by_article.items():
            art = index.get_article(aid)
            if art is None:
                continue
            s = index.settings
            fresh += [p for p in split_article(art, s.chunk_max, s.chunk_overlap) if p.id in pids]
        gone = sorted(set(rep.without_vector) | set(rep.unreachable))
        for i in range(0, len(gone), GET_BATCH):
            try:
                passages_col.delete(ids=gone[i : i + GET_BATCH])
            except Exception:  # a lost vector can make the delete fail too: the upsert below overwrites
                pass
        for i in range(0, len(fresh), BATCH):
            batch = fresh[i : i + BATCH]
            passages_col.upsert(
                ids=[p.id for p in batch],
                embeddings=np.asarray(index.embed_unique([p.embedding_text() for p in batch]), np.float32),
                documents=[p.text for p in batch],
                metadatas=[passage_metadata(p) for p in batch],
            )
        done["passages_reembedded"] = len(fresh)
    if not rep.bm25_in_step:
        done["bm25_rewritten"] = 1
    return done


# -- self-retrieval by text: what a reader typing a passage's words gets back ------------


@dataclass
class TextSelfRetrieval:
    """Each passage's own stored text used as the query, on one side (dense or bm25).

    `first`: passages that come back first (or tied first with identical copies);
    `in_top`: within the first `k` (what the answerer reads), ties at the k-th score counted;
    `misses`: (passage id, rank or None when beyond `n`) of those not within the first `k`.
    """

    side: str
    k: int
    checked: int = 0
    first: int = 0
    in_top: int = 0
    misses: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 1.0 if self.checked == 0 else self.in_top / self.checked

    @property
    def first_rate(self) -> float:
        return 1.0 if self.checked == 0 else self.first / self.checked

    def to_json(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "checked": self.checked,
            f"in_top{self.k}": self.in_top,
            "first": self.first,
            "rate": round(self.rate, 6),
            "first_rate": round(self.first_rate, 6),
            "misses": self.misses[:20],
        }


def _place(
    pid: str, got: list[str], scores: list[float], k: int, higher_better: bool
) -> tuple[bool, bool, int | None]:
    """(first, within k, rank): ties with the best or the k-th score count as reached
    (identical copies of a paragraph score the same and come back in any order)."""
    if pid not in got:
        return False, False, None
    rank = got.index(pid) + 1
    s = scores[rank - 1]
    best, kth = scores[0], scores[min(k, len(scores)) - 1]
    if higher_better:  # BM25 scores: ties within float32 rounding of the best score
        tol = 1e-5 * max(abs(best), 1.0)
        first, top = s >= best - tol, s >= kth - tol
    else:  # cosine distances
        first, top = s <= best + TIE, s <= kth + TIE
    return first, top, rank


def _embed_queries(embedder: Any, texts: list[str]) -> np.ndarray:
    batch = getattr(embedder, "embed_queries", None)
    if batch is not None:
        return np.asarray(batch(texts), np.float32)
    return np.stack([np.asarray(embedder.embed_query(t), np.float32) for t in texts])


def text_self_retrieval(
    index: NewsIndex,
    sides: tuple[str, ...] = ("dense", "bm25"),
    k: int = 5,
    n: int = TIES,
    dense_every: int = 1,
) -> dict[str, TextSelfRetrieval]:
    """Query every stored passage's own text on each side; see TextSelfRetrieval.

    Dense: the text embedded as a question (the query prompt) against Chroma's graph;
    BM25: the text against the persisted keyword index. Slow on big indexes: every
    passage is embedded once more (`dense_every`: only every n-th passage, in id order,
    on the dense side; `verify` checks every stored vector anyway).
    """
    index.refresh()
    col = index.passages_collection()
    got = col.get(include=["documents"])
    pairs = sorted(zip(got["ids"], got["documents"], strict=True))
    ids, docs = [p for p, _ in pairs], [d for _, d in pairs]
    out = {side: TextSelfRetrieval(side, k) for side in sides}

    def score(side: str, pid: str, hit_ids: list[str], scores: list[float], higher: bool) -> None:
        r = out[side]
        first, top, rank = _place(pid, hit_ids, scores, k, higher)
        r.checked += 1
        r.first += first
        r.in_top += top
        if not top:
            r.misses.append((pid, rank))

    if "dense" in sides:
        d_ids, d_docs = ids[::dense_every], docs[::dense_every]
        for i in range(0, len(d_ids), QUERY_BATCH):
            part = d_ids[i : i + QUERY_BATCH]
            vecs = _embed_queries(index.embedder, d_docs[i : i + QUERY_BATCH])
            res = col.query(query_embeddings=vecs, n_results=min(n, len(ids)), include=["distances"])
            for pid, hit_ids, dist in zip(part, res["ids"], res["distances"], strict=True):
                score("dense", pid, hit_ids, dist, higher=False)
    if "bm25" in sides:
        bm25 = index.bm25()
        for pid, doc in zip(ids, docs, strict=True):
            hits = bm25.search(doc, n)
            score("bm25", pid, [h for h, _ in hits], [s for _, s in hits], higher=True)
    return out
