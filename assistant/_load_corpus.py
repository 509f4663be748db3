"""Files in, articles out: newspaper pages, JSONL article dumps, text / Markdown articles,
saved web pages and RSS/Atom feeds (the last two in `_load_web`).

Reading never stops at the first bad file or line: each problem becomes an
`InputError` in the result (naming file and line), and everything else still loads.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._decode import decode
from ._load_web import FEED_SUFFIXES, HTML_SUFFIXES, load_feed, load_html
from ._parse_page import dateline_byline, looks_like_page, parse_byline, parse_page
from .errors import InputError
from .records import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = ARTICLE_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
MAX_FILE_BYTES = 200 * 1024 * 1024
# A front-matter line: an ASCII key, a colon, a value (YAML's simple scalars only).
_META_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
# What may stand between a closing pair of `---`: key lines, blanks, indented or list
# lines, ASCII comments. A line of article text (r04: `# 新仓镇举办龙舟赛`, a sentence) means
# the `---` further down is a Markdown rule and the front matter was never closed.
_YAMLISH = re.compile(r"[A-Za-z_][\w-]*[ \t]*:.*|\s*|\s+\S.*|-\s.*|#[ -~]*")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (kept id, dropped where)
    files: list[str] = field(default_factory=list)  # files read in full

    def extend(self, other: LoadResult) -> None:
        self.articles.extend(other.articles)
        self.problems.extend(other.problems)
        self.duplicates.extend(other.duplicates)
        self.files.extend(other.files)


def content_id(text: str, prefix: str = "a") -> str:
    """The same words give the same id, whatever file or layout they came in."""
    norm = re.sub(r"\s+", "", text)
    return f"{prefix}-{hashlib.sha1(norm.encode('utf-8')).hexdigest()[:16]}"


def normalise_date(value: object) -> str | None:
    """ISO day from 2024-05-21, 2024/5/21 or 2024年5月21日; anything else stays unknown."""
    if not value:
        return None
    m = _DATE.search(str(value))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    try:
        return datetime.date(y, mo, d).isoformat()  # 2024-02-31 is no day: unknown, not stored
    except ValueError:
        return None


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
            )
        else:
            yield path


def load_paths(paths: Iterable[Path]) -> LoadResult:
    """Load every file; the same article met twice (by content) is kept once."""
    result = LoadResult()
    for path in iter_files(paths):
        result.extend(load_file(path))
    seen: dict[str, Article] = {}
    unique: list[Article] = []
    for art in result.articles:
        if not art.authors and not art.byline and (credit := dateline_byline(art.text)):
            # the reporters of a lone article are printed in its lead, not on a ■ line
            art = replace(art, byline=credit, authors=parse_byline(credit))
        key = content_id(art.text)
        if key in seen:
            result.duplicates.append((seen[key].id, f"{art.path} ({art.id})"))
            continue
        seen[key] = art
        unique.append(art)
    result.articles = unique
    return result


def load_file(path: Path) -> LoadResult:
    result = LoadResult()
    where = str(path)
    try:
        if not path.exists():
            raise InputError("no such file or folder", path=where)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit; "
                "split it (JSONL splits on lines)",
                path=where,
            )
        data = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix in FEED_SUFFIXES:  # feedparser reads the XML's own encoding declaration
            articles, problems = load_feed(data, where, path.parent, _decode_file)
            # Only a feed that was read counts as read in full: an unreadable one keeps
            # whatever it added before (bad input loses nothing already indexed).
            return LoadResult(articles=articles, problems=problems, files=[where] if articles else [])
        text = decode(data, where).text
        if suffix in HTML_SUFFIXES:
            articles, problems = load_html(text, where)
            return LoadResult(articles=articles, problems=problems, files=[where] if articles else [])
    except InputError as e:
        result.problems.append(e)
        return result
    except OSError as e:
        result.problems.append(InputError(f"cannot read: {e.strerror}", path=where))
        return result
    result = load_jsonl(text, where) if path.suffix.lower() in JSONL_SUFFIXES else load_text(text, where)
    result.files.append(where)
    return result


def _decode_file(path: Path) -> str:
    return decode(path.read_bytes(), str(path)).text


def load_jsonl(text: str, where: str) -> LoadResult:
    """One article object a line; a bad line is reported with its number, the rest load."""
    result = LoadResult()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            result.problems.append(InputError(f"not valid JSON ({e.msg}); line skipped", path=where, line=n))
            continue
        if not isinstance(obj, dict):
            result.problems.append(InputError("expected a JSON object; line skipped", path=where, line=n))
            continue
        obj, lone = _replace_lone_surrogates(obj)
        if lone:
            # JSON may escape half a UTF-16 pair ("\ud800"); no encoder or tokenizer accepts
            # it, so one bad character must not sink the article or the whole ingest (r06).
            result.problems.append(
                InputError(
                    f"{lone} lone surrogate escape(s) (e.g. \\ud800) replaced by U+FFFD; "
                    "fix the escape in the source",
                    path=where,
                    line=n,
                )
            )
        body = obj.get("text")
        if body is not None and not isinstance(body, str):
            kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
            what = kind.get(type(body), type(body).__name__)
            why = f'article "text" is {what}, not a string: give the body as a JSON string; line skipped'
            result.problems.append(InputError(why, path=where, line=n))
            continue
        if not isinstance(body, str) or not body.strip():
            result.problems.append(InputError('article has no "text"; line skipped', path=where, line=n))
            continue
        body = body.strip()
        date = normalise_date(obj.get("date"))
        if obj.get("date") and date is None:
            # 2026-02-30 is no day: kept without a date, but said, since date filters will skip it
            result.problems.append(
                InputError(
                    f'"date" {str(obj.get("date"))[:40]!r} is no real day; the article is kept '
                    "undated: give it as YYYY-MM-DD",
                    path=where,
                    line=n,
                )
            )
        author = obj.get("author") or obj.get("authors") or ()
        authors = tuple(author) if isinstance(author, list) else ((str(author),) if author else ())
        # A printed credit line (记者 张三 通讯员 李四), the way papers give it: its names are the
        # authors when no author field says otherwise.
        byline = str(obj.get("byline") or "").strip()
        if byline and not authors:
            authors = tuple(parse_byline(byline))
        result.articles.append(
            Article(
                id=str(obj["id"]) if obj.get("id") else content_id(body),
                title=str(obj.get("title") or "").strip(),
                text=body,
                authors=authors,
                byline=byline,
                date=date,
                source=str(obj.get("source") or ""),
                url=str(obj.get("url") or ""),
                path=f"{where}:{n}",
            )
        )
    return result


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(obj: dict[str, object]) -> tuple[dict[str, object], int]:
    """Top-level string values (and string lists) with lone surrogates replaced; how many."""
    count = 0

    def fix(value: object) -> object:
        nonlocal count
        if isinstance(value, str):
            value, n = _LONE_SURROGATE.subn("\ufffd", value)
            count += n
            return value
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    fixed = {k: fix(v) for k, v in obj.items()}
    return fixed, count


def split_front_matter(text: str, where: str = "") -> tuple[dict[str, str], str, InputError | None]:
    """`---` / `key: value` lines / `---` at the top of a file: (metadata, body, warning).

    Front matter that is opened but never closed (r04) is still read as metadata: the
    `key: value` lines right after the opening `---`, up to the first other line. The
    body starts there, so the metadata never becomes article text, and the warning
    names the file and the fix. A `---` not followed by `key: value` lines is a
    Markdown rule, left in the body as before.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, None
    close = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    block = lines[1:close] if close is not None else []
    if close is not None and all(_YAMLISH.fullmatch(line.rstrip("\r\n")) for line in block):
        return _read_meta(block), "".join(lines[close + 1 :]), None
    n = 1
    while n < len(lines) and _META_LINE.match(lines[n].rstrip("\r\n")):
        n += 1
    meta = _read_meta(lines[1:n])
    if not meta:
        return {}, text, None
    warning = InputError(
        f"front matter opened with --- is not closed; lines 2-{n} ({', '.join(meta)}) were read as "
        f"metadata and the text starts at line {n + 1}; add a closing --- line after them",
        path=where,
    )
    return meta, "".join(lines[n:]), warning


