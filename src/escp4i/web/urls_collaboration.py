"""Web pages of the collaboration domain (namespace "collaboration", mounted at /collaboration/)."""

from django.urls import path

from escp4i.web import views_collaboration as views
from escp4i.web import views_forum as forum
from escp4i.web import views_partner_search as ps

app_name = "collaboration"

urlpatterns = [
    path("services/", views.service_list, name="service-list"),
    path("services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("dialogues/", views.dialogue_list, name="dialogue-list"),
    path("markets/", views.market_list, name="market-list"),
    path("markets/<slug:code>/", views.market_detail, name="market-detail"),
    path(
        "partnerships/<slug:slug>/recommendations/",
        views.partnership_recommendations,
        name="partnership-recommendations",
    ),
    path(
        "partnerships/<slug:slug>/services/",
        views.partnership_services,
        name="partnership-services",
    ),
    # Partner search
    path("partner-search/", ps.partner_search_list, name="partner-search-list"),
    path("partner-search/new/", ps.partner_search_create, name="partner-search-create"),
    path("partner-search/<int:search_id>/", ps.partner_search_detail, name="partner-search-detail"),
    path(
        "partner-search/<int:search_id>/edit/", ps.partner_search_edit, name="partner-search-edit"
    ),
    path(
        "partner-search/<int:search_id>/close/",
        ps.partner_search_close,
        name="partner-search-close",
    ),
    path(
        "partner-search/<int:search_id>/interest/",
        ps.partner_search_interest,
        name="partner-search-interest",
    ),
    path(
        "partner-search/interests/<int:interest_id>/withdraw/",
        ps.partner_search_interest_withdraw,
        name="partner-search-interest-withdraw",
    ),
    path(
        "partner-search/<int:search_id>/follow/",
        ps.partner_search_follow,
        name="partner-search-follow",
    ),
    path(
        "partner-search/<int:search_id>/comments/",
        ps.partner_search_comment,
        name="partner-search-comment",
    ),
    path(
        "partner-search/<int:search_id>/moderate/",
        ps.partner_search_moderate,
        name="partner-search-moderate",
    ),
    path(
        "partner-search/comments/<int:comment_id>/moderate/",
        ps.partner_search_comment_moderate,
        name="partner-search-comment-moderate",
    ),
    path(
        "partner-search/<int:search_id>/recommendations/",
        ps.partner_search_recommendations,
        name="partner-search-recommendations",
    ),
    # Forum
    path("forum/", forum.forum_index, name="forum-index"),
    path("forum/search/", forum.forum_search, name="forum-search"),
    path("forum/s/<slug:slug>/", forum.forum_space, name="forum-space"),
    path("forum/s/<slug:slug>/new/", forum.forum_thread_create, name="forum-thread-create"),
    path(
        "forum/s/<slug:slug>/subscribe/",
        forum.forum_space_subscribe,
        name="forum-space-subscribe",
    ),
    path("forum/t/<int:thread_id>/", forum.forum_thread, name="forum-thread"),
    path("forum/t/<int:thread_id>/reply/", forum.forum_reply, name="forum-reply"),
    path(
        "forum/t/<int:thread_id>/subscribe/",
        forum.forum_thread_subscribe,
        name="forum-thread-subscribe",
    ),
    path(
        "forum/t/<int:thread_id>/moderate/",
        forum.forum_thread_moderate,
        name="forum-thread-moderate",
    ),
    path("forum/p/<int:post_id>/edit/", forum.forum_post_edit, name="forum-post-edit"),
    path("forum/p/<int:post_id>/moderate/", forum.forum_post_moderate, name="forum-post-moderate"),
]
