"""A chat assistant that answers questions about local news, with exact citations.

The pipeline, one module a stage: _load_corpus / _parse_page (files -> articles),
_split_passages (articles -> passages), _embed / _index / _bm25 (passages -> index),
_search / _fuse (question -> ranked passages), _answer (passages -> cited answer),
_check (claim -> verdict).
"""

import logging

import jieba

from .config import Settings
from .records import Answer, Article, Citation, Hit, Passage

__all__ = ["Answer", "Article", "Citation", "Hit", "Passage", "Settings"]
__version__ = "0.1.0"

# jieba announces its dictionary load on stderr at DEBUG level ("Building prefix dict…") in every
# process, next to the lines a user needs; its own switch, set once it is imported (25 ms).
jieba.setLogLevel(logging.WARNING)