def _read_meta(lines: list[str]) -> dict[str, str]:
    """`key: value` lines; a YAML list under a key (`author:` / `  - 张三`) joins with commas."""
    meta: dict[str, str] = {}
    key = ""
    for line in lines:
        if m := _META_LINE.match(line.rstrip("\r\n")):
            key = m.group(1).lower()
            meta[key] = m.group(2).strip().strip("'\"")
        elif key and (item := re.match(r"\s*-\s+(.*)", line)):
            value = item.group(1).strip().strip("'\"")
            meta[key] = f"{meta[key]},{value}" if meta[key] else value
    return meta


def _headline(line: str) -> str | None:
    """The words of a Markdown `# headline` line; a #话题# tag is not a headline."""
    m = re.match(r"#{1,6}(?!#)\s*(.*?)\s*#*\s*$", line.strip())
    if not m or not m.group(1) or re.fullmatch(r"#[^#\s]+#", line.strip()):
        return None
    return m.group(1)


_DATE_LINE = re.compile(
    rf"(?:日期|发布时间|时间)?[:：]?\s*{_DATE.pattern}\s*(?:[（(]?(?:星期|周)[一二三四五六日天][)）]?)?"
)


def _plain_headline(first: str, second: str) -> bool:
    """A .txt file's first line is its headline when it is short, ends no sentence, and the
    date line follows it (the layout news sites and papers export)."""
    return (
        len(first) <= 40 and not re.search(r"[。！？!?；;，,]$", first) and bool(_DATE_LINE.fullmatch(second))
    )


