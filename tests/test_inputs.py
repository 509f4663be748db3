"""Text inputs: front matter and headlines, lone surrogates, and the chunker's promises on
every quotation style and on text without punctuation (issue 13; cases 01, 16, r04)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant._load_corpus import load_file, load_text
from assistant._split_passages import (
    QUOTE_FACTOR,
    RUN_CHARS,
    _word_bounds,
    sentence_spans,
    split_article,
)
from assistant.records import Article

from .conftest import ROOT

CASES = ROOT.parent / "shared" / "cases"


def _case(path: str) -> Path:
    f = CASES / path
    if not f.exists():
        pytest.skip("../shared/cases is absent on this machine")
    return f


# --- front matter and the headline line ------------------------------------------------------


def test_front_matter_title_and_same_headline_give_one_title_and_no_hash_line() -> None:
    text = "---\ntitle: 钟埭街道新建口袋公园\ndate: 2024-04-12\n---\n# 钟埭街道新建口袋公园\n\n公园占地三千平方米，下月开放。\n"
    (art,) = load_text(text, "park.md").articles
    assert art.title == "钟埭街道新建口袋公园" and art.subtitle == ""
    assert art.text == "公园占地三千平方米，下月开放。" and "#" not in art.text


def test_a_different_headline_becomes_the_subtitle_not_text() -> None:
    text = "---\ntitle: 钟埭街道新建口袋公园\n---\n## 占地三千平方米 下月开放\n公园位于老街东侧。\n"
    (art,) = load_text(text, "park.md").articles
    assert (art.title, art.subtitle, art.text) == (
        "钟埭街道新建口袋公园",
        "占地三千平方米 下月开放",
        "公园位于老街东侧。",
    )


def test_a_topic_tag_is_not_a_headline() -> None:
    (art,) = load_text("#平湖身边事#\n林埭镇修好了村口的桥。\n", "tag.md").articles
    assert art.title == "" and art.text.startswith("#平湖身边事#")


def test_a_date_line_under_the_headline_is_the_date_not_text() -> None:
    text = "# 新埭镇举办油菜花节\n\n2025年3月22日 星期六\n\n本报讯 油菜花节今天开幕。\n"
    (art,) = load_text(text, "flowers.md").articles
    assert (art.title, art.date, art.text) == (
        "新埭镇举办油菜花节",
        "2025-03-22",
        "本报讯 油菜花节今天开幕。",
    )


def test_a_plain_text_files_headline_and_date_lines() -> None:
    text = "广陈镇龙萌村新建游客中心\n日期：2025-07-02\n\n游客中心面积800平方米，月底开放。\n"
    (art,) = load_text(text, "visitor.txt").articles
    assert (art.title, art.date, art.text) == (
        "广陈镇龙萌村新建游客中心",
        "2025-07-02",
        "游客中心面积800平方米，月底开放。",
    )
    # A first line that ends a clause, or no date line after it, is text.
    (plain,) = load_text("游客中心面积800平方米，\n月底开放。\n", "visitor.txt").articles
    assert plain.title == "" and plain.text.startswith("游客中心面积800平方米，")


def test_unclosed_front_matter_is_read_as_metadata_with_a_warning() -> None:
    text = (
        "---\ntitle: 独山港镇开展义诊\ndate: 2024-06-02\nauthor: 王五\n\n独山港镇卫生院组织医生为老人义诊。\n"
    )
    result = load_text(text, "clinic.md")
    (art,) = result.articles
    assert (art.title, art.date, art.authors) == ("独山港镇开展义诊", "2024-06-02", ("王五",))
    assert art.text == "独山港镇卫生院组织医生为老人义诊。"
    (warning,) = result.problems
    assert "clinic.md" in str(warning) and "not closed" in str(warning) and "---" in str(warning)


def test_a_markdown_rule_further_down_does_not_swallow_the_text() -> None:
    text = "---\ntitle: 新仓镇举办农民丰收节\n\n新仓镇举办农民丰收节，展销农产品。\n---\n第二部分。\n"
    result = load_text(text, "harvest.md")
    (art,) = result.articles
    assert art.title == "新仓镇举办农民丰收节" and art.text.startswith("新仓镇举办农民丰收节，展销")
    assert "title:" not in art.text and len(result.problems) == 1


def test_a_yaml_author_list_and_a_leading_rule_without_metadata() -> None:
    text = "---\ntitle: 平湖举办马拉松\nauthor:\n  - 张三\n  - 李四\n---\n比赛吸引五千人参加。\n"
    (art,) = load_text(text, "run.md").articles
    assert art.authors == ("张三", "李四")
    (plain,) = load_text("---\n\n正文只有一句。\n", "rule.md").articles
    assert plain.text == "---\n正文只有一句。"


def test_case_r04_unclosed_front_matter() -> None:
    f = _case("r04-unclosed-front-matter-silent/a15_frontmatter_unclosed.md")
    result = load_file(f)
    (art,) = result.articles
    assert (art.title, art.date) == ("前置信息未闭合", "2024-05-20")
    assert art.subtitle == "新仓镇举办龙舟赛"
    assert art.text == "新仓镇举办端午龙舟赛，共有十二支队伍参赛，观众超过三千人。"
    assert len(result.problems) == 1 and str(f) in str(result.problems[0])


# --- lone surrogates (r06's kind, in the article loader) --------------------------------------


def test_a_lone_surrogate_in_jsonl_is_replaced_and_reported(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text(
        json.dumps({"id": "x1", "title": "乍浦\ud800港区", "text": "乍浦港区新开\udfff一条航线。"}) + "\n"
        '{"id": "x2", "text": "第二篇正常。"}\n',
        encoding="utf-8",
    )
    result = load_file(f)
    assert [a.id for a in result.articles] == ["x1", "x2"]
    assert result.articles[0].text == "乍浦港区新开\ufffd一条航线。"
    assert result.articles[0].title == "乍浦\ufffd港区"
    (warning,) = result.problems
    assert warning.line == 1 and "surrogate" in str(warning)
    assert all(ch.encode("utf-8") for a in result.articles for ch in a.text + a.title)


# --- the chunker: quotations -------------------------------------------------------------------

QUOTE_STYLES = [("“", "”"), ('"', '"'), ("「", "」"), ("『", "』"), ("‘", "’")]


def _quoted_article(open_q: str, close_q: str) -> tuple[Article, str]:
    quote = (
        f"{open_q}今年我们要把西瓜产业做大做强。镇里拿出专项资金扶持种植户。"
        f"明年还要办西瓜文化节。希望大家一起努力。{close_q}"
    )
    text = (
        "本报讯 广陈镇召开西瓜产业推进会，三十余家种植户参加。"
        + quote
        + "镇长李明说。会议还通报了去年的销售情况。"
    )
    return Article(id="q", title="t", text=text), quote


@pytest.mark.parametrize(("open_q", "close_q"), QUOTE_STYLES)
def test_every_quotation_style_stays_whole_with_its_speaker(open_q: str, close_q: str) -> None:
    art, quote = _quoted_article(open_q, close_q)
    for max_chars in (50, 80, 120):
        passages = split_article(art, max_chars=max_chars, overlap_chars=20)
        assert any(quote + "镇长李明说。" in p.text for p in passages), (
            max_chars,
            [p.text for p in passages],
        )
        for p in passages:
            assert art.text[p.start : p.end] == p.text
            assert len(p.text) <= max_chars or quote in p.text


def test_a_quotation_longer_than_the_limit_is_one_passage_up_to_the_factor() -> None:
    art, quote = _quoted_article("“", "”")
    passages = split_article(art, max_chars=40, overlap_chars=0)  # quote ~60 chars: within 2x40
    (holder,) = [p for p in passages if quote in p.text]
    assert len(holder.text) <= QUOTE_FACTOR * 40
    assert all(len(p.text) <= 40 for p in passages if p is not holder)
    # Over QUOTE_FACTOR passages long, the quotation falls back to sentences: all within the limit.
    small = split_article(art, max_chars=25, overlap_chars=0)
    assert all(len(p.text) <= 25 for p in small)


def test_an_apostrophe_does_not_open_a_quotation() -> None:
    art = Article(id="a", title="t", text="他说It’s fine。第二句话在这里。第三句话也在。第四句话结束。")
    passages = split_article(art, max_chars=20, overlap_chars=0)
    assert all(len(p.text) <= 20 for p in passages) and len(passages) > 1


def test_case_01_ascii_quotation_stays_with_its_speaker() -> None:
    f = _case("01-quote-split-ascii/ascii.md")
    (art,) = load_file(f).articles
    start = art.text.index('"我们要把')
    end = art.text.index("吴嘉禾说。") + len("吴嘉禾说。")
    assert any(p.start <= start and end <= p.end for p in split_article(art))


# --- the chunker: text without punctuation -------------------------------------------------------

RUNON = (
    "本报讯 乍浦镇近日启动老旧小区改造工程 今年计划改造小区十二个 涉及居民四千三百户 改造内容包括屋面防水 "
    "外墙修缮 雨污分流和增设电梯 镇建设办负责人介绍 工程总投资约一点二亿元 预计年底前全部完工 "
    "在雅山社区 退休教师沈建国正在查看施工图纸 他家住在六楼 盼电梯盼了好多年 沈建国说 这回终于不用爬楼了 "
    "据了解 改造期间社区将设立临时停车点 并安排志愿者为行动不便的老人提供帮助"
)
NOSPACE = (
    "平湖市图书馆新馆今天正式对外开放新馆建筑面积一万两千平方米设有少儿阅览区地方文献室"
    "数字体验区和二十四小时自助借阅区馆藏图书八十万册读者可凭身份证免费办理借阅证开馆首日共接待读者三千余人次"
)


def _inside_a_word(text: str, pos: int) -> bool:
    """True when offset `pos` falls inside one jieba word of `text` (not at its edge)."""
    return pos not in {0, len(text), *_word_bounds(text, 0, len(text))}


@pytest.mark.parametrize("text", [RUNON, NOSPACE])
def test_text_without_punctuation_is_cut_at_words_within_the_limit(text: str) -> None:
    spans = sentence_spans(text)
    assert len(spans) > 1 and all(e - s <= RUN_CHARS for s, e in spans)
    art = Article(id="r", title="t", text=text)
    for max_chars in (60, 100, 200):
        passages = split_article(art, max_chars=max_chars, overlap_chars=30)
        assert len(passages) > 1 or len(text) <= max_chars
        for p in passages:
            assert len(p.text) <= max_chars and art.text[p.start : p.end] == p.text
            assert not _inside_a_word(text, p.start) and not _inside_a_word(text, p.end)
            if " " in text:  # spaced text is cut at its spaces
                assert p.start == 0 or text[p.start - 1] == " "
                assert p.end == len(text) or text[p.end] == " "


def test_a_long_sentence_with_commas_is_no_longer_than_a_default_passage() -> None:
    text = "，".join(["镇里组织志愿者走访独居老人并登记需求"] * 20) + "。"
    assert all(e - s <= 200 for s, e in sentence_spans(text))


def test_case_16_runon_article_has_short_sentences_and_word_cuts() -> None:
    f = _case("16-nopunct-whole-article-quote/runon.md")
    (art,) = load_file(f).articles
    spans = sentence_spans(art.text)
    assert "他今年流转土地八百亩" in [art.text[s:e] for s, e in spans]
    assert max(e - s for s, e in spans) <= RUN_CHARS
    for p in split_article(art):
        assert len(p.text) <= 200
        assert p.end == len(art.text) or art.text[p.end] == " "
    assert not re.search(r"正在检$", " ".join(p.text for p in split_article(art)))


def test_an_impossible_date_is_said_and_the_article_kept_undated(tmp_path: Path) -> None:
    # A new user's 2026-02-30 was stored as "date unknown" without a word; a date filter then hid it.
    f = tmp_path / "a.jsonl"
    rows = [
        {
            "id": "x1",
            "title": "春季招聘会举行",
            "date": "2026-02-30",
            "text": "本报讯 平湖举行春季招聘会，120家企业参加。",
        },
        {"id": "x2", "title": "夜市开街", "date": "2026-03-01", "text": "本报讯 东湖夜市开街，摊位180个。"},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = load_file(f)
    assert [a.date for a in result.articles] == [None, "2026-03-01"]
    (warning,) = result.problems
    assert "2026-02-30" in str(warning) and "YYYY-MM-DD" in str(warning) and str(f) in str(warning)


def test_a_text_that_is_no_string_is_named_as_such(tmp_path: Path) -> None:
    # A new user's "text": 12345 was reported as 'article has no "text"', though the field was there.
    f = tmp_path / "a.jsonl"
    rows = [
        {"id": "n1", "title": "数字", "text": 12345},
        {"id": "n2", "title": "夜市开街", "text": "本报讯 东湖夜市开街，摊位180个。"},
    ]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    result = load_file(f)
    assert [a.id for a in result.articles] == ["n2"]
    (problem,) = result.problems
    assert '"text" is a number, not a string' in str(problem) and str(f) in str(problem)


def test_a_jsonl_byline_field_is_the_articles_credit(tmp_path: Path) -> None:
    # Users write the credit line as printed ("byline"); it was ignored unless the text repeated it.
    f = tmp_path / "b.jsonl"
    row = {
        "id": "b1",
        "title": "农民丰收节开幕",
        "byline": "记者 顾晓岚 通讯员 陈立",
        "text": "本报讯 农民丰收节昨天开幕。",
    }
    f.write_text(json.dumps(row, ensure_ascii=False), "utf-8")
    (art,) = load_file(f).articles
    assert art.byline == "记者 顾晓岚 通讯员 陈立" and art.authors == ("顾晓岚", "陈立")
    row["author"] = "顾晓岚"  # an author field says who wrote it; the byline stays as printed
    f.write_text(json.dumps(row, ensure_ascii=False), "utf-8")
    (art,) = load_file(f).articles
    assert art.authors == ("顾晓岚",) and art.byline.startswith("记者")
