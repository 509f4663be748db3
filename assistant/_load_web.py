"""Saved news web pages and RSS/Atom feeds into articles.

A page (.html/.htm) gives one article: trafilatura finds the main text, title and date;
the author comes from trafilatura, else `<meta name="author">` or the page's byline line
(trafilatura drops Chinese author names: it keeps Latin letters only). The headline and
the 来源/记者/时间 line that news sites print above the text are metadata, not text.

A feed (.xml/.rss/.atom) gives one article per entry, with the entry's link and date.
Its text is taken from a saved copy of the linked page in the same folder when there is
one (matched by the page's canonical URL, else by file name), else from the entry's
content, else from its summary. The feed's own date string is used as written, so an
entry published at 01:30 +08:00 keeps its local day (feedparser's parsed dates are UTC).

trafilatura takes ~3 s to import, so it is imported only when a page or feed is read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .records import Article

# trafilatura logs every page it finds no text in at ERROR level; with no logging set up
# Python prints that to stderr. We report such pages ourselves, as one line each.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

HTML_SUFFIXES = {".html", ".htm"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
# A line above the text that only says where and when: 来源：平湖新闻网　记者 陈晓雯　2024-05-28 09:30
_INFO_LINE = re.compile(r"(?:来源|作者|记者|编辑|责任编辑|发布时间|时间|日期|通讯员)\s*[:：]?")
_AUTHOR = re.compile(r"(?:记者|作者|通讯员)\s*[:：]?\s*((?:[\u4e00-\u9fff·]{2,4}[\s、,，]*)+)")
_SOURCE = re.compile(r"来源\s*[:：]\s*(\S+)")
_DATE_METAS = ("article:published_time", "og:published_time", "pubdate", "publishdate", "PubDate", "date")
_CANONICAL = re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)", re.I)
_OG_URL = re.compile(r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)", re.I)
_TITLE_SUFFIX = re.compile(r"\s*[_|｜—-]+\s*([^_|｜—-]{2,30})\s*$")


@dataclass(frozen=True)
class PageText:
    """What one saved page holds, before it becomes an `Article`."""

    title: str
    text: str
    date: str | None
    authors: tuple[str, ...]
    source: str
    url: str


def _iso_day(value: str | None) -> str | None:
    """The day a date string names, in its own time zone: ISO 8601 or RFC 822 (feeds)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _meta(tree: Any, *names: str) -> str:
    for name in names:
        for attr in ("name", "property"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and found[0].strip():
                return str(found[0]).strip()
    return ""


_LABELS = {"记者", "作者", "通讯员", "编辑", "责任编辑", "来源", "摄影", "见习记者"}


def _split_authors(value: str) -> tuple[str, ...]:
    parts = (p.strip() for p in re.split(r"[;；,，、\s]+", value))
    return tuple(a for a in parts if a and a not in _LABELS)


def _is_info_line(line: str) -> bool:
    return len(line) <= 80 and "。" not in line and bool(_INFO_LINE.search(line))


def _info_lines(tree: Any) -> list[str]:
    """Short 时间/来源/作者 lines anywhere in the page body, in page order (the first few)."""
    found: list[str] = []
    for el in tree.iter("p", "div", "span", "td", "li", "time", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(el.text_content().split())
        if text and _is_info_line(text) and text not in found:
            found.append(text)
            if len(found) >= 3:
                break
    return found


def read_page(html: str, where: str) -> PageText:
    """Main text and metadata of a saved news page; `InputError` when it holds no article."""
    import lxml.html
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError(
            "no article text found in this web page (trafilatura found only navigation or "
            "nothing); save the article page itself, or paste its text into a .md file",
            path=where,
        )
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        tree = None
    title = (doc.title or "").strip()
    lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
    # The headline and the info line printed above the text are metadata, not text.
    if lines and title and re.sub(r"\s+", "", lines[0]) == re.sub(r"\s+", "", title):
        lines.pop(0)
    info: list[str] = []
    while lines and _is_info_line(lines[0]):
        info.append(lines.pop(0))
    body = "".join(lines)
    if not lines or (len(body) < 50 and not re.search(r"[。！？!?]|\.(\s|$)", body)):
        # A few link words (首页) are what trafilatura returns from a page of navigation.
        raise InputError(
            "no article text found in this web page (only a headline or navigation); save the "
            "article page itself, or paste its text into a .md file",
            path=where,
        )
    if tree is not None:
        info += _info_lines(tree)  # trafilatura may have dropped a "byline" block it misread
    info_text = " ".join(info)
    # Most trusted first: the page's own meta tags, then its printed info line, then what
    # trafilatura/htmldate guessed (a guess can be a bare year read as YYYY-01-01).
    meta_date = _meta(tree, *_DATE_METAS) if tree is not None else ""
    date = _iso_day(meta_date) or _iso_day(info_text) or _iso_day(doc.date)
    authors = _split_authors(_meta(tree, "author", "article:author")) if tree is not None else ()
    if not authors and (m := _AUTHOR.search(info_text)):
        authors = _split_authors(m.group(1))
    if not authors and doc.author and not re.search(r"[:：]", doc.author):
        authors = _split_authors(doc.author)
    source = _meta(tree, "og:site_name") if tree is not None else ""
    if not source and (m := _SOURCE.search(info_text)):
        source = m.group(1)
    if not source and tree is not None:
        page_title = " ".join(tree.xpath("//title/text()"))
        if m := _TITLE_SUFFIX.search(page_title):
            source = m.group(1).strip()
    source = source or (doc.sitename or "")
    return PageText(
        title=title,
        text="\n".join(lines),
        date=date,
        authors=authors,
        source=source,
        url=(doc.url or "").strip(),
    )


def load_html(html: str, where: str) -> tuple[list[Article], list[InputError]]:
    from ._load_corpus import content_id

    try:
        page = read_page(html, where)
    except InputError as e:
        return [], [e]
    article = Article(
        id=content_id(page.text),
        title=page.title,
        text=page.text,
        authors=page.authors,
        date=page.date,
        source=page.source,
        url=page.url,
        path=where,
    )
    return [article], []


def _fragment_text(fragment: str) -> str:
    """Plain text of an entry's HTML content: paragraphs become lines."""
    import lxml.html
    import trafilatura

    if not fragment.strip():
        return ""
    text = trafilatura.extract(fragment, include_comments=False, include_tables=False) or ""
    if not text.strip():  # too short for trafilatura's main-text heuristics
        try:
            text = lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
        except (ValueError, lxml.etree.ParserError):
            text = re.sub(r"<[^>]+>", " ", fragment)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _saved_pages(folder: Path, decode_file: Any) -> dict[str, Path]:
    """The .html/.htm files beside a feed, by canonical URL and by file name."""
    pages: dict[str, Path] = {}
    for f in sorted(folder.iterdir()):
        if not (f.is_file() and f.suffix.lower() in HTML_SUFFIXES):
            continue
        pages.setdefault(f.name, f)
        try:
            html = decode_file(f)
        except (InputError, OSError):
            continue
        for pattern in (_CANONICAL, _OG_URL):
            for url in pattern.findall(html):
                pages.setdefault(url.strip(), f)
    return pages


def _entry_page(link: str, pages: dict[str, Path]) -> Path | None:
    if not link:
        return None
    if link in pages:
        return pages[link]
    name = Path(urlsplit(link).path).name
    return pages.get(name) if name else None


def load_feed(
    data: bytes, where: str, folder: Path, decode_file: Any
) -> tuple[list[Article], list[InputError]]:
    """One article per entry; each problem names the feed and the entry's number."""
    import feedparser

    from ._load_corpus import content_id

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        return [], [
            InputError(
                f"not an RSS/Atom feed, or a feed without entries{reason}; skipped",
                path=where,
            )
        ]
    source = str(parsed.feed.get("title", "")).strip()
    pages = _saved_pages(folder, decode_file)
    articles: list[Article] = []
    problems: list[InputError] = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = str(entry.get("link", "")).strip()
        title = str(entry.get("title", "")).strip()
        page = _entry_page(link, pages)
        text = ""
        page_text: PageText | None = None
        if page is not None:
            try:
                page_text = read_page(decode_file(page), str(page))
                text = page_text.text
            except (InputError, OSError) as e:
                problems.append(
                    InputError(
                        f"entry {n}: its saved page could not be read ({e}); using the feed's text",
                        path=where,
                    )
                )
        if not text:
            contents = entry.get("content") or []
            body = contents[0].get("value", "") if contents else ""
            text = _fragment_text(body or str(entry.get("summary", "")))
        if not text:
            problems.append(
                InputError(f"entry {n} 「{title}」 has no text and no saved page; skipped", path=where)
            )
            continue
        date = _iso_day(entry.get("published") or entry.get("updated"))
        if date is None and page_text is not None:
            date = page_text.date
        author = str(entry.get("author", "")).strip()
        articles.append(
            Article(
                id=content_id(text),
                title=title or (page_text.title if page_text else ""),
                text=text,
                authors=_split_authors(author) if author else (page_text.authors if page_text else ()),
                date=date,
                source=source or (page_text.source if page_text else ""),
                url=link,
                path=f"{where}:{n}",
            )
        )
    return articles, problems
