"""The site's URLs plus the benchmark's reference: a bare-Django page that makes one
query on a unique index (a question's title by primary key) through the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.html import escape

from community.models import Question


def bare_view(request: HttpRequest, pk: int) -> HttpResponse:
    title = Question.objects.filter(pk=pk).values_list("title", flat=True).get()
    return HttpResponse(f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>")


urlpatterns = [path("bare/<int:pk>/", bare_view), path("", include("config.urls"))]
handler500 = "config.errors.server_error"
