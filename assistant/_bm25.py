"""Keyword search: Okapi BM25 over jieba tokens, as a numpy inverted index.

rank_bm25 scores every document in a Python loop per query term; over tens of
thousands of passages that alone eats the latency budget, so postings are kept as
arrays and a query touches only the documents that hold its terms.
"""

from __future__ import annotations

import math
import pickle
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
# Particles and punctuation carry no topic; dropping them keeps postings short.
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


@dataclass
class BM25Index:
    """Postings keyed by term; documents keyed by passage id, in insertion order."""

    k1: float = 1.5
    b: float = 0.75
    ids: list[str] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    date_num: list[int] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    _postings: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    _doc_len: np.ndarray | None = None
    _alive: np.ndarray | None = None

    def add(self, pid: str, text: str, date_num: int = 0, source: str = "") -> None:
        self.ids.append(pid)
        self.tokens.append(tokenize(text))
        self.date_num.append(date_num)
        self.source.append(source)
        self._postings = None

    def remove(self, pids: set[str]) -> None:
        keep = [i for i, pid in enumerate(self.ids) if pid not in pids]
        self.ids = [self.ids[i] for i in keep]
        self.tokens = [self.tokens[i] for i in keep]
        self.date_num = [self.date_num[i] for i in keep]
        self.source = [self.source[i] for i in keep]
        self._postings = None

    def __len__(self) -> int:
        return len(self.ids)

    def _build(self) -> None:
        grouped: dict[str, tuple[list[int], list[int]]] = {}
        for doc, toks in enumerate(self.tokens):
            for term, tf in Counter(toks).items():
                docs, tfs = grouped.setdefault(term, ([], []))
                docs.append(doc)
                tfs.append(tf)
        self._postings = {
            t: (np.asarray(d, dtype=np.int32), np.asarray(f, dtype=np.float32))
            for t, (d, f) in grouped.items()
        }
        self._doc_len = np.asarray([len(t) for t in self.tokens], dtype=np.float32)

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
        n_docs = len(self.ids)
        avg_len = float(self._doc_len.mean()) or 1.0
        scores = np.zeros(n_docs, dtype=np.float32)
        for term in set(tokenize(query)):
            posting = self._postings.get(term)
            if posting is None:
                continue
            docs, tf = posting
            idf = math.log(1.0 + (n_docs - len(docs) + 0.5) / (len(docs) + 0.5))
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
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(
                {"ids": self.ids, "tokens": self.tokens, "date_num": self.date_num, "source": self.source},
                f,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        tmp.replace(path)  # atomic: an interrupted save leaves the old file whole

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        with path.open("rb") as f:
            data = pickle.load(f)  # our own file, written by save() above
        return cls(ids=data["ids"], tokens=data["tokens"], date_num=data["date_num"], source=data["source"])
