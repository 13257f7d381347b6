from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("support/", include("support.urls")),
    path("feedback/", include("support.feedback_urls")),
    path("", include("community.urls")),
    # Uploaded avatars. The embedded default serves them itself; scaled deployments put
    # MEDIA_ROOT behind the web server or object storage instead.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler500 = "config.errors.server_error"

admin.site.site_header = "Askwell administration"
admin.site.site_title = "Askwell admin"
