"""The app's "资料库 · Archive" tab: list the articles, upload files, remove an article.

Uploads go through assistant/_upload.py (the CLI's loaders and `NewsIndex.ingest`, under the
index's single-writer lock); removal is `NewsIndex.remove`, the same as
`python -m assistant remove ID`. Every piece of article text that reaches HTML here goes
through `html.escape`; the table and the drop-down are given plain strings, which Gradio
shows as text.
"""

# No `from __future__ import annotations` here: Gradio reads the event handlers' annotations
# (gr.SelectData) at run time, and a string annotation naming a local import is not found.
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from ._load_corpus import SUFFIXES
from ._ui import NO_DATE, render_error, sources_of
from ._upload import UploadResult, ingest_uploads
from .errors import AssistantError

HEADERS = ["标题 · Title", "日期 · Date", "来源 · Source", "段 · Passages", "ID"]
WIDTHS = ["40%", "13%", "17%", "11%", "19%"]

CSS = """
.lna-upload-file { margin: 6px 0; padding: 6px 10px; border-radius: 6px; border: 1px solid #e5e7eb; }
.lna-upload-ok { border-left: 4px solid #16a34a; }
.lna-upload-partial { border-left: 4px solid #f59e0b; }
.lna-upload-skipped { border-left: 4px solid #dc2626; }
.lna-upload-file ul { margin: 2px 0 0 1.2em; padding: 0; }
.lna-upload-what { font-weight: 600; font-size: 0.85em; color: #6b7280; }
.lna-archive-note { font-size: 0.9em; }
"""

_KINDS = [
    ("added", "新增 · Added"),
    ("replaced", "已更新 · Replaced (new version)"),
    ("unchanged", "未变 · Unchanged (already in the archive)"),
    ("duplicates", "重复 · Duplicate, stored once"),
    ("removed", "已移除 · Removed (the earlier version of this file held it)"),
    ("skipped", "跳过 · Skipped"),
]


