"""The admin is for configuration (categories) and for looking things up.

Posts, articles, notifications and outbox rows are read-only here, for admins too: every
change to them goes through an action (on the site), which keeps the rendered body, the
revision history, the audit log, the search index and the reputation ledger in step. An
admin edit would change the row and none of those. "View on site" leads to the page where
moderators edit, delete, restore, close or lock.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from community.models import Answer, Article, Category, Comment, Notification, OutboxItem, Question


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows rows; nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("title", "author", "category", "score", "answer_count", "is_deleted", "created_at")
    list_filter = ("is_deleted", "category")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "accepted_answer", "deleted_by")
    readonly_fields = ("body_html", "score", "answer_count", "me_too_count")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("pk", "question", "author", "score", "is_deleted", "created_at")
    list_filter = ("is_deleted",)
    raw_id_fields = ("question", "author", "deleted_by")
    readonly_fields = ("body_html", "score")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "author", "is_deleted", "created_at")
    raw_id_fields = ("question", "answer", "author", "deleted_by")
    readonly_fields = ("body_html",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "event", "text", "created_at", "read_at", "emailed_at")
    raw_id_fields = ("recipient", "actor")


@admin.register(OutboxItem)
class OutboxItemAdmin(ReadOnlyAdmin):
    list_display = ("pk", "topic", "created_at", "attempts", "processed_at")
    list_filter = ("topic",)


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "author", "review_by", "helpful_count", "not_helpful_count", "is_deleted")
    list_filter = ("is_deleted",)
    search_fields = ("title", "summary", "body")
    raw_id_fields = ("author", "source_question", "deleted_by")
    readonly_fields = ("body_html", "helpful_count", "not_helpful_count", "attribution", "licence")
