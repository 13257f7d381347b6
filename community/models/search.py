"""The search tables: the PostgreSQL engine's entries (unused by the Whoosh engine) and
every engine's thread vectors.

One row per indexed thread or article, with a weighted tsvector (title A, tags B, body C)
and a small one of title and tags alone, each under a GIN index; rows are written only
by the search worker, like the Whoosh index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    key = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20)
    question_id = models.BigIntegerField(db_index=True)
    title = models.TextField()
    body = models.TextField()
    tags = models.TextField(blank=True)  # space-separated
    category = models.CharField(max_length=80, blank=True)
    solved = models.BooleanField(default=False)
    score = models.IntegerField(default=0)
    answer_score = models.IntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    version = models.CharField(max_length=200)
    document = SearchVectorField(null=True)
    # Title (A) and tags (B) only: queries made of very common words are matched here.
    heading = SearchVectorField(null=True)

    def __str__(self) -> str:
        return self.key


class ThreadVector(models.Model):
    """The sentence embedding of one indexed thread or article (community/search/vectors.py):
    the source of truth every process's in-memory vector index is loaded from. Written only
    by the search worker, whichever lexical engine runs. A removed entry keeps its row with
    no vector until the index is rebuilt, so readers learn of the removal."""

    key = models.CharField(max_length=60, unique=True)
    model = models.CharField(max_length=60)
    text_hash = models.CharField(max_length=64)  # of the text embedded: unchanged text, no new vector
    vector = models.BinaryField(null=True)  # 384 little-endian float32; None: removed
    changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
