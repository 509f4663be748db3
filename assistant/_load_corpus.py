"""Files in, articles out: newspaper pages, JSONL article dumps, text / Markdown articles.

Reading never stops at the first bad file or line: each problem becomes an
`InputError` in the result (naming file and line), and everything else still loads.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._parse_page import looks_like_page, parse_page
from .errors import InputError
from .records import Article

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_FILE_BYTES = 200 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)
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


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK / GB2312)."""
    if not data.strip():
        raise InputError("the file is empty; nothing to read", path=path)
    if b"\x00" in data[:8192]:
        raise InputError("this looks like a binary file, not text; skipped", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                f"cannot decode as UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
                "nor as GB18030/GBK; convert it to UTF-8, e.g. `iconv -f BIG5 -t UTF-8`",
                path=path,
            ) from None


def normalise_date(value: object) -> str | None:
    """ISO day from 2024-05-21, 2024/5/21 or 2024年5月21日; anything else stays unknown."""
    if not value:
        return None
    m = _DATE.search(str(value))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not p.name.startswith(".")
                and p.suffix.lower() in ARTICLE_SUFFIXES | JSONL_SUFFIXES
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
        text = decode(path.read_bytes(), where)
    except InputError as e:
        result.problems.append(e)
        return result
    except OSError as e:
        result.problems.append(InputError(f"cannot read: {e.strerror}", path=where))
        return result
    result = load_jsonl(text, where) if path.suffix.lower() in JSONL_SUFFIXES else load_text(text, where)
    result.files.append(where)
    return result


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
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            result.problems.append(InputError('article has no "text"; line skipped', path=where, line=n))
            continue
        body = body.strip()
        author = obj.get("author") or obj.get("authors") or ()
        authors = tuple(author) if isinstance(author, list) else ((str(author),) if author else ())
        result.articles.append(
            Article(
                id=str(obj["id"]) if obj.get("id") else content_id(body),
                title=str(obj.get("title") or "").strip(),
                text=body,
                authors=authors,
                date=normalise_date(obj.get("date")),
                source=str(obj.get("source") or ""),
                url=str(obj.get("url") or ""),
                path=f"{where}:{n}",
            )
        )
    return result


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---` / `key: value` lines / `---` at the top of a file; the rest is the body."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[m.end() :]


def load_text(text: str, where: str) -> LoadResult:
    meta, body = split_front_matter(text)
    if meta.get("type") == "page" or (meta.get("type") != "article" and looks_like_page(body)):
        return load_page(body, where, meta)
    result = LoadResult()
    lines = body.strip().splitlines()
    title = meta.get("title", "")
    if not title and lines and lines[0].startswith("#"):
        title = lines.pop(0).lstrip("#").strip()
    content = "\n".join(line.strip() for line in lines if line.strip())
    if not content:
        result.problems.append(InputError("the article has no text; skipped", path=where))
        return result
    authors = tuple(a.strip() for a in re.split(r"[,，、;]", meta.get("author", "")) if a.strip())
    result.articles.append(
        Article(
            id=meta.get("id") or content_id(content),
            title=title,
            text=content,
            authors=authors,
            date=normalise_date(meta.get("date")),
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
