"""HTML for the chat app: answers with linked [n] markers, source cards, check verdicts.

Every piece of article or user text goes through `html.escape` here before it
meets markup, so a headline holding `<script>` shows as text and runs nothing.
The HTML is emitted on one line with no blank lines: the chatbot passes it
through a Markdown renderer, and an HTML block there ends at the first blank
line, after which Markdown would start rewriting article text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from html import escape

from ._split_passages import sentence_spans
from .records import Answer, Article, CheckResult, Citation, Hit

GetArticle = Callable[[str], Article | None]

NO_DATE = "日期不详"
_MARKER = re.compile(r"\[(\d{1,3})\]")

EXAMPLES: list[str] = [
    "平湖首批设立了多少家劳模工匠学堂？",
    "兰亭能源是哪家公司的全资子公司？",
    "How many seedling trays does the Xincang centre raise a day?",
    "六店大桥改建工程现场在开展哪些作业？",
    "How many first-batch model-worker craftsman schools did Pinghu set up?",
    "谁写了劳模工匠学堂那篇报道？",
]

CLAIM_EXAMPLES: list[str] = [
    "平湖今年设立了首批十六家劳模工匠学堂。",
    "新仓现代农事服务中心每天育秧5万盘。",
    "兰亭能源是新加坡淡马锡的全资子公司，总部在新加坡。",
]

VERDICTS: dict[str, tuple[str, str]] = {
    "supported": ("有据可查 · Supported", "ok"),
    "contradicted": ("与报道不符 · Contradicted", "bad"),
    "not_found": ("未找到依据 · Not found", "none"),
}

CSS = """
.lna-answer { line-height: 1.7; }
.lna-answer a.lna-cite { text-decoration: none; font-weight: 600; font-size: 0.85em;
  vertical-align: super; padding: 0 1px; color: #b45309; }
.lna-rewritten { font-size: 0.85em; color: #6b7280; margin-bottom: 4px; }
.lna-reader { font-size: 0.78em; color: #6b7280; margin-top: 6px; }
.lna-refusal { border-left: 4px solid #9ca3af; background: #f3f4f6; color: #374151;
  padding: 8px 12px; border-radius: 6px; font-style: italic; }
.lna-refusal .lna-refusal-head { font-style: normal; font-weight: 600; margin-bottom: 2px; }
.lna-sources { margin-top: 10px; display: flex; flex-direction: column; gap: 8px; }
.lna-sources-head { font-size: 0.8em; font-weight: 600; letter-spacing: 0.05em; color: #6b7280;
  text-transform: uppercase; }
.lna-card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 12px; background: #fffdf7;
  scroll-margin-top: 80px; }
.lna-card:target { border-color: #f59e0b; box-shadow: 0 0 0 2px #fde68a; }
.lna-card-title { font-weight: 600; }
.lna-card-n { display: inline-block; margin-right: 0.4em; color: #b45309; }
.lna-card-meta { font-size: 0.82em; color: #6b7280; margin: 2px 0 6px; }
.lna-passage { font-size: 0.92em; color: #1f2937; }
.lna-passage mark, .lna-full mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.lna-card details { margin-top: 6px; font-size: 0.88em; }
.lna-card summary { cursor: pointer; color: #2563eb; }
.lna-full { max-height: 320px; overflow-y: auto; margin-top: 4px; padding: 6px 8px;
  background: #fff; border: 1px dashed #e5e7eb; border-radius: 6px; }
.lna-verdict { display: inline-block; font-weight: 700; padding: 4px 10px; border-radius: 999px; }
.lna-verdict-ok { background: #dcfce7; color: #166534; }
.lna-verdict-bad { background: #fee2e2; color: #991b1b; }
.lna-verdict-none { background: #f3f4f6; color: #374151; }
.lna-explanation { margin: 8px 0; }
.lna-verdict-row { margin-top: 6px; }
.lna-claim { font-size: 1.05em; }
.lna-facts { padding-left: 1.2em; }
.lna-facts li { margin: 4px 0; }
.lna-facts .lna-verdict { font-size: 0.8em; padding: 1px 8px; }
.lna-status-ready { font-size: 0.8em; color: #6b7280; }
.lna-status-busy { background: #fef3c7; border: 1px solid #f59e0b; color: #92400e; padding: 6px 10px;
  border-radius: 6px; }
.lna-error { border-left: 4px solid #dc2626; background: #fef2f2; padding: 8px 12px; border-radius: 6px; }
.dark .lna-card, .dark .lna-full { background: #1f2937; border-color: #374151; }
.dark .lna-passage { color: #e5e7eb; }
.dark .lna-refusal { background: #374151; color: #e5e7eb; }
"""


def text_html(text: str) -> str:
    """Escaped text with line breaks kept, on one line of HTML."""
    return "<br>".join(escape(line) for line in text.splitlines())


def _highlight(text: str, base: int, spans: Sequence[tuple[int, int]]) -> str:
    """Escape text[...] (which starts at article offset `base`) and <mark> the spans in it."""
    out: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        s, e = max(s - base, pos), min(e - base, len(text))
        if s >= e:
            continue
        out.append(text_html(text[pos:s]))
        out.append(f"<mark>{text_html(text[s:e])}</mark>")
        pos = e
    out.append(text_html(text[pos:]))
    return "".join(out)


def _context(article: Article, cite: Citation, hits: Sequence[Hit]) -> tuple[int, int]:
    """The slice to show on a card: the cited passage, else the quote's sentence and its neighbours."""
    for h in hits:
        p = h.passage
        if p.id == cite.passage_id and p.start <= cite.start and cite.end <= p.end:
            return p.start, p.end
    spans = sentence_spans(article.text)
    idx = [i for i, (s, e) in enumerate(spans) if e > cite.start and s < cite.end]
    if not idx:
        return max(0, cite.start - 80), min(len(article.text), cite.end + 80)
    lo, hi = max(0, idx[0] - 1), min(len(spans) - 1, idx[-1] + 1)
    return spans[lo][0], spans[hi][1]


def meta_line(article: Article | None, cite: Citation) -> str:
    date = (article.date if article else cite.date) or NO_DATE
    parts = [date]
    if article and article.authors:
        parts.append("、".join(article.authors))
    source = (article.source if article else "") or cite.source
    if source:
        parts.append(source)
    if article and article.page:
        parts.append(f"第{article.page}版")
    return " · ".join(escape(p) for p in parts)


def anchor(turn: int, n: int) -> str:
    return f"lna-t{turn}-c{n}"


FIELD_LABELS = {"byline": "署名 · Byline", "column": "栏目 · Column", "title": "标题 · Headline"}


def source_card(cite: Citation, article: Article | None, hits: Sequence[Hit], turn: int) -> str:
    title = article.headline if article else cite.title
    head = (
        f'<div class="lna-card-title"><span class="lna-card-n">[{cite.n}]</span>'
        f"{escape(title or cite.article_id)}</div>"
        f'<div class="lna-card-meta">{meta_line(article, cite)}</div>'
    )
    field = getattr(cite, "field", "text") or "text"
    source = getattr(article, field, None) if article is not None else None
    if not isinstance(source, str) or source[cite.start : cite.end] != cite.quote:
        # The archive changed under the answer: show the quote the answer stood on, nothing more.
        body = f'<div class="lna-passage"><mark>{text_html(cite.quote)}</mark></div>'
        return f'<div class="lna-card" id="{anchor(turn, cite.n)}">{head}{body}</div>'
    assert article is not None
    if field == "text":
        s, e = _context(article, cite, hits)
        ellipsis_l = "… " if s > 0 else ""
        ellipsis_r = " …" if e < len(article.text) else ""
        passage = f"{ellipsis_l}{_highlight(article.text[s:e], s, [(cite.start, cite.end)])}{ellipsis_r}"
        full = _highlight(article.text, 0, [(cite.start, cite.end)])
    else:  # a byline or column quote: the printed line itself, the body unmarked below
        label = FIELD_LABELS.get(field, field)
        passage = f"{escape(label)}: {_highlight(source, 0, [(cite.start, cite.end)])}"
        full = text_html(article.text)
    body = (
        f'<div class="lna-passage">{passage}</div>'
        f"<details><summary>阅读全文 · Full article ({len(article.text)} 字)</summary>"
        f'<div class="lna-full">{full}</div></details>'
    )
    return f'<div class="lna-card" id="{anchor(turn, cite.n)}">{head}{body}</div>'


def _cards(citations: Sequence[Citation], hits: Sequence[Hit], get_article: GetArticle, turn: int) -> str:
    if not citations:
        return ""
    cache: dict[str, Article | None] = {}
    cards = []
    for c in sorted(citations, key=lambda c: c.n):
        if c.article_id not in cache:
            cache[c.article_id] = get_article(c.article_id)
        cards.append(source_card(c, cache[c.article_id], hits, turn))
    return (
        f'<div class="lna-sources"><div class="lna-sources-head">来源 · Sources</div>{"".join(cards)}</div>'
    )


def link_markers(answer_text: str, numbers: set[int], turn: int) -> str:
    """Escape the answer and turn each [n] that has a citation into a link to its card."""

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in numbers:
            return m.group(0)
        return f'<a class="lna-cite" href="#{anchor(turn, n)}" title="来源 {n}">[{n}]</a>'

    return _MARKER.sub(link, text_html(answer_text))


def render_answer(answer: Answer, get_article: GetArticle, turn: int = 0) -> str:
    rewritten = ""
    if answer.rewritten_question and answer.rewritten_question != answer.question:
        rewritten = (
            f'<div class="lna-rewritten">理解为 · Understood as: {escape(answer.rewritten_question)}</div>'
        )
    if answer.refused:
        return (
            f'<div class="lna-answer">{rewritten}<div class="lna-refusal">'
            '<div class="lna-refusal-head">报道中没有找到答案 · Not in the archive</div>'
            f"{text_html(answer.answer)}</div></div>"
        )
    body = link_markers(answer.answer, {c.n for c in answer.citations}, turn)
    cards = _cards(answer.citations, answer.hits, get_article, turn)
    return (
        f'<div class="lna-answer">{rewritten}<div class="lna-text">{body}</div>'
        f"{render_reader(answer)}{cards}</div>"
    )


def render_reader(answer: Answer) -> str:
    """Which reader wrote the answer, and for the language model how many sentences were dropped."""
    rows = [r for r in answer.verification if "sentence" in r]
    dropped = sum(not r.get("kept") for r in rows)
    model = next((str(r["model"]) for r in answer.verification if r.get("model")), "")
    if answer.reader == "llm":
        note = f"，删去{dropped}句无据的话" if dropped else ""
        note_en = f"; {dropped} unsupported sentence(s) dropped" if dropped else ""
        text = (
            f"语言模型撰写，每句已与所引原文核对{note} · "
            f"Written by a language model, every sentence checked against its quote{note_en}"
        )
        if model:
            text += f" · {model}"
    elif any(r.get("credit") for r in answer.verification):
        text = "摘录报道署名（语言模型不读署名） · From the article's byline (the model reads no bylines)"
    elif answer.verification:
        text = "语言模型的回答未能核实，改为摘录原文 · The model's answer could not be verified; quoted"
    else:
        text = "摘录原文 · Quoted from the article"
    return f'<div class="lna-reader" data-reader="{escape(answer.reader)}">{escape(text)}</div>'


def render_partial(text: str) -> str:
    """The answer while it streams in: escaped text, markers not yet linked."""
    return f'<div class="lna-answer"><div class="lna-text lna-streaming">{text_html(text)} ▌</div></div>'


def render_status(text: str, *, busy: bool) -> str:
    """The line under the title: a visible notice while the index is built, quiet once ready."""
    style = "lna-status-busy" if busy else "lna-status-ready"
    return f'<div class="lna-status {style}">{"⏳ " if busy else ""}{text_html(text)}</div>'


def render_error(message: str) -> str:
    return f'<div class="lna-error">{text_html(message)}</div>'


def render_check(result: CheckResult, get_article: GetArticle, turn: int = 0) -> str:
    label, style = VERDICTS.get(result.verdict, (result.verdict, "none"))
    facts = ""
    numbers = {c.n for c in result.citations}
    if len(result.facts) > 1:  # one fact: the explanation above already says it all
        items = []
        for f in result.facts:
            v = str(f.get("verdict", ""))
            n = f.get("citation")
            ref = link_markers(f"[{n}]", numbers, turn) if isinstance(n, int) else ""
            note = escape(str(f.get("explanation") or ""))
            items.append(
                f'<li><span class="lna-verdict lna-verdict-{VERDICTS.get(v, ("", "none"))[1]}">'
                f"{escape(VERDICTS.get(v, (v, ''))[0])}</span> {escape(str(f.get('fact', '')))}{ref}"
                f"{(' — ' + note) if note else ''}</li>"
            )
        facts = f'<ul class="lna-facts">{"".join(items)}</ul>'
    cards = _cards(result.citations, (), get_article, turn)
    explain = result.explanation
    if numbers and not _MARKER.search(explain):  # point at the quotes the verdict rests on
        explain += " " + "".join(f"[{n}]" for n in sorted(numbers))
    explanation = link_markers(explain, numbers, turn)
    return (
        f'<div class="lna-check"><div class="lna-claim">“{escape(result.claim)}”</div>'
        f'<div class="lna-verdict-row"><span class="lna-verdict lna-verdict-{style}">'
        f"{escape(label)}</span></div>"
        f'<div class="lna-explanation">{explanation}</div>'
        f"{facts}{cards}</div>"
    )


def sources_of(rows: Sequence[Mapping[str, object]]) -> list[str]:
    return sorted({str(r.get("source", "")) for r in rows if r.get("source")})
