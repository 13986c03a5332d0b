"""Pages of the calls domain: public call list/detail with budget view; applicants' proposals;
officers' eligibility, evaluator assignment, consensus, ranking and decisions; evaluators'
conflict-of-interest declaration and scoring.

Every object comes through a calls access selector (404 / 403); every write goes through a calls
service, whose DomainError is shown on the form or as a message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from escp4i.accounts.models import User
from escp4i.calls import selectors, services
from escp4i.calls.models import (
    ATTACHMENT_EXTENSIONS,
    Call,
    CallState,
    Criterion,
    EvaluatorAssignment,
    PartnerRole,
    Proposal,
    ProposalState,
    Strand,
)
from escp4i.core.errors import DomainError, NotFound, PermissionDenied
from escp4i.registry.models import ClusterOrganisation
from escp4i.web import fields
from escp4i.web.views._http import fetch, http_error

# --- forms ---------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    strand: forms.ModelChoiceField[Strand] = fields.ModelChoiceField(
        queryset=Strand.objects.none(), label=gettext_lazy("Strand")
    )
    acronym = forms.CharField(max_length=64, label=gettext_lazy("Acronym"))
    title = forms.CharField(max_length=300, label=gettext_lazy("Title"))
    theme = forms.ChoiceField(required=False, label=gettext_lazy("Reserved-place theme"))
    requested_grant = forms.DecimalField(
        min_value=Decimal("0.01"), decimal_places=2, label=gettext_lazy("Requested grant (EUR)")
    )
    partners = fields.ModelMultipleChoiceField(
        queryset=ClusterOrganisation.objects.select_related("country").order_by("name"),
        required=False,
        label=gettext_lazy("Consortium partners (your organisation coordinates)"),
    )
    summary = forms.CharField(widget=forms.Textarea, required=False, label=gettext_lazy("Summary"))
    description = forms.CharField(
        widget=forms.Textarea, required=False, label=gettext_lazy("Description")
    )

    def __init__(self, *args: Any, call: Call, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strand_field = self.fields["strand"]
        assert isinstance(strand_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        strand_field.queryset = call.strands.all()
        themes = sorted({r.theme for s in call.strands.all() for r in s.reserved_places.all()})
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.ChoiceField)  # noqa: S101  # declared above
        theme_field.choices = [("", _("None"))] + [(t, t) for t in themes]
        if editing:
            del self.fields["acronym"]


class AttachmentForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    file = forms.FileField(
        label=gettext_lazy("File (PDF, DOCX or ODT, at most 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in ATTACHMENT_EXTENSIONS)}
        ),
    )


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        choices=[("yes", gettext_lazy("Eligible")), ("no", gettext_lazy("Ineligible"))],
        coerce=lambda v: v == "yes",
        label=gettext_lazy("Eligibility"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Note")
    )


class AssignForm(forms.Form):
    evaluator = fields.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
        label=gettext_lazy("Evaluator"),
    )


class CoiForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        choices=[
            ("no", gettext_lazy("I have no conflict of interest with this proposal")),
            ("yes", gettext_lazy("I have a conflict of interest")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label=gettext_lazy("Declaration"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Note")
    )


class ScoresForm(forms.Form):
    """One score and one comment field per criterion of the call."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], initial_scores: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            current = initial_scores.get(c.pk)
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                min_value=Decimal(0),
                max_value=c.max_score,
                decimal_places=2,
                label=_("%(title)s: score (0-%(max)s, threshold %(threshold)s, weight %(w)s)")
                % {"title": c.title, "max": c.max_score, "threshold": c.threshold, "w": c.weight},
                initial=current.score if current else None,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label=_("%(title)s: comment") % {"title": c.title},
                initial=current.comment if current else "",
            )

    def scores(self) -> dict[int, tuple[Decimal, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ProposalState.CO_FUNDED.value, ProposalState.CO_FUNDED.label),
            (ProposalState.RESERVE.value, ProposalState.RESERVE.label),
            (ProposalState.REJECTED.value, ProposalState.REJECTED.label),
        ],
        label=gettext_lazy("Decision"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Note")
    )


def _add_error(form: forms.Form, exc: DomainError | ValidationError) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, exc.message)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # login_required ran before
    return request.user


