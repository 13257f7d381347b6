"""What the API shows: the same public fields the pages show, never more (a member's
public profile, not their email; a thread as the reader may see it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")
    reputation = serializers.IntegerField()
    rank = serializers.CharField(source="rank.name")
    bio = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, member: Any) -> str:
        return absolute(member.get_absolute_url())


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="public_name")
    reputation = serializers.IntegerField()


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(help_text="Markdown, exactly as written")
    body_html = serializers.CharField(help_text="Rendered and sanitised")
    author = AuthorSerializer()
    official = serializers.BooleanField(source="is_official")
    private = serializers.BooleanField(source="is_private")
    created_at = serializers.DateTimeField()


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question_id = serializers.IntegerField()
    body = serializers.CharField(help_text="Markdown, exactly as written")
    body_html = serializers.CharField(help_text="Rendered and sanitised")
    author = AuthorSerializer()
    score = serializers.IntegerField()
    accepted = serializers.SerializerMethodField()
    official = serializers.BooleanField(source="is_official")
    private = serializers.BooleanField(source="is_private")
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_accepted(self, answer: Any) -> bool:
        return bool(answer.question.accepted_answer_id == answer.pk)

    def get_url(self, answer: Any) -> str:
        return absolute(answer.get_absolute_url())


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, exactly as written")
    body_html = serializers.CharField(help_text="Rendered and sanitised")
    author = AuthorSerializer()
    category = serializers.CharField(source="category.slug", allow_null=True, help_text="The category's slug")
    tags = serializers.SerializerMethodField()
    score = serializers.IntegerField()
    answer_count = serializers.IntegerField()
    status = serializers.CharField(help_text="open, answered or solved")
    accepted_answer_id = serializers.IntegerField(allow_null=True)
    closed = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()
    private = serializers.BooleanField(source="is_private")
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_tags(self, question: Any) -> list[str]:
        return sorted(tag.name for tag in question.tags.all())

    def get_closed(self, question: Any) -> bool:
        return question.closed_at is not None

    def get_locked(self, question: Any) -> bool:
        return question.locked_at is not None

    def get_url(self, question: Any) -> str:
        return absolute(question.get_absolute_url())


class ThreadSerializer(QuestionSerializer):
    """A question with its answers and comments, as the reader may see them."""

    answers = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    def get_answers(self, question: Any) -> list[dict[str, Any]]:
        return AnswerSerializer(self.context["answers"], many=True).data  # type: ignore[return-value]

    def get_comments(self, question: Any) -> list[dict[str, Any]]:
        return CommentSerializer(self.context["comments"], many=True).data  # type: ignore[return-value]


class AskSerializer(serializers.Serializer):
    """Validated by the site's own ask form (the same limits and messages)."""

    title = serializers.CharField(trim_whitespace=False)
    body = serializers.CharField(trim_whitespace=False, help_text="Markdown; kept exactly as sent")
    category = serializers.SlugField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    private = serializers.BooleanField(required=False, default=False)


class PostBodySerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, help_text="Markdown; kept exactly as sent")
    private = serializers.BooleanField(required=False, default=False)


class VoteSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    questions = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    tags = serializers.SerializerMethodField()
    helpful_count = serializers.IntegerField()
    not_helpful_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_tags(self, article: Any) -> list[str]:
        return sorted(tag.name for tag in article.tags.all())

    def get_url(self, article: Any) -> str:
        return absolute(article.get_absolute_url())


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="question or article")
    id = serializers.IntegerField(source="question_id")
    title = serializers.CharField()
    solved = serializers.BooleanField()
    score = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, hit: Any) -> str:
        return absolute(hit.url)


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    notices = serializers.ListField(child=serializers.CharField())
    suggestion = serializers.CharField()
    results = HitSerializer(many=True, source="hits")


class SimilarSerializer(serializers.Serializer):
    notices = serializers.ListField(child=serializers.CharField())
    results = HitSerializer(many=True, source="hits")
