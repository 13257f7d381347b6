from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from support.views.feedback import changelog_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("support/", include("support.urls")),
    path("feedback/", include("support.feedback_urls")),
    path("changelog/", changelog_view, name="changelog"),
    path("api/v1/", include(("community.api.urls", "api"), namespace="api")),
    path("api/v1/", include(("support.api.urls", "support_api"), namespace="support_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("community.urls")),
]
if settings.ASKWELL_SERVE_MEDIA:  # uploaded avatars; off when the web server in front serves them
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

admin.site.site_header = "Askwell administration"
admin.site.site_title = "Askwell admin"
