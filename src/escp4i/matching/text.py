"""Text similarity for the recommender: a small pure-Python TF-IDF model.

Profiles in the registry are short and multilingual ("Asociación Clúster Alimentario de Galicia",
"Kompetenznetz Optische Technologien"), so each text is represented twice: by its words and by
character 4-grams inside words. Character n-grams let "logistics"/"logística" or "aerospace"/
"aeroespacial" meet without a stemmer per language. Both blocks are TF-IDF weighted (sublinear
term frequency, smoothed IDF), L2-normalised, and the similarity is the mean of the two cosines.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

# Function words of the languages seen in organisation names; content words are left to IDF.
STOPWORDS = frozenset(
    (
        *("a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the"),
        *("to", "with", "de", "del", "des", "du", "di", "da", "do", "dos", "das", "e", "el"),
        *("en", "et", "la", "las", "le", "les", "los", "y", "der", "die", "und", "fur", "im"),
        *("von", "zu"),
    )
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
CHAR_N = 4


def normalise(text: str) -> str:
    """Lower case without accents: "Clúster" -> "cluster"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Content words of ``text`` (accent-free, lower case, no stopwords, no 1-letter tokens)."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) > 1 and w not in STOPWORDS]


def char_ngrams(tokens: Iterable[str], n: int = CHAR_N) -> list[str]:
    """Character n-grams inside each word, padded so prefixes and suffixes count."""
    grams: list[str] = []
    for token in tokens:
        padded = f" {token} "
        if len(padded) <= n:
            grams.append(padded)
            continue
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


Vector = dict[str, float]


def _weigh(counts: Counter[str], idf: dict[str, float], default_idf: float) -> Vector:
    vector = {
        term: (1.0 + math.log(count)) * idf.get(term, default_idf) for term, count in counts.items()
    }
    norm = math.sqrt(sum(value * value for value in vector.values()))
    if norm == 0.0:
        return {}
    return {term: value / norm for term, value in vector.items()}


def cosine(a: Vector, b: Vector) -> float:
    """Dot product of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


class TextModel(Protocol):
    """What the engine needs from a text backend: query-to-documents similarity in [0, 1]."""

    name: str

    def similarities(self, query: str, documents: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True, slots=True)
class _Doc:
    words: Vector
    chars: Vector


class TfidfModel:
    """TF-IDF over a fixed corpus (the candidate profiles). Unknown terms get the highest IDF.

    Document vectors are cached by text, so ranking many queries against one corpus is cheap.
    """

    name = "tfidf"

    def __init__(self, corpus: Iterable[str]) -> None:
        documents = list(corpus)
        self.size = len(documents)
        word_df: Counter[str] = Counter()
        char_df: Counter[str] = Counter()
        for text in documents:
            tokens = words(text)
            word_df.update(set(tokens))
            char_df.update(set(char_ngrams(tokens)))
        self._word_idf = {t: self._idf(df) for t, df in word_df.items()}
        self._char_idf = {t: self._idf(df) for t, df in char_df.items()}
        self._unseen_idf = self._idf(0)
        self._cache: dict[str, _Doc] = {}

    def _idf(self, df: int) -> float:
        return math.log((1 + self.size) / (1 + df)) + 1.0

    def _doc(self, text: str) -> _Doc:
        doc = self._cache.get(text)
        if doc is None:
            tokens = words(text)
            doc = _Doc(
                words=_weigh(Counter(tokens), self._word_idf, self._unseen_idf),
                chars=_weigh(Counter(char_ngrams(tokens)), self._char_idf, self._unseen_idf),
            )
            self._cache[text] = doc
        return doc

    def similarity(self, a: str, b: str) -> float:
        first, second = self._doc(a), self._doc(b)
        return 0.5 * cosine(first.words, second.words) + 0.5 * cosine(first.chars, second.chars)

    def similarities(self, query: str, documents: Sequence[str]) -> list[float]:
        return [self.similarity(query, document) for document in documents]

    def shared_terms(self, a: str, b: str, *, limit: int = 3) -> list[str]:
        """The words that contribute most to the similarity of ``a`` and ``b`` (for reasons)."""
        first, second = self._doc(a).words, self._doc(b).words
        common = sorted(
            (term for term in first if term in second),
            key=lambda term: (-first[term] * second[term], term),
        )
        return common[:limit]
