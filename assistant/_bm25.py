"""Keyword search: Okapi BM25 over jieba tokens, as a numpy inverted index.

rank_bm25 scores every document in a Python loop per query term; over tens of
thousands of passages that alone eats the latency budget, so postings are arrays
and a query touches only the documents that hold its terms. Documents are stored
as term-id arrays, so the file loads in a blink instead of re-tokenising
(benchmarks/bm25_persist.py measures the difference).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
# Particles and question words carry no topic; dropping them keeps postings short.
STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 也 都 就 着 过 并 或 而 对 向 从 把 被 为 以 之 其 这 那 有 个 将 等 "
    "吗 呢 吧 啊 么 什么 多少 哪里 哪 谁 几 何时 怎么 如何 是否 请问 "
    "the a an of to in on for is are was were be by and or what who when where how which".split()
)


def tokenize(text: str) -> list[str]:
    """jieba's search-mode cut (words plus their sub-words), lower-cased, stopwords out."""
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not for users
    return [
        t
        for t in (w.strip().lower() for w in jieba.lcut_for_search(text))
        if t and _KEEP.search(t) and t not in STOPWORDS
    ]


class BM25Index:
    """Documents keyed by passage id; each is an array of term ids."""

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.date_num: list[int] = []
        self.source: list[str] = []
        self.vocab: dict[str, int] = {}
        self._docs: list[np.ndarray] = []
        self._postings: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._doc_len: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def copy(self) -> BM25Index:
        """A copy to change while searches go on over this one (documents are shared, never
        changed in place)."""
        other = BM25Index(self.k1, self.b)
        other.ids, other.date_num, other.source = list(self.ids), list(self.date_num), list(self.source)
        other.vocab, other._docs = dict(self.vocab), list(self._docs)
        return other

    def add(self, pid: str, text: str, date_num: int = 0, source: str = "") -> None:
        terms = [self.vocab.setdefault(t, len(self.vocab)) for t in tokenize(text)]
        self.ids.append(pid)
        self._docs.append(np.asarray(terms, dtype=np.int32))
        self.date_num.append(date_num)
        self.source.append(source)
        self._postings = None

    def remove(self, pids: Iterable[str]) -> None:
        drop = set(pids)
        keep = [i for i, pid in enumerate(self.ids) if pid not in drop]
        self.ids = [self.ids[i] for i in keep]
        self._docs = [self._docs[i] for i in keep]
        self.date_num = [self.date_num[i] for i in keep]
        self.source = [self.source[i] for i in keep]
        self._postings = None

    def _build(self) -> None:
        """Postings as three arrays: per term a slice of (doc, term frequency)."""
        lengths = np.fromiter((len(d) for d in self._docs), dtype=np.int64, count=len(self._docs))
        terms = np.concatenate(self._docs) if self._docs else np.zeros(0, np.int32)
        docs = np.repeat(np.arange(len(self._docs), dtype=np.int32), lengths)
        pairs = terms.astype(np.int64) * (len(self._docs) + 1) + docs
        uniq, tf = np.unique(pairs, return_counts=True)
        post_terms = (uniq // (len(self._docs) + 1)).astype(np.int32)
        post_docs = (uniq % (len(self._docs) + 1)).astype(np.int32)
        offsets = np.searchsorted(post_terms, np.arange(len(self.vocab) + 1))
        self._postings = (offsets, post_docs, tf.astype(np.float32))
        self._doc_len = lengths.astype(np.float32)

    def search(
        self,
        query: str,
        n: int,
        date_from: int | None = None,
        date_to: int | None = None,
        sources: Sequence[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top-n (passage id, score), filtered by date range (YYYYMMDD ints) and source."""
        if not self.ids:
            return []
        if self._postings is None:
            self._build()
        assert self._postings is not None and self._doc_len is not None
        offsets, post_docs, post_tf = self._postings
        n_docs = len(self.ids)
        avg_len = float(self._doc_len.mean()) or 1.0
        scores = np.zeros(n_docs, dtype=np.float32)
        for term in set(tokenize(query)):
            tid = self.vocab.get(term)
            if tid is None:
                continue
            lo, hi = offsets[tid], offsets[tid + 1]
            if lo == hi:
                continue
            docs, tf = post_docs[lo:hi], post_tf[lo:hi]
            idf = math.log(1.0 + (n_docs - (hi - lo) + 0.5) / ((hi - lo) + 0.5))
            norm = tf + self.k1 * (1 - self.b + self.b * self._doc_len[docs] / avg_len)
            scores[docs] += idf * tf * (self.k1 + 1) / norm
        mask = scores > 0
        if date_from is not None or date_to is not None:
            dates = np.asarray(self.date_num)
            if date_from is not None:
                mask &= dates >= date_from
            if date_to is not None:
                mask &= dates <= date_to
        if sources:
            mask &= np.isin(np.asarray(self.source, dtype=object), list(sources))
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return []
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:n]]
        return [(self.ids[i], float(scores[i])) for i in top]

    def save(self, path: Path) -> None:
        lengths = np.asarray([len(d) for d in self._docs], dtype=np.int64)
        meta = {"ids": self.ids, "source": self.source, "vocab": list(self.vocab)}
        # A name of its own per writer: two processes saving at once never share a temp file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
        np.savez(
            tmp,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            terms=np.concatenate(self._docs) if self._docs else np.zeros(0, np.int32),
            lengths=lengths,
            date_num=np.asarray(self.date_num, dtype=np.int64),
        )
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())  # on disk before the rename makes it the file
        tmp.replace(path)  # atomic: an interrupted save leaves the old file whole

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            bm = cls()
            bm.ids, bm.source = meta["ids"], meta["source"]
            bm.vocab = {t: i for i, t in enumerate(meta["vocab"])}
            bm.date_num = data["date_num"].tolist()
            bm._docs = np.split(data["terms"], np.cumsum(data["lengths"])[:-1]) if bm.ids else []
        return bm
