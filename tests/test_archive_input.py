"""Bad arguments and queries refused with one clear line; an ingest that finds nothing says so
and exits non-zero (cases r05, r06, r07, r08, 21). Helpers and fixtures: tests/test_archive.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant import cli
from assistant._index import NewsIndex
from assistant._search import Filters, Searcher
from assistant.config import Settings
from assistant.errors import InputError
from assistant.records import Article

from .conftest import HashEmbedder
from .test_archive import case, index, ingest

__all__ = ["index"]  # the fixture, shared with test_archive.py


# -- argument validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        ("2024-02-30", None, "not a date"),
        ("abc2024-05-17xyz99", None, "not a date"),
        ("2024-05-1799", None, "not a date"),
        (None, "2023-02-29", "not a date"),
        ("2023-12-31", "2023-01-01", "reversed"),
        ("2024年6月1日", "2024/5/1", "reversed"),
    ],
)
def test_impossible_or_reversed_date_ranges_are_refused(date_from, date_to, message) -> None:
    with pytest.raises(InputError, match=message):
        Filters.make(date_from, date_to)


def test_an_impossible_article_date_is_stored_as_unknown(tmp_path: Path, index: NewsIndex) -> None:
    """Case r08, ingest side: "2024-02-31" in a JSONL line or front matter is no day."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "d1", "text": "新埭镇举办农民运动会。", "date": "2023-02-29"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "d2", "text": "广陈镇新建文化礼堂。", "date": "2024-02-29"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    md = tmp_path / "story.md"
    md.write_text("---\ntitle: 龙舟赛\ndate: 2024-04-31\n---\n新仓镇举办龙舟赛。\n", encoding="utf-8")
    ingest(index, feed, md)
    dates = {a["id"]: a["date"] for a in index.list_articles()}
    assert dates["d1"] == "" and dates["d2"] == "2024-02-29"
    assert sorted(dates.values()) == ["", "", "2024-02-29"]


def test_real_dates_in_three_spellings_are_accepted() -> None:
    assert Filters.make("2024/5/1", "2024年5月31日").date_from == "2024-05-01"
    assert Filters.make("2024-02-29", "2024-02-29").date_to == "2024-02-29"


def test_undated_articles_are_left_out_by_either_date_bound(index: NewsIndex) -> None:
    index.ingest(
        [
            Article(
                id="may", title="示范小区", text="曹桥街道三个小区获评垃圾分类示范小区。", date="2024-05-10"
            ),
            Article(id="nodate", title="示范小区", text="曹桥街道五个小区获评垃圾分类示范小区。"),
        ]
    )
    s = Searcher(index)
    for f in (Filters.make(date_to="2024-05-31"), Filters.make(date_from="2024-01-01")):
        for mode in ("dense", "bm25"):
            assert {h.passage.article_id for h in s.search("垃圾分类示范小区", 5, f, mode=mode)} == {"may"}
    assert {h.passage.article_id for h in s.search("垃圾分类示范小区", 5)} == {"may", "nodate"}


def test_case_21_undated_under_to(index: NewsIndex) -> None:
    d = case("21")
    ingest(index, d / "may.md", d / "undated.md")
    hits = Searcher(index).search("垃圾分类示范小区", 5, Filters.make(date_to="2024-05-31"))
    assert hits and all(h.passage.date for h in hits)


@pytest.mark.parametrize("k", ["0", "-1", "2.5", "five"])
def test_cli_refuses_a_k_below_one(k: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["search", "劳模", "--k", k])
    assert exit_.value.code == 2 and "give 1 or more" in capsys.readouterr().err


def test_searcher_refuses_a_k_below_one(index: NewsIndex, seed_page: Path) -> None:
    ingest(index, seed_page)
    for k in (0, -1):
        with pytest.raises(InputError, match=">= 1"):
            Searcher(index).search("劳模", k)


# -- ingest that finds nothing says so and exits non-zero -------------------------------


def test_cli_ingest_of_nothing_readable_exits_one_after_ingesting_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("assistant._index.NewsIndex.embedder", property(lambda self: HashEmbedder()))
    good = tmp_path / "good.md"
    good.write_text("# 好\n平湖新建口袋公园三处。\n", encoding="utf-8")
    (tmp_path / "empty.d").mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.csv").write_text("x,y\n", encoding="utf-8")
    idx = ["--index", str(tmp_path / "idx")]
    for bad, says in (
        (tmp_path / "nope.txt", "no such file"),
        (tmp_path / "empty.d", "no file"),
        (other, "a.csv"),
    ):
        code = cli.main([*idx, "ingest", str(good), str(bad)])
        err = capsys.readouterr().err
        assert code == 1 and says in err, err
    assert NewsIndex(Settings(index_dir=tmp_path / "idx"), HashEmbedder()).count() == 1
    assert cli.main([*idx, "ingest", str(good)]) == 0


def test_case_r05_unsupported_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The case's folder also holds page.html, which is an input since saved web pages are read
    # (issue 13): its article is ingested. The files no reader takes (CSV, a JSON document)
    # alone still make an ingest that did nothing, and say so.
    d = case("r05") / "unsupported"
    only = tmp_path / "unsupported"
    only.mkdir()
    for name in ("news.csv", "news.json"):
        shutil.copy(d / name, only / name)
    code = cli.main(["--index", str(tmp_path / "idx"), "ingest", str(only)])
    assert code == 1 and "nothing ingested" in capsys.readouterr().err
    assert cli.main(["--index", str(tmp_path / "idx2"), "ingest", str(d)]) == 0  # page.html is read


def test_cli_search_says_when_a_filter_left_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seed_page: Path
) -> None:
    monkeypatch.setattr("assistant._index.NewsIndex.embedder", property(lambda self: HashEmbedder()))
    idx = ["--index", str(tmp_path / "idx")]
    assert cli.main([*idx, "ingest", str(seed_page)]) == 0
    capsys.readouterr()
    assert cli.main([*idx, "search", "劳模工匠学堂", "--from", "2024-01-01", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["hits"] == [] and "unknown date" in out.err and "--from 2024-01-01" in out.err


# -- a lone surrogate is refused for its line, the rest answered ---------------------------


def test_a_batch_line_with_a_lone_surrogate_is_an_error_object_and_the_rest_go_on() -> None:
    from assistant._batch import Request, requests

    lines = [
        '{"id": "bad", "question": "东湖\\udfff分馆"}',
        '{"id": "\\ud834", "question": "x"}',
        '{"id": "g", "question": "好"}',
    ]
    got = list(requests(lines, "question"))
    assert got[0] == {"id": "bad", "line": 1, "error": got[0]["error"]} and "surrogate" in got[0]["error"]
    assert got[1]["id"] is None and got[1]["line"] == 2
    assert isinstance(got[2], Request) and got[2].id == "g"
    with pytest.raises(InputError, match="surrogate"):
        from assistant._search import clean_query

        clean_query("平湖\ud800劳模", Settings())


def test_case_r06_lone_surrogate_batch() -> None:
    from assistant._batch import Request, requests

    lines = (case("r06") / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    got = list(requests(lines, "question"))
    assert "error" in got[0] and isinstance(got[1], Request)


def test_a_missing_path_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Found by a new-user trial: the loader and the ingest summary both said it.
    code = cli.main(["--index", str(tmp_path / "idx"), "ingest", str(tmp_path / "nowhere.txt")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("nowhere.txt") == 1 and "nothing ingested" in err
