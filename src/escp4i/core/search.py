"""Portable full-text search: PostgreSQL search vectors with a plain-text fallback elsewhere.

A searchable model declares one generated column built by :func:`search_document_field`::

    search_document = search_document_field(("name", "A"), ("sectors_text", "B"))

On PostgreSQL the column is a stored ``tsvector`` (``setweight(to_tsvector(...))`` per field, so
a hit in the name ranks above a hit in the description) and a GIN index over it is created by a
migration with :class:`CreateSearchIndex`. On other databases (SQLite) the same column holds the
lower-cased text of the fields, which the fallback matches word by word.

Selectors then call :func:`search_filter` (a ``Q`` to use in ``filter()`` or inside a subquery)
and :func:`search_rank` (an expression to annotate and order by), or simply :func:`search`,
which does both. The query language is the web-search syntax of PostgreSQL's
``websearch_to_tsquery``: words must all match, ``"quoted phrase"``, ``-excluded`` and ``or``;
the fallback reads the same syntax with substring matching. See
docs/decisions/003-search-and-pagination-at-scale.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState
from django.db.models import Expression, F, FloatField, GeneratedField, Model, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler
from django.utils.deconstruct import deconstructible

M = TypeVar("M", bound=Model)

DOCUMENT_FIELD = "search_document"
RANK = "search_rank"
DEFAULT_CONFIG = "english"
WEIGHTS = frozenset("ABCD")
_CONFIG_RE = re.compile(r"^[a-z_]+$")


def is_postgresql(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


class SearchDocumentField(SearchVectorField):  # type: ignore[type-arg]  # untyped stub generic
    """``tsvector`` on PostgreSQL, ``text`` elsewhere (the lower-cased searchable text)."""

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if is_postgresql(connection) else "text"


@deconstructible(path="escp4i.core.search.SearchDocument")
class SearchDocument(Expression):
    """The expression behind a search-document column (see the module docstring)."""

    output_field = SearchDocumentField()

    def __init__(self, *weighted: tuple[str, str], config: str = DEFAULT_CONFIG) -> None:
        super().__init__()
        if not weighted:
            raise ValueError("A search document needs at least one field.")
        for _field, weight in weighted:
            if weight not in WEIGHTS:
                raise ValueError(f"Search weight must be one of A-D, got {weight!r}.")
        if not _CONFIG_RE.match(config):
            raise ValueError(f"Invalid text-search configuration {config!r}.")
        self.weighted = tuple((str(field), str(weight)) for field, weight in weighted)
        self.config = config
        self.sources: list[Any] = [F(field) for field, _weight in self.weighted]

    def get_source_expressions(self) -> list[Any]:
        return self.sources

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.sources = list(exprs)

    def _compiled(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> list[str]:
        parts = []
        for source in self.sources:
            sql, params = compiler.compile(source)
            if params:  # field references only: the SQL goes into a column definition
                raise ValueError("A search document can only reference fields.")
            parts.append(f"COALESCE({sql}, '')")
        return parts

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        # The fallback document: the fields' text, lower-cased, separated by spaces.
        return "LOWER(" + " || ' ' || ".join(self._compiled(compiler, connection)) + ")", ()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        # The configuration is a typed literal (not a parameter) so the expression stays
        # IMMUTABLE, as a generated column requires.
        vectors = [
            f"setweight(to_tsvector('{self.config}'::regconfig, {part}), '{weight}')"
            for part, (_field, weight) in zip(
                self._compiled(compiler, connection), self.weighted, strict=True
            )
        ]
        return "(" + " || ".join(vectors) + ")", ()


def search_document_field(*weighted: tuple[str, str], config: str = DEFAULT_CONFIG) -> Any:
    """A stored generated column holding the search document of ``weighted`` fields."""
    return GeneratedField(
        expression=SearchDocument(*weighted, config=config),
        output_field=SearchDocumentField(),
        db_persist=True,
        editable=False,
    )


# --- the query language ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    negated: bool = False


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(query: str) -> list[list[Term]]:
    """The web-search syntax as OR-groups of AND-ed terms (what the fallback matches)."""
    groups: list[list[Term]] = [[]]
    for match in _TOKEN_RE.finditer(query):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                if groups[-1]:
                    groups.append([])
                continue
            negated = word.startswith("-") and len(word) > 1
            text = word[1:] if negated else word
        else:
            negated, text = bool(minus), phrase
        text = text.strip().strip('"').lower()
        if text:
            groups[-1].append(Term(text, negated))
    return [group for group in groups if any(not term.negated for term in group)]


def _document_config(model: type[Model], document: str) -> str:
    field = model._meta.get_field(document)
    expression = getattr(field, "expression", None)
    return expression.config if isinstance(expression, SearchDocument) else DEFAULT_CONFIG


def search_filter(
    model: type[Model],
    query: str,
    *,
    document: str = DOCUMENT_FIELD,
    substring_fields: Sequence[str] = (),
    using: str = "default",
) -> Q:
    """A condition matching rows of ``model`` whose document matches ``query``.

    On PostgreSQL, ``substring_fields`` (names, acronyms) also match when they contain the whole
    query as typed, as the old ``icontains`` search did (served by a trigram index). A query
    with nothing to look for (blank, or exclusions only) matches nothing.
    """
    text = query.strip()
    groups = parse_query(text)
    if not groups:  # nothing to look for (blank, or only exclusions): no match on any backend
        return Q(pk__in=[])
    if is_postgresql(connections[using]):
        config = _document_config(model, document)
        condition = Q(**{document: SearchQuery(text, search_type="websearch", config=config)})
        for field in substring_fields:
            condition |= Q(**{f"{field}__icontains": text})
        return condition
    condition = Q(pk__in=[])
    for group in groups:
        conjunction = Q()
        for term in group:
            contains = Q(**{f"{document}__contains": term.text})
            conjunction &= ~contains if term.negated else contains
        condition |= conjunction
    return condition


def search_rank(
    model: type[Model], query: str, *, document: str = DOCUMENT_FIELD, using: str = "default"
) -> Any:
    """Relevance of a row for ``query`` (PostgreSQL ``ts_rank``; 0 on the fallback)."""
    if not is_postgresql(connections[using]):
        return Value(0.0, output_field=FloatField())
    config = _document_config(model, document)
    rank = SearchRank(
        F(document), SearchQuery(query.strip(), search_type="websearch", config=config)
    )
    # ts_rank is a float4, printed in its shortest form ("0.0607927"), which read back as a
    # double is not the value compared in SQL: as float8 a keyset cursor on the rank seeks
    # exactly.
    return Cast(rank, output_field=FloatField())


def search(
    queryset: QuerySet[M],
    query: str,
    *,
    document: str = DOCUMENT_FIELD,
    substring_fields: Sequence[str] = (),
) -> QuerySet[M]:
    """``queryset`` narrowed to rows matching ``query``, annotated with ``search_rank``.

    Order by ``-search_rank`` and a unique tie-breaker (see ``core.pagination``).
    """
    model = queryset.model
    using = queryset.db
    matching: QuerySet[M] = queryset.filter(
        search_filter(
            model, query, document=document, substring_fields=substring_fields, using=using
        )
    ).annotate(**{RANK: search_rank(model, query, document=document, using=using)})
    return matching


# --- migrations ----------------------------------------------------------------------------


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` that does nothing on other databases (PostgreSQL-only indexes, extensions)."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if is_postgresql(schema_editor.connection):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if is_postgresql(schema_editor.connection):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_search_index(table: str, *, column: str = DOCUMENT_FIELD) -> RunSQLOnPostgreSQL:
    """Migration operation: a GIN index over ``table.column`` on PostgreSQL."""
    name = f"{table}_{column}_gin"[:63]
    return RunSQLOnPostgreSQL(
        f'CREATE INDEX "{name}" ON "{table}" USING gin ("{column}")',
        f'DROP INDEX IF EXISTS "{name}"',
    )


def create_trigram_index(table: str, column: str) -> RunSQLOnPostgreSQL:
    """Migration operation: a trigram GIN index serving ``column__icontains`` on PostgreSQL
    (Django compiles it to ``UPPER(column::text) LIKE UPPER(%s)``; needs ``pg_trgm``)."""
    name = f"{table}_{column}_trgm"[:63]
    return RunSQLOnPostgreSQL(
        f'CREATE INDEX "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
        f'DROP INDEX IF EXISTS "{name}"',
    )
