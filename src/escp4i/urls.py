from django.contrib import admin
from django.urls import include, path

from escp4i.accounts.login import ThrottledLoginView
from escp4i.api.api import api

urlpatterns = [
    path("", include("escp4i.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Before django.contrib.auth.urls: the same URL name, with throttling and lockout.
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("labels/", include("escp4i.web.urls_labels")),
    path("calls/", include("escp4i.web.urls_calls")),
    path("events/", include("escp4i.web.urls_events")),
    path("notifications/", include("escp4i.web.urls_notifications")),
    path("account/", include("escp4i.web.urls_account")),
    path("collaboration/", include("escp4i.web.urls_collaboration")),
    path("", include("escp4i.web.urls")),
]

handler400 = "escp4i.web.views.errors.bad_request"
handler403 = "escp4i.web.views.errors.permission_denied"
handler404 = "escp4i.web.views.errors.page_not_found"
handler500 = "escp4i.web.views.errors.server_error"
