"""Uploads in the app's archive tab (assistant/_upload.py, assistant/_ui_archive.py): a report per
file, the CLI's identity rules, and nothing already indexed lost to a bad file."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from assistant._index import NewsIndex
from assistant._ui_archive import ArchiveHandlers, article_rows, render_upload
from assistant._upload import ingest_uploads, safe_name
from assistant.config import Settings
from assistant.errors import IndexLockedError
from tests.conftest import HashEmbedder

LIBRARY = """---
title: 广陈镇农家书屋开放
date: 2024-06-03
source: 平湖发布
---
广陈镇新建的农家书屋昨天正式开放，藏书三千二百册，每天开放八小时。
"""
LIBRARY_FIXED = LIBRARY.replace("三千二百册", "三千五百册")


@pytest.fixture()
def index(settings: Settings, fake_embedder: HashEmbedder) -> NewsIndex:
    return NewsIndex(settings, fake_embedder)


def _upload(index: NewsIndex, tmp: Path, files: dict[str, bytes | str]) -> object:
    """Write the files as a browser's upload would (a temp folder of their own), then ingest."""
    tmp.mkdir(parents=True, exist_ok=True)
    pairs = []
    for name, data in files.items():
        p = tmp / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        pairs.append((name, p))
    return ingest_uploads(index, pairs, index.settings.index_dir / "uploads")


def _titles(index: NewsIndex) -> list[str]:
    return sorted(r["title"] for r in index.list_articles())


def test_added_then_unchanged_then_replaced_by_an_edited_upload(index: NewsIndex, tmp_path: Path) -> None:
    steps: list[tuple[float, str]] = []
    first = ingest_uploads(
        index,
        [("书屋.md", _write(tmp_path / "a" / "书屋.md", LIBRARY))],
        index.settings.index_dir / "uploads",
        lambda f, d: steps.append((f, d)),
    )
    (rep,) = first.files
    assert rep.status == "ok" and len(rep.added) == 1 and "广陈镇农家书屋开放" in rep.added[0]
    assert steps[-1][0] == 1.0 and any("Embedding" in d for _, d in steps)
    again = _upload(index, tmp_path / "b", {"书屋.md": LIBRARY})
    assert len(again.files[0].unchanged) == 1 and not again.files[0].added
    fixed = _upload(index, tmp_path / "c", {"书屋.md": LIBRARY_FIXED})
    # New words are a new article; the one the file held before leaves with the old version.
    assert len(fixed.files[0].added) == 1 and len(fixed.files[0].removed) == 1
    (row,) = index.list_articles()
    assert "三千五百册" in index.get_article(row["id"]).text  # one article, the new version


def test_a_bad_file_loses_nothing_and_keeps_the_good_copy(index: NewsIndex, tmp_path: Path) -> None:
    _upload(index, tmp_path / "a", {"书屋.md": LIBRARY})
    rng = random.Random(7)
    garbage = bytes(rng.randrange(0x81, 0xFF) for _ in range(400))
    bad = _upload(index, tmp_path / "b", {"书屋.md": garbage})
    (rep,) = bad.files
    assert rep.status == "skipped" and "UTF-8" in rep.skipped[0] and str(tmp_path) not in rep.skipped[0]
    assert _titles(index) == ["广陈镇农家书屋开放"]
    kept = index.settings.index_dir / "uploads" / "书屋.md"
    assert kept.read_text(encoding="utf-8") == LIBRARY  # the good version is still the file


def test_duplicates_partial_jsonl_and_unsupported_files_are_reported(
    index: NewsIndex, tmp_path: Path
) -> None:
    lines = [
        json.dumps(
            {"id": "cms-1", "title": "另一篇", "text": "新埭镇启动夏季送清凉活动，慰问一线工人两百名。"},
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"id": "cms-2", "title": "同一篇", "text": LIBRARY.split("---\n")[2]}, ensure_ascii=False),
    ]
    result = _upload(
        index,
        tmp_path / "a",
        {"书屋.md": LIBRARY, "feed.jsonl": "\n".join(lines), "表格.csv": "a,b", "空.txt": ""},
    )
    reps = {r.name: r for r in result.files}
    assert reps["书屋.md"].status == "ok"
    assert reps["feed.jsonl"].status == "partial"
    assert "feed.jsonl:2" in reps["feed.jsonl"].skipped[0] and len(reps["feed.jsonl"].added) == 1
    assert len(reps["feed.jsonl"].duplicates) == 1  # the same words as 书屋.md: stored once
    assert reps["表格.csv"].status == "skipped" and ".jsonl" in reps["表格.csv"].skipped[0]
    assert reps["空.txt"].status == "skipped"
    assert _titles(index) == ["另一篇", "广陈镇农家书屋开放"]
    html = render_upload(result)
    assert "跳过 · Skipped" in html and "新增 · Added" in html


def test_upload_waits_for_the_write_lock_and_says_who_holds_it(
    settings: Settings, fake_embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = NewsIndex(settings.with_(lock_timeout_s=0.3), fake_embedder)
    _upload(index, tmp_path / "a", {"书屋.md": LIBRARY})
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with index._write_lock():
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    try:
        with pytest.raises(IndexLockedError, match="pid"):
            _upload(index, tmp_path / "b", {"书屋.md": LIBRARY_FIXED})
    finally:
        release.set()
        t.join()
    assert "三千二百册" in index.get_article(index.list_articles()[0]["id"]).text
    kept = index.settings.index_dir / "uploads" / "书屋.md"
    assert kept.read_text(encoding="utf-8") == LIBRARY  # the folder too is as it was
    assert sorted(p.name for p in kept.parent.iterdir()) == ["uploads.lock", "书屋.md"]


def test_names_are_one_harmless_component() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name(".hidden.md") == "hidden.md"
    assert safe_name("a b<script>.md") == "a_b_script_.md"
    assert safe_name("平湖新闻 2024.jsonl") == "平湖新闻_2024.jsonl"


class _Backend:
    def __init__(self, index: NewsIndex) -> None:
        self.index, self.sources = index, []

    def wait(self) -> None:
        pass


def test_tab_handlers_list_upload_and_remove(index: NewsIndex, tmp_path: Path) -> None:
    h = ArchiveHandlers(_Backend(index))
    f = _write(tmp_path / "u" / "书屋.md", LIBRARY)
    html, table, _, summary = h.upload([str(f)])
    assert "新增 · Added" in html and summary.startswith("1 篇")
    (row,) = table
    assert row[:4] == ["广陈镇农家书屋开放", "2024-06-03", "平湖发布", 1]
    note, table, _, summary = h.remove(row[4])
    assert "Removed" in note and table == [] and summary.startswith("0 篇")
    assert "Choose" in h.remove(None)[0]


def test_rows_newest_first_undated_last_and_escaped_in_reports() -> None:
    rows = article_rows(
        [
            {"id": "a", "title": "乙", "date": "2024-05-01", "passages": 2},
            {"id": "b", "title": "甲", "date": "", "passages": 1},
            {"id": "c", "title": "丙", "date": "2024-06-01", "passages": 3},
        ]
    )
    assert [r[4] for r in rows] == ["c", "a", "b"] and rows[2][1] == "日期不详"
    from assistant._upload import FileReport, UploadResult

    html = render_upload(UploadResult([FileReport("<b>x</b>.md", added=["《<script>》 a"])], None))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>x" not in html


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
