from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/export.<str:format>", views.EventDownloadView.as_view(), name="event_download"),
    path("events/<str:ref>/", views.EventDetailView.as_view(), name="event_detail"),
    path("parties/", views.PartyListView.as_view(), name="party_list"),
    path("parties/<int:pk>/", views.PartyDetailView.as_view(), name="party_detail"),
]
