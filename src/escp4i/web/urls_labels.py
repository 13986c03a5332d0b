"""Web pages of the labels domain (namespace "labels"), mounted at /labels/.

``<public_id>`` is stable across renewals (e.g. ESCP4I-2016-ECCA): the verification page, badge
and certificate URLs never change for a partnership.
"""

from django.urls import URLPattern, path

from escp4i.web import views_labels as v

app_name = "labels"

urlpatterns: list[URLPattern] = [
    path("", v.label_list, name="label-list"),
    path("mine/", v.label_mine, name="label-mine"),
    path("charter/", v.charter_detail, name="charter-detail"),
    path("charter/<str:version>/", v.charter_detail, name="charter-version"),
    path("<slug:public_id>/", v.label_detail, name="label-detail"),
    path("<slug:public_id>/badge.svg", v.label_badge, name="label-badge"),
    path("<slug:public_id>/certificate/", v.label_certificate, name="label-certificate"),
    path("<slug:public_id>/sign/", v.label_sign, name="label-sign"),
    path("<slug:public_id>/open/", v.label_open, name="label-open"),
    path("<slug:public_id>/award/", v.label_award, name="label-award"),
    path("<slug:public_id>/revoke/", v.label_revoke, name="label-revoke"),
    path("<slug:public_id>/renew/", v.label_renew, name="label-renew"),
    path("<slug:public_id>/strategy/", v.label_strategy, name="label-strategy"),
    path("<slug:public_id>/audit/", v.label_audit, name="label-audit"),
]
