"""In-process cases of benchmarks/reliability.py, part 1: the scratch context and helpers, bad
input at ingest, identity. Each case returns a short line of evidence or raises AssertionError."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant import cli
from assistant._index import NewsIndex
from assistant._ingest import IngestReport, complete_files
from assistant._load_corpus import load_paths
from assistant._verify import verify
from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "jiaxing-daily_pinghu-edition_page-f157e6cd94a7ab20.txt"
CASES = ROOT.parent / "shared" / "cases"


class Ctx:
    """Scratch folders and one embedder for every case."""

    def __init__(self, tmp: Path, fake: bool = False) -> None:
        self.tmp = tmp
        self.n = 0
        self.fake = fake
        self._embedder: Any = None

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            if self.fake:
                from tests.conftest import HashEmbedder

                self._embedder = HashEmbedder()
            else:
                from assistant._embed import get_embedder

                self._embedder = get_embedder(Settings())
        return self._embedder

    def dir(self) -> Path:
        self.n += 1
        d = self.tmp / f"case{self.n:03d}"
        d.mkdir(parents=True)
        return d

    def index(self, d: Path) -> NewsIndex:
        return NewsIndex(Settings(index_dir=d / "idx"), self.embedder)

    def cli(self, d: Path, *args: str) -> tuple[int, str, str]:
        """`python -m assistant --index d/idx ARGS`, in-process (the model loads once)."""
        out, err = io.StringIO(), io.StringIO()
        emb = self.embedder
        old = NewsIndex.embedder
        NewsIndex.embedder = property(lambda self: emb)  # type: ignore[assignment,method-assign]
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = cli.main(["--index", str(d / "idx"), *args])
                except SystemExit as e:  # argparse refusals
                    code = int(e.code or 0)
        finally:
            NewsIndex.embedder = old  # type: ignore[method-assign]
        return code, out.getvalue(), err.getvalue()


def ingest(index: NewsIndex, *paths: Path) -> tuple[IngestReport, list[str]]:
    loaded = load_paths(list(paths))
    report = index.ingest(loaded.articles, whole_files=complete_files(loaded.files, loaded.problems))
    return report, [str(p) for p in loaded.problems] + list(report.problems)


def texts(index: NewsIndex) -> list[str]:
    return sorted(index.get_article(a["id"]).text for a in index.list_articles())  # type: ignore[union-attr]


def ok(index: NewsIndex) -> str:
    v = verify(index)
    assert v.ok, f"verify: {v.to_json()}"
    return f"verify ok ({v.articles} articles, {v.passages} passages, self-retrieval {v.self_retrieval:.2f})"


def jsonl(path: Path, *records: Any) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def shared(name: str) -> Path:
    hits = sorted(CASES.glob(f"{name}*")) if CASES.exists() else []
    if not hits:
        from benchmarks.reliability import Skip

        raise Skip(f"../shared/cases/{name}* is not here")
    return hits[0]


# -- bad files: reported by name, skipped, nothing indexed lost ---------------------------


def bad_file(content: bytes, name: str, says: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        index = ctx.index(d)
        ingest(index, SEED)
        before = index.count()
        (d / name).write_bytes(content)
        code, _, err = ctx.cli(d, "ingest", str(d / name))
        assert code == 1 and says in err and name in err, (code, err[-300:])
        assert index.count() == before
        return f"rc 1, «{err.strip().splitlines()[0][-90:]}»; {ok(index)}"

    return run


def bad_line(line: str, says: str) -> Callable[[Ctx], str]:
    def run(ctx: Ctx) -> str:
        d = ctx.dir()
        f = jsonl(d / "f.jsonl", {"id": "good", "text": "平湖新建口袋公园三处。"}, line)
        code, _, err = ctx.cli(d, "ingest", str(f))
        assert code == 0 and "f.jsonl:2" in err and says in err, (code, err[-300:])
        index = ctx.index(d)
        assert [a["id"] for a in index.list_articles()] == ["good"]
        return f"«{err.strip().splitlines()[0][-80:]}»; the good line indexed"

    return run


def line_broken_later(ctx: Ctx) -> str:
    d = ctx.dir()
    f = jsonl(
        d / "f.jsonl", {"id": "a", "text": "东湖小学新建教学楼。"}, {"id": "b", "text": "六里塘大桥通车。"}
    )
    index = ctx.index(d)
    ingest(index, f)
    jsonl(f, {"id": "a", "text": "东湖小学新建教学楼。"}, '{"id": "b", "text": "六里塘')
    report, _ = ingest(index, f)
    assert report.articles_removed == 0 and len(index.list_articles()) == 2
    return "the article of the broken line kept; " + ok(index)


def collision(ctx: Ctx, two_files: bool) -> str:
    d = ctx.dir()
    recs = [{"id": "dup", "text": "平湖新开两条公交线路。"}, {"id": "ok", "text": "当湖街道举办邻里节。"}]
    other = {"id": "dup", "text": "平湖新开三条公交线路。"}
    files = [jsonl(d / "a.jsonl", *recs)]
    if two_files:
        files.append(jsonl(d / "b.jsonl", other))
    else:
        jsonl(files[0], *recs, other)
    report, _ = ingest(ctx.index(d), *files)
    assert report.articles_new == 2 and len(report.problems) == 1, report
    where = "b.jsonl:1" if two_files else "a.jsonl:3"
    assert where in report.problems[0] and "a.jsonl:1" in report.problems[0]
    return f"«{report.problems[0][-95:]}»; " + ok(ctx.index(d))


def same_line_twice(ctx: Ctx) -> str:
    d = ctx.dir()
    r = {"id": "x", "text": "新仓镇举办农民丰收节。"}
    report, _ = ingest(ctx.index(d), jsonl(d / "f.jsonl", r, r))
    assert report.articles_new == 1 and not report.problems
    return "stored once, no warning; " + ok(ctx.index(d))


def alias(ctx: Ctx, md_first: bool) -> str:
    d = ctx.dir()
    body = "平湖市图书馆东湖分馆今起开放，藏书十万册。"
    f = jsonl(d / "cms.jsonl", {"id": "cms-1", "title": "分馆开放", "text": body})
    md = d / "lib.md"
    md.write_text(f"# 分馆开放\n{body}\n", encoding="utf-8")
    index = ctx.index(d)
    for p in (md, f) if md_first else (f, md):
        report, _ = ingest(index, p)
    assert report.articles_aliased == 1 and report.passages_embedded == 0 and len(index.list_articles()) == 1
    assert index.remove(["cms-1"]) == 1 and index.count() == 0
    return "one article, the other id an alias; remove by alias works"


def edited(ctx: Ctx, spelling: str) -> str:
    d = ctx.dir()
    folder = d / ("报道:第5期" if spelling == "colon" else "pub")
    folder.mkdir()
    f = folder / "story.md"
    f.write_text("# 读书月\n读书月活动吸引读者三千人。\n", encoding="utf-8")
    index = ctx.index(d)
    ingest(index, f)
    f.write_text("# 读书月\n读书月活动吸引读者五千人。\n", encoding="utf-8")
    if spelling == "relative":
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            report, _ = ingest(index, Path("..") / "pub" / "story.md")
        finally:
            os.chdir(cwd)
    elif spelling == "symlink":
        (d / "link").symlink_to(folder)
        report, _ = ingest(index, d / "link" / "story.md")
    else:
        report, _ = ingest(index, f)
    assert report.articles_removed == 1 and texts(index) == ["读书月活动吸引读者五千人。"], report
    return f"old version removed ({report.removed[0]}); " + ok(index)


def renamed(ctx: Ctx) -> str:
    d = ctx.dir()
    index = ctx.index(d)
    shutil.copy(SEED, d / "a.txt")
    ingest(index, d / "a.txt")
    shutil.copy(SEED, d / "b.txt")
    report, _ = ingest(index, d / "b.txt")
    assert report.passages_embedded == 0 and report.articles_unchanged == 7, report
    (d / "a.txt").write_text("# 另一篇\n另一篇报道的正文。\n", encoding="utf-8")
    report, _ = ingest(index, d / "a.txt")
    assert report.articles_removed == 0 and len(index.list_articles()) == 8
    return "0 embedded for the copy; the page stays while b.txt holds it"


def dropped(ctx: Ctx) -> str:
    d = ctx.dir()
    f = jsonl(d / "f.jsonl", {"id": "a", "text": "甲文。"}, {"id": "b", "text": "乙文。"})
    index = ctx.index(d)
    ingest(index, f)
    jsonl(f, {"id": "a", "text": "甲文。"})
    report, _ = ingest(index, f)
    assert report.removed == ("b",) and [a["id"] for a in index.list_articles()] == ["a"]
    return "the article dropped from the file removed and reported"


def correction(ctx: Ctx) -> str:
    d = ctx.dir()
    f = jsonl(d / "f.jsonl", {"id": "d", "title": "防汛", "date": "2024-06-01", "text": "平湖部署防汛工作。"})
    index = ctx.index(d)
    ingest(index, f)
    jsonl(f, {"id": "d", "title": "防汛", "date": "2024-06-02", "text": "平湖部署防汛工作。"})
    report, _ = ingest(index, f)
    assert report.articles_replaced == 1 and report.passages_embedded == 0
    return "date corrected in place, 0 re-embedded; " + ok(index)


def nothing(ctx: Ctx, kind: str) -> str:
    d = ctx.dir()
    good = d / "good.md"
    good.write_text("# 好\n平湖新建口袋公园三处。\n", encoding="utf-8")
    bad = d / "missing.txt"
    if kind == "empty":
        bad = d / "empty.d"
        bad.mkdir()
    elif kind == "unsupported":
        bad = d / "other"
        bad.mkdir()
        for n in ("a.csv", "b.json", "c.docx"):
            (bad / n).write_text("x", encoding="utf-8")
    code, _, err = ctx.cli(d, "ingest", str(good), str(bad))
    assert code == 1 and "nothing ingested" in err and ctx.index(d).count() == 1, (code, err)
    return f"rc 1 after ingesting the rest: «{err.strip().splitlines()[-1][-80:]}»"


def long_article(ctx: Ctx) -> str:
    d = ctx.dir()
    body = "平湖市持续推进老旧小区改造工作，惠及居民数千户。" * 3000
    report, _ = ingest(ctx.index(d), jsonl(d / "f.jsonl", {"id": "long", "text": body}))
    ps = ctx.index(d).passages_collection().get(include=["documents"])["documents"]
    assert report.articles_new == 1 and max(len(p) for p in ps) <= 200
    return f"{len(body)} characters into {len(ps)} passages of <= 200"


def odd_path(ctx: Ctx) -> str:
    d = ctx.dir()
    folder = d / "新 闻 稿 (2024)"
    folder.mkdir()
    f = folder / "东湖 分馆.md"
    f.write_text("# 分馆\n东湖分馆今起开放。\n", encoding="utf-8")
    code, _, err = ctx.cli(d, "ingest", str(f))
    assert code == 0 and ctx.index(d).count() == 1, err
    return "spaces, CJK and brackets in the path: ingested"
