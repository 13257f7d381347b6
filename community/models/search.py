"""The PostgreSQL search engine's table (unused by the Whoosh engine).

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
