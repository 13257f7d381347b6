"""The community's API: threads, posts, votes, acceptance, tags, categories, members,
articles, search and similar-question suggestions. Reads go through ``visible_to`` (a
private thread, or one in coaching, is never listed for anyone else); writes validate
with the site's forms and call the site's actions, whose permission checks answer 403
with the same reasons the pages give."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from taggit.models import Tag

from accounts.models import User
from community.actions.answers import accept_answer, post_answer
from community.actions.comments import add_comment
from community.actions.questions import ask_question
from community.actions.votes import cast_vote
from community.api import serializers as out
from community.api.errors import form_refused, problem, refused
from community.forms import AnswerForm, CommentForm, QuestionForm
from community.models import Answer, Article, Category, Comment, Question
from community.querysets import STATUSES
from community.search import SearchQuery
from community.search.selectors import safe_search, similar_to
from community.search.text import MAX_QUERY_CHARS


def _viewer(request: Request) -> Any:
    return request.user


class _OnAPost:
    """Commenting and voting, the same on a question and on an answer."""

    get_object: Any

    @extend_schema(
        summary="Comment on it", request=out.PostBodySerializer, responses={201: out.CommentSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        return _comment(request, self.get_object())

    @extend_schema(
        summary="Vote on it (the same vote again withdraws it)",
        request=out.VoteSerializer,
        responses=out.VoteResultSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def vote(self, request: Request, pk: str | None = None) -> Response:
        return _vote(request, self.get_object())


@extend_schema_view(
    list=extend_schema(
        summary="Questions, newest first",
        parameters=[
            OpenApiParameter("tag", str, description="Only this tag"),
            OpenApiParameter("category", str, description="Only this category (its slug)"),
            OpenApiParameter("status", str, enum=list(STATUSES)),
        ],
    ),
    retrieve=extend_schema(
        summary="One thread: the question with its answers and comments", responses=out.ThreadSerializer
    ),
    create=extend_schema(
        summary="Ask a question", request=out.AskSerializer, responses={201: out.QuestionSerializer}
    ),
)
class QuestionViewSet(_OnAPost, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.QuestionSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> Any:
        questions = Question.objects.visible_to(_viewer(self.request)).filter(is_deleted=False).for_listing()
        params = self.request.query_params
        if tag := params.get("tag", "")[:100]:
            questions = questions.filter(tags__name=tag)
        if category := params.get("category", "")[:80]:
            questions = questions.filter(category__slug=category)
        if state := params.get("status", ""):
            if state not in STATUSES:
                raise ValidationError({"status": [f"One of {', '.join(STATUSES)}."]})
            questions = questions.with_status(state)
        return questions

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        viewer = _viewer(request)
        answers = list(
            Answer.objects.visible_to(viewer).filter(question=question, is_deleted=False)
            .select_related("author", "question").order_by("created_at", "pk")
        )  # fmt: skip
        comments = list(
            Comment.objects.visible_to(viewer).filter(question=question, is_deleted=False)
            .select_related("author").order_by("created_at", "pk")
        )  # fmt: skip
        context = {**self.get_serializer_context(), "answers": answers, "comments": comments}
        return Response(out.ThreadSerializer(question, context=context).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            return problem(401, "Sign in, or send a token with the write scope.")
        data = out.AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        category = Category.objects.filter(slug=fields.get("category") or "").first()
        if fields.get("category") and category is None:
            return refused({"category": ["No such category."]})
        form = QuestionForm(
            {
                "title": fields["title"], "body": fields["body"], "category": category.pk if category else "",
                "tags": " ".join(fields.get("tags", [])), "private": fields.get("private", False),
            },
            user=request.user,
        )  # fmt: skip
        if not form.is_valid():
            return form_refused(form)
        question = ask_question(author=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        return Response(out.QuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer the question", request=out.PostBodySerializer, responses={201: out.AnswerSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def answers(self, request: Request, pk: str | None = None) -> Response:
        question = self.get_object()
        form = AnswerForm(request.data)
        if not form.is_valid():
            return form_refused(form)
        answer = post_answer(
            question,
            author=request.user,
            body=form.cleaned_data["body"],
            private=form.cleaned_data["private"],
        )  # type: ignore[arg-type]
        return Response(out.AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


def _comment(request: Request, post: Question | Answer) -> Response:
    form = CommentForm(request.data)
    if not form.is_valid():
        return form_refused(form)
    comment = add_comment(
        post, author=request.user, body=form.cleaned_data["body"], private=form.cleaned_data["private"]
    )  # type: ignore[arg-type]
    return Response(out.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _vote(request: Request, post: Question | Answer) -> Response:
    data = out.VoteSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    score = cast_vote(post, by=request.user, value=1 if data.validated_data["direction"] == "up" else -1)  # type: ignore[arg-type]
    return Response({"score": score})


@extend_schema_view(retrieve=extend_schema(summary="One answer"))
class AnswerViewSet(_OnAPost, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.AnswerSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> Any:
        return (
            Answer.objects.visible_to(_viewer(self.request))
            .filter(is_deleted=False)
            .select_related("author", "question")
        )

    @extend_schema(
        summary="Accept the answer (the asker, or staff)", request=None, responses=out.QuestionSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        question = accept_answer(self.get_object(), by=request.user)  # type: ignore[arg-type]
        return Response(out.QuestionSerializer(question).data)


@extend_schema_view(list=extend_schema(summary="Tags, most used first"))
class TagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = out.TagSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        public = Q(taggit_taggeditem_items__content_type__model="question")
        return (
            Tag.objects.annotate(questions=Count("taggit_taggeditem_items", filter=public))
            .filter(questions__gt=0)
            .order_by("-questions", "name")[:200]
        )


@extend_schema_view(list=extend_schema(summary="Categories"))
class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = out.CategorySerializer
    pagination_class = None
    queryset = Category.objects.order_by("position", "name")


@extend_schema_view(retrieve=extend_schema(summary="A member's public profile"))
class MemberViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.MemberSerializer
    lookup_field = "username"
    lookup_value_regex = r"[\w.@+-]{1,150}"
    queryset = User.objects.filter(is_active=True)


@extend_schema_view(
    list=extend_schema(summary="Knowledge articles"), retrieve=extend_schema(summary="One article")
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = out.ArticleSerializer
    lookup_value_regex = r"\d{1,18}"

    def get_queryset(self) -> Any:
        return (
            Article.objects.visible_to(_viewer(self.request))
            .filter(is_deleted=False)
            .prefetch_related("tags")  # type: ignore[misc]  # taggit's manager is prefetchable
        )


class _SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_CHARS, trim_whitespace=False)
    page = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=1)


class _SimilarParams(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_QUERY_CHARS, trim_whitespace=False)


@extend_schema(
    summary="Search threads and articles", parameters=[_SearchParams], responses=out.SearchResultSerializer
)
@api_view(["GET"])
@permission_classes([AllowAny])
def search_view(request: Request) -> Response:
    params = _SearchParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    results = safe_search(SearchQuery(text=params.validated_data["q"], page=params.validated_data["page"]))
    return Response(out.SearchResultSerializer(results).data)


@extend_schema(
    summary="Threads like a question being written (the ask page's hints)",
    parameters=[_SimilarParams],
    responses=out.SimilarSerializer,
)
@api_view(["GET"])
@permission_classes([AllowAny])
def similar_view(request: Request) -> Response:
    params = _SimilarParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    return Response(out.SimilarSerializer(similar_to(params.validated_data["title"])).data)
