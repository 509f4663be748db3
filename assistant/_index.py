"""Passages into an index: Chroma for vectors (embedded on disk, or a server), BM25 beside it.

Ingest is idempotent and incremental and each article is a transaction (assistant/_ingest.py).
One process writes at a time (assistant/_lock.py); every write ends by bumping a
generation marker, and a reader that sees it change reopens Chroma and reloads BM25, so a
running app serves what another process just ingested.

With a Chroma server (`chroma run`) there is no shared disk: the marker is a record in the
server (collection `{collection}-meta`), and each process keeps its own BM25 in memory (cached
in its local `--index` folder), brought in step with the server's passages when the marker
changes: passages added since are fetched and tokenised, removed ones dropped, so the cost
follows what changed, plus one listing of the server's passage ids. See README "Chroma server".
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import _ingest
from ._bm25 import BM25Index
from ._faults import fault_point
from ._ingest import GET_BATCH, IngestReport, Progress
from ._lock import atomic_write_bytes, bump_generation, read_generation, write_lock
from .config import Settings
from .errors import ChromaUnavailableError, IndexLockedError, IndexMismatchError, IndexMissingError
from .records import Article, Passage

__all__ = ["IngestReport", "NewsIndex", "date_num", "passage_from", "passage_metadata"]

# HNSW graph settings for new collections. With Chroma's defaults (M 16, ef_construction 100)
# a few outlying passages (JavaScript left in CRUD article text, mixed-language lines) end up
# with no link that a search from the entry point can follow: 0-5 of 7,820 CRUD passages per
# build over six builds, in one ingest run or two, different ones each time because Chroma
# inserts with several threads (case r10 saw 4). The vectors are stored; the graph never
# reaches them, so no query finds them. A denser graph and a wider search (M 32,
# ef_construction 200, ef_search 200) left 0 unreachable in seven builds. `verify` measures
# it (self-retrieval) on any index, and `verify --repair` re-inserts what is unreachable.
HNSW = {"space": "cosine", "max_neighbors": 32, "ef_construction": 200, "ef_search": 200}

# Chroma caches one client system per embedded path for the whole process, and that system
# keeps the HNSW graph it loaded: a NewsIndex opened after another process wrote would get
# the cached, older view (passages without vectors, missing from dense search) while the
# generation marker it just read says it is current. So this records, per path, the
# generation the cached system has seen; a new NewsIndex that reads a later one drops it.
_SYSTEM_SEEN: dict[str, str] = {}


def _forget_system(path: str) -> None:
    """Drop Chroma's cached client system for this embedded path (only this path's: other
    indexes in the process keep theirs); clients already made keep working on the old one."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)


