"""Escalations (support staff) and product feedback (product managers and staff) in the
API. Every view checks the same permission as its page; a token also needs the "staff"
scope. Internal notes are here because only staff reach these endpoints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from community.actions.queues import QueueConflict
from community.api.auth import TokenScopes
from community.api.errors import form_refused, problem, refused
from community.api.pagination import Newest
from support import permissions
from support.actions.escalations import (
    add_note,
    assign_escalation,
    change_state,
    claim_escalation,
    reply_officially,
)
from support.actions.feedback import set_status
from support.api import serializers as out
from support.forms import FeedbackStatusForm, NoteForm, ReplyForm, StateForm, staff_members
from support.models import Digest, Escalation, FeedbackItem
from support.querysets import teams_visible_to


def _conflict(error: QueueConflict) -> Response:
    return problem(409, str(error))


class _Staff:
    """Signed in (a session, or a token with the staff scope); then each view asks the
    permission layer, as its page does."""

    required_scope = "staff"
    permission_classes = [IsAuthenticated, TokenScopes]


@extend_schema_view(
    list=extend_schema(
        summary="Escalations, newest first (support staff)",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                description="open (default: every open state), assigned, waiting, resolved, closed, or all",
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One escalation, with its internal notes", responses=out.EscalationDetailSerializer
    ),
)
class EscalationViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.EscalationSerializer
    pagination_class = Newest
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> Any:
        permissions.check_can_work_queue(self.request.user)
        escalations = Escalation.objects.select_related("question__author__plan", "assignee")
        state = self.request.query_params.get("state", "")
        if self.action != "list" or state == "all":
            return escalations
        if state in Escalation.STATES.values:
            return escalations.filter(state=state)
        return escalations.open()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        escalation = self.get_object()
        return Response(out.EscalationDetailSerializer(escalation).data)

    @extend_schema(summary="Claim it", request=None, responses=out.EscalationSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        try:
            escalation = claim_escalation(self.get_object(), by=request.user)  # type: ignore[arg-type]
        except QueueConflict as error:
            return _conflict(error)
        return Response(out.EscalationSerializer(escalation).data)

    @extend_schema(
        summary="Assign it to a support staff member",
        request=out.AssignSerializer,
        responses=out.EscalationSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        escalation = self.get_object()
        to = staff_members().filter(username=str(request.data.get("to", ""))[:150]).first()
        if to is None:
            return refused({"to": ["Not a support staff member."]})
        try:
            escalation = assign_escalation(escalation, to=to, by=request.user)  # type: ignore[arg-type]
        except QueueConflict as error:
            return _conflict(error)
        return Response(out.EscalationSerializer(escalation).data)

    @extend_schema(
        summary="Move it to another state", request=out.StateSerializer, responses=out.EscalationSerializer
    )
    @action(detail=True, methods=["post"])
    def state(self, request: Request, pk: str | None = None) -> Response:
        escalation = self.get_object()
        form = StateForm(request.data)
        if not form.is_valid():
            return form_refused(form)
        try:
            escalation = change_state(
                escalation,
                form.cleaned_data["state"],
                by=request.user,
                note=form.cleaned_data["note"],  # type: ignore[arg-type]
            )
        except QueueConflict as error:
            return _conflict(error)
        return Response(out.EscalationSerializer(escalation).data)

    @extend_schema(
        summary="Add an internal note (staff only, never shown to customers)",
        request=out.BodySerializer,
        responses={201: out.NoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        escalation = self.get_object()
        form = NoteForm(request.data, prefix=None)
        if not form.is_valid():
            return form_refused(form)
        note = add_note(escalation, by=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        return Response(out.NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Post an official reply on the public thread",
        request=out.BodySerializer,
        responses={201: out.EscalationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        escalation = self.get_object()
        form = ReplyForm(request.data)
        if not form.is_valid():
            return form_refused(form)
        reply_officially(escalation, by=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        escalation.refresh_from_db()
        return Response(out.EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Feedback items of the teams you see (product managers, staff)")
)
class FeedbackItemViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.FeedbackItemSerializer
    pagination_class = Newest
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> Any:
        user = self.request.user
        if not permissions.can_triage_feedback(user):
            raise PermissionDenied("Product feedback is for product managers and support staff.")
        return FeedbackItem.objects.filter(team__in=teams_visible_to(user)).select_related("question", "team")

    @extend_schema(
        summary="Set the public status and response",
        request=out.FeedbackStatusSerializer,
        responses=out.FeedbackItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        form = FeedbackStatusForm(request.data)
        if not form.is_valid():
            return form_refused(form)
        item = set_status(
            item, status=form.cleaned_data["status"], response=form.cleaned_data["response"], by=request.user
        )  # type: ignore[arg-type]
        return Response(out.FeedbackItemSerializer(item).data)


@extend_schema_view(list=extend_schema(summary="Digests of the teams you see"))
class DigestViewSet(_Staff, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.DigestSerializer
    lookup_value_regex = r"\d{1,18}"

    class pagination_class(Newest):
        ordering = ("-period_start", "-pk")

    def get_queryset(self) -> Any:
        user = self.request.user
        if not permissions.can_triage_feedback(user):
            raise PermissionDenied("Digests are for product managers and support staff.")
        return Digest.objects.filter(team__in=teams_visible_to(user)).select_related("team")
