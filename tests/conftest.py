"""Shared fixtures. The real embedding model is converted once per machine (user cache)."""

from __future__ import annotations

import hashlib
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "corpus" / "jiaxing-daily_pinghu-edition_page-f157e6cd94a7ab20.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


class HashEmbedder:
    """Character-bigram hashing: a stand-in for fast tests of the logic around embeddings.

    It ranks texts sharing words close together, so retrieval logic can be tested
    without loading a model; never the only test of a feature (see test_index_real).
    """

    dim = 256
    model_id = "test-hash-bigrams"

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for a, b in pairwise(chars):
            v[int(hashlib.md5((a + b).encode()).hexdigest()[:6], 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


@pytest.fixture(scope="session")
def seed_page() -> Path:
    return SEED_PAGE


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "index")


@pytest.fixture()
def fake_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(index_dir=tmp_path_factory.mktemp("real-index"))


def real_index(real_settings: Settings, tmp_path_factory: pytest.TempPathFactory, name: str, articles: list):
    """A fresh index of `articles` in its own folder, with the real embedding model (-> NewsIndex)."""
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex

    settings = real_settings.with_(index_dir=tmp_path_factory.mktemp(name))
    index = NewsIndex(settings, get_embedder(settings))
    index.ingest(articles)
    return index


@pytest.fixture(scope="session")
def real_seed_index(real_settings: Settings):  # -> NewsIndex; read-only for the tests that share it
    from assistant._embed import get_embedder
    from assistant._index import NewsIndex
    from assistant._load_corpus import load_paths

    index = NewsIndex(real_settings, get_embedder(real_settings))
    index.ingest(load_paths([SEED_PAGE]).articles)
    return index


def evidence_units(*texts: str) -> list:
    """Each text an article (dated 2025-06-01, 嘉兴日报·平湖版), each of its sentences an evidence
    unit with itself as context: for the claim checker's rules without an index."""
    from assistant._evidence_units import EvidenceUnit
    from assistant._split_passages import sentence_spans
    from assistant.records import Article

    out = []
    for n, text in enumerate(texts):
        art = Article(id=f"a{n}", title="", text=text, date="2025-06-01", source="嘉兴日报·平湖版")
        for s, e in sentence_spans(text):
            out.append(EvidenceUnit(art, f"a{n}:0", s, e, n, s))
    return out