def date_num(date: str | None) -> int:
    """2024-05-21 -> 20240521, the form Chroma can compare; unknown dates are 0."""
    return int(date.replace("-", "")) if date else 0


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
        self._refresh_lock = threading.Lock()
        self._meta_col: Any = None
        self._client = self._connect()
        self._generation = self._read_generation()
        self._bm25: BM25Index | None = None
        self._bm25_stale = False  # server mode: the copy in memory is synced, not reloaded
        self._live: frozenset[str] | None = None

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
        path = str(s.index_dir / "chroma")
        generation = read_generation(self._side_path("generation", ""))
        if _SYSTEM_SEEN.get(path, generation) != generation:
            _forget_system(path)  # cached before another process's write: open afresh
        _SYSTEM_SEEN[path] = generation
        # Opening runs Chroma's schema migrations; two processes opening a new index at once race
        # on them ("table collections already exists"). Opening is short: one at a time.
        with write_lock(s.index_dir / "open.lock", str(s.index_dir), s.lock_timeout_s):
            return chromadb.PersistentClient(path=str(s.index_dir / "chroma"), settings=chroma_settings)

    def _reopen(self) -> None:
        """A fresh Chroma client: an embedded client keeps the HNSW graph it loaded, so writes
        by another process reach its queries only through a new one. Queries in flight keep
        the old client (they hold its collection objects) and finish on the old view. A server
        answers every query from its current state: its client is kept."""
        if self.settings.chroma_host:
            return
        # Only this path's cached system: other indexes in this process keep theirs.
        _forget_system(str(self.settings.index_dir / "chroma"))
        self._client = self._connect()

    # -- the generation marker: a local file, or a record in the server ----------------

    GENERATION_ID = "generation"

    def _meta_collection(self, create: bool) -> Any:
        """Server mode: the small collection holding the generation record (None if absent)."""
        if self._meta_col is None:
            name = f"{self.settings.collection}-meta"
            try:
                if create:
                    self._meta_col = self._client.get_or_create_collection(name, embedding_function=None)
                else:
                    self._meta_col = self._client.get_collection(name, embedding_function=None)
            except Exception:  # chromadb raises NotFoundError / ValueError by version: "not there"
                return None
        return self._meta_col

    def _read_generation(self) -> str:
        """The marker's value; "" for an index nothing was written to since markers exist.

        Embedded: the file beside the index. Server: the record in `{collection}-meta`, one
        small request (a reader makes it before every search)."""
        if not self.settings.chroma_host:
            return read_generation(self._side_path("generation", ""))
        col = self._meta_collection(create=False)
        if col is None:
            return ""
        try:
            got = col.get(ids=[self.GENERATION_ID], include=["metadatas"])
        except Exception:  # the collection was dropped and made again: look it up afresh
            self._meta_col = None
            col = self._meta_collection(create=False)
            if col is None:
                return ""
            got = col.get(ids=[self.GENERATION_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        return str((metas[0] or {}).get("value", "")) if metas else ""

    def _bump_generation(self) -> str:
        """A new random marker, where every reader of this index looks for it."""
        if not self.settings.chroma_host:
            return bump_generation(self._side_path("generation", ""))
        value = uuid.uuid4().hex
        col = self._meta_collection(create=True)
        col.upsert(
            ids=[self.GENERATION_ID],
            embeddings=[[0.0]],
            documents=[""],
            metadatas=[{"value": value, "at": time.time()}],
        )
        return value

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
                metadata={"embed_model": self.settings.embed_model},
                configuration={"hnsw": dict(HNSW)},
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

    def _side_path(self, kind: str, suffix: str) -> Path:
        """Files beside the index, one set per (server, collection): bm25, lock, generation, journal."""
        s = self.settings
        tag = f"{s.chroma_host}-{s.chroma_port}-" if s.chroma_host else ""
        return s.index_dir / f"{kind}-{tag}{s.collection}{suffix}"

    @property
    def _bm25_path(self) -> Path:
        return self._side_path("bm25", ".npz")

    def read_journal(self) -> set[str]:
        """Article ids a writer was working on when it last stopped (empty after a clean finish)."""
        try:
            return set(json.loads(self._side_path("journal", ".json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return set()

    def write_journal(self, article_ids: set[str]) -> None:
        atomic_write_bytes(self._side_path("journal", ".json"), json.dumps(sorted(article_ids)).encode())

    def _write_lock(self) -> Any:
        return write_lock(self._side_path("write", ".lock"), self._where(), self.settings.lock_timeout_s)

    def _written(self) -> None:
        """After every write: the side files follow Chroma, then readers are told."""
        self._live = None
        fault_point("bm25")
        # Server mode: the copy in memory is closer to the server than this machine's file.
        held = self._bm25.copy() if self.settings.chroma_host and self._bm25 is not None else None
        self._sync_bm25(self._collections(create=False)[0], writer=True, start=held)
        self._bm25_stale = False
        fault_point("generation")
        self._generation = self._bump_generation()
        if not self.settings.chroma_host:  # the cached system holds this process's own write
            _SYSTEM_SEEN[str(self.settings.index_dir / "chroma")] = self._generation

    # -- writing ------------------------------------------------------------------------

    def ingest(
        self,
        articles: Sequence[Article],
        progress: Progress | None = None,
        whole_files: Iterable[str] = (),
    ) -> IngestReport:
        """Add or update articles. `whole_files`: files read in full and without error this
        time (see _ingest.complete_files), so any article indexed from one of them earlier
        and absent now was edited or dropped from it. Waits for another writer (IndexLockedError
        after Settings.lock_timeout_s)."""
        with self._write_lock():
            self.refresh()
            report = _ingest.run(self, articles, progress, whole_files)
            self._written()
        return report

    def embed_unique(self, texts: list[str]) -> np.ndarray:
        """Embed each distinct text once: reprinted paragraphs and boilerplate recur."""
        unique = list(dict.fromkeys(texts))
        if len(unique) == len(texts):
            return np.asarray(self.embedder.embed_passages(texts))
        vectors = np.asarray(self.embedder.embed_passages(unique))
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in texts]]

    def remove(self, article_ids: Iterable[str]) -> int:
        """Remove articles by id or by any alias they were ingested under; returns how many."""
        with self._write_lock():
            self.refresh()
            passages_col, articles_col = self._collections(create=False)
            wanted = set(article_ids)
            got = articles_col.get(include=["metadatas"])
            ids = [
                aid
                for aid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
                if aid in wanted or wanted & set(json.loads((meta or {}).get("aliases") or "[]"))
            ]
            for aid in ids:
                articles_col.delete(ids=[aid])  # the record first: the article leaves at once
                passages_col.delete(where={"article_id": aid})
            self._written()
        return len(ids)

    # -- live view ----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Reopen Chroma and drop cached BM25 when another process wrote since we looked.

        Cheap (reads one small file, or one record from a server); called before every search.
        Returns True when it reopened. With a server the BM25 copy in memory is kept and
        brought in step on its next use (only what changed is fetched and tokenised).
        """
        now = self._read_generation()
        if now == self._generation:
            return False
        with self._refresh_lock:
            if now == self._generation:
                return False
            self._reopen()
            if self.settings.chroma_host:
                self._bm25_stale = True
            else:
                self._bm25 = None
            self._live = None
            self._generation = now
            if not self.settings.chroma_host:  # the system just opened has seen `now`
                _SYSTEM_SEEN[str(self.settings.index_dir / "chroma")] = now
        return True

    @property
    def generation(self) -> str:
        """Changes whenever any process wrote to the index and this one has refreshed: key
        caches of articles or metadata on it (an article corrected in place keeps its id)."""
        return self._generation

    def live_passage_ids(self) -> frozenset[str] | None:
        """Passages that committed article records list: what readers may serve.

        Passages of an article still being written, or left by a crashed ingest, are not in
        it. None when some record predates the lists (then every stored passage counts).
        """
        if self._live is None:
            _, articles_col = self._collections(create=False)
            got = articles_col.get(include=["metadatas"])
            live: set[str] = set()
            for meta in got["metadatas"] or []:
                raw = (meta or {}).get("passage_ids")
                if not raw:
                    return None
                live.update(json.loads(raw))
            self._live = frozenset(live)
        return self._live

    # -- BM25, kept consistent with the collection ---------------------------------------

    def _load_bm25_file(self) -> BM25Index:
        """The persisted BM25 arrays, or an empty index when the file is missing or unreadable
        (truncated, overwritten): it is then rebuilt from Chroma, which holds every passage."""
        path = self._bm25_path
        if not path.exists():
            return BM25Index()
        try:
            return BM25Index.load(path)
        except Exception as e:  # zipfile, numpy and json each raise their own kind
            print(
                f"warning: {path}: unreadable ({type(e).__name__}); rebuilding it from the index",
                file=sys.stderr,
            )
            return BM25Index()

    def _sync_bm25(
        self,
        passages_col: Any,
        fresh: dict[str, Passage] | None = None,
        writer: bool = False,
        start: BM25Index | None = None,
    ) -> BM25Index:
        """Bring the BM25 file (or `start`, a copy in memory) in line with Chroma: add what is
        missing, drop what is gone, and save (temp file + rename) whenever anything changed."""
        path = self._bm25_path
        bm25 = start if start is not None else self._load_bm25_file()
        chroma_ids = set(passages_col.get(include=[])["ids"])
        extra = set(bm25.ids) - chroma_ids
        if extra:
            bm25.remove(extra)
        missing = sorted(chroma_ids - set(bm25.ids))
        fresh = fresh or {}
        from_chroma = [pid for pid in missing if pid not in fresh]
        for pid in missing:
            if (p := fresh.get(pid)) is not None:
                bm25.add(pid, p.embedding_text(), date_num(p.date), p.source)
        for i in range(0, len(from_chroma), GET_BATCH):
            got = passages_col.get(ids=from_chroma[i : i + GET_BATCH], include=["documents", "metadatas"])
            for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                p = passage_from(pid, doc, meta)
                bm25.add(pid, p.embedding_text(), date_num(p.date), p.source)
        if extra or missing or not path.exists():
            self._save_bm25(bm25, writer)
        self._bm25 = bm25
        return bm25

    def _save_bm25(self, bm25: BM25Index, writer: bool) -> None:
        """Writers save; a reader saves its repaired copy only when no writer is at work (the
        writer saves the newer view when it finishes, and a reader must never overwrite it)."""
        if writer:
            bm25.save(self._bm25_path)
            return
        try:
            with write_lock(self._side_path("write", ".lock"), self._where(), 0):
                bm25.save(self._bm25_path)
        except (IndexLockedError, OSError):
            pass  # in memory it is whole; the file is fixed by the writer or the next reader

    def bm25(self) -> BM25Index:
        if self._bm25 is None or self._bm25_stale:
            with self._refresh_lock:
                if self._bm25 is None or self._bm25_stale:
                    passages_col, _ = self._collections(create=False)
                    # Server mode: sync the copy held (the local file may be far behind).
                    start = self._bm25.copy() if self._bm25 is not None else None
                    self._bm25 = self._sync_bm25(passages_col, start=start)
                    self._bm25_stale = False
        return self._bm25

    # -- reading ------------------------------------------------------------------------

    def passages_collection(self) -> Any:
        return self._collections(create=False)[0]

    def articles_collection(self) -> Any:
        return self._collections(create=False)[1]

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
        hidden = ("passage_ids", "digest", "content_key")  # bookkeeping, not for readers
        return [
            {"id": i, **{k: v for k, v in m.items() if k not in hidden}}
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        ]
