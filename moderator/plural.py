"""Counts the Dutch way: '1 dossier', '2 dossiers'."""

from __future__ import annotations


def aantal(n: int, one: str, many: str) -> str:
    """``n`` with the singular or plural noun: aantal(1, 'kind', 'kinderen') -> '1 kind'."""
    return f"{n} {one if n == 1 else many}"