def article_rows(rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """Table rows, newest first, undated last: title, date, source, passages, id."""
    table = [
        [
            str(r.get("headline") or r.get("title") or "") or str(r.get("id", "")),
            str(r.get("date") or "") or NO_DATE,
            str(r.get("source") or ""),
            int(r.get("passages") or 0),
            str(r.get("id", "")),
        ]
        for r in rows
    ]
    table.sort(key=lambda row: row[0])
    table.sort(key=lambda row: "" if row[1] == NO_DATE else row[1], reverse=True)  # stable
    return table


def choice_label(row: Sequence[Any]) -> str:
    return f"{row[0]} · {row[1]} · {row[4]}"


def render_upload(result: UploadResult) -> str:
    """The per-file report: what each file added, replaced, left unchanged, and skipped and why."""
    parts = []
    for f in result.files:
        items = []
        for attr, label in _KINDS:
            lines = getattr(f, attr)
            if lines:
                lis = "".join(f"<li>{escape(line)}</li>" for line in lines)
                head = f'<div class="lna-upload-what">{escape(label)} ({len(lines)})</div>'
                items.append(f"{head}<ul>{lis}</ul>")
        head = f'<div class="lna-upload-file lna-upload-{f.status}"><b>{escape(f.name)}</b>'
        parts.append(f"{head}{''.join(items)}</div>")
    if result.problems:  # refused by the ingest itself (two texts under one id)
        lis = "".join(f"<li>{escape(line)}</li>" for line in result.problems)
        parts.append(
            '<div class="lna-upload-file lna-upload-partial"><div class="lna-upload-what">'
            f"未收录 · Refused</div><ul>{lis}</ul></div>"
        )
    if result.report is not None:
        r = result.report
        parts.append(
            f'<div class="lna-archive-note">{r.passages_embedded} 段已嵌入 · passages embedded; '
            f"{r.passages_total} 段在库中 · passages in the archive</div>"
        )
    return f'<div class="lna-upload">{"".join(parts)}</div>'


class ArchiveHandlers:
    """What the tab's events call; plain methods, so tests can drive them without a browser."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def _index(self) -> Any:
        self.backend.wait()
        return self.backend.index

    def listing(self, keep: bool = True) -> tuple[list[list[Any]], Any, str]:
        """(table rows, drop-down update, summary line) for the archive as it is now; `keep`
        leaves the drop-down's selection as it is (a refresh must not undo a click on a row)."""
        import gradio as gr

        index = self._index()
        index.refresh()  # another process may have written
        rows = index.list_articles()
        self.backend.sources = sources_of(rows)
        table = article_rows(rows)
        choices = [(choice_label(r), r[4]) for r in table]
        passages = sum(int(r[3]) for r in table)
        summary = f"{len(table)} 篇文章 · articles, {passages} 段 · passages"
        pick = gr.Dropdown(choices=choices) if keep else gr.Dropdown(choices=choices, value=None)
        return table, pick, summary

    def upload(self, files: Sequence[Any] | None, progress: Any = None) -> tuple[str, Any, Any, str]:
        import gradio as gr

        if not files:
            return render_error("请先选择文件 · Choose files first"), gr.skip(), gr.skip(), gr.skip()
        index = self._index()
        say = (lambda frac, desc: progress(frac, desc=desc)) if progress is not None else None
        pairs = [(Path(str(f)).name, Path(str(f))) for f in files]
        try:
            result = ingest_uploads(index, pairs, index.settings.index_dir / "uploads", say)
        except AssistantError as e:
            return render_error(str(e)), gr.skip(), gr.skip(), gr.skip()
        return render_upload(result), *self.listing()

    def remove(self, article_id: str | None) -> tuple[str, Any, Any, str]:
        import gradio as gr

        if not article_id:
            return render_error("请先选择一篇文章 · Choose an article first"), gr.skip(), gr.skip(), gr.skip()
        index = self._index()
        article = index.get_article(article_id)
        try:
            n = index.remove([article_id])
        except AssistantError as e:
            return render_error(str(e)), gr.skip(), gr.skip(), gr.skip()
        what = f"《{article.headline}》 {article_id}" if article else article_id
        note = f"已删除 · Removed {what}" if n else f"没有这篇文章 · No such article: {article_id}"
        return f'<div class="lna-archive-note">{escape(note)}</div>', *self.listing(keep=False)

    def pick(self, table: Any, evt: Any) -> Any:
        """A click on a table row selects its article for removal."""
        import gradio as gr

        try:
            row = evt.index[0]
            rows = table.values.tolist() if hasattr(table, "values") else table
            return gr.Dropdown(value=str(rows[row][4]))
        except (IndexError, TypeError, AttributeError):
            return gr.skip()


def archive_tab(backend: Any) -> None:
    """The tab; call inside `gr.Blocks()`, after the other tabs."""
    import gradio as gr

    h = ArchiveHandlers(backend)
    with gr.Tab("资料库 · Archive", elem_id="lna-archive-tab") as tab:
        with gr.Row():
            summary = gr.Markdown(elem_id="lna-archive-summary")
            refresh = gr.Button(
                "刷新 · Refresh", size="sm", scale=0, min_width=120, elem_id="lna-archive-refresh"
            )
        table = gr.Dataframe(
            headers=HEADERS,
            datatype=["str", "str", "str", "number", "str"],
            interactive=False,
            show_search="filter",
            max_height=420,
            wrap=True,
            column_widths=WIDTHS,
            elem_id="lna-archive-table",
            label="文章 · Articles (点击表头排序、点击一行选中 · click a header to sort, a row to select)",
        )
        with gr.Row():
            with gr.Column(scale=3):
                files = gr.File(
                    label="上传文件 · Upload (.txt .md .jsonl .html .xml .rss .atom)",
                    file_count="multiple",
                    file_types=sorted(SUFFIXES),
                    type="filepath",
                    elem_id="lna-upload-files",
                )
                upload = gr.Button("收录 · Add to the archive", variant="primary", elem_id="lna-upload")
            with gr.Column(scale=2):
                pick = gr.Dropdown(label="选择文章 · Article", choices=[], elem_id="lna-archive-pick")
                remove = gr.Button("删除 · Remove", variant="stop", elem_id="lna-archive-remove")
        report = gr.HTML(elem_id="lna-archive-report")
        listed = [table, pick, summary]

        def do_upload(paths: Any, progress: gr.Progress = gr.Progress()) -> Any:  # noqa: B008
            return h.upload(paths, progress)

        def do_pick(value: Any, evt: gr.SelectData) -> Any:
            return h.pick(value, evt)

        upload.click(do_upload, files, [report, *listed], api_visibility="private")
        remove.click(h.remove, pick, [report, *listed], api_visibility="private")
        table.select(do_pick, table, pick, api_visibility="private")
        refresh.click(lambda: h.listing(), None, listed, api_visibility="private")
        tab.select(lambda: h.listing(), None, listed, api_visibility="private")
