"""Where imported content came from: the source site, its placeholder authors, its links.

Imported posts carry ``import_site`` and their id on that site (``external_id``), so the
importer can tell what it already brought in (running it twice changes nothing) and every
part of the product that must ignore history (badges, escalation, emails) can filter on
``import_site__isnull=True``. ``licence`` keeps the post's own CC BY-SA version for the
attribution line shown under it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportSite(models.Model):
    """A community imported from a Stack Exchange dump, named by its domain."""

    domain = models.CharField(max_length=200, unique=True)
    imported_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.domain

    @property
    def base_url(self) -> str:
        return f"https://{self.domain}"

    def question_url(self, external_id: int) -> str:
        return f"{self.base_url}/q/{external_id}"

    def answer_url(self, external_id: int) -> str:
        return f"{self.base_url}/a/{external_id}"

    def user_url(self, external_id: int) -> str:
        return f"{self.base_url}/users/{external_id}"


class ImportedUser(models.Model):
    """A placeholder account standing for an author on the source site.

    ``key`` is the source user id, or ``name:<display name>`` for posts whose author
    account was deleted there. The account has no usable password and no email, so
    nobody can sign in as it until staff hand it over (see the User admin's claim action).
    """

    site = models.ForeignKey(ImportSite, on_delete=models.CASCADE, related_name="users")
    key = models.CharField(max_length=120)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_as"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="one_placeholder_per_source_user")
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.site}"

    @property
    def source_url(self) -> str:
        return self.site.user_url(int(self.key)) if self.key.lstrip("-").isdigit() else ""


class TagInfo(models.Model):
    """A tag's short description (for imported tags, the source site's tag wiki excerpt)."""

    tag = models.OneToOneField("taggit.Tag", on_delete=models.CASCADE, related_name="info")
    excerpt = models.TextField(blank=True)  # Markdown
    excerpt_html = models.TextField(blank=True, editable=False)
    import_site = models.ForeignKey(
        ImportSite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    licence = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return str(self.tag)


class LinkKind(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate of"
    RELATED = "related", "Linked"


class QuestionLink(models.Model):
    """``source`` is a duplicate of, or links to, ``target``."""

    source = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey("community.Question", on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="one_link_per_pair_and_kind"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
