from __future__ import annotations

from django.db import models
from django.urls import reverse


class Category(models.Model):
    """A product area or topic that questions are filed under (admins configure them)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:question_list") + f"?category={self.slug}"
