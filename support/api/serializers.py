from __future__ import annotations

from rest_framework import serializers

from community.api.serializers import AuthorSerializer, absolute


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    author = AuthorSerializer()
    created_at = serializers.DateTimeField()


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question_id = serializers.IntegerField()
    title = serializers.CharField(source="question.title")
    state = serializers.CharField()
    reason = serializers.CharField()
    severity = serializers.CharField()
    priority = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    breached_at = serializers.DateTimeField(allow_null=True)
    assignee = serializers.CharField(source="assignee.username", allow_null=True)
    customer = serializers.CharField(source="question.author.username")
    vip = serializers.BooleanField(source="question.author.is_vip")
    plan = serializers.CharField(source="question.author.plan.name", allow_null=True)
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, escalation: object) -> str:
        return absolute(escalation.get_absolute_url())  # type: ignore[attr-defined]


class EscalationDetailSerializer(EscalationSerializer):
    notes = NoteSerializer(many=True, source="notes.all", help_text="Internal notes (staff only)")


class AssignSerializer(serializers.Serializer):
    to = serializers.CharField(help_text="A support staff member's username")


class StateSerializer(serializers.Serializer):
    state = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, trim_whitespace=False)


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False)


class FeedbackItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question_id = serializers.IntegerField()
    title = serializers.CharField(source="question.title")
    team = serializers.CharField(source="team.slug", allow_null=True)
    kind = serializers.CharField()
    status = serializers.CharField()
    public_response = serializers.CharField()
    state = serializers.CharField(help_text="The item's triage state")
    created_at = serializers.DateTimeField()


class FeedbackStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    response = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class DigestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.CharField(source="team.slug")
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    content = serializers.JSONField()
