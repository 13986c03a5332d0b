"""Pages of the labels domain: the public label registry, the verification page (stable URL per
partnership), the live SVG badge, the printable certificate and the charter; member
representatives sign; coordinators open the charter and submit the strategy; programme officers
award, renew and revoke; officers and coordinators read the audit trail.

Objects come through labels selectors (404 / 403); writes go through labels services, whose
DomainError is shown as a message (or on the form) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.core.errors import DomainError, NotFound, PermissionDenied
from escp4i.labels import selectors, services
from escp4i.labels.models import Label
from escp4i.labels.workflow import ACTIVE_STATES, LabelState, RenewalBasis, allowed_actions
from escp4i.registry.models import ClusterOrganisation
from escp4i.web import fields
from escp4i.web.views._http import fetch, http_error, paginate, render_page_or_fragment

# --- forms ---------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"


class LabelFilterForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"))
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Status"),
        choices=[
            ("", gettext_lazy("All")),
            ("active", gettext_lazy("In force")),
            *LabelState.choices,
        ],
    )


class SignForm(forms.Form):
    organisation = fields.ModelChoiceField(
        queryset=ClusterOrganisation.objects.none(), label=gettext_lazy("Signing for")
    )
    representative_name = forms.CharField(
        max_length=200, label=gettext_lazy("Representative's full name")
    )
    representative_title = forms.CharField(
        max_length=200, label=gettext_lazy("Representative's position")
    )
    text_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=gettext_lazy(
            "I am authorised to represent this organisation and accept the charter text above "
            "on its behalf."
        )
    )

    def __init__(self, *args: Any, organisations: list[ClusterOrganisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # declared above
        field.queryset = ClusterOrganisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk


class _ExpectedStateField(forms.ChoiceField):
    """The state the page showed (hidden): the service refuses if the label moved meanwhile."""

    def __init__(self, *, required: bool = True) -> None:
        super().__init__(choices=LabelState.choices, widget=forms.HiddenInput, required=required)


class OpenForm(forms.Form):
    expected_state = _ExpectedStateField(required=False)


class AwardForm(forms.Form):
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from (project start)"), widget=_DateInput
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until (project end)"), widget=_DateInput
    )
    expected_state = _ExpectedStateField()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Reason for the revocation")
    )
    expected_state = _ExpectedStateField()


class RenewForm(forms.Form):
    basis = forms.ChoiceField(choices=RenewalBasis.choices, label=gettext_lazy("Basis"))
    new_end = forms.DateField(label=gettext_lazy("New period ends"), widget=_DateInput)
    expected_state = _ExpectedStateField()


class StrategyForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=gettext_lazy("Sustainable strategy")
    )
    url = forms.URLField(
        required=False,
        label=gettext_lazy("Link to the strategy document"),
        assume_scheme="https",
    )


# --- helpers -------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # behind login_required
    return user


def _label(public_id: str) -> Label:
    return fetch(selectors.label_get, public_id=public_id)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _run(
    request: HttpRequest, label: Label, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except (NotFound, PermissionDenied) as exc:
        raise http_error(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("labels:label-detail", public_id=label.public_id)


def _require(allowed: bool, message: str) -> None:
    """Refuse (403) before reading the form: a user who may not act learns nothing more."""
    if not allowed:
        raise http_error(PermissionDenied(message))


def _require_decide(request: HttpRequest) -> None:
    _require(
        selectors.label_can_decide(actor=request.user),
        _("Only programme officers award, renew and revoke labels."),
    )


# --- public pages --------------------------------------------------------------------------


@require_safe
def label_list(request: HttpRequest) -> HttpResponse:
    form = LabelFilterForm(request.GET or None)
    query = status = None
    if form.is_valid():
        query = form.cleaned_data["q"] or None
        status = form.cleaned_data["status"] or None
    page = paginate(request, selectors.label_list(state=status, query=query))
    today = timezone.localdate()
    rows = [(label, selectors.label_public_status(label=label, today=today)) for label in page]
    return render_page_or_fragment(
        request,
        "labels/label_list.html",
        "labels/_label_results.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": selectors.label_status_counts(),
        },
    )


@require_safe
def charter_detail(request: HttpRequest, version: str | None = None) -> HttpResponse:
    if version is None:
        charter = selectors.charter_version_current()
        if charter is None:
            raise Http404(_("No charter has been published yet."))
    else:
        charter = fetch(selectors.charter_version_get, version=version)
    return render(
        request,
        "labels/charter_detail.html",
        {"charter": charter, "versions": selectors.charter_version_list()},
    )


@require_safe
def label_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    user = request.user
    partnership = label.partnership
    can_decide = selectors.label_can_decide(actor=user)
    can_coordinate = selectors.label_can_coordinate(actor=user, label=label)
    actions = allowed_actions(label.state)
    expected = {"expected_state": label.state}
    context: dict[str, Any] = {
        "label": label,
        "partnership": partnership,
        "status": selectors.label_public_status(label=label),
        "members": selectors.label_member_statuses(label=label),
        "periods": selectors.label_periods(label=label),
        "can_decide": can_decide,
        "can_coordinate": can_coordinate,
        "can_open": "open_charter" in actions
        and selectors.label_can_open_charter(actor=user, partnership=partnership),
        "can_sign": label.state in services.SIGNABLE_STATES
        and bool(selectors.label_signable_organisations(actor=user, label=label)),
        "award_form": AwardForm(
            initial={
                **expected,
                "valid_from": partnership.start_date,
                "valid_until": partnership.end_date,
            }
        )
        if can_decide and "award" in actions
        else None,
        "revoke_form": RevokeForm(initial=expected) if can_decide and "revoke" in actions else None,
        "renew_form": RenewForm(initial=expected) if can_decide and "renew" in actions else None,
        "strategy_form": StrategyForm(
            initial={"text": label.strategy_text, "url": label.strategy_url}
        )
        if can_coordinate and label.state in ACTIVE_STATES
        else None,
    }
    return render(request, "labels/label_detail.html", context)


_BADGE_COLOURS = {
    "active": "#146c2e",
    "expiring": "#8a5a00",
    "in preparation": "#4b5563",
    "expired": "#6b7280",
    "renewed": "#1d4e89",
    "revoked": "#b42318",
    "unknown": "#6b7280",
}


def _text_width(text: str) -> int:
    return 12 + int(len(text) * 6.6)


@require_safe
def label_badge(request: HttpRequest, public_id: str) -> HttpResponse:
    """A shields-style SVG with the live status; short cache so embedders see changes soon."""
    try:
        label: Label | None = selectors.label_get(public_id=public_id)
    except NotFound:
        label = None
    status = selectors.label_public_status(label=label) if label is not None else "unknown"
    left = "ESCP-4i label"
    if label is not None and status in ("active", "expiring") and label.valid_until:
        right = f"{status} · until {label.valid_until.isoformat()}"
    else:
        right = status
    left_width, right_width = _text_width(left), _text_width(right)
    svg = render_to_string(
        "labels/badge.svg",
        {
            "label": label,
            "public_id": public_id,
            "left": left,
            "right": right,
            "status": status,
            "colour": _BADGE_COLOURS.get(status, _BADGE_COLOURS["unknown"]),
            "left_width": left_width,
            "right_width": right_width,
            "width": left_width + right_width,
            "left_x": left_width / 2,
            "right_x": left_width + right_width / 2,
        },
    )
    response = HttpResponse(
        svg, content_type="image/svg+xml; charset=utf-8", status=200 if label else 404
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_safe
def label_certificate(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    if label.awarded_at is None:
        raise Http404(_("This label has not been awarded."))
    return render(
        request,
        "labels/label_certificate.html",
        {
            "label": label,
            "status": selectors.label_public_status(label=label),
            "members": selectors.labelled_members(label).select_related("country"),
            "verify_url": request.build_absolute_uri(
                f"/labels/{label.public_id}/"  # the stable verification URL
            ),
            "today": timezone.localdate(),
        },
    )


# --- signed-in pages -----------------------------------------------------------------------


@login_required
@require_safe
def label_mine(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = []
    for label in selectors.labels_for_user(actor=actor):
        signable = (
            selectors.label_signable_organisations(actor=actor, label=label)
            if label.state in services.SIGNABLE_STATES
            else []
        )
        rows.append((label, selectors.label_public_status(label=label), signable))
    return render(request, "labels/label_mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def label_sign(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    actor = _actor(request)
    organisations = (
        selectors.label_signable_organisations(actor=actor, label=label)
        if label.state in services.SIGNABLE_STATES
        else []
    )
    if not organisations:
        messages.error(
            request, _("There is nothing for you to sign on this label: see who may sign below.")
        )
        return redirect("labels:label-detail", public_id=label.public_id)
    charter = label.charter_version
    assert charter is not None  # noqa: S101  # signable states always pin a charter version
    form = SignForm(
        request.POST or None,
        organisations=organisations,
        initial={"text_sha256": charter.sha256},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.label_charter_sign(
                label=label,
                organisation=form.cleaned_data["organisation"],
                actor=actor,
                representative_name=form.cleaned_data["representative_name"],
                representative_title=form.cleaned_data["representative_title"],
                text_sha256=form.cleaned_data["text_sha256"],
                ip_address=_client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(organisation)s has signed the charter.")
                % {"organisation": form.cleaned_data["organisation"].name},
            )
            return redirect("labels:label-detail", public_id=label.public_id)
    return render(
        request, "labels/label_sign.html", {"label": label, "charter": charter, "form": form}
    )


@login_required
@require_POST
def label_open(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    _require(
        selectors.label_can_open_charter(actor=request.user, partnership=label.partnership),
        _("You may not open the charter of this partnership."),
    )
    form = OpenForm(request.POST)
    if not _form_or_error(request, label, form):
        return redirect("labels:label-detail", public_id=label.public_id)
    return _run(
        request,
        label,
        lambda: services.label_charter_open(
            label=label,
            actor=_actor(request),
            expected_state=form.cleaned_data["expected_state"] or None,
        ),
        _("The charter is open for signature."),
    )


def _form_or_error(request: HttpRequest, label: Label, form: forms.Form) -> bool:
    if form.is_valid():
        return True
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, _("Please correct the form: %(errors)s") % {"errors": errors})
    return False


@login_required
@require_POST
def label_award(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    _require_decide(request)
    form = AwardForm(request.POST)
    if not _form_or_error(request, label, form):
        return redirect("labels:label-detail", public_id=label.public_id)
    data = form.cleaned_data
    return _run(
        request,
        label,
        lambda: services.label_award(
            label=label,
            actor=_actor(request),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            expected_state=data["expected_state"],
        ),
        _("The label has been awarded."),
    )


@login_required
@require_POST
def label_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    _require_decide(request)
    form = RevokeForm(request.POST)
    if not _form_or_error(request, label, form):
        return redirect("labels:label-detail", public_id=label.public_id)
    data = form.cleaned_data
    return _run(
        request,
        label,
        lambda: services.label_revoke(
            label=label,
            actor=_actor(request),
            reason=data["reason"],
            expected_state=data["expected_state"],
        ),
        _("The label has been revoked."),
    )


@login_required
@require_POST
def label_renew(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    _require_decide(request)
    form = RenewForm(request.POST)
    if not _form_or_error(request, label, form):
        return redirect("labels:label-detail", public_id=label.public_id)
    data = form.cleaned_data
    new_end: dt.date = data["new_end"]
    return _run(
        request,
        label,
        lambda: services.label_renew(
            label=label,
            actor=_actor(request),
            basis=data["basis"],
            new_end=new_end,
            expected_state=data["expected_state"],
        ),
        _("The label has been renewed."),
    )


@login_required
@require_POST
def label_strategy(request: HttpRequest, public_id: str) -> HttpResponse:
    label = _label(public_id)
    _require(
        selectors.label_can_coordinate(actor=request.user, label=label),
        _("Only the partnership's coordinators may submit the strategy."),
    )
    form = StrategyForm(request.POST)
    if not _form_or_error(request, label, form):
        return redirect("labels:label-detail", public_id=label.public_id)
    return _run(
        request,
        label,
        lambda: services.label_strategy_submit(
            label=label,
            actor=_actor(request),
            text=form.cleaned_data["text"],
            url=form.cleaned_data["url"],
        ),
        _("The sustainable strategy has been submitted."),
    )


@login_required
@require_safe
def label_audit(request: HttpRequest, public_id: str) -> HttpResponse:
    label = fetch(selectors.access_label_audit, actor=request.user, public_id=public_id)
    return render(
        request,
        "labels/label_audit.html",
        {"label": label, "events": selectors.label_events(label=label)},
    )
