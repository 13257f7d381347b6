"""Question list, detail, ask, edit, delete and revisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag

from community import permissions
from community.actions.gaps import record_asked_after_searching
from community.actions.questions import (
    ask_question,
    delete_question,
    edit_question,
    restore_question,
    set_privacy,
)
from community.diffs import revision_diffs
from community.forms import PrivacyForm, QuestionEditForm, QuestionFilterForm, QuestionForm
from community.models import (
    Answer,
    Category,
    Question,
    Revision,
)
from community.pagecache import stored_page
from community.paging import BoundedPaginator
from community.ratelimits import too_fast
from community.views.helpers import after_edit, invalid, viewer
from community.views.question_page import render_question


@stored_page
def home_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    recent = Question.objects.visible_to(user).for_listing().sorted_by("active")[:10]
    unanswered = Question.objects.visible_to(user).for_listing().sorted_by("unanswered")[:5]
    return render(
        request,
        "community/home.html",
        {"recent": recent, "unanswered": unanswered, "categories": Category.objects.all()},
    )


@stored_page
def question_list_view(request: HttpRequest, tag: str | None = None) -> HttpResponse:
    params = request.GET.copy()
    if tag is not None:
        params["tag"] = tag
    form = QuestionFilterForm(params)
    if not form.is_valid():
        return render(request, "community/question_list.html", {"filter_form": form}, status=400)
    sort = form.cleaned_data["sort"] or "newest"
    status = form.cleaned_data["status"] or ""
    questions = Question.objects.visible_to(viewer(request)).for_listing().with_status(status).sorted_by(sort)
    category = None
    if form.cleaned_data["category"]:
        category = get_object_or_404(Category, slug=form.cleaned_data["category"])
        questions = questions.filter(category=category)
    tag_name = form.cleaned_data["tag"]
    tag = None
    if tag_name:
        tag = Tag.objects.filter(name=tag_name).select_related("info__import_site").first()
        questions = questions.tagged(tag) if tag is not None else questions.none()
    page = BoundedPaginator(
        questions, settings.COMMUNITY_QUESTIONS_PER_PAGE, cap=settings.COMMUNITY_LIST_COUNT_CAP
    ).get_page(form.cleaned_data["page"] or 1)
    query: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if v and k != "page"}
    if tag is not None:
        query.pop("tag", None)
    return render(
        request,
        "community/question_list.html",
        {
            "filter_form": form,
            "page": page,
            "sort": sort,
            "status": status,
            "category": category,
            "tag": tag_name,
            "tag_info": getattr(tag, "info", None),
            "categories": Category.objects.all(),
            "query": query,
        },
    )


def question_redirect_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible_to(viewer(request)), pk=pk)
    return redirect(question, permanent=True)


@stored_page
def question_detail_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    user = viewer(request)
    question = get_object_or_404(
        Question.objects.visible_to(user).for_page(),
        pk=pk,
    )
    if slug != question.slug:
        return redirect(question, permanent=True)
    return render_question(request, question)


@login_required
def ask_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_write(user)
    if request.method != "POST":
        return render(
            request, "community/ask.html", {"form": QuestionForm(user=user), "tag_choices": _tag_choices()}
        )
    form = QuestionForm(request.POST, user=user)
    if not form.is_valid():
        return invalid(request, "community/ask.html", {"form": form, "tag_choices": _tag_choices()})
    if message := too_fast(request, "ask"):
        form.add_error(None, message)
        return render(
            request, "community/ask.html", {"form": form, "tag_choices": _tag_choices()}, status=429
        )
    question = ask_question(author=user, **form.cleaned_data)  # type: ignore[arg-type]
    record_asked_after_searching(request.session)  # what they searched for did not answer it
    messages.success(request, "Your question is posted. You will be notified of answers.")
    return redirect(question)


@login_required
def question_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    question = get_object_or_404(Question.objects.visible_to(user), pk=pk)
    permissions.check_can_edit(user, question)
    context: dict[str, Any] = {"question": question, "tag_choices": _tag_choices()}
    if request.method != "POST":
        initial = {
            "title": question.title,
            "body": question.body,
            "category": question.category_id,
            "tags": ", ".join(sorted(question.tags.names())),
        }
        return render(
            request, "community/question_edit.html", {**context, "form": QuestionEditForm(initial=initial)}
        )
    form = QuestionEditForm(request.POST, user=user)
    if not form.is_valid():
        return invalid(request, "community/question_edit.html", {**context, "form": form})
    edit_question(question, by=user, **form.cleaned_data)  # type: ignore[arg-type]
    messages.success(request, "Your edit is saved.")
    return redirect(after_edit(request, question))


@login_required
@require_POST
def question_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    question = get_object_or_404(Question.objects.visible_to(user), pk=pk)
    delete_question(question, by=user)
    messages.success(request, "The question was deleted.")
    if permissions.can_see_deleted(user):
        return redirect(question)
    return redirect("community:question_list")


@login_required
@require_POST
def question_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    question = get_object_or_404(Question.objects.visible_to(user), pk=pk)
    restore_question(question, by=user)
    messages.success(request, "The question was restored.")
    return redirect(question)


@login_required
@require_POST
def privacy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Support staff make a thread private (its asker and staff only) or public again."""
    user = viewer(request)
    permissions.check_can_change_privacy(user)
    question = get_object_or_404(Question.objects.visible_to(user), pk=pk)
    form = PrivacyForm(request.POST)
    form.is_valid()  # a checkbox: always valid, absent means public
    private = bool(form.cleaned_data.get("private"))
    if set_privacy(question, private=private, by=user):
        messages.success(request, "The thread is private now." if private else "The thread is public now.")
    return redirect(question)


def question_revisions_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible_to(viewer(request)), pk=pk)
    revisions = list(
        Revision.objects.filter(question=question).select_related("author").prefetch_related("author__groups")
    )
    return render(
        request,
        "community/revisions.html",
        {"post": question, "question": question, "revisions": revision_diffs(revisions)},
    )


def answer_revisions_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    answer = get_object_or_404(
        Answer.objects.visible_to(user)
        .select_related("question")
        .filter(question__in=Question.objects.visible_to(user)),
        pk=pk,
    )
    revisions = list(
        Revision.objects.filter(answer=answer).select_related("author").prefetch_related("author__groups")
    )
    return render(
        request,
        "community/revisions.html",
        {"post": answer, "question": answer.question, "revisions": revision_diffs(revisions)},
    )


@stored_page
def tag_list_view(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    tags = (
        Tag.objects.annotate(
            question_count=Count(
                "taggit_taggeditem_items",
                filter=Q(taggit_taggeditem_items__content_type__model="question"),
            )
        )
        .filter(question_count__gt=0)
        .order_by("-question_count", "name")
    )
    page = Paginator(tags, 60).get_page(request.GET.get("page"))
    return render(request, "community/tag_list.html", {"page": page})


def tag_autocomplete_view(request: HttpRequest) -> HttpResponse:
    """Suggest existing tags for the last word typed in a tags field (an htmx fragment)."""
    typed = request.GET.get("tags", "")[:400]
    last = typed.replace(",", " ").split(" ")[-1].strip().lower() if typed else ""
    if "\x00" in last:  # no tag has one (and PostgreSQL refuses it in a query)
        last = ""
    suggestions = (
        list(Tag.objects.filter(name__istartswith=last).order_by("name").values_list("name", flat=True)[:8])
        if last
        else []
    )
    return render(request, "community/_tag_suggestions.html", {"suggestions": suggestions})


def _tag_choices() -> list[str]:
    return list(Tag.objects.order_by("name").values_list("name", flat=True)[:200])