# --- public --------------------------------------------------------------------------------


@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.call_list(actor=request.user)
    return render(request, "calls/call_list.html", {"calls": calls})


@require_safe
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = fetch(selectors.access_call, actor=request.user, call_id=call_id)
    user = request.user
    context = {
        "call": call,
        "budget": selectors.call_budget(call=call),
        "figures": selectors.call_reported_figures(call=call),
        "co_funded": selectors.co_funded_proposal_list(call=call),
        "partnership_links": selectors.call_partnership_list(call=call),
        "is_open": selectors.call_is_open(call=call),
        "is_officer": selectors.is_officer(user),
        "can_apply": (
            selectors.call_is_open(call=call) and getattr(user, "organisation_id", None) is not None
        ),
    }
    return render(request, "calls/call_detail.html", context)


# --- applicants ----------------------------------------------------------------------------


@login_required
@require_safe
def proposal_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/proposal_list.html",
        {
            "proposals": selectors.proposal_list_for_applicant(actor=request.user),
            "assignments": selectors.evaluator_assignment_list(actor=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request: HttpRequest, call_id: int) -> HttpResponse:
    call = fetch(selectors.access_call, actor=request.user, call_id=call_id)
    form = ProposalForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                actor=_actor(request),
                call=call,
                strand=data["strand"],
                acronym=data["acronym"],
                title=data["title"],
                requested_grant=data["requested_grant"],
                theme=data["theme"],
                partner_ids=[o.pk for o in data["partners"]],
                summary=data["summary"],
                description=data["description"],
            )
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Draft proposal saved. Submit it before the deadline."))
            return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    return render(
        request,
        "calls/proposal_form.html",
        {"form": form, "call": call},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = fetch(
        selectors.access_proposal_for_applicant, actor=request.user, proposal_id=proposal_id
    )
    call = proposal.call
    initial = {
        "strand": proposal.strand,
        "title": proposal.title,
        "theme": proposal.theme,
        "requested_grant": proposal.requested_grant,
        "partners": [p.organisation for p in proposal.partners.all() if p.role != "coordinator"],
        "summary": proposal.summary,
        "description": proposal.description,
    }
    form = ProposalForm(request.POST or None, call=call, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_update(
                actor=_actor(request),
                proposal=proposal,
                strand=data["strand"],
                title=data["title"],
                requested_grant=data["requested_grant"],
                theme=data["theme"],
                partner_ids=[o.pk for o in data["partners"]],
                summary=data["summary"],
                description=data["description"],
            )
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    return render(
        request,
        "calls/proposal_form.html",
        {"form": form, "call": call, "proposal": proposal},
        status=422 if form.errors else 200,
    )


def _proposal_context(request: HttpRequest, proposal: Proposal, **forms_: Any) -> dict[str, Any]:
    user = request.user
    is_officer = selectors.is_officer(user)
    is_applicant = proposal.created_by_id == user.pk or any(
        p.organisation_id == getattr(user, "organisation_id", None) for p in proposal.partners.all()
    )
    criteria = list(proposal.call.criteria.all())
    consensus = {c.criterion_id: c for c in proposal.consensus.all()}
    context: dict[str, Any] = {
        "proposal": proposal,
        "call": proposal.call,
        "report": selectors.proposal_eligibility(proposal=proposal),
        "is_officer": is_officer,
        "is_applicant": is_applicant,
        "can_edit": is_applicant and selectors.proposal_can_edit(proposal=proposal),
        "can_accept": is_applicant
        and proposal.state == ProposalState.RESERVE
        and not proposal.call.partnership_links.filter(proposal=proposal).exists(),
        "coordinator_role": PartnerRole.COORDINATOR,
        "consensus": [(c, consensus.get(c.pk)) for c in criteria],
        "in_evaluation": proposal.call.state == CallState.EVALUATION,
        "attachment_form": forms_.get("attachment_form") or AttachmentForm(),
    }
    if is_officer:
        context |= {
            "assignments": proposal.assignments.select_related("evaluator").prefetch_related(
                "scores__criterion"
            ),
            "eligibility_form": forms_.get("eligibility_form") or EligibilityForm(),
            "assign_form": forms_.get("assign_form") or AssignForm(),
            "decision_form": forms_.get("decision_form") or DecisionForm(),
        }
    return context


@login_required
@require_safe
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = fetch(selectors.access_proposal, actor=request.user, proposal_id=proposal_id)
    if not selectors.is_officer(request.user):
        # An evaluator works from the assignment page (declaration first).
        assignment = proposal.assignments.filter(evaluator=_actor(request)).first()
        if assignment is not None and proposal.created_by_id != request.user.pk:
            return redirect("calls:assignment-detail", assignment_id=assignment.pk)
    return render(request, "calls/proposal_detail.html", _proposal_context(request, proposal))


def _proposal_action(
    request: HttpRequest, proposal: Proposal, action: Any, success: str, **forms_: Any
) -> HttpResponse:
    """Run a service; on DomainError re-render the detail page with the message (status 422)."""
    try:
        action()
    except (NotFound, PermissionDenied) as exc:
        raise http_error(exc) from exc
    except (DomainError, ValidationError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
        messages.error(request, message)
        proposal = selectors.access_proposal(actor=request.user, proposal_id=proposal.pk)
        return render(
            request,
            "calls/proposal_detail.html",
            _proposal_context(request, proposal, **forms_),
            status=422,
        )
    messages.success(request, success)
    return redirect("calls:proposal-detail", proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = fetch(
        selectors.access_proposal_for_applicant, actor=request.user, proposal_id=proposal_id
    )
    return _proposal_action(
        request,
        proposal,
        lambda: services.proposal_submit(actor=_actor(request), proposal=proposal),
        _("The proposal was submitted."),
    )


@login_required
@require_POST
def proposal_attachment_add(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = fetch(
        selectors.access_proposal_for_applicant, actor=request.user, proposal_id=proposal_id
    )
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "calls/proposal_detail.html",
            _proposal_context(request, proposal, attachment_form=form),
            status=422,
        )
    return _proposal_action(
        request,
        proposal,
        lambda: services.proposal_attachment_add(
            actor=_actor(request),
            proposal=proposal,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        ),
        _("The file was attached."),
        attachment_form=form,
    )


@login_required
@require_safe
def proposal_attachment_download(
    request: HttpRequest, proposal_id: int, attachment_id: int
) -> FileResponse:
    """Attachments are private: served only to those who may see the proposal."""
    proposal = fetch(selectors.access_proposal, actor=request.user, proposal_id=proposal_id)
    attachment = proposal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("No such attachment."))
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=(attachment.file.name or "attachment").rsplit("/", 1)[-1],
    )


@login_required
@require_POST
def proposal_invitation_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = fetch(
        selectors.access_proposal_for_applicant, actor=request.user, proposal_id=proposal_id
    )
    return _proposal_action(
        request,
        proposal,
        lambda: services.proposal_invitation_accept(actor=_actor(request), proposal=proposal),
        _("Invitation accepted: your voluntary partnership's charter is open."),
    )


# --- officers ------------------------------------------------------------------------------


def _officer_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = fetch(selectors.access_proposal, actor=request.user, proposal_id=proposal_id)
    if not selectors.is_officer(request.user):
        raise http_error(PermissionDenied(_("Only a programme officer may do this.")))
    return proposal


@login_required
@require_POST
def proposal_eligibility(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _officer_proposal(request, proposal_id)
    form = EligibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose eligible or ineligible."))
        return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    return _proposal_action(
        request,
        proposal,
        lambda: services.proposal_eligibility_decide(
            actor=_actor(request),
            proposal=proposal,
            eligible=form.cleaned_data["eligible"],
            note=form.cleaned_data["note"],
        ),
        _("Eligibility recorded."),
        eligibility_form=form,
    )


@login_required
@require_POST
def proposal_assign(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _officer_proposal(request, proposal_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an evaluator."))
        return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    return _proposal_action(
        request,
        proposal,
        lambda: services.evaluator_assign(
            actor=_actor(request), proposal=proposal, evaluator=form.cleaned_data["evaluator"]
        ),
        _("Evaluator assigned."),
        assign_form=form,
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _officer_proposal(request, proposal_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    return _proposal_action(
        request,
        proposal,
        lambda: services.proposal_decide(
            actor=_actor(request),
            proposal=proposal,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        _("Decision recorded."),
        decision_form=form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_consensus(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _officer_proposal(request, proposal_id)
    criteria = list(proposal.call.criteria.all())
    current = {c.criterion_id: c for c in proposal.consensus.all()}
    form = ScoresForm(request.POST or None, criteria=criteria, initial_scores=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_consensus_set(
                actor=_actor(request), proposal=proposal, scores=form.scores()
            )
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Consensus score recorded."))
            return redirect("calls:proposal-detail", proposal_id=proposal.pk)
    assignments = proposal.assignments.select_related("evaluator").prefetch_related(
        "scores__criterion"
    )
    return render(
        request,
        "calls/consensus_form.html",
        {"form": form, "proposal": proposal, "assignments": assignments},
        status=422 if form.errors else 200,
    )


def _officer_call(request: HttpRequest, call_id: int) -> Call:
    call = fetch(selectors.access_call, actor=request.user, call_id=call_id)
    if not selectors.is_officer(request.user):
        raise http_error(PermissionDenied(_("Only a programme officer may do this.")))
    return call


@login_required
@require_safe
def call_manage(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _officer_call(request, call_id)
    proposals = selectors.call_proposal_list(actor=request.user, call=call)
    return render(request, "calls/call_manage.html", {"call": call, "proposals": proposals})


@login_required
@require_safe
def call_ranking(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _officer_call(request, call_id)
    ranking = selectors.call_ranking(actor=request.user, call=call)
    return render(
        request,
        "calls/ranking.html",
        {"call": call, "ranking": ranking, "budget": selectors.call_budget(call=call)},
    )


def _call_action(request: HttpRequest, call: Call, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except (NotFound, PermissionDenied) as exc:
        raise http_error(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("calls:call-manage", call_id=call.pk)


@login_required
@require_POST
def call_evaluation_start(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _officer_call(request, call_id)
    return _call_action(
        request,
        call,
        lambda: services.call_evaluation_start(actor=_actor(request), call=call),
        _("Submissions are closed; the evaluation has started."),
    )


@login_required
@require_POST
def call_ranking_apply(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _officer_call(request, call_id)
    return _call_action(
        request,
        call,
        lambda: services.call_ranking_apply(actor=_actor(request), call=call),
        _("The ranking was applied to every undecided proposal."),
    )


@login_required
@require_POST
def call_close(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _officer_call(request, call_id)
    return _call_action(
        request,
        call,
        lambda: services.call_close(actor=_actor(request), call=call),
        _("The call is closed."),
    )


# --- evaluators ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Declaration of conflicts of interest first; then the scoring form per criterion."""
    assignment: EvaluatorAssignment = fetch(
        selectors.access_assignment, actor=request.user, assignment_id=assignment_id
    )
    proposal = assignment.proposal
    criteria = list(proposal.call.criteria.all())
    posted = request.POST if request.method == "POST" else None  # a GET shows unbound forms
    coi_form = CoiForm(posted if assignment.has_conflict is None else None)
    current = {s.criterion_id: s for s in assignment.scores.all()}
    scores_form = ScoresForm(
        posted if assignment.has_conflict is False else None,
        criteria=criteria,
        initial_scores=current,
    )
    form: forms.Form = coi_form if assignment.has_conflict is None else scores_form
    if request.method == "POST" and assignment.has_conflict is not True and form.is_valid():
        try:
            if form is coi_form:
                services.evaluator_coi_declare(
                    actor=_actor(request),
                    assignment=assignment,
                    has_conflict=coi_form.cleaned_data["has_conflict"],
                    note=coi_form.cleaned_data["note"],
                )
                success = _("Declaration recorded.")
            else:
                services.evaluation_scores_submit(
                    actor=_actor(request), assignment=assignment, scores=scores_form.scores()
                )
                success = _("Your scores were submitted.")
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("calls:assignment-detail", assignment_id=assignment.pk)
    return render(
        request,
        "calls/assignment_detail.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "coi_form": coi_form,
            "scores_form": scores_form,
        },
        status=422 if form.errors else 200,
    )
