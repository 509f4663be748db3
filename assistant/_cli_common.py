"""What every `python -m assistant` subcommand starts from: the settings (flags over
environment variables: the one place the environment is read), JSON output, warnings, and
the index made ready to search (with the embedding model loading in the background).

Kept apart from `cli` (the parser and `main`) so that the subcommand modules, which `cli`
imports, do not import `cli` back.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import AssistantError, InputError


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        index_dir=args.index,
        embed_model=getattr(args, "model", None),
        embed_runtime=getattr(args, "runtime", None),
        chroma_host=getattr(args, "chroma_host", None),
        chroma_port=getattr(args, "chroma_port", None),
        reader=getattr(args, "reader", None),
        llm_base_url=getattr(args, "llm_base_url", None),
        llm_model=getattr(args, "llm_model", None),
    )


def _report_problems(problems: Sequence[InputError]) -> None:
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)


def _preload_embedder(settings: Settings) -> None:
    """Load the embedding model in the background while the rest imports (CLI start time)."""
    from ._embed import get_embedder

    try:
        get_embedder(settings).preload()
    except AssistantError:
        pass  # e.g. an unknown model: the first real use reports it


def _ready_index(settings: Settings, preload: bool = True) -> Any:
    """The index, or IndexMissingError before anything is searched (and before the model loads).

    With `preload`, the embedding model starts loading in the background as soon as the index
    is known to hold something, overlapping the imports and BM25 load still to come."""
    from ._index import NewsIndex
    from .errors import IndexMissingError

    if not settings.chroma_host and not Path(settings.index_dir).is_dir():
        # a mistyped --index must not leave an empty index folder behind (a new user's did)
        raise IndexMissingError(str(settings.index_dir))
    index = NewsIndex(settings)
    if index.count() == 0:
        raise IndexMissingError(str(settings.index_dir))
    if preload:
        _preload_embedder(settings)
    return index
