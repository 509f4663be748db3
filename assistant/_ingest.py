"""Articles into the index, each article a transaction: all of it or nothing of it is live.

Identity. An article is its content: the same words (whitespace aside) are one article,
whatever file, path spelling or id they arrive with. The first id it was stored under
stays its id; any other id given for the same words is kept as an alias (an external
id), never as a second copy. A file is its resolved path, and an article remembers every
file it was read from, so the same article in two files is stored once and removed only
when the last file that held it no longer does.

Order of writes, so that a crash (kill -9 included) loses nothing and shows nothing
half-done: passages first, then the article record listing its passage ids (the commit),
then the old version's passages, then removals. Readers only serve passages that a
committed record lists (NewsIndex.live_passage_ids), so an article is visible whole or
not at all. The ids an ingest touches are written to a journal first; the next writer
sweeps what a crashed one left (passages no record lists) after committing its own work,
so the passages a crashed ingest had embedded are reused, not embedded again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._faults import fault_point
from ._split_passages import split_article
from .records import Article, Passage

if TYPE_CHECKING:
    from ._index import NewsIndex

BATCH = 256
GET_BATCH = 500  # Chroma's SQLite refuses queries with too many bound ids
Progress = Callable[[int, int], None]  # (done, total) passages embedded
_LINE_SUFFIX = re.compile(r"^(.*):(\d+)$")


@dataclass(frozen=True)
class IngestReport:
    articles_new: int
    articles_unchanged: int
    articles_replaced: int
    articles_removed: int
    passages_embedded: int
    passages_total: int
    articles_aliased: int = 0  # same words as a stored article under another id or file: stored once
    replaced: tuple[str, ...] = ()  # "id 《title》" of each article whose old version was replaced
    removed: tuple[str, ...] = ()  # "id 《title》" of each article no longer in any file
    problems: tuple[str, ...] = ()  # articles refused (id collisions), one line each

    def to_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for key in ("replaced", "removed", "problems"):
            d[key] = list(d[key])
        return d


def content_key(text: str) -> str:
    """The article's identity: a hash of its words, whitespace removed."""
    return hashlib.sha1(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()


def digest(article: Article) -> str:
    """Everything a reader sees of the article except where it was read from."""
    payload = {k: v for k, v in article.to_json().items() if k != "path"}
    return hashlib.sha1(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def file_of(path: str) -> str:
    """The resolved file an article was read from; JSONL articles carry `FILE:LINE`."""
    if not path:
        return ""
    p = Path(path)
    if not p.is_file() and (m := _LINE_SUFFIX.match(path)) and Path(m.group(1)).is_file():
        p = Path(m.group(1))
    try:
        return str(p.resolve())
    except OSError:
        return str(p.absolute())


def complete_files(files: Iterable[str], problems: Iterable[Any]) -> list[str]:
    """Files read completely and without error: only these may drop articles they held before.

    `problems` are InputErrors carrying `.path`; a file with one bad line is not complete,
    so what that line held stays indexed.
    """
    bad = {file_of(str(p.path)) for p in problems if getattr(p, "path", None)}
    return [f for f in files if file_of(f) not in bad]


@dataclass
class _Known:
    id: str
    meta: dict[str, Any]
    key: str
    files: set[str]
    aliases: set[str]


@dataclass
class _Plan:
    write: list[tuple[Article, set[str], set[str], bool]] = field(
        default_factory=list
    )  # art, files, aliases, replaced
    touch: dict[str, tuple[set[str], set[str]]] = field(
        default_factory=dict
    )  # id -> files, aliases (no re-embed)
    remove: list[str] = field(default_factory=list)
    unchanged: int = 0
    aliased: int = 0
    problems: list[str] = field(default_factory=list)


def _load_known(articles_col: Any) -> dict[str, _Known]:
    got = articles_col.get(include=["metadatas"])
    metas = dict(zip(got["ids"], got["metadatas"] or [], strict=True))
    # Records from before identity by content carry no key: hash their stored text once.
    legacy = [aid for aid, m in metas.items() if not (m or {}).get("content_key")]
    texts: dict[str, str] = {}
    for i in range(0, len(legacy), GET_BATCH):
        part = articles_col.get(ids=legacy[i : i + GET_BATCH], include=["documents"])
        texts.update(zip(part["ids"], part["documents"] or [], strict=True))
    known: dict[str, _Known] = {}
    for aid, meta in metas.items():
        meta = meta or {}
        files = set(json.loads(meta["files"])) if meta.get("files") else {file_of(str(meta.get("path", "")))}
        files.discard("")
        aliases = set(json.loads(meta["aliases"])) if meta.get("aliases") else set()
        key = str(meta.get("content_key") or content_key(texts.get(aid) or ""))
        known[aid] = _Known(aid, meta, key, files, aliases)
    return known


def plan(known: dict[str, _Known], articles: Sequence[Article], whole_files: Iterable[str]) -> _Plan:
    """Decide per article: new, replaced, unchanged, alias of a stored one, refused, removed."""
    out = _Plan()
    by_key = {k.key: k for k in known.values()}
    seen_ids: dict[str, tuple[str, str]] = {}  # id -> (content key, where) within this input
    seen_keys: dict[str, str] = {}  # content key -> id it is stored under
    claimed: dict[str, set[str]] = {}  # file -> stored ids this input still finds in it
    new_files: dict[str, set[str]] = {}
    new_aliases: dict[str, set[str]] = {}
    for art in articles:
        key, src = content_key(art.text), file_of(art.path)
        where = art.path or art.id
        if art.id in seen_ids:
            if seen_ids[art.id][0] != key:
                out.problems.append(
                    f"{where}: id {art.id!r} is also given to {seen_ids[art.id][1]} with other text; "
                    "this one skipped: give each article its own id"
                )
            continue
        seen_ids[art.id] = (key, where)
        if key in seen_keys:  # same words twice in this input: one article, one more name
            target = seen_keys[key]
            new_files.setdefault(target, set()).add(src)
            if art.id != target:
                new_aliases.setdefault(target, set()).add(art.id)
            claimed.setdefault(src, set()).add(target)
            continue
        stored = known.get(art.id)
        if stored is None and (same := by_key.get(key)) is not None and same.id not in seen_keys.values():
            stored = same  # the same article under another id: keep one copy, remember the id
            new_aliases.setdefault(same.id, set()).add(art.id)
            out.aliased += 1
        target = stored.id if stored else art.id
        seen_keys[key] = target
        new_files.setdefault(target, set()).add(src)
        claimed.setdefault(src, set()).add(target)
        if stored is not None and stored.id != art.id:
            continue  # an alias: content and record as they were
        if stored is not None and stored.meta.get("digest") == digest(art):
            out.unchanged += 1
            continue
        out.write.append((art, set(), set(), stored is not None))
    stale: set[str] = set()
    for f in {file_of(f) for f in whole_files}:
        for k in known.values():
            if f in k.files and k.id not in claimed.get(f, set()):
                k.files.discard(f)
                stale.add(k.id)
    written = {a.id for a, *_ in out.write}
    for aid in stale - written:
        k = known[aid]
        if not (k.files | new_files.get(aid, set())) - {""}:
            out.remove.append(aid)
    for i, (art, _, _, replaced) in enumerate(out.write):
        k = known.get(art.id)
        files = ((k.files if k else set()) | new_files.get(art.id, set())) - {""}
        aliases = (k.aliases if k else set()) | new_aliases.get(art.id, set())
        out.write[i] = (art, files, aliases, replaced)
    for aid in (set(new_files) | set(new_aliases) | stale) - written - set(out.remove):
        k = known.get(aid)
        if k is None:
            continue
        files = (k.files | new_files.get(aid, set())) - {""}
        aliases = k.aliases | new_aliases.get(aid, set())
        if files != set(json.loads(k.meta.get("files") or "[]")) or aliases != set(
            json.loads(k.meta.get("aliases") or "[]")
        ):
            out.touch[aid] = (files, aliases)
    return out


def article_meta(
    art: Article, passages: Sequence[Passage], files: set[str], aliases: set[str]
) -> dict[str, Any]:
    from ._index import date_num

    meta = {k: v for k, v in art.to_json().items() if k not in ("text", "authors", "id")}
    meta["authors"] = "、".join(art.authors)
    meta["passages"] = len(passages)
    meta["passage_ids"] = json.dumps([p.id for p in passages])
    meta["digest"] = digest(art)
    meta["content_key"] = content_key(art.text)
    meta["files"] = json.dumps(sorted(files), ensure_ascii=False)
    meta["aliases"] = json.dumps(sorted(aliases), ensure_ascii=False)
    meta["date"] = art.date or ""
    meta["date_num"] = date_num(art.date)
    return {k: ("" if v is None else v) for k, v in meta.items()}


def _named(aid: str, meta: dict[str, Any] | None) -> str:
    title = str((meta or {}).get("title") or "")
    return f"{aid} 《{title}》" if title else aid


def run(
    index: NewsIndex, articles: Sequence[Article], progress: Progress | None, whole_files: Iterable[str]
) -> IngestReport:
    """Plan and write; the caller holds the index's write lock."""
    from ._index import passage_metadata

    passages_col, articles_col = index._collections(create=True)
    known = _load_known(articles_col)
    p = plan(known, articles, whole_files)
    s = index.settings
    split = [
        (art, split_article(art, s.chunk_max, s.chunk_overlap), files, aliases, rep)
        for art, files, aliases, rep in p.write
    ]
    previous = index.read_journal()
    index.write_journal(previous | {a.id for a, *_ in split} | set(p.remove))

    # Which passages need a vector: new ids, or ids whose embedding text changed (a new headline).
    stored: dict[str, tuple[str, dict[str, Any]]] = {}
    all_ids = [q.id for _, ps, *_ in split for q in ps]
    for i in range(0, len(all_ids), GET_BATCH):
        got = passages_col.get(ids=all_ids[i : i + GET_BATCH], include=["documents", "metadatas"])
        for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            stored[pid] = (doc, meta or {})
    to_embed: list[Passage] = []
    meta_only: list[Passage] = []
    for _, ps, *_ in split:
        for q in ps:
            old = stored.get(q.id)
            if old is None or old[1].get("title", "") != q.title:
                to_embed.append(q)
            elif {k: old[1].get(k) for k in passage_metadata(q)} != passage_metadata(q):
                meta_only.append(q)
    for i in range(0, len(meta_only), BATCH):
        batch = meta_only[i : i + BATCH]
        passages_col.update(ids=[q.id for q in batch], metadatas=[passage_metadata(q) for q in batch])

    # Embed batch i+1 while Chroma writes batch i; commit each article once all its passages are in.
    need = {q.id for q in to_embed}
    pending_arts = deque(split)
    written: set[str] = set()

    def commit_ready() -> None:
        ready = []
        while pending_arts and all(q.id in written or q.id not in need for q in pending_arts[0][1]):
            ready.append(pending_arts.popleft())
        for i in range(0, len(ready), BATCH):
            chunk = ready[i : i + BATCH]
            articles_col.upsert(
                ids=[art.id for art, *_ in chunk],
                embeddings=[[0.0] for _ in chunk],
                documents=[art.text for art, *_ in chunk],
                metadatas=[article_meta(art, ps, files, aliases) for art, ps, files, aliases, _ in chunk],
            )
        for art, ps, *_, was_stored in ready:
            if was_stored:  # the old version's passages go once the new one is live
                keep = {q.id for q in ps}
                old = passages_col.get(where={"article_id": art.id}, include=[])["ids"]
                if gone := [pid for pid in old if pid not in keep]:
                    passages_col.delete(ids=gone)

    done = 0
    with ThreadPoolExecutor(1, thread_name_prefix="chroma-write") as writer:
        pending: Future[None] | None = None
        pending_ids: list[str] = []
        for i in range(0, len(to_embed), BATCH):
            batch = to_embed[i : i + BATCH]
            vectors = index.embed_unique([q.embedding_text() for q in batch])
            if pending is not None:
                pending.result()  # re-raises a failed write before going on
                written.update(pending_ids)
                commit_ready()
                if i == BATCH:
                    fault_point("embedding")
            pending_ids = [q.id for q in batch]
            pending = writer.submit(
                passages_col.upsert,
                ids=pending_ids,
                embeddings=np.asarray(vectors, dtype=np.float32),
                documents=[q.text for q in batch],
                metadatas=[passage_metadata(q) for q in batch],
            )
            done += len(batch)
            if progress:
                progress(done, len(to_embed))
        if pending is not None:
            pending.result()
            written.update(pending_ids)
    fault_point("passages-written")
    commit_ready()
    fault_point("committed")

    for aid, (files, aliases) in p.touch.items():
        meta = dict(known[aid].meta)
        meta["files"] = json.dumps(sorted(files), ensure_ascii=False)
        meta["aliases"] = json.dumps(sorted(aliases), ensure_ascii=False)
        articles_col.update(ids=[aid], metadatas=[meta])
    for aid in p.remove:
        articles_col.delete(ids=[aid])
        passages_col.delete(where={"article_id": aid})
    sweep(passages_col, articles_col, previous)
    index.write_journal(set())
    replaced = [a for a, *_, rep in split if rep]
    return IngestReport(
        articles_new=len(split) - len(replaced),
        articles_unchanged=p.unchanged,
        articles_replaced=len(replaced),
        articles_removed=len(p.remove),
        passages_embedded=len(to_embed),
        passages_total=passages_col.count(),
        articles_aliased=p.aliased,
        replaced=tuple(_named(a.id, known[a.id].meta) for a in replaced),
        removed=tuple(_named(aid, known[aid].meta) for aid in p.remove),
        problems=tuple(p.problems),
    )


def sweep(passages_col: Any, articles_col: Any, article_ids: Iterable[str]) -> int:
    """Delete the passages of these articles that no committed record lists; returns how many."""
    n = 0
    for aid in article_ids:
        rec = articles_col.get(ids=[aid], include=["metadatas"])
        listed: set[str] | None = set()
        if rec["ids"]:
            raw = (rec["metadatas"][0] or {}).get("passage_ids")
            listed = set(json.loads(raw)) if raw else None  # an old record: all its passages count
        if listed is None:
            continue
        have = passages_col.get(where={"article_id": aid}, include=[])["ids"]
        if gone := [pid for pid in have if pid not in listed]:
            passages_col.delete(ids=gone)
            n += len(gone)
    return n
