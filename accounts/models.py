"""The Askwell user: one model from the first migration, with the public profile on it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.ranks import Rank, rank_for
from accounts.roles import role_badges
from accounts.timezones import TimeZoneField


def avatar_path(instance: User, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"avatars/{instance.pk}/avatar.{extension}"


class Plan(models.Model):
    """A customer plan (Free, Pro, Enterprise …): support's targets can differ per plan
    (support.models.SlaTarget). Set on a customer's account in the admin."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member. Staff and product roles are groups; rank comes with the reputation issue."""

    display_name = models.CharField(max_length=60, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    title = models.CharField("job title", max_length=80, blank=True)
    company = models.CharField(max_length=80, blank=True)
    website = models.URLField(max_length=200, blank=True)
    time_zone = TimeZoneField()
    # Denormalized max(1, 1 + sum of the member's reputation ledger); written only by
    # community.actions.reputation, and `manage.py recompute_reputation` verifies it.
    reputation = models.IntegerField(default=1, db_index=True, editable=False)
    # End of the member's current MVP term (None: not an MVP); written by the MVP actions.
    mvp_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by support staff: a VIP customer's questions get the shorter SLA and priority.
    is_vip = models.BooleanField("VIP customer", default=False)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # The member's handle elsewhere ("@casey" on X): support's mentions inbox recognises
    # them (and so their VIP status) when they write there.
    social_handle = models.CharField(max_length=100, blank=True, db_index=True)
    # Set by staff (community.actions.suspensions): a suspended member reads but cannot write.
    suspended_until = models.DateTimeField(null=True, blank=True, editable=False)
    suspension_reason = models.CharField(max_length=300, blank=True, editable=False)
    # After a post of theirs is removed as spam, this many of the member's next posts go to
    # the review queue (community.actions.review.queue_new_post).
    posts_to_review = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def is_mvp(self) -> bool:
        return self.mvp_until is not None and self.mvp_until > timezone.now()

    @property
    def rank(self) -> Rank:
        return rank_for(self.reputation)

    @property
    def role_badges(self) -> list[str]:
        return role_badges(self)

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"username": self.username})


class TokenScope(models.TextChoices):
    READ = "read", "Read: what you can see on the site"
    WRITE = "write", "Write: ask, answer, comment, vote and accept as you"
    STAFF = "staff", "Staff: the support and product tools your roles open"


class ApiToken(models.Model):
    """A member's personal token for integrations (``Authorization: Bearer aw_…``): shown
    once when made, kept only as its SHA-256, limited to its scopes (and always to what
    its owner may do), revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)  # the secret's first characters, to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