def load_text(text: str, where: str) -> LoadResult:
    meta, body, warning = split_front_matter(text, where)
    result = LoadResult()
    if warning:
        result.problems.append(warning)
    if meta.get("type") == "page" or (meta.get("type") != "article" and looks_like_page(body)):
        page = load_page(body, where, meta)
        page.problems[:0] = result.problems
        return page
    lines = body.strip().splitlines()
    title = meta.get("title", "")
    subtitle = meta.get("subtitle", "")
    if lines and (headline := _headline(lines[0])) is not None:
        # One title, and never a `#` line in the text that answers would quote. A headline
        # that differs from the front-matter title is kept as the subtitle, not lost.
        lines.pop(0)
        if not title:
            title = headline
        elif re.sub(r"\s+", "", headline) != re.sub(r"\s+", "", title) and not subtitle:
            subtitle = headline
    lines = [line.strip() for line in lines if line.strip()]
    if not title and where.endswith(".txt") and len(lines) >= 3 and _plain_headline(lines[0], lines[1]):
        # A plain-text article: the headline, then its date line, then the text.
        title = lines.pop(0)
    date = normalise_date(meta.get("date"))
    if len(lines) > 1 and _DATE_LINE.fullmatch(lines[0]):
        # 2025年4月14日 (星期一) on a line of its own under the headline: the article's date,
        # not a sentence answers would quote.
        date = date or normalise_date(lines[0])
        lines.pop(0)
    content = "\n".join(lines)
    if not content:
        result.problems.append(InputError("the article has no text; skipped", path=where))
        return result
    authors = tuple(a.strip() for a in re.split(r"[,，、;]", meta.get("author", "")) if a.strip())
    result.articles.append(
        Article(
            id=meta.get("id") or content_id(content),
            title=title,
            subtitle=subtitle,
            text=content,
            authors=authors,
            date=date,
            source=_source(meta.get("paper", ""), meta.get("edition", "")) or meta.get("source", ""),
            url=meta.get("url", ""),
            path=where,
        )
    )
    return result


def _source(paper: str, edition: str) -> str:
    return "·".join(p for p in (paper, edition) if p)


def load_page(body: str, where: str, meta: dict[str, str]) -> LoadResult:
    page = parse_page(body, paper=meta.get("paper", ""), edition=meta.get("edition", ""))
    source = meta.get("source") or _source(page.paper, page.edition)
    date = normalise_date(meta.get("date"))  # pages print no date: unknown stays unknown
    result = LoadResult()
    for item in page.items:
        if not item.text.strip():
            result.problems.append(
                InputError(f"「{item.title}」 has a headline but no text; skipped", path=where)
            )
            continue
        result.articles.append(
            Article(
                id=content_id(item.text),
                title=item.title,
                text=item.text,
                kind=item.kind,  # type: ignore[arg-type]
                kicker=item.kicker,
                subtitle=item.subtitle,
                authors=item.authors,
                byline=item.byline,
                date=date,
                source=source,
                page=meta.get("page"),
                column=item.column,
                path=where,
            )
        )
    return result
