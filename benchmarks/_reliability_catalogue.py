"""In-process cases of benchmarks/reliability.py, part 2: side files, arguments and queries, the
reported cases in ../shared/cases; and FAST_CASES, the list the catalogue runs."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from assistant._bm25 import BM25Index
from assistant._search import Filters, Searcher
from assistant.errors import AssistantError
from benchmarks._reliability_inputs import (
    SEED,
    Ctx,
    alias,
    bad_file,
    bad_line,
    collision,
    correction,
    dropped,
    edited,
    ingest,
    jsonl,
    line_broken_later,
    long_article,
    nothing,
    odd_path,
    ok,
    renamed,
    same_line_twice,
    shared,
    texts,
)

__all__ = ["FAST_CASES", "Ctx"]


# -- side files ---------------------------------------------------------------------------


def bm25_damage(how: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        index = ctx.index(d)
        ingest(index, SEED)
        path = index._bm25_path
        if how == "truncated":
            path.write_bytes(path.read_bytes()[:100])
        elif how == "random":
            path.write_bytes(os.urandom(4096))
        elif how == "deleted":
            path.unlink()
        elif how == "stale":  # an older file put back: 3 fewer passages than Chroma
            bm = BM25Index.load(path)
            bm.remove(bm.ids[:3])
            bm.save(path)
        code, out, err = ctx.cli(d, "search", "劳模工匠学堂", "--mode", "bm25", "--json")
        assert code == 0 and json.loads(out)["hits"], err[-300:]
        return f"search answered, file rebuilt; {ok(ctx.index(d))}"

    return run


def garbage_side(name: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        index = ctx.index(d)
        ingest(index, SEED)
        (d / "idx" / name).write_bytes(os.urandom(64))
        ingest(ctx.index(d), d.parent / "nothing-here.md")
        code, out, err = ctx.cli(d, "search", "劳模工匠学堂", "--json")
        assert code == 0 and json.loads(out)["hits"], err[-300:]
        return f"{name} overwritten with random bytes: ingest and search still work"

    return run


def bm25_after_ingest(ctx: Ctx) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    ingest(index, SEED)
    ingest(index, jsonl(d / "more.jsonl", {"id": "m", "text": "新仓镇举办农民丰收节。"}))
    assert len(BM25Index.load(index._bm25_path)) == index.count()
    index.remove(["m"])
    assert len(BM25Index.load(index._bm25_path)) == index.count()
    return "BM25 file rewritten after ingest and after remove"


# -- arguments ----------------------------------------------------------------------------


def refused(*args: str, says: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        ingest(ctx.index(d), SEED)
        code, _, err = ctx.cli(d, *args)
        line = err.strip().splitlines()[-1] if err.strip() else ""
        assert code == 2 and says in line, (code, err[-300:])
        return f"rc 2: «{line[-100:]}»"

    return run


def undated(bound: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        from assistant.records import Article

        d = ctx.dir()
        index = ctx.index(d)
        index.ingest(
            [
                Article(id="may", title="示范小区", text="三个小区获评垃圾分类示范小区。", date="2024-05-10"),
                Article(id="nodate", title="示范小区", text="五个小区获评垃圾分类示范小区。"),
            ]
        )
        f = Filters.make(**{bound: "2024-05-31" if bound == "date_to" else "2024-01-01"})
        got = {h.passage.article_id for h in Searcher(index).search("垃圾分类示范小区", 5, f)}
        assert got == {"may"}, got
        return "the undated article left out, as under the other bound"

    return run


def filter_left_nothing(ctx: Ctx) -> str:
    d = ctx.dir()
    ingest(ctx.index(d), SEED)
    code, out, err = ctx.cli(d, "search", "劳模工匠学堂", "--from", "2024-01-01", "--json")
    assert code == 0 and not json.loads(out)["hits"] and "without the filter" in err
    return f"«{err.strip()[-110:]}»"


def bad_query(q: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        index = ctx.index(d)
        ingest(index, SEED)
        try:
            hits = Searcher(index).search(q, 3)
        except AssistantError as e:
            return f"refused: «{str(e)[:90]}»"
        assert hits and len(q) > 10_000
        return f"{len(q)} characters: capped and answered"

    return run


def batch_lines(ctx: Ctx) -> str:
    from assistant._batch import Request, requests

    lines = [
        '{"id": "s", "question": "平湖\\ud800劳模"}',
        "{oops",
        "[1]",
        '{"id": 3}',
        '{"id": "g", "question": "好"}',
    ]
    got = list(requests(lines, "question"))
    errors = [g for g in got if isinstance(g, dict)]
    assert len(errors) == 4 and isinstance(got[-1], Request) and all("error" in e for e in errors)
    return "surrogate, bad JSON, non-object, no question: 4 error objects, the last line answered"


def shared_case(name: str, fn: Callable[[Ctx, Path], str]) -> Callable[[Ctx], str]:
    return lambda ctx: fn(ctx, shared(name))


def case_r01(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    shutil.copy(c / "good.jsonl", d / "news.jsonl")
    index = ctx.index(d)
    ingest(index, d / "news.jsonl")
    shutil.copy(c / "good_v2_line2_broken.jsonl", d / "news.jsonl")
    report, _ = ingest(index, d / "news.jsonl")
    assert report.articles_removed == 0 and len(index.list_articles()) == 3
    return "g-1 kept"


def case_r02(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    report, _ = ingest(ctx.index(d), c / "a12d_collision_among_good.jsonl")
    assert report.articles_new == 11 and len(report.problems) == 1
    return "10 good + 1 of the pair ingested, the other reported; " + ok(ctx.index(d))


def case_r03(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    folder = d / "dir:with:colon"
    folder.mkdir()
    shutil.copy(c / "v1.txt", folder / "story.txt")
    index = ctx.index(d)
    ingest(index, folder / "story.txt")
    shutil.copy(c / "v2.txt", folder / "story.txt")
    report, _ = ingest(index, folder / "story.txt")
    assert report.articles_removed == 1 and len(index.list_articles()) == 1
    return "1 removed, only the new text"


def case_r04(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    code, _, err = ctx.cli(d, "ingest", str(c / "a15_frontmatter_unclosed.md"), "--json")
    index = ctx.index(d)
    [art] = index.list_articles()
    text = index.get_article(art["id"]).text  # type: ignore[union-attr]
    assert code == 0 and "not closed" in err and "a15_frontmatter_unclosed.md" in err, err[-300:]
    assert art["title"] == "前置信息未闭合" and art["date"] == "2024-05-20" and "title:" not in text
    return f"warned «{err.strip().splitlines()[0][-80:]}»; title and date read, not text"


def case_r07(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    ingest(ctx.index(d), SEED)
    lines = []
    for args in (
        ("search", "劳模工匠学堂", "--k", "0", "--json"),
        ("ask", "平湖首批设立了多少家劳模工匠学堂？", "--k", "0", "--json"),
        ("search", "劳模工匠学堂", "--k", "-1", "--json"),
    ):
        code, out, err = ctx.cli(d, *args)
        assert code == 2 and not out.strip() and "1 or more" in err, (args, code, err[-200:])
        lines.append(err.strip().splitlines()[-1])
    return f"3 of 3 refused, rc 2: «{lines[-1][-70:]}»"


def case_r08(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    ingest(ctx.index(d), SEED)
    said = []
    for args, expect in (
        (("search", "人民网", "--from", "2023-12-31", "--to", "2023-01-01", "--json"), "reversed"),
        (("ask", "人民网柏林7月28日电说了什么？", "--from", "2023-12-31", "--to", "2023-01-01"), "reversed"),
        (("search", "劳模", "--from", "2024-02-30", "--json"), "not a date"),
        (("search", "劳模", "--from", "abc2024-05-17xyz99", "--json"), "not a date"),
        (("search", "劳模", "--from", "2024-05-1799", "--json"), "not a date"),
    ):
        code, _, err = ctx.cli(d, *args)
        assert code == 2 and expect in err, (args, code, err[-200:])
        said.append(err.strip().splitlines()[-1])
    f = jsonl(d / "bad-date.jsonl", {"id": "d", "text": "新埭镇举办农民运动会。", "date": "2024-02-31"})
    _report, _problems = ingest(ctx.index(d), f)
    stored = ctx.index(d).get_article("d")
    assert stored is None or stored.date != "2024-02-31", "2024-02-31 stored as a date"
    return f"5 of 5 refused, rc 2 (e.g. «{said[0][-60:]}»); JSONL date 2024-02-31 not stored as a date"


def case_r05(ctx: Ctx, c: Path) -> str:
    # page.html in the case's folder is an input since saved web pages are read: the kind
    # (a folder of files no reader takes: CSV, a JSON document) is tried on the other two.
    d = ctx.dir()
    only = d / "unsupported"
    only.mkdir()
    for name in ("news.csv", "news.json"):
        shutil.copy(c / "unsupported" / name, only / name)
    code, _, err = ctx.cli(d, "ingest", str(only))
    assert code == 1 and "nothing ingested" in err, (code, err[-300:])
    whole, _, _ = ctx.cli(d, "ingest", str(c / "unsupported"))
    assert whole == 0 and len(ctx.index(d).list_articles()) == 1, "page.html not read"
    return f"rc 1: «{err.strip().splitlines()[-1][-90:]}»; with page.html: rc 0, 1 article"


def case_r11(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    ingest(index, c / "000_f157e6cd94a7ab20.txt")
    ingest(index, c / "a11_malformed.jsonl")
    assert len(BM25Index.load(index._bm25_path)) == index.count()
    return "BM25 file in step after the incremental ingest"


def case_r17(ctx: Ctx, c: Path) -> str:
    return renamed(ctx)


def case_05(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    ingest(index, c / "feed.jsonl")
    ingest(index, c / "library_v1.md")
    assert len(index.list_articles()) == 1 and index.count() == 1
    return "1 article, 1 passage"


def case_06(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    shutil.copy(c / "library_v1.md", d / "news.md")
    ingest(index, d / "news.md")
    shutil.copy(c / "library_v2.md", d / "news.md")
    cwd = os.getcwd()
    os.chdir(d)
    try:
        ingest(index, Path("news.md"))
    finally:
        os.chdir(cwd)
    joined = "".join(texts(index))
    assert "52万册" in joined and "45万册" not in joined
    return "only 52万册 left"


def case_r06(ctx: Ctx, c: Path) -> str:
    from assistant._batch import Request, requests

    got = list(requests((c / "questions.jsonl").read_text(encoding="utf-8").splitlines(), "question"))
    assert "error" in got[0] and isinstance(got[1], Request)
    return "line 1 an error object, line 2 answered"


def case_21(ctx: Ctx, c: Path) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    ingest(index, c / "may.md", c / "undated.md")
    hits = Searcher(index).search("垃圾分类示范小区", 5, Filters.make(date_to="2024-05-31"))
    assert hits and all(h.passage.date for h in hits)
    return "--to leaves the undated article out, as --from does"


FAST_CASES: list[tuple[str, Callable[[Ctx], str]]] = [
    ("file: empty", bad_file(b"", "empty.txt", "empty")),
    ("file: only whitespace", bad_file(b" \n\t\n", "blank.md", "empty")),
    ("file: binary with NUL bytes", bad_file(b"\x00\x01PNG\x00" * 50, "image.txt", "binary")),
    ("file: undecodable bytes", bad_file(bytes(range(128, 256)) * 4, "mojibake.txt", "decode")),
    ("file: JSONL of only bad lines", bad_file(b"{oops\n[1,2]\n", "bad.jsonl", "bad.jsonl")),
    ("line: not JSON", bad_line("{oops", "not valid JSON")),
    ("line: a JSON array", bad_line("[1, 2]", "JSON object")),
    ("line: no text", bad_line('{"id": "t"}', "text")),
    ("line: empty text", bad_line('{"id": "t", "text": "  "}', "text")),
    ("line: text not a string", bad_line('{"id": "t", "text": 42}', "text")),
    ("line: a good line broken by a later save keeps its article", line_broken_later),
    ("id collision inside one file", lambda c: collision(c, False)),
    ("id collision across two files of one ingest", lambda c: collision(c, True)),
    ("the same line twice", same_line_twice),
    ("same article: CMS id in JSONL, then a Markdown file", lambda c: alias(c, False)),
    ("same article: Markdown file, then a CMS id in JSONL", lambda c: alias(c, True)),
    ("edited file, same path", lambda c: edited(c, "same")),
    ("edited file, relative path the second time", lambda c: edited(c, "relative")),
    ("edited file in a folder with ':' in its name", lambda c: edited(c, "colon")),
    ("edited file reached through a symlink", lambda c: edited(c, "symlink")),
    ("renamed copy of a page embeds nothing", renamed),
    ("an article dropped from a file is removed and reported", dropped),
    ("a date corrected in place re-embeds nothing", correction),
    ("ingest: a path that does not exist", lambda c: nothing(c, "missing")),
    ("ingest: an empty folder", lambda c: nothing(c, "empty")),
    ("ingest: a folder of unsupported files", lambda c: nothing(c, "unsupported")),
    ("ingest: a 69k-character article", long_article),
    ("ingest: spaces, CJK and brackets in the path", odd_path),
    ("BM25 file truncated", bm25_damage("truncated")),
    ("BM25 file random bytes", bm25_damage("random")),
    ("BM25 file deleted", bm25_damage("deleted")),
    ("BM25 file older than Chroma", bm25_damage("stale")),
    ("BM25 file rewritten after ingest and remove", bm25_after_ingest),
    ("journal file garbage", garbage_side("journal-news.json")),
    ("generation marker garbage", garbage_side("generation-news")),
    ("lock file garbage", garbage_side("write-news.lock")),
    ("search --k 0", refused("search", "劳模", "--k", "0", says="give 1 or more")),
    ("search --k -1", refused("search", "劳模", "--k", "-1", says="give 1 or more")),
    ("ask --k 0", refused("ask", "劳模", "--k", "0", says="give 1 or more")),
    ("search --k five", refused("search", "劳模", "--k", "five", says="not a whole number")),
    ("--from 2024-02-30", refused("search", "劳模", "--from", "2024-02-30", says="not a date")),
    (
        "--from abc2024-05-17xyz99",
        refused("search", "劳模", "--from", "abc2024-05-17xyz99", says="not a date"),
    ),
    ("--from 2024-05-1799", refused("search", "劳模", "--from", "2024-05-1799", says="not a date")),
    ("--to 2023-02-29", refused("search", "劳模", "--to", "2023-02-29", says="not a date")),
    (
        "reversed range",
        refused("search", "劳模", "--from", "2023-12-31", "--to", "2023-01-01", says="reversed"),
    ),
    (
        "ask with a reversed range",
        refused("ask", "劳模", "--from", "2023-12-31", "--to", "2023-01-01", says="reversed"),
    ),
    ("undated article under --to", undated("date_to")),
    ("undated article under --from", undated("date_from")),
    ("a filter that leaves nothing says so", filter_left_nothing),
    ("empty question", bad_query("   ")),
    ("question with a lone surrogate", bad_query("平湖\ud800劳模")),
    ("120k-character question", bad_query("劳模工匠学堂" * 20_000)),
    ("batch: surrogate, bad JSON, non-object, no question", batch_lines),
    ("case r01: malformed line deletes article", shared_case("r01", case_r01)),
    ("case r02: id collision crash", shared_case("r02", case_r02)),
    ("case r03: edited file keeps old version", shared_case("r03", case_r03)),
    ("case r04: unclosed front matter silent", shared_case("r04", case_r04)),
    ("case r05: nothing ingested exits 0", shared_case("r05", case_r05)),
    ("case r06: lone surrogate kills batch", shared_case("r06", case_r06)),
    ("case r07: --k 0 and --k -1 accepted", shared_case("r07", case_r07)),
    ("case r08: impossible and reversed date filters", shared_case("r08", case_r08)),
    ("case r11: BM25 stale", shared_case("r11", case_r11)),
    ("case r17: renamed file re-embeds", shared_case("r17", case_r17)),
    ("case 05: CMS id and Markdown stored twice", shared_case("05", case_05)),
    ("case 06: edit under another path spelling", shared_case("06", case_06)),
    ("case 21: undated under --to", shared_case("21", case_21)),
]
