"""Saved web pages (trafilatura) and RSS/Atom feeds (feedparser), from files in tests/data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from assistant._load_corpus import load_file, load_paths

from .conftest import ROOT

DATA = ROOT / "tests" / "data"
WEB = DATA / "web"


def test_saved_page_gives_title_date_author_and_only_the_body() -> None:
    result = load_file(WEB / "pinghu-library-opens.html")
    assert not result.problems
    (art,) = result.articles
    assert art.title == "东湖图书馆新馆6月1日开放"
    assert art.date == "2024-05-28" and art.authors == ("陈晓雯",) and art.source == "平湖新闻网"
    assert art.url == "https://news.pinghu.example/2024/0528/library.html"
    assert art.text.startswith("记者从市文化广电旅游局获悉")
    assert art.text.endswith("古籍修复体验等。")
    for chrome in ("首页", "热门新闻", "乍浦港区", "版权所有", "来源：", "东湖图书馆新馆6月1日开放"):
        assert chrome not in art.text


def test_gbk_page_with_a_printed_byline_and_no_meta_tags() -> None:
    # trafilatura alone reads this byline as author "时间：" and htmldate the date as 2024-01-01.
    (art,) = load_file(WEB / "zhapu-route.htm").articles
    assert (art.title, art.date, art.authors, art.source) == (
        "乍浦港区新开一条集装箱航线",
        "2024-06-03",
        ("陆明辉",),
        "平湖新闻网",
    )
    assert art.text.startswith("6月2日，一艘满载") and "时间：" not in art.text


def test_rss_entries_become_articles_with_link_date_and_full_text() -> None:
    result = load_file(WEB / "pinghu-news.rss")
    arts = result.articles
    assert [a.title for a in arts] == [
        "东湖图书馆新馆6月1日开放",
        "当湖街道举办第三届社区运动会",
        "林埭镇修复村口老石桥",
    ]
    library, games, bridge = arts
    # Entry 1's text comes from the saved page it links to (the feed holds only a teaser).
    page = load_file(WEB / "pinghu-library-opens.html").articles[0]
    assert library.text == page.text and library.id == page.id
    assert library.url == "https://news.pinghu.example/2024/0528/library.html"
    assert library.authors == ("陈晓雯",) and library.source == "平湖新闻网·本地"
    # content:encoded, published 01:30 +08:00: the local day, not feedparser's UTC day.
    assert (
        games.date == "2024-06-03"
        and "东湖社区代表队获得团体第一名" in games.text
        and "<p>" not in games.text
    )
    assert bridge.text == "林埭镇近日完成徐家埭村老石桥修复，这座建于清代的三孔石桥重新向行人开放。"
    assert [a.path for a in arts] == [f"{WEB / 'pinghu-news.rss'}:{n}" for n in (1, 2, 3)]
    (problem,) = result.problems
    assert "entry 4" in str(problem) and "pinghu-news.rss" in str(problem)


def test_atom_entries() -> None:
    arts = load_file(DATA / "web-atom" / "pinghu.atom").articles
    assert [(a.title, a.date, a.authors, a.source, a.url) for a in arts] == [
        (
            "钟埭街道新建三座口袋公园",
            "2024-06-10",
            ("沈佳怡",),
            "平湖发布",
            "https://fabu.pinghu.example/a/1001",
        ),
        ("独山港镇开展夏季义诊", "2024-06-09", (), "平湖发布", "https://fabu.pinghu.example/a/1002"),
    ]
    assert (
        arts[0].text
        == "钟埭街道在老街东侧、沪杭公路旁和学校北门新建三座口袋公园，总面积约五千平方米。\n公园将于本月下旬开放。"
    )


def test_a_folder_with_a_feed_and_its_saved_page_keeps_the_article_once() -> None:
    result = load_paths([WEB])
    titles = sorted(a.title for a in result.articles)
    assert titles.count("东湖图书馆新馆6月1日开放") == 1 and len(result.duplicates) == 1
    assert len(result.articles) == 4  # 2 pages + 3 feed entries, one of them the same as a page


def test_pages_and_feeds_without_articles_are_refused_with_one_line(tmp_path: Path) -> None:
    nav = tmp_path / "index.html"
    nav.write_text('<html><body><nav><a href="/">首页</a></nav></body></html>', encoding="utf-8")
    notfeed = tmp_path / "config.xml"
    notfeed.write_text('<?xml version="1.0"?><settings><a>1</a></settings>', encoding="utf-8")
    result = load_paths([tmp_path])
    assert not result.articles
    msgs = sorted(str(p) for p in result.problems)
    assert len(msgs) == 2 and all("\n" not in m for m in msgs)
    assert "config.xml" in msgs[0] and "feed" in msgs[0]
    assert "index.html" in msgs[1] and "no article text" in msgs[1]


def test_parse_cli_reads_a_feed_beside_its_page(tmp_path: Path) -> None:
    for f in ("pinghu-news.rss", "pinghu-library-opens.html"):
        shutil.copy(WEB / f, tmp_path / f)
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "parse", str(tmp_path / "pinghu-news.rss"), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    items = json.loads(out.stdout)
    assert [i["date"] for i in items] == ["2024-05-28", "2024-06-03", "2024-06-05"]
    assert "entry 4" in out.stderr


def test_an_unreadable_feed_or_page_is_not_counted_as_read(tmp_path: Path) -> None:
    # The index replaces a file's old articles only for files read in full (LoadResult.files).
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>半截", encoding="utf-8")
    (tmp_path / "nav.html").write_text("<html><body><a href='/'>首页</a></body></html>", encoding="utf-8")
    result = load_paths([tmp_path])
    assert not result.articles and not result.files and len(result.problems) == 2
    assert load_file(WEB / "pinghu-news.rss").files == [str(WEB / "pinghu-news.rss")]
