"""`python app.py`: the chat residents and reporters use, on http://127.0.0.1:7860.

The page comes up at once; on a first start with no index, the index is built
from corpus/ in the background while the page (and the console) show progress,
and questions asked meanwhile wait for it. The HTML of answers and source cards
is made in assistant/_ui.py; this file wires it to Gradio.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import _ui, _ui_archive
from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.records import Answer

if TYPE_CHECKING:
    import gradio as gr

ROOT = Path(__file__).resolve().parent
DEFAULT_CORPUS = ROOT / "corpus"
WAIT_FOR_INDEX_S = 1800.0  # the first start may convert the embedding model, then embed the corpus

TAGLINE = "嘉兴日报·平湖版 — 每个回答都注明出处 · every answer cites its sources"

Message = dict[str, Any]
History = list[tuple[str, str]]


class Backend:
    """The index, the answer chain and the checker; made ready in a background thread."""

    def __init__(
        self,
        settings: Settings,
        corpus: Sequence[Path] = (DEFAULT_CORPUS,),
        make_assistant: Callable[[Settings, Any], Any] | None = None,
        check_claim: Callable[..., Any] | None = None,
    ) -> None:
        self.settings = settings
        self.corpus = list(corpus)
        self._make_assistant = make_assistant
        self.check_claim = check_claim
        self.index: Any = None
        self.assistant: Any = None
        self.searcher: Any = None
        self.status = "正在打开索引… · Opening the index…"
        self.error: str | None = None
        self.sources: list[str] = []
        self._ready = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._prepare, name="prepare-index", daemon=True).start()

    def _say(self, text: str) -> None:
        self.status = text
        print(text, file=sys.stderr, flush=True)

    def _prepare(self) -> None:
        try:
            from assistant._index import NewsIndex
            from assistant._search import Searcher

            index = NewsIndex(self.settings)
            if index.count() == 0:
                self._build(index)
            if self._make_assistant is None:
                from assistant._answer import Assistant

                self._make_assistant = Assistant
            if self.check_claim is None:
                from assistant._check import check_claim

                self.check_claim = check_claim
            self.index = index
            self.searcher = Searcher(index)
            self.assistant = self._make_assistant(self.settings, index)
            if self.settings.reader == "llm" and self.settings.llm_base_url is None:
                threading.Thread(target=self._warm_reader, name="warm-reader", daemon=True).start()
            rows = index.list_articles()
            self.sources = _ui.sources_of(rows)
            self._say(f"索引就绪 · Ready: {len(rows)} 篇文章 · articles, {index.count()} 段 · passages")
        except AssistantError as e:
            self.error = str(e)
            self._say(f"无法打开索引 · Cannot open the index: {e}")
        except Exception as e:  # the page must say why it cannot answer, not hang
            self.error = f"{type(e).__name__}: {e}"
            self._say(f"无法打开索引 · Cannot open the index: {self.error}")
        finally:
            self._ready.set()

    def _warm_reader(self) -> None:
        """Load and compile the packaged model while the page is idle (tens of seconds on a
        CPU), instead of inside the first question."""
        warm = getattr(getattr(self.assistant, "reader", None), "warm", None)
        if warm is None:
            return
        try:
            warm()
        except Exception as e:  # the first question reports it properly; the page stays up
            print(f"warning: the language model did not load: {e}", file=sys.stderr, flush=True)

    def _build(self, index: Any) -> None:
        from assistant._load_corpus import load_paths

        where = ", ".join(str(p) for p in self.corpus)
        self._say(f"首次启动：正在从 {where} 建立索引… · First start: building the index from {where}…")
        result = load_paths(self.corpus)
        for p in result.problems:
            print(f"warning: {p}", file=sys.stderr)
        if not result.articles:
            raise AssistantError(
                f"No articles found in {where}: put the news files there, or pass --corpus DIR."
            )
        n = len(result.articles)
        self._say(
            f"正在建立索引：载入模型，{n} 篇文章… · Building the index: loading the model for {n} articles…"
        )

        def progress(done: int, total: int) -> None:
            self._say(f"正在建立索引 · Building the index: {done}/{total} 段 · passages embedded")

        index.ingest(result.articles, progress=progress, whole_files=result.files)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: float = WAIT_FOR_INDEX_S) -> None:
        import gradio as gr

        if not self._ready.wait(timeout):
            raise gr.Error("索引仍在建立中，请稍后再试 · The index is still being built; try again shortly.")
        if self.error:
            raise gr.Error(self.error)

    def get_article(self, article_id: str) -> Any:
        return self.index.get_article(article_id)


def _filters(date_from: str | None, date_to: str | None, sources: Any, as_of: str | None = None) -> Any:
    """The page's filters. `as_of` ("" for today) is the day a question's 昨天/上周 are read
    against; None (claims) leaves times in the text alone, as `check` on the command line does."""
    import datetime

    from assistant._search import Filters

    day = None if as_of is None else as_of or datetime.date.today().isoformat()
    return Filters.make(date_from or None, date_to or None, sources or None, day)


class Handlers:
    """What the page's events call; plain methods, so tests can drive them without a browser."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def status(self) -> tuple[str, Any, Any]:
        import gradio as gr

        b = self.backend
        choices = gr.Dropdown(choices=b.sources) if b.ready else gr.Dropdown()
        return _ui.render_status(b.status, busy=not b.ready), gr.Timer(active=not b.ready), choices

    def respond(
        self,
        message: str,
        chat: list[Message],
        history: History,
        date_from: str,
        date_to: str,
        sources: Any,
        as_of: str = "",
    ) -> Iterator[tuple[list[Message], History, str, Any]]:
        """Stream one answer into the chat; `history` (question, answer) pairs carry the conversation."""
        import gradio as gr

        b = self.backend
        question = (message or "").strip()
        if not question:
            gr.Warning("请输入问题 · Type a question first")
            yield chat, history, message, gr.skip()
            return
        chat = [
            *chat,
            {"role": "user", "content": _ui.text_html(question)},
            {"role": "assistant", "content": ""},
        ]
        turn = len(history)
        while not b.ready:  # first start: the question waits for the index, visibly
            chat[-1] = {"role": "assistant", "content": _ui.render_partial(b.status)}
            yield chat, history, "", gr.skip()
            time.sleep(0.5)
        if b.error:
            chat[-1] = {"role": "assistant", "content": _ui.render_error(b.error)}
            yield chat, history, "", None
            return
        text = ""
        answer: Answer | None = None
        try:
            filters = _filters(date_from, date_to, sources, as_of)
            for piece in b.assistant.stream(question, history=list(history), filters=filters):
                if isinstance(piece, Answer):
                    answer = piece
                    break
                text += str(piece)
                chat[-1] = {"role": "assistant", "content": _ui.render_partial(text)}
                yield chat, history, "", gr.skip()
            if answer is None:  # a stream that ended without its Answer: ask once more, whole
                answer = b.assistant.ask(question, history=list(history), filters=filters)
        except AssistantError as e:
            chat[-1] = {"role": "assistant", "content": _ui.render_error(str(e))}
            yield chat, history, "", None
            return
        chat[-1] = {"role": "assistant", "content": _ui.render_answer(answer, b.get_article, turn=turn)}
        yield chat, [*history, (question, answer.answer)], "", answer.to_json()

    def answer_api(
        self,
        question: str,
        date_from: str = "",
        date_to: str = "",
        sources: str = "",
        history: list[list[str]] | None = None,
        as_of: str = "",
    ) -> dict[str, Any]:
        """Answer one question from the archive: the same JSON object as the command line's answer.

        date_from / date_to: YYYY-MM-DD (optional); sources: comma-separated source names (optional);
        history: earlier [question, answer] pairs, oldest first, for a follow-up (optional);
        as_of: YYYY-MM-DD, the day the question's 昨天/上周/去年 are read against (default today).
        """
        import gradio as gr

        b = self.backend
        b.wait()
        try:
            pairs = [(str(p[0]), str(p[1])) for p in history or [] if len(p) >= 2]
            filters = _filters(date_from, date_to, sources, as_of)
            return b.assistant.ask(question, history=pairs or None, filters=filters).to_json()
        except AssistantError as e:
            raise gr.Error(str(e)) from e

    def check(self, claim: str, date_from: str, date_to: str, sources: Any) -> str:
        b = self.backend
        if not (claim or "").strip():
            return _ui.render_error("请输入要核查的说法 · Type a claim to check")
        b.wait()
        try:
            filters = _filters(date_from, date_to, sources)
            result = b.check_claim(b.searcher, claim.strip(), b.settings, filters=filters)
        except AssistantError as e:
            return _ui.render_error(str(e))
        return _ui.render_check(result, b.get_article)

    def check_api(self, claim: str) -> dict[str, Any]:
        """Check a claim against the archive: verdict, explanation and the quotes it rests on."""
        import gradio as gr

        b = self.backend
        b.wait()
        try:
            return b.check_claim(b.searcher, claim, b.settings).to_json()
        except AssistantError as e:
            raise gr.Error(str(e)) from e


