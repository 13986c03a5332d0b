"""Write pages: profile edits (coordinators, cluster managers, officers), officer import, exports.

Every page here requires login and gets its object through an access selector, which raises
NotFound (404) or PermissionDenied (403); the services enforce the business rules again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import exceptions as django_exceptions
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from escp4i.accounts.selectors import (
    access_organisation_for_edit,
    access_partnership_for_edit,
    user_is_officer,
)
from escp4i.core.errors import DomainError, ImportRejected, NotFound, PermissionDenied
from escp4i.registry.exports import registry_export
from escp4i.registry.services import IMPORT_KINDS, registry_import
from escp4i.registry.services.profiles import organisation_update, partnership_update
from escp4i.registry.services.tables import detect_format
from escp4i.web.forms import ImportForm, OrganisationProfileForm, PartnershipProfileForm
from escp4i.web.views._http import fetch, http_error

EXPORT_KINDS = ("partnerships", "organisations", "memberships")
EXPORT_FORMATS = ("csv", "xlsx", "json")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_edit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = fetch(access_partnership_for_edit, actor=request.user, slug=slug)
    form = PartnershipProfileForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = partnership_update(
                actor=request.user, partnership=partnership, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except (NotFound, PermissionDenied) as exc:
            raise http_error(exc) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The partnership profile was saved."))
            return redirect("web:partnership-detail", slug=partnership.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "web/partnership_edit.html",
        {"form": form, "partnership": partnership},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = fetch(access_organisation_for_edit, actor=request.user, slug=slug)
    form = OrganisationProfileForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_update(
                actor=request.user, organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except (NotFound, PermissionDenied) as exc:
            raise http_error(exc) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The organisation profile was saved."))
            return redirect("web:organisation-detail", slug=organisation.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "web/organisation_edit.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registry_import_view(request: HttpRequest) -> HttpResponse:
    """Officer-only upload. On any bad row every problem is listed and nothing is written."""
    if not user_is_officer(request.user):
        raise django_exceptions.PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "kinds": IMPORT_KINDS}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = registry_import(
                kind=form.cleaned_data["kind"],
                stream=upload,
                fmt=detect_format(upload.name),
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
                actor=request.user,
            )
        except ImportRejected as exc:
            context.update(rejected=exc.message, row_errors=exc.extra.get("errors", []))
            status = 422
        else:
            context["summary"] = summary
    elif form.errors:
        status = 422
    return render(request, "web/registry_import.html", context, status=status)


@require_safe
def registry_export_view(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Public download of the registry tables (the same public data the pages show)."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404
    content, content_type, filename = registry_export(
        kind=kind,  # type: ignore[arg-type]  # checked against EXPORT_KINDS just above
        fmt=fmt,  # type: ignore[arg-type]  # checked against EXPORT_FORMATS just above
        generation=request.GET.get("generation") or None,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
