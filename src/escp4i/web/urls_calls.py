"""Web pages of the calls domain (namespace "calls")."""

from django.urls import URLPattern, path

from escp4i.web import views_calls as v

app_name = "calls"

urlpatterns: list[URLPattern] = [
    path("", v.call_list, name="call-list"),
    path("<int:call_id>/", v.call_detail, name="call-detail"),
    path("<int:call_id>/apply/", v.proposal_create, name="proposal-create"),
    path("<int:call_id>/manage/", v.call_manage, name="call-manage"),
    path("<int:call_id>/ranking/", v.call_ranking, name="call-ranking"),
    path("<int:call_id>/ranking/apply/", v.call_ranking_apply, name="call-ranking-apply"),
    path("<int:call_id>/evaluation/", v.call_evaluation_start, name="call-evaluation-start"),
    path("<int:call_id>/close/", v.call_close, name="call-close"),
    path("proposals/", v.proposal_mine, name="proposal-mine"),
    path("proposals/<int:proposal_id>/", v.proposal_detail, name="proposal-detail"),
    path("proposals/<int:proposal_id>/edit/", v.proposal_edit, name="proposal-edit"),
    path("proposals/<int:proposal_id>/submit/", v.proposal_submit, name="proposal-submit"),
    path(
        "proposals/<int:proposal_id>/attachments/",
        v.proposal_attachment_add,
        name="proposal-attachment-add",
    ),
    path(
        "proposals/<int:proposal_id>/attachments/<int:attachment_id>/",
        v.proposal_attachment_download,
        name="proposal-attachment-download",
    ),
    path(
        "proposals/<int:proposal_id>/accept-invitation/",
        v.proposal_invitation_accept,
        name="proposal-invitation-accept",
    ),
    path(
        "proposals/<int:proposal_id>/eligibility/",
        v.proposal_eligibility,
        name="proposal-eligibility",
    ),
    path("proposals/<int:proposal_id>/assign/", v.proposal_assign, name="proposal-assign"),
    path("proposals/<int:proposal_id>/consensus/", v.proposal_consensus, name="proposal-consensus"),
    path("proposals/<int:proposal_id>/decide/", v.proposal_decide, name="proposal-decide"),
    path("assignments/<int:assignment_id>/", v.assignment_detail, name="assignment-detail"),
]
