"""Content management for admins and support staff (group permissions decide who sees what)."""

from django.contrib import admin

from community.models import Answer, Article, Category, Comment, Notification, OutboxItem, Question


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "category", "score", "answer_count", "is_deleted", "created_at")
    list_filter = ("is_deleted", "category")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "accepted_answer", "deleted_by")
    readonly_fields = ("body_html", "score", "answer_count", "me_too_count")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("pk", "question", "author", "score", "is_deleted", "created_at")
    list_filter = ("is_deleted",)
    raw_id_fields = ("question", "author", "deleted_by")
    readonly_fields = ("body_html", "score")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "author", "is_deleted", "created_at")
    raw_id_fields = ("question", "answer", "author", "deleted_by")
    readonly_fields = ("body_html",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "event", "text", "created_at", "read_at", "emailed_at")
    raw_id_fields = ("recipient", "actor")


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):
    list_display = ("pk", "topic", "created_at", "attempts", "processed_at")
    list_filter = ("topic",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "review_by", "helpful_count", "not_helpful_count", "is_deleted")
    list_filter = ("is_deleted",)
    search_fields = ("title", "summary", "body")
    raw_id_fields = ("author", "source_question", "deleted_by")
    readonly_fields = ("body_html", "helpful_count", "not_helpful_count", "attribution", "licence")
