"""Files uploaded in the app into the archive, with a report per file.

The same path as `python -m assistant ingest`: `load_paths` reads the files, `complete_files`
says which were read whole, `NewsIndex.ingest` writes under the index's single-writer lock.
This module only adds what an upload needs around it:

- Uploaded files are kept under `INDEX/uploads/` by their own name, so a file is the same
  file each time it is uploaded: an edited file uploaded again replaces its old articles, as
  re-ingesting an edited file does on the command line, and a feed finds the saved pages
  uploaded with it (they share the folder).
- Bad input loses nothing: a file that gives no article (undecodable, empty, binary) is not
  kept, and the good file it would have overwritten is put back; a file read with errors
  (one broken JSONL line) adds what it could and removes nothing it held before.
- One upload at a time per index folder (`uploads.lock`), then the index's own write lock.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._ingest import IngestReport, complete_files, content_key, digest, file_of
from ._load_corpus import SUFFIXES, load_paths
from ._lock import write_lock
from .errors import IndexMissingError

Say = Callable[[float, str], None]  # (fraction done, what is happening)
_UNSAFE = re.compile(r"[^\w.\-()（）\u3000-\u9fff]+")


@dataclass
class FileReport:
    """What one uploaded file gave: each list holds one line per article or problem."""

    name: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # held by an earlier version of the file, not now
    skipped: list[str] = field(default_factory=list)  # problems: the file or a line was not read

    @property
    def status(self) -> str:
        """ok (everything read), partial (something read, something skipped), skipped (nothing)."""
        read = self.added or self.replaced or self.unchanged or self.duplicates
        if not self.skipped:
            return "ok"
        return "partial" if read else "skipped"


@dataclass
class UploadResult:
    files: list[FileReport]
    report: IngestReport | None  # None when no file gave an article

    @property
    def problems(self) -> tuple[str, ...]:
        return self.report.problems if self.report else ()


def safe_name(name: str) -> str:
    """The uploaded file's own name, reduced to one harmless path component."""
    base = Path(str(name).replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).lstrip(".") or "upload"
    return base[:120]


def named(art: Any) -> str:
    title = getattr(art, "title", "") or ""
    return f"《{title}》 {art.id}" if title else str(art.id)


def _stored(index: Any) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Stored article metadata by id, and content key -> id."""
    try:
        got = index.articles_collection().get(include=["metadatas"])
    except IndexMissingError:  # nothing ingested yet: an empty archive
        return {}, {}
    metas = {aid: (m or {}) for aid, m in zip(got["ids"], got["metadatas"] or [], strict=True)}
    keys = {str(m.get("content_key")): aid for aid, m in metas.items() if m.get("content_key")}
    return metas, keys


def ingest_uploads(
    index: Any, uploads: Sequence[tuple[str, Path]], folder: Path, say: Say | None = None
) -> UploadResult:
    """Keep each (original name, temp path) under `folder`, ingest them, report per file.

    Raises IndexLockedError (one line, naming the holder) when another writer keeps the lock
    past Settings.lock_timeout_s; nothing is written then and the uploads folder is as it was.
    """
    say = say or (lambda _f, _d: None)
    folder.mkdir(parents=True, exist_ok=True)
    timeout = index.settings.lock_timeout_s
    with write_lock(folder / "uploads.lock", str(folder), timeout):
        reports: dict[str, FileReport] = {}
        kept: dict[Path, Path | None] = {}  # target -> where its previous version was saved
        targets: list[Path] = []
        for original, tmp in uploads:
            name = safe_name(original)
            rep = reports.setdefault(name, FileReport(name))
            if Path(name).suffix.lower() not in SUFFIXES:
                kinds = " ".join(sorted(SUFFIXES))
                rep.skipped.append(f"not a file type the archive reads; give one of {kinds}")
                continue
            target = folder / name
            if target not in kept:
                backup = folder / f".previous-{name}" if target.exists() else None
                if backup is not None:
                    shutil.copyfile(target, backup)
                kept[target] = backup
            shutil.copyfile(tmp, target)
            if target not in targets:
                targets.append(target)
        try:
            return _ingest_kept(index, targets, reports, folder, kept, say)
        except BaseException:  # the index kept what it had: so does the folder
            for target, backup in kept.items():
                _put_back(target, backup)
            raise
        finally:
            for backup in kept.values():
                if backup is not None:
                    backup.unlink(missing_ok=True)


def _put_back(target: Path, backup: Path | None) -> None:
    """The file's last good version where the upload wrote, or no file if it was new."""
    if backup is not None and backup.exists():
        shutil.copyfile(backup, target)
    elif backup is None:
        target.unlink(missing_ok=True)


def _ingest_kept(
    index: Any,
    targets: list[Path],
    reports: dict[str, FileReport],
    folder: Path,
    kept: dict[Path, Path | None],
    say: Say,
) -> UploadResult:
    """Read the kept files, report per file, ingest what they gave."""
    say(0.05, f"读取 {len(targets)} 个文件 · Reading {len(targets)} file(s)")
    result = load_paths(targets)
    by_file = {file_of(str(t)): reports[t.name] for t in targets}

    def owner(path: str) -> FileReport | None:
        return by_file.get(file_of(path.split(" (")[0]))

    for problem in result.problems:
        rep = owner(str(problem.path or ""))
        if rep is not None:
            rep.skipped.append(_short(str(problem), folder))
    for kept_id, where in result.duplicates:
        rep = owner(where)
        if rep is not None:
            rep.duplicates.append(f"{_short(where, folder)}: 同本次上传的 {kept_id} · same text, kept once")
    metas, keys = _stored(index)
    for art in result.articles:
        rep = owner(art.path)
        if rep is None:
            continue
        meta = metas.get(art.id)
        if meta is not None:
            (rep.unchanged if meta.get("digest") == digest(art) else rep.replaced).append(named(art))
        elif (same := keys.get(content_key(art.text))) is not None:
            title = str(metas[same].get("title") or "")
            rep.duplicates.append(f"{named(art)}: 已收录为 · already stored as 《{title}》 {same}")
        else:
            rep.added.append(named(art))
    for target in targets:  # a file that gave nothing keeps its last good version
        rep = reports[target.name]
        if rep.added or rep.replaced or rep.unchanged or rep.duplicates:
            continue
        _put_back(target, kept[target])
        if not rep.skipped:
            rep.skipped.append("no article could be read from it")
    if not result.articles:
        return UploadResult(list(reports.values()), None)

    def progress(done: int, total: int) -> None:
        say(0.1 + 0.85 * done / max(total, 1), f"嵌入 · Embedding {done}/{total} passages")

    say(0.1, f"写入 {len(result.articles)} 篇文章 · Writing {len(result.articles)} article(s)")
    report = index.ingest(
        result.articles, progress=progress, whole_files=complete_files(result.files, result.problems)
    )
    now = {r["id"] for r in index.list_articles()}
    for aid, meta in metas.items():
        if aid in now:
            continue
        for f in json.loads(meta.get("files") or "[]"):
            if (rep := by_file.get(f)) is not None:
                rep.removed.append(f"《{meta.get('title') or ''}》 {aid}")
                break
    say(1.0, "完成 · Done")
    return UploadResult(list(reports.values()), report)


def _short(text: str, folder: Path) -> str:
    """A problem line without the uploads folder's path: the user knows the file by its name."""
    for prefix in (str(folder.resolve()) + "/", str(folder) + "/"):
        text = text.replace(prefix, "")
    return text
