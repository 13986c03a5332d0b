from django.contrib import admin

from escp4i.accounts.admin_site import OfficerOnlyAdmin
from escp4i.notifications.models import DigestBatch, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(OfficerOnlyAdmin):
    list_display = ["title", "user", "kind", "category", "created_at", "read_at", "emailed_at"]
    list_filter = ["category", "kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "digest"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(OfficerOnlyAdmin):
    list_display = ["user", "category", "email", "updated_at"]
    list_filter = ["category", "email"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(DigestBatch)
class DigestBatchAdmin(OfficerOnlyAdmin):
    list_display = ["user", "period", "created_at", "sent_at", "notification_count"]
    list_filter = ["period"]
    raw_id_fields = ["user"]