def build_app(backend: Backend) -> gr.Blocks:
    import gradio as gr

    h = Handlers(backend)
    with gr.Blocks(title="平湖新闻助手 · Local News Assistant") as demo:
        gr.Markdown(f"## 平湖新闻助手 · Local News Assistant\n{TAGLINE}")
        status = gr.Markdown(elem_id="lna-status")
        with gr.Accordion("筛选 · Filters", open=False):
            with gr.Row():
                date_from = gr.Textbox(label="起始日期 · From", placeholder="YYYY-MM-DD", scale=1)
                date_to = gr.Textbox(label="截止日期 · To", placeholder="YYYY-MM-DD", scale=1)
                sources = gr.Dropdown(label="来源 · Sources", choices=[], multiselect=True, scale=2)
                as_of = gr.Textbox(
                    label="参考日期 · As of (default today)", placeholder="YYYY-MM-DD", scale=1
                )
        with gr.Tab("问答 · Ask"):
            history = gr.State([])
            chatbot = gr.Chatbot(
                elem_id="lna-chat",
                height=None,
                min_height=360,
                max_height="75vh",
                label="对话 · Conversation",
                feedback_options=None,
                latex_delimiters=[],
                placeholder="问一个关于本地新闻的问题 · Ask about the local news",
            )
            with gr.Row():
                box = gr.Textbox(
                    elem_id="lna-question",
                    show_label=False,
                    placeholder="例如：平湖首批设立了多少家劳模工匠学堂？",
                    scale=6,
                    submit_btn=False,
                )
                send = gr.Button("提问 · Ask", variant="primary", scale=1, min_width=150, elem_id="lna-send")
                clear = gr.Button("新对话 · New chat", scale=1, min_width=190, elem_id="lna-clear")
            gr.Examples(_ui.EXAMPLES, inputs=box, label="示例问题 · Examples")
            with gr.Accordion("JSON (与命令行相同 · same as the CLI)", open=False):
                last_json = gr.JSON(label=None)
            inputs = [box, chatbot, history, date_from, date_to, sources, as_of]
            outputs = [chatbot, history, box, last_json]
            box.submit(h.respond, inputs, outputs, api_name="chat_submit", api_visibility="private")
            send.click(h.respond, inputs, outputs, api_name="chat_send", api_visibility="private")
            clear.click(lambda: ([], [], "", None), None, outputs, api_visibility="private")
            chatbot.clear(lambda: ([], None), None, [history, last_json], api_visibility="private")
        with gr.Tab("核查 · Check a claim"):
            claim = gr.Textbox(
                elem_id="lna-claim",
                label="要核查的说法 · Claim",
                placeholder="例如：平湖今年设立了首批十六家劳模工匠学堂。",
            )
            check_btn = gr.Button("核查 · Check", variant="primary", elem_id="lna-check")
            verdict = gr.HTML(elem_id="lna-verdict")
            gr.Examples(_ui.CLAIM_EXAMPLES, inputs=claim, label="示例 · Examples")
            check_inputs = [claim, date_from, date_to, sources]
            claim.submit(h.check, check_inputs, verdict, api_name="check_submit", api_visibility="private")
            check_btn.click(h.check, check_inputs, verdict, api_name="check_click", api_visibility="private")
        _ui_archive.archive_tab(backend)
        gr.api(h.answer_api, api_name="answer")
        gr.api(h.check_api, api_name="check")
        timer = gr.Timer(1.0)
        timer.tick(h.status, None, [status, timer, sources], api_visibility="private", show_progress="hidden")
        demo.load(h.status, None, [status, timer, sources], api_visibility="private", show_progress="hidden")
    return demo


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="The local news assistant's chat, in the browser.")
    ap.add_argument("--port", type=int, default=None, help="port (default: $GRADIO_SERVER_PORT or 7860)")
    ap.add_argument("--host", default=None, help="address to listen on (default: 127.0.0.1)")
    ap.add_argument(
        "--share", action="store_true", help="also publish a public gradio.live link (off by default)"
    )
    ap.add_argument("--index", default=None, help="index folder (default: $ASSISTANT_INDEX or .index)")
    ap.add_argument(
        "--corpus",
        action="append",
        default=None,
        help="files/folders to index on first start (default: corpus/)",
    )
    ap.add_argument(
        "--reader",
        choices=["extractive", "llm"],
        default=None,
        help="who writes answers (default: $ASSISTANT_READER or extractive); llm: a language model, "
        "every sentence verified",
    )
    ap.add_argument("--llm-base-url", default=None, help="an OpenAI-compatible server for --reader llm")
    ap.add_argument("--llm-model", default=None, help="the model on that server, or a local .gguf file")
    return ap.parse_args(argv)


