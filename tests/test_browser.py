"""The chat in a real browser: Debian's chromium, headless, driven by Playwright.

No browser is downloaded: Playwright is pointed at /usr/bin/chromium (apt-get install
chromium). `UPDATE_SCREENSHOT=1 pytest tests/test_browser.py` refreshes docs/screenshot.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_app import XSS_TEXT, XSS_TITLE, RunningApp, shared_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="no chromium on PATH: `apt-get install chromium` to run browser tests"
    ),
]

ANSWER_TIMEOUT_MS = 60_000
LAST_BOT = "#lna-chat .message-row.bot-row:last-of-type, #lna-chat [data-testid='bot']"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> RunningApp:
    return shared_app(tmp_path_factory)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, running: RunningApp) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1100, "height": 1100}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(running.url)
    pg.wait_for_selector("#lna-question textarea")
    pg.wait_for_function("document.querySelector('#lna-status')?.innerText.includes('Ready')")
    yield pg
    ctx.close()


def ask(pg: Any, question: str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> Any:
    """Type a question, send it, and return the newest answer once it has finished streaming."""
    before = pg.locator("#lna-chat .lna-answer, #lna-chat .lna-error").count()
    pg.fill("#lna-question textarea", question)
    pg.click("#lna-send")
    done = "#lna-chat .lna-answer:not(:has(.lna-streaming)), #lna-chat .lna-error"
    pg.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n"
        " && !document.querySelector('.lna-streaming')",
        arg=[done, before],
        timeout=timeout_ms,
    )
    return pg.locator("#lna-chat .lna-answer").last


def test_answer_streams_in_with_linked_source_cards(page: Any, tmp_path: Path) -> None:
    answer = ask(page, "平湖首批设立了多少家劳模工匠学堂？")
    assert "16" in answer.locator(".lna-text").inner_text()
    card = answer.locator(".lna-card").first
    assert "劳模工匠学堂" in card.locator(".lna-card-title").inner_text()
    assert "日期不详" in card.locator(".lna-card-meta").inner_text()  # the page gives no date
    assert "张宇青" in card.locator(".lna-card-meta").inner_text()
    mark = card.locator(".lna-passage mark")
    assert "16家劳模工匠学堂" in mark.inner_text()
    # The [1] marker is a link to its card.
    link = answer.locator("a.lna-cite").first
    card_id = card.get_attribute("id")
    assert link.get_attribute("href") == f"#{card_id}"
    link.click()
    page.wait_for_function(f"location.hash === '#{card_id}'")
    # The whole article is one click away.
    full = card.locator(".lna-full")
    assert not full.is_visible()
    card.locator("summary").click()
    assert full.is_visible() and "曹桥街道" in full.inner_text()
    card.locator("summary").click()  # closed again for the picture
    target = (
        ROOT / "docs" / "screenshot.png"
        if os.environ.get("UPDATE_SCREENSHOT") == "1"
        else tmp_path / "chat.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.locator("#lna-question textarea").blur()
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000


def test_follow_up_uses_the_conversation_and_new_chat_clears_it(page: Any) -> None:
    ask(page, "平湖首批设立了多少家劳模工匠学堂？")
    follow = ask(page, "他们在哪里开的推进会？")
    assert "曹桥" in follow.inner_text()
    assert "Understood as" in follow.locator(".lna-rewritten").inner_text()
    # Each turn's cards have their own anchors.
    ids = page.eval_on_selector_all("#lna-chat .lna-card", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)) >= 2
    page.click("#lna-clear")
    page.wait_for_function("document.querySelectorAll('#lna-chat .lna-answer').length === 0")
    again = ask(page, "他们在哪里开的推进会？")  # no history now: nothing to lean on
    assert again.locator(".lna-rewritten").count() == 0


def test_refusal_looks_different_and_cites_nothing(page: Any) -> None:
    answer = ask(page, "How much will Yinfeng Robotics invest in its Pinghu project?")
    assert answer.locator(".lna-refusal").count() == 1
    assert answer.locator(".lna-card").count() == 0 and answer.locator("a.lna-cite").count() == 0
    assert answer.locator(".lna-refusal").evaluate("e => getComputedStyle(e).fontStyle") == "italic"


def test_article_html_shows_as_text_and_runs_nothing(page: Any) -> None:
    errors: list[str] = []
    page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
    # The question itself carries markup too.
    answer = ask(page, '<img src=x onerror="window.__xss=3">九龙山灯塔什么时候开放？')
    card = answer.locator(".lna-card").first
    assert card.locator(".lna-card-title").inner_text().endswith(XSS_TITLE)
    card.locator("summary").click()
    assert XSS_TEXT.split("。")[0] in card.locator(".lna-full").inner_text()
    assert "<b>粗</b>" in card.locator(".lna-card-meta").inner_text()
    user_msgs = page.locator("#lna-chat .user-row, #lna-chat [data-testid='user']")
    assert '<img src=x onerror="window.__xss=3">' in user_msgs.last.inner_text()
    # Nothing ran, and no element was made from article or question text.
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#lna-chat img[src='x']").count() == 0
    assert page.locator("#lna-chat script").count() == 0
    # The fact-check tab renders the same article the same way.
    page.get_by_role("tab", name="核查 · Check a claim").click()
    page.fill("#lna-claim textarea", "九龙山灯塔将于今年五月开放。")
    page.click("#lna-check")
    page.wait_for_selector("#lna-verdict .lna-verdict", timeout=ANSWER_TIMEOUT_MS)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0 and not errors


def test_check_tab_shows_verdict_and_quotes(page: Any) -> None:
    page.get_by_role("tab", name="核查 · Check a claim").click()
    page.fill("#lna-claim textarea", "新仓中心每天育秧5万盘，首批设立了16家劳模工匠学堂。")
    page.click("#lna-check")
    verdict = page.locator("#lna-verdict .lna-verdict").first
    verdict.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "Contradicted" in verdict.inner_text()
    marks = page.locator("#lna-verdict .lna-card mark").all_inner_texts()
    assert any("2万" in m for m in marks)


# -- the archive tab ----------------------------------------------------------------------------

UPLOAD_TITLE = "独山港镇海塘观景台对外开放"
UPLOAD_TEXT = """---
title: 独山港镇海塘观景台对外开放
date: 2024-06-03
source: 平湖发布
author: 沈青禾
---
本报讯 独山港镇海塘观景台昨天起对外开放。观景台全长260米，设有48个观景位，每天开放到晚上九点。
镇文化站站长顾明远说，观景台将成为市民看潮的新去处。
"""
UPLOAD_QUESTION = "独山港镇海塘观景台设有多少个观景位？"


def _archive_done(pg: Any, text: str) -> None:
    pg.wait_for_function(
        "t => document.querySelector('#lna-archive-report')?.innerText.includes(t)",
        arg=text,
        timeout=ANSWER_TIMEOUT_MS,
    )


def test_archive_tab_uploads_lists_answers_and_removes(page: Any, tmp_path: Path) -> None:
    """Upload a file in the archive tab, see it listed, ask about it, remove it, ask again: refused."""
    upload = tmp_path / "观景台.md"
    upload.write_text(UPLOAD_TEXT, encoding="utf-8")
    page.get_by_role("tab", name="资料库 · Archive").click()
    table = page.locator("#lna-archive-table")
    table.get_by_text("劳模工匠学堂", exact=False).first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    # The hostile headline is listed as text, and nothing of it ran.
    assert table.get_by_text(XSS_TITLE, exact=True).count() >= 1
    assert table.locator("script").count() == 0 and table.locator("img[src='x']").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"

    page.locator("#lna-upload-files input[type=file]").set_input_files(str(upload))
    page.locator("#lna-upload-files").get_by_text("观景台.md").first.wait_for()
    page.click("#lna-upload")
    _archive_done(page, "新增 · Added")
    report = page.locator("#lna-archive-report").inner_text()
    assert UPLOAD_TITLE in report and "观景台.md" in report
    row = table.locator("[role=row]", has_text=UPLOAD_TITLE)  # the grid's rows (Gradio 6)
    row.first.wait_for()
    assert "2024-06-03" in row.first.inner_text() and "平湖发布" in row.first.inner_text()
    target = (
        ROOT / "docs" / "archive.png"
        if os.environ.get("UPDATE_SCREENSHOT") == "1"
        else tmp_path / "archive.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000

    page.get_by_role("tab", name="问答 · Ask").click()
    answer = ask(page, UPLOAD_QUESTION)
    assert "48" in answer.locator(".lna-text").inner_text()
    card = answer.locator(".lna-card").first
    assert UPLOAD_TITLE in card.locator(".lna-card-title").inner_text()
    assert "2024-06-03" in card.locator(".lna-card-meta").inner_text()

    page.get_by_role("tab", name="资料库 · Archive").click()
    row.first.get_by_text(UPLOAD_TITLE).click()  # a click on the row selects it for removal
    page.wait_for_function(
        "t => document.querySelector('#lna-archive-pick input')?.value.includes(t)", arg=UPLOAD_TITLE
    )
    page.click("#lna-archive-remove")
    _archive_done(page, "已删除 · Removed")
    page.wait_for_function(
        "t => !document.querySelector('#lna-archive-table')?.innerText.includes(t)", arg=UPLOAD_TITLE
    )

    page.get_by_role("tab", name="问答 · Ask").click()
    again = ask(page, UPLOAD_QUESTION)
    assert again.locator(".lna-refusal").count() == 1 and again.locator(".lna-card").count() == 0


# Every piece the chat window shows while an answer streams, in order (a MutationObserver, so a
# piece that is on screen for a fraction of a second is still seen).
_WATCH_STREAM = """
window.__streamed = [];
new MutationObserver(() => {
  const s = document.querySelector('#lna-chat .lna-streaming');
  if (s && window.__streamed[window.__streamed.length - 1] !== s.innerText) window.__streamed.push(s.innerText);
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


def test_the_llm_reader_streams_the_passages_it_reads_then_the_verified_answer(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # `python app.py --reader llm` with the packaged model: the model's first words (the passages
    # it names, 依据资料[1]) show while it writes, then the verified answer with its cards.
    pytest.importorskip("openvino_genai")
    from tests.test_app import start_app, write_corpus

    tmp = tmp_path_factory.mktemp("app-llm")
    app = start_app(tmp / "index", write_corpus(tmp / "corpus"), tmp / "app.log", extra=("--reader", "llm"))
    try:
        ctx = browser.new_context(viewport={"width": 1100, "height": 1100}, locale="zh-CN")
        pg = ctx.new_page()
        pg.goto(app.url)
        pg.wait_for_function("document.querySelector('#lna-status')?.innerText.includes('Ready')")
        pg.evaluate(_WATCH_STREAM)
        # the model loads and compiles while the first question waits (~20-60 s on 2 cores)
        answer = ask(pg, "平湖首批设立了多少家劳模工匠学堂？", timeout_ms=300_000)
        streamed = pg.evaluate("window.__streamed")
        assert streamed and streamed[0].startswith("依据资料["), streamed  # the model's first words
        assert not any("编号" in s for s in streamed)  # the prompt's label is not shown
        assert "16" in answer.locator(".lna-text").inner_text()
        reader = answer.locator(".lna-reader").inner_text()  # which reader answered, shown
        assert "语言模型" in reader and "Qwen" in reader, reader
        assert answer.locator(".lna-card").count() >= 1
        ctx.close()
    finally:
        app.stop()
