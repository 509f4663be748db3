"""Questions that name a time keep to passages dated in it (assistant/_when.py): the period read
against --as-of, passages dated by their article and by the days their text names, undated
articles never dated, a note when nothing is dated in the period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import cli
from assistant._index import NewsIndex
from assistant._load_corpus import load_paths
from assistant._search import Filters, Searcher
from assistant._when import Period, dated_in, question_period
from assistant.config import Settings
from assistant.records import Passage
from tests.conftest import HashEmbedder

# One drill, reported on three days and once without a date: the same question has a different
# answer depending on the day it is asked about.
DRILLS = [
    {
        "id": "drill-0522",
        "title": "新仓镇中心小学举行消防演练",
        "date": "2024-05-22",
        "source": "平湖发布",
        "text": "本报讯 昨天下午，新仓镇中心小学举行消防疏散演练，共有320名师生参加。演练持续二十分钟。",
    },
    {
        "id": "drill-0515",
        "title": "新仓镇中心小学开展消防演练",
        "date": "2024-05-15",
        "source": "平湖发布",
        "text": "本报讯 昨天上午，新仓镇中心小学开展消防疏散演练，共有180名师生参加。演练由消防救援站指导。",
    },
    {
        "id": "drill-0310",
        "title": "新仓镇中心小学春季消防演练",
        "date": "2024-03-10",
        "source": "平湖发布",
        "text": "本报讯 3月8日，新仓镇中心小学举行春季消防疏散演练，共有90名师生参加。",
    },
    {
        "id": "drill-undated",
        "title": "新仓镇中心小学消防演练",
        "text": "本报讯 昨天，新仓镇中心小学举行消防疏散演练，共有500名师生参加。",
    },
]
QUESTION = "新仓镇中心小学消防演练有多少名师生参加？"


@pytest.fixture()
def drills(tmp_path: Path) -> Path:
    f = tmp_path / "drills.jsonl"
    f.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DRILLS), encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("昨天新仓镇举行了什么活动？", "2024-05-21", "2024-05-21"),
        ("上周平湖有哪些消防演练？", "2024-05-13", "2024-05-19"),
        ("5月17日广陈镇发生了什么？", "2024-05-17", "2024-05-17"),
        ("今年一季度平湖新增多少家企业？", "2024-01-01", "2024-03-31"),
        ("去年平湖接待了多少游客？", "2023-01-01", "2023-12-31"),
        ("2024年5月平湖开了哪些会？", "2024-05-01", "2024-05-31"),
        ("去年和今年一季度相比如何？", "2023-01-01", "2024-03-31"),
    ],
)
def test_the_time_a_question_names_is_read_against_as_of(question: str, first: str, last: str) -> None:
    period = question_period(question, "2024-05-22")
    assert period is not None and (period.first, period.last) == (first, last)


def test_questions_without_a_time_name_no_period() -> None:
    assert question_period("平湖首批设立了多少家劳模工匠学堂？", "2024-05-22") is None
    assert question_period("3日内能办好吗？", "2024-05-22") is None


def test_a_passage_is_dated_by_its_article_and_the_days_its_text_names() -> None:
    def passage(text: str, date: str | None) -> Passage:
        return Passage("p", "a", 0, 0, len(text), text, date=date)

    may21 = Period("2024-05-21", "2024-05-21", "昨天")
    assert dated_in(passage("昨天下午举行演练。", "2024-05-22"), may21)  # the day it names
    assert dated_in(passage("今天举行演练。", "2024-05-21"), may21)  # the day it was published
    assert not dated_in(passage("昨天下午举行演练。", "2024-05-15"), may21)
    # A period the text names counts only when it lies inside the question's.
    assert not dated_in(passage("今年一季度新增企业。", "2024-05-22"), may21)
    # Undated: nothing says when it happened, not even a year printed with it.
    assert not dated_in(passage("2024年5月21日举行演练。", None), may21)


@pytest.fixture()
def searcher(settings: Settings, fake_embedder: HashEmbedder, drills: Path) -> Searcher:
    index = NewsIndex(settings, fake_embedder)
    index.ingest(load_paths([drills]).articles)
    return Searcher(index)


@pytest.mark.parametrize(
    ("question", "as_of", "expected"),
    [
        ("昨天" + QUESTION, "2024-05-22", {"drill-0522"}),
        ("昨天" + QUESTION, "2024-05-15", {"drill-0515"}),
        ("上周" + QUESTION, "2024-05-22", {"drill-0515"}),
        ("今年一季度" + QUESTION, "2024-05-22", {"drill-0310"}),
        ("3月8日" + QUESTION, "2024-05-22", {"drill-0310"}),
        ("2024年5月" + QUESTION, "2030-01-01", {"drill-0522", "drill-0515"}),
    ],
)
def test_retrieval_keeps_to_passages_dated_in_the_period(
    searcher: Searcher, question: str, as_of: str, expected: set[str]
) -> None:
    hits, note = searcher.search_with_note(question, 5, Filters.make(as_of=as_of))
    assert {h.passage.article_id for h in hits} == expected and note is None


def test_nothing_dated_in_the_period_searches_everything_and_says_so(searcher: Searcher) -> None:
    hits, note = searcher.search_with_note("去年" + QUESTION, 5, Filters.make(as_of="2024-05-22"))
    assert len({h.passage.article_id for h in hits}) == 4  # undated included, as without a time
    assert note and "2023-01-01–2023-12-31" in note and "unknown date" in note


def test_without_as_of_or_with_a_date_bound_the_question_time_is_not_applied(searcher: Searcher) -> None:
    q = "昨天" + QUESTION
    assert len(searcher.search(q, 5)) == 4  # the library default: Filters() leaves times alone
    bounded = searcher.search(q, 5, Filters.make("2024-03-01", "2024-03-31", as_of="2024-05-22"))
    assert {h.passage.article_id for h in bounded} == {"drill-0310"}  # the user's bound wins


def test_as_of_must_be_a_date() -> None:
    from assistant.errors import InputError

    with pytest.raises(InputError, match="as_of"):
        Filters.make(as_of="yesterday")


# -- end to end, real model: `ask --as-of` picks the report of the day asked about ---------------


def _cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_ask_as_of_answers_from_the_day_it_names(
    tmp_path: Path, drills: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = str(tmp_path / "index")
    assert _cli("--index", index, "ingest", str(drills), capsys=capsys)[0] == 0
    for as_of, figure, article in (("2024-05-22", "320", "drill-0522"), ("2024-05-15", "180", "drill-0515")):
        code, out, _ = _cli(
            "--index", index, "ask", "昨天" + QUESTION, "--as-of", as_of, "--json", capsys=capsys
        )
        answer = json.loads(out)
        assert code == 0 and not answer["refused"], answer
        assert figure in answer["answer"] and {c["article_id"] for c in answer["citations"]} == {article}
    lines = tmp_path / "q.jsonl"
    lines.write_text(json.dumps({"id": "q1", "question": "昨天" + QUESTION}, ensure_ascii=False), "utf-8")
    code, out, _ = _cli("--index", index, "batch", str(lines), "--as-of", "2024-05-15", capsys=capsys)
    assert code == 0 and "180" in json.loads(out)["answer"]
    code, out, err = _cli(
        "--index", index, "search", "去年" + QUESTION, "--as-of", "2024-05-22", capsys=capsys
    )
    assert code == 0 and "note: nothing in the archive is dated 去年" in err
    code, _, err = _cli("--index", index, "search", QUESTION, "--as-of", "May 22", capsys=capsys)
    assert code == 2 and "--as-of 'May 22' is not a date" in err


def test_the_app_reads_question_times_against_its_as_of_field_and_leaves_claims_alone() -> None:
    import datetime

    import app

    assert app._filters("", "", [], "2024-05-22").as_of == "2024-05-22"
    assert app._filters("", "", [], "").as_of == datetime.date.today().isoformat()  # empty: today
    assert app._filters("", "", []).as_of is None  # the check tab: claims keep their own dates
