from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tracker.api import router as api_router

urlpatterns = [
    path("admin/", admin.site.urls),
    # The read-only API, its OpenAPI schema and its browsable docs.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include(api_router.urls)),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
