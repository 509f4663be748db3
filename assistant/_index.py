"""Passages into an index: Chroma for vectors (embedded on disk, or a server), BM25 beside it.

Ingest is idempotent and incremental. Passage ids derive from content, so an
unchanged corpus embeds nothing; an article whose text changed (same id, or the
same file giving other articles) has its old passages replaced. An article record
is written only after all its passages, so an ingest interrupted half-way is
completed by the next one: nothing lost, nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._bm25 import BM25Index
from ._split_passages import split_article
from .config import Settings
from .errors import ChromaUnavailableError, IndexMismatchError, IndexMissingError
from .records import Article, Passage

_BATCH = 256
_GET_BATCH = 500  # Chroma's SQLite refuses queries with too many bound ids
Progress = Callable[[int, int], None]  # (done, total) passages embedded


@dataclass(frozen=True)
class IngestReport:
    articles_new: int
    articles_unchanged: int
    articles_replaced: int
    articles_removed: int
    passages_embedded: int
    passages_total: int

    def to_json(self) -> dict[str, int]:
        return self.__dict__.copy()


def date_num(date: str | None) -> int:
    """2024-05-21 -> 20240521, the form Chroma can compare; unknown dates are 0."""
    return int(date.replace("-", "")) if date else 0


def _digest(article: Article) -> str:
    payload = json.dumps(article.to_json(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _existing_ids(col: Any, ids: Sequence[str]) -> list[str]:
    found: list[str] = []
    for i in range(0, len(ids), _GET_BATCH):
        found.extend(col.get(ids=list(ids[i : i + _GET_BATCH]), include=[])["ids"])
    return found


def passage_metadata(p: Passage) -> dict[str, Any]:
    return {
        "article_id": p.article_id,
        "position": p.position,
        "start": p.start,
        "end": p.end,
        "title": p.title,
        "date": p.date or "",
        "date_num": date_num(p.date),
        "source": p.source,
        "authors": "、".join(p.authors),
    }


def passage_from(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        article_id=str(meta["article_id"]),
        position=int(meta["position"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        title=str(meta.get("title", "")),
        date=str(meta["date"]) or None if meta.get("date") else None,
        source=str(meta.get("source", "")),
        authors=tuple(a for a in str(meta.get("authors", "")).split("、") if a),
    )


class NewsIndex:
    """The archive: passages with vectors in Chroma, articles beside them, BM25 on disk."""

    def __init__(self, settings: Settings, embedder: Any | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._client = self._connect()
        self._bm25: BM25Index | None = None

    # -- storage ------------------------------------------------------------------------

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        s = self.settings
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if s.chroma_host:
            try:
                client = chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, settings=chroma_settings)
                client.heartbeat()
            except Exception as e:  # chromadb raises many kinds for "not there"
                raise ChromaUnavailableError(s.chroma_host, s.chroma_port, type(e).__name__) from e
            return client
        s.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(s.index_dir / "chroma"), settings=chroma_settings)

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from ._embed import get_embedder

            self._embedder = get_embedder(self.settings)
        return self._embedder

    def _collections(self, create: bool) -> tuple[Any, Any]:
        name = self.settings.collection
        if create:
            passages = self._client.get_or_create_collection(
                f"{name}-passages",
                metadata={"hnsw:space": "cosine", "embed_model": self.settings.embed_model},
                embedding_function=None,
            )
            articles = self._client.get_or_create_collection(f"{name}-articles", embedding_function=None)
        else:
            try:
                passages = self._client.get_collection(f"{name}-passages", embedding_function=None)
                articles = self._client.get_collection(f"{name}-articles", embedding_function=None)
            except Exception as e:
                raise IndexMissingError(self._where()) from e
        built_with = (passages.metadata or {}).get("embed_model")
        if built_with and built_with != self.settings.embed_model:
            raise IndexMismatchError(
                f"The index at {self._where()} was built with embedding model {built_with!r}, "
                f"but {self.settings.embed_model!r} is configured: use the same model, or "
                "ingest again into a new --index DIR."
            )
        return passages, articles

    def _where(self) -> str:
        s = self.settings
        return (
            f"chroma://{s.chroma_host}:{s.chroma_port}/{s.collection}" if s.chroma_host else str(s.index_dir)
        )

    @property
    def _bm25_path(self) -> Path:
        s = self.settings
        tag = f"{s.chroma_host}-{s.chroma_port}-" if s.chroma_host else ""
        return s.index_dir / f"bm25-{tag}{s.collection}.npz"

    # -- ingest -------------------------------------------------------------------------

    def ingest(
        self,
        articles: Sequence[Article],
        progress: Progress | None = None,
        whole_files: Iterable[str] = (),
    ) -> IngestReport:
        """Add or update articles. `whole_files`: files read in full this time, so any
        article indexed from one of them earlier and absent now was edited or dropped."""
        passages_col, articles_col = self._collections(create=True)
        known = articles_col.get(include=["metadatas"])
        known_meta = dict(zip(known["ids"], known["metadatas"] or [], strict=False))
        by_path: dict[str, set[str]] = {}
        for aid, meta in known_meta.items():
            by_path.setdefault(str(meta.get("path", "")).split(":")[0], set()).add(aid)

        todo: list[tuple[Article, list[Passage]]] = []
        unchanged = replaced = 0
        incoming = {a.id for a in articles}
        stale: set[str] = set()
        for art in articles:
            meta = known_meta.get(art.id)
            if meta and meta.get("digest") == _digest(art):
                unchanged += 1
                continue
            if meta:
                replaced += 1
                stale.add(art.id)
            todo.append((art, split_article(art, self.settings.chunk_max, self.settings.chunk_overlap)))
        for path in whole_files:
            stale |= by_path.get(str(path), set()) - incoming
        removed = len(stale - {a.id for a, _ in todo})
        for aid in stale:
            self._delete_article(passages_col, articles_col, aid)

        all_new = [p for _, ps in todo for p in ps]
        have = set(_existing_ids(passages_col, [p.id for p in all_new]))
        to_embed = [p for p in all_new if p.id not in have]
        total = len(to_embed)
        done = 0
        # Chroma writes batch i while the embedder works on batch i+1 (both release the GIL).
        with ThreadPoolExecutor(1, thread_name_prefix="chroma-write") as writer:
            pending: Future[None] | None = None
            for i in range(0, total, _BATCH):
                batch = to_embed[i : i + _BATCH]
                vectors = self._embed_unique([p.embedding_text() for p in batch])
                if pending is not None:
                    pending.result()  # re-raises a failed write before going on
                pending = writer.submit(
                    passages_col.upsert,
                    ids=[p.id for p in batch],
                    embeddings=vectors,
                    documents=[p.text for p in batch],
                    metadatas=[passage_metadata(p) for p in batch],
                )
                done += len(batch)
                if progress:
                    progress(done, total)
            if pending is not None:
                pending.result()
        # Article records last: their presence says "all my passages are in".
        for i in range(0, len(todo), _BATCH):
            chunk = todo[i : i + _BATCH]
            articles_col.upsert(
                ids=[a.id for a, _ in chunk],
                embeddings=[[0.0] for _ in chunk],
                documents=[a.text for a, _ in chunk],
                metadatas=[self._article_meta(a, ps) for a, ps in chunk],
            )
        self._sync_bm25(passages_col, fresh={p.id: p for p in all_new})
        return IngestReport(
            articles_new=len(todo) - replaced,
            articles_unchanged=unchanged,
            articles_replaced=replaced,
            articles_removed=removed,
            passages_embedded=total,
            passages_total=passages_col.count(),
        )

    def _embed_unique(self, texts: list[str]) -> np.ndarray:
        """Embed each distinct text once: reprinted paragraphs and boilerplate recur."""
        unique = list(dict.fromkeys(texts))
        if len(unique) == len(texts):
            return np.asarray(self.embedder.embed_passages(texts))
        vectors = np.asarray(self.embedder.embed_passages(unique))
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]

    @staticmethod
    def _article_meta(art: Article, passages: list[Passage]) -> dict[str, Any]:
        meta = {k: v for k, v in art.to_json().items() if k not in ("text", "authors", "id")}
        meta["authors"] = "、".join(art.authors)
        meta["passages"] = len(passages)
        meta["digest"] = _digest(art)
        meta["date"] = art.date or ""
        meta["date_num"] = date_num(art.date)
        return {k: ("" if v is None else v) for k, v in meta.items()}

    @staticmethod
    def _delete_article(passages_col: Any, articles_col: Any, article_id: str) -> None:
        passages_col.delete(where={"article_id": article_id})
        articles_col.delete(ids=[article_id])

    def remove(self, article_ids: Iterable[str]) -> int:
        passages_col, articles_col = self._collections(create=False)
        ids = [a for a in article_ids if articles_col.get(ids=[a], include=[])["ids"]]
        for aid in ids:
            self._delete_article(passages_col, articles_col, aid)
        self._sync_bm25(passages_col)
        return len(ids)

    # -- BM25, kept consistent with the collection ---------------------------------------

    def _sync_bm25(self, passages_col: Any, fresh: dict[str, Passage] | None = None) -> BM25Index:
        """Bring the BM25 file in line with Chroma: add what is missing, drop what is gone.

        Passages just ingested are tokenised from memory; only what the file lacks for
        another reason (lost file, another machine's ingest) is fetched from Chroma.
        """
        path = self._bm25_path
        bm25 = BM25Index.load(path) if path.exists() else BM25Index()
        chroma_ids = set(passages_col.get(include=[])["ids"])
        extra = set(bm25.ids) - chroma_ids
        if extra:
            bm25.remove(extra)
        missing = sorted(chroma_ids - set(bm25.ids))
        fresh = fresh or {}
        for pid in missing:
            if (p := fresh.get(pid)) is not None:
                bm25.add(pid, p.embedding_text(), date_num(p.date), p.source)
        missing = [pid for pid in missing if pid not in fresh]
        for i in range(0, len(missing), _GET_BATCH):
            got = passages_col.get(ids=missing[i : i + _GET_BATCH], include=["documents", "metadatas"])
            for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                p = passage_from(pid, doc, meta)
                bm25.add(pid, p.embedding_text(), date_num(p.date), p.source)
        if extra or missing or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            bm25.save(path)
        self._bm25 = bm25
        return bm25

    def bm25(self) -> BM25Index:
        if self._bm25 is None:
            passages_col, _ = self._collections(create=False)
            self._bm25 = self._sync_bm25(passages_col)
        return self._bm25

    # -- reading ------------------------------------------------------------------------

    def passages_collection(self) -> Any:
        return self._collections(create=False)[0]

    def count(self) -> int:
        try:
            return int(self.passages_collection().count())
        except IndexMissingError:
            return 0

    def get_passages(self, ids: Sequence[str]) -> list[Passage]:
        got = self.passages_collection().get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            pid: passage_from(pid, doc, meta)
            for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
        return [found[i] for i in ids if i in found]

    def get_article(self, article_id: str) -> Article | None:
        _, articles_col = self._collections(create=False)
        got = articles_col.get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta, text = got["metadatas"][0], got["documents"][0]
        return Article(
            id=article_id,
            title=str(meta.get("title", "")),
            text=text,
            kind=meta.get("kind", "article"),
            kicker=str(meta.get("kicker", "")),
            subtitle=str(meta.get("subtitle", "")),
            authors=tuple(a for a in str(meta.get("authors", "")).split("、") if a),
            byline=str(meta.get("byline", "")),
            date=str(meta.get("date")) or None if meta.get("date") else None,
            source=str(meta.get("source", "")),
            page=str(meta.get("page")) or None if meta.get("page") else None,
            column=str(meta.get("column", "")),
            url=str(meta.get("url", "")),
            path=str(meta.get("path", "")),
        )

    def list_articles(self) -> list[dict[str, Any]]:
        _, articles_col = self._collections(create=False)
        got = articles_col.get(include=["metadatas"])
        return [{"id": i, **m} for i, m in zip(got["ids"], got["metadatas"], strict=True)]
