"""Knowledge articles: capture from a solved thread, read, rate, edit, review, list by tag."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.articles import (
    ArticleDraft,
    capture_article,
    edit_article,
    mark_reviewed,
    prefill,
    rate_article,
    sources_of,
)
from community.actions.deflection import record_hint_clicked
from community.diffs import revision_diffs
from community.forms import ArticleFeedbackForm, ArticleFilterForm, ArticleForm
from community.markdown import render_markdown
from community.models import Article, ArticleFeedback, ArticleRevision, Question
from community.pagecache import stored_page
from community.querysets import article_tags
from community.views.helpers import invalid, reader_key, session_key, viewer


def _visible(request: HttpRequest) -> Any:
    return Article.objects.visible_to(request.user)


def _draft(data: dict[str, Any]) -> ArticleDraft:
    return ArticleDraft(
        title=data["title"],
        summary=data["summary"],
        body=data["body"],
        tags=data["tags"],
        review_by=data["review_by"],
    )


@stored_page
def article_list_view(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "community/article_list.html", {"form": form}, status=400)
    tag = form.cleaned_data["tag"]
    articles = _visible(request).live().prefetch_related("tags").order_by("title")
    if tag:
        articles = articles.filter(tags__name=tag)
    tags = article_tags()
    page = Paginator(articles, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(form.cleaned_data["page"] or 1)
    return render(
        request,
        "community/article_list.html",
        {"form": form, "page": page, "tag": tag, "tags": tags, "query": {"tag": tag} if tag else {}},
    )


def article_redirect_view(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(get_object_or_404(_visible(request), pk=pk), permanent=True)


@stored_page
def article_detail_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    article = get_object_or_404(
        _visible(request).select_related("author", "source_question").prefetch_related("tags"), pk=pk
    )
    if slug != article.slug:
        return redirect(article, permanent=True)
    return _render_article(request, article)


def _render_article(
    request: HttpRequest,
    article: Article,
    *,
    feedback_form: ArticleFeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    mine = None
    if request.user.is_authenticated:
        mine = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    elif request.session.session_key:
        mine = ArticleFeedback.objects.filter(
            article=article, user__isnull=True, session_key=request.session.session_key
        ).first()
    staff_view = permissions.can_review_article(request.user)
    return render(
        request,
        "community/article_detail.html",
        {
            "article": article,
            "attribution_html": render_markdown(article.attribution),
            "feedback_form": feedback_form or ArticleFeedbackForm(),
            "my_feedback": mine,
            "review_due": article.review_by <= timezone.localdate(),
            "comments": (
                ArticleFeedback.objects.filter(article=article)
                .exclude(comment="")
                .select_related("user")[:20]
                if staff_view
                else []
            ),
        },
        status=status,
    )


@login_required
def article_capture_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related(
            "accepted_answer__author", "accepted_answer__import_site", "author", "import_site"
        ),
        pk=pk,
    )
    permissions.check_can_capture_article(viewer(request), question)
    attribution, licence = sources_of(question)
    context: dict[str, Any] = {"question": question, "attribution_html": render_markdown(attribution)}
    context["licence"] = licence
    if request.method != "POST":
        context["form"] = ArticleForm(initial=prefill(question))
        return render(request, "community/article_form.html", context)
    form = ArticleForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return invalid(request, "community/article_form.html", context)
    article = capture_article(question, by=viewer(request), draft=_draft(form.cleaned_data))
    messages.success(request, "Knowledge article published.")
    return redirect(article)


@login_required
def article_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(_visible(request).select_related("source_question"), pk=pk)
    permissions.check_can_edit_article(viewer(request), article)
    if request.method != "POST":
        initial = {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "tags": " ".join(sorted(article.tags.names())),
            "review_by": article.review_by,
        }
        return render(
            request, "community/article_form.html", {"form": ArticleForm(initial=initial), "article": article}
        )
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return invalid(request, "community/article_form.html", {"form": form, "article": article})
    edit_article(article, by=viewer(request), draft=_draft(form.cleaned_data), note=form.cleaned_data["note"])
    messages.success(request, "Article updated.")
    return redirect(article)


@require_POST
def article_feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(_visible(request).live(), pk=pk)
    form = ArticleFeedbackForm(request.POST)
    if not form.is_valid():
        return _render_article(request, article, feedback_form=form, status=400)
    rate_article(
        article,
        user=request.user,
        session_key=session_key(request),
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "community/_article_feedback_thanks.html", {"article": article})
    messages.success(request, "Thank you for your feedback.")
    return redirect(article)


@login_required
@require_POST
def article_reviewed_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(_visible(request), pk=pk)
    permissions.check_can_review_article(request.user, article)
    article = mark_reviewed(article, by=viewer(request))
    messages.success(request, f"Marked as reviewed; next review by {article.review_by:%B %-d, %Y}.")
    return redirect(article)


def article_revisions_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(_visible(request), pk=pk)
    revisions = list(ArticleRevision.objects.filter(article=article).select_related("author"))
    rows = revision_diffs(revisions, fields=("title", "summary", "tags", "body"), note="note")
    return render(request, "community/article_revisions.html", {"article": article, "revisions": rows})


def article_hint_click_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An article hint was opened from the ask page: note it, then go there."""
    article = get_object_or_404(_visible(request).live(), pk=pk)
    if (reader := reader_key(request)) is not None:
        record_hint_clicked(user=request.user, session_key=reader, article=article)
    return redirect(article)