def _env_port() -> int | None:
    raw = os.environ.get("GRADIO_SERVER_PORT")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        # Checked before gradio is imported: gradio reads it on import and dies with a traceback.
        raise AssistantError(
            f"GRADIO_SERVER_PORT={raw!r} is not a port number: set it to e.g. 7860, or unset it."
        )
    return int(raw)


LOCALHOST_CHECK_S = 120.0


def _patient_localhost_check() -> None:
    """Gradio's launch asks the new server for its page once (3 s timeout, no retry after a
    timeout) and exits with "When localhost is not accessible, a shareable link must be
    created" when no answer came. On a busy machine (the index is built in the background while
    the page comes up; other jobs share the cores) the first answer can take longer, and the app
    died at start with that misleading message. Ask again for up to LOCALHOST_CHECK_S seconds."""
    from gradio import networking

    once = networking.url_ok
    if getattr(once, "patient", False):
        return

    def url_ok(url: str) -> bool:
        deadline = time.monotonic() + LOCALHOST_CHECK_S
        while not once(url):
            if time.monotonic() > deadline:
                return False
            time.sleep(1.0)
        return True

    url_ok.patient = True  # type: ignore[attr-defined]
    networking.url_ok = url_ok


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        port = args.port or _env_port() or 7860
        settings = Settings.from_env(
            index_dir=args.index, reader=args.reader, llm_base_url=args.llm_base_url, llm_model=args.llm_model
        )
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ValueError as e:  # a numeric ASSISTANT_* variable that is not a number
        print(f"error: {e}; check the ASSISTANT_* environment variables", file=sys.stderr)
        return 2
    host = args.host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    backend = Backend(settings, [Path(p) for p in args.corpus] if args.corpus else [DEFAULT_CORPUS])
    demo = build_app(backend)
    _patient_localhost_check()
    # The server first, then the index: gradio gives its server thread 5 s to start, and the
    # index thread (imports, model load, embedding) starved it on a busy machine: the app died
    # at start with "Cannot find empty port in range: P-P" though the port was free.
    demo.queue().launch(
        server_name=host,
        server_port=port,
        share=args.share,
        css=_ui.CSS + _ui_archive.CSS,
        footer_links=["api"],
        prevent_thread_lock=True,
    )
    backend.start()
    demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
