from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tracker.admin.audit import audit_view
from tracker.api.permissions import ViewPermission
from tracker.api.views import router as api_router
from tracker.web import languages, links
from tracker.web.views import assess, dashboard, downloads, event_detail, event_list, parties, people, review

urlpatterns = [
    path("admin/audit/", admin.site.admin_view(audit_view), name="audit"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", languages.language_switch, name="set_language"),
    # The read-only API, its OpenAPI schema and its browsable docs.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[ViewPermission]), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[ViewPermission]),
        name="api-docs",
    ),
    path("api/", include(api_router.urls)),
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("assess/", assess.ToAssessView.as_view(), name="to_assess"),
    path("events/", event_list.EventListView.as_view(), name="event_list"),
    path("events/export.<str:format>", downloads.EventDownloadView.as_view(), name="event_download"),
    path("events/claims.<str:format>", downloads.EventClaimsDownloadView.as_view(), name="event_claims_download"),
    path(
        "events/assessments.<str:format>",
        downloads.EventAssessmentsDownloadView.as_view(),
        name="event_assessments_download",
    ),
    # A ref may hold whatever a dataset's codes hold, slashes included ("a/b#c").
    path("events/<path:ref>/", event_detail.EventDetailView.as_view(), name="event_detail"),
    path("links/", links.LinkReviewView.as_view(), name="link_review"),
    path("links/decide/", links.LinkDecisionView.as_view(), name="link_decide"),
    path("links/<int:pk>/undo/", links.LinkUndoView.as_view(), name="link_undo"),
    path("review/", review.ReviewQueueView.as_view(), name="review_queue"),
    path("parties/", parties.PartyListView.as_view(), name="party_list"),
    path("parties/compare/", parties.PartyCompareView.as_view(), name="party_compare"),
    path(
        "parties/track-records.<str:format>",
        downloads.TrackRecordDownloadView.as_view(),
        name="track_record_download",
    ),
    path("parties/<int:pk>/", parties.PartyDetailView.as_view(), name="party_detail"),
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
]
