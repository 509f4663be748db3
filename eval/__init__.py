"""Evaluation of the assistant: `python -m eval` (see eval/README.md)."""
