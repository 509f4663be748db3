"""Named pause points in the write path, for fault-injection tests (kill -9 at a known moment).

`ASSISTANT_FAULT_PAUSE=NAME` makes a writer that reaches the point NAME print one line,
`fault point NAME reached (pid N)`, to stderr and then sleep; a test that reads that line
kills the process there. Unset (always, in normal use) a point costs one dictionary lookup.

Points, in the order an ingest reaches them (see assistant/_ingest.py, NewsIndex._written):
- `embedding`: the first batch of passages is in Chroma (and the articles it completes are
  committed), the second is embedded but not written, the rest not embedded;
- `passages-written`: every new passage is in Chroma, the last articles' records are not;
- `committed`: every article record is written; removals, the sweep and the journal are not done;
- `bm25`: Chroma is complete, the BM25 file not yet rewritten;
- `generation`: BM25 is saved, the generation marker not yet bumped (readers not yet told).
"""

from __future__ import annotations

import os
import sys
import time

POINTS = ("embedding", "passages-written", "committed", "bm25", "generation")
PAUSE_S = 3600.0


def fault_point(name: str) -> None:
    """Pause here when ASSISTANT_FAULT_PAUSE names this point (for tests); otherwise return."""
    if os.environ.get("ASSISTANT_FAULT_PAUSE") != name:
        return
    print(f"fault point {name} reached (pid {os.getpid()})", file=sys.stderr, flush=True)
    time.sleep(PAUSE_S)
