"""Errors that say what went wrong and how to fix it.

Every message a user can see is raised from here, so the CLI and the app can
print it as one clear line instead of a traceback.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: the message names the problem and the fix."""


class InputError(AssistantError):
    """A file or record could not be read; nothing already indexed is touched."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line


class EmptyQueryError(AssistantError):
    def __init__(self, what: str = "question") -> None:
        super().__init__(f"The {what} is empty: type a few words, e.g. 平湖首批设立了多少家劳模工匠学堂？")


class IndexMissingError(AssistantError):
    def __init__(self, index_dir: str) -> None:
        super().__init__(
            f"No index at {index_dir}: run `python -m assistant ingest` first "
            "(or pass --index DIR where you ingested)."
        )


class ChromaUnavailableError(AssistantError):
    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(
            f"Cannot reach the Chroma server at {host}:{port} ({reason}). Start it with "
            f"`chroma run --host {host} --port {port} --path DIR`, or unset "
            "ASSISTANT_CHROMA_HOST to use the embedded index on disk."
        )


class ModelUnavailableError(AssistantError):
    def __init__(self, model: str, reason: str) -> None:
        super().__init__(
            f"Cannot load embedding model {model!r} offline ({reason}). Use the packaged default "
            "with `--model e5-small-packaged` (or unset ASSISTANT_EMBED_MODEL), or download the "
            "model on a machine with a network and pass its local folder."
        )


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model than the one configured."""


class IndexLockedError(AssistantError):
    """Another process is writing to the same index."""

    def __init__(self, where: str, holder: str, waited_s: float) -> None:
        super().__init__(
            f"The index at {where} is being written by another process (pid {holder}); waited "
            f"{waited_s:g} s. Run this again when it has finished, or wait longer with "
            "ASSISTANT_LOCK_TIMEOUT=SECONDS."
        )


class ConfigError(AssistantError):
    """A setting names something that does not exist (a reader, a runtime); the message lists the choices."""


class LLMUnavailableError(AssistantError):
    """The local chat model cannot be found or loaded (packaged parts missing, bad path, load failed)."""


class LLMServerError(AssistantError):
    """An OpenAI-compatible server could not be reached, refused the key, or lacks the model."""

    def __init__(self, base_url: str, problem: str, fix: str) -> None:
        super().__init__(f"Language-model server {base_url}: {problem}. {fix}")
        self.base_url = base_url
