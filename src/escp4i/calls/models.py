"""Funding calls, their strands, reserved places and criteria; proposals by consortia of cluster
organisations; evaluator assignments with conflict-of-interest declarations, scores, consensus
scores; reported (sourced) call figures and the link from a call to the partnerships it produced.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel
from escp4i.registry.models import PartnershipCategory

PROGRAMME_BRIEF = "programme brief"
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "odt")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_attachment_size(value: FieldFile) -> None:
    from escp4i.core.uploads import too_large_error, upload_max_bytes

    if value.size is not None and value.size > min(ATTACHMENT_MAX_BYTES, upload_max_bytes()):
        raise too_large_error(value.size)


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Published")
    EVALUATION = "evaluation", _("Under evaluation")
    CLOSED = "closed", _("Closed")


class Call(BaseModel):
    identifier = models.CharField(_("identifier"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=255)
    programme = models.CharField(_("work programme"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    opens_at = models.DateTimeField(_("opening"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    overall_threshold = models.DecimalField(
        _("overall threshold"), max_digits=8, decimal_places=2, default=0
    )
    min_partners = models.PositiveSmallIntegerField(_("minimum consortium size"), default=3)
    min_countries = models.PositiveSmallIntegerField(_("minimum countries"), default=3)
    state = models.CharField(
        _("state"), max_length=16, choices=CallState.choices, default=CallState.DRAFT
    )
    is_historical = models.BooleanField(
        _("historical"),
        default=False,
        help_text=_("A past call seeded from sources; it takes no proposals."),
    )
    generation = models.OneToOneField(
        "registry.Generation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call",
        verbose_name=_("generation it produced"),
    )
    source_urls = models.JSONField(_("sources"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-deadline", "identifier"]
        verbose_name = _("call")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gt=models.F("opens_at")),
                name="call_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="call_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.identifier


class Strand(BaseModel):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="strands")
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(
        _("partnership category when co-funded"),
        max_length=16,
        choices=PartnershipCategory.choices,
        default=PartnershipCategory.STRAND1,
    )
    max_grant = models.DecimalField(
        _("maximum grant (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    places = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("Number of projects to fund.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["call", "code"]
        verbose_name = _("strand")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="strand_call_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.call} strand {self.code}"


class ReservedPlace(BaseModel):
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="reserved_places")
    theme = models.CharField(_("theme"), max_length=120)
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["strand", "theme"]
        verbose_name = _("reserved place")
        constraints = [
            models.UniqueConstraint(fields=["strand", "theme"], name="reserved_strand_theme_uniq"),
            models.CheckConstraint(condition=Q(places__gte=1), name="reserved_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.places} x {self.theme} ({self.strand})"


class Criterion(BaseModel):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2, default=5)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "code"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="criterion_call_code_uniq"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=models.F("max_score")),
                name="criterion_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FigureKind(models.TextChoices):
    BUDGET = "budget", _("Budget (EUR)")
    STRAND_BUDGET = "strand_budget", _("Budget of a strand (EUR)")
    MAX_GRANT = "max_grant", _("Maximum grant (EUR)")
    FUNDED = "funded", _("Co-funded projects")
    EXPECTED = "expected", _("Expected projects")
    RESERVED = "reserved", _("Reserved places")
    VOLUNTARY = "voluntary", _("Voluntary partnerships (reserve list)")
    LABELLED = "labelled", _("Labelled partnerships")
    ORGANISATIONS = "organisations", _("Cluster organisations")


class CallFigure(BaseModel):
    """A figure about a call as reported somewhere, with its source; never computed.

    ``source_url`` is empty when the only source is the programme brief; ``source_label`` then
    says so (``PROGRAMME_BRIEF``).
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(_("kind"), max_length=16, choices=FigureKind.choices)
    scope = models.CharField(_("scope"), max_length=120, blank=True, help_text=_("e.g. strand 1"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    qualifier = models.CharField(_("qualifier"), max_length=16, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_label = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["call", "kind", "scope", "pk"]
        verbose_name = _("reported call figure")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "scope", "source_label"], name="call_figure_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} {self.kind}={self.value}"

    @property
    def from_programme_brief(self) -> bool:
        return not self.source_url


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    CO_FUNDED = "co_funded", _("Co-funded")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Rejected")


DECIDED_STATES = (ProposalState.CO_FUNDED, ProposalState.RESERVE, ProposalState.REJECTED)


class Proposal(BaseModel):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="proposals")
    acronym = models.CharField(_("acronym"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(
        _("reserved-place theme"), max_length=120, blank=True, help_text=_("Leave empty if none.")
    )
    requested_grant = models.DecimalField(
        _("requested grant (EUR)"), max_digits=12, decimal_places=2
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    consensus_total = models.DecimalField(
        _("consensus score"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    awarded_grant = models.DecimalField(
        _("awarded grant (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    partnership = models.ForeignKey(
        "registry.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("partnership"),
        help_text=_("An existing partnership this proposal continues, or the one it created."),
    )
    members = models.ManyToManyField(
        "registry.ClusterOrganisation", through="ProposalPartner", related_name="proposals"
    )

    class Meta:
        ordering = ["call", "strand", "acronym"]
        verbose_name = _("proposal")
        constraints = [
            models.UniqueConstraint(fields=["call", "acronym"], name="proposal_call_acronym_uniq"),
            models.CheckConstraint(
                condition=Q(requested_grant__gt=0), name="proposal_requested_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} ({self.call})"


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


class ProposalPartner(BaseModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "registry.ClusterOrganisation", on_delete=models.PROTECT, related_name="proposal_roles"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )

    class Meta:
        ordering = ["-role", "organisation__name"]
        verbose_name = _("consortium member")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="proposal_partner_uniq"
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="coordinator"),
                name="proposal_one_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.proposal}"


def _attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"calls/proposals/{instance.proposal_id}/{Path(filename).name}"


class ProposalAttachment(BaseModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        validators=[
            FileExtensionValidator(allowed_extensions=list(ATTACHMENT_EXTENSIONS)),
            validate_attachment_size,
        ],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "created_at"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.title


class EvaluatorAssignment(BaseModel):
    """The evaluator capability: a user assigned to evaluate one proposal of a call.

    ``has_conflict`` is None until the evaluator has declared; only an evaluator who declared no
    conflict of interest may score.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    has_conflict = models.BooleanField(_("conflict of interest"), null=True, blank=True)
    coi_declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    coi_note = models.TextField(_("declaration note"), blank=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "evaluator__username"]
        verbose_name = _("evaluator assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="assignment_proposal_evaluator_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.proposal}"


class Score(BaseModel):
    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assignment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_assignment_criterion_uniq"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ConsensusScore(BaseModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="consensus")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="consensus_proposal_criterion_uniq"
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="consensus_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class CallOutcome(models.TextChoices):
    CO_FUNDED = "co_funded", _("Co-funded")
    VOLUNTARY = "voluntary", _("Voluntary (reserve list)")
    NOT_STATED = "not_stated", _("Not stated")


class CallPartnership(BaseModel):
    """Which call a partnership came from, with what outcome and in which strand."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="partnership_links")
    partnership = models.ForeignKey(
        "registry.Partnership", on_delete=models.CASCADE, related_name="call_links"
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=CallOutcome.choices, default=CallOutcome.NOT_STATED
    )
    strand = models.ForeignKey(
        Strand, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnership_links"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["call", "partnership__acronym"]
        verbose_name = _("partnership from a call")
        constraints = [
            models.UniqueConstraint(fields=["call", "partnership"], name="call_partnership_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} from {self.call} ({self.outcome})"
