from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from community.api import views

router = DefaultRouter()
router.register("questions", views.QuestionViewSet, basename="question")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("tags", views.TagViewSet, basename="tag")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("members", views.MemberViewSet, basename="member")
router.register("articles", views.ArticleViewSet, basename="article")

urlpatterns = [
    path("search/", views.search_view, name="search"),
    path("similar/", views.similar_view, name="similar"),
    path("", include(router.urls)),
]
