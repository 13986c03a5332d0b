"""Registry models: programme generations, partnerships, cluster organisations, memberships,
countries, regions, sectors and the officially reported key figures."""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel
from escp4i.core.search import search_document_field


class Country(models.Model):
    """An ISO 3166-1 country; rows come from pycountry (migration 0002)."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A named group of third countries (ASEAN, Latin America...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    aliases = models.JSONField(default=list, blank=True)
    countries = models.ManyToManyField(Country, related_name="regions", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """One of the programme's focus areas, with its NACE Rev.2 codes."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    nace_codes = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")

    def __str__(self) -> str:
        return self.name


class Generation(BaseModel):
    """A programme generation and the call it came from (first generation: labelled March 2016)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    call_identifier = models.CharField(_("call identifier"), max_length=64, blank=True)
    call_title = models.CharField(_("call title"), max_length=200, blank=True)
    label_date = models.DateField(_("label date"), null=True, blank=True)
    description = models.TextField(blank=True)
    source_urls = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("generation")

    def __str__(self) -> str:
        return self.name

    @property
    def reference_date(self) -> dt.date:
        """The date at which "EU country" is judged for this generation's figures."""
        if self.label_date:
            return self.label_date
        try:
            return dt.date(int(self.code), 12, 31)
        except ValueError:
            return dt.date(2016, 3, 8)


class PartnershipCategory(models.TextChoices):
    STRAND1 = "strand1", _("Strand 1 (strategy preparation)")
    STRAND2 = "strand2", _("Strand 2 (strategy implementation)")
    VOLUNTARY = "voluntary", _("Voluntary")
    PENDING = "pending", _("Pending")
    UNKNOWN = "unknown", _("Not stated")


class ValidationStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    REGISTERED = "registered", _("Registered (profile not validated)")
    VALIDATED = "validated", _("Validated (ECCP criteria met)")
    REJECTED = "rejected", _("Validation refused")


class Provenance(BaseModel):
    """Fields every source-referenced row carries."""

    source_urls = models.JSONField(_("sources"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for demos or scale tests, not real.")
    )

    class Meta:
        abstract = True


class ClusterOrganisation(Provenance):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    sectors = models.ManyToManyField(Sector, related_name="organisations", blank=True)
    sectors_text = models.CharField(_("sectors (as described)"), max_length=500, blank=True)
    sme_members = models.PositiveIntegerField(_("SME members"), null=True, blank=True)
    total_members = models.PositiveIntegerField(_("total members"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    validation_status = models.CharField(
        _("ECCP validation status"),
        max_length=16,
        choices=ValidationStatus.choices,
        default=ValidationStatus.UNKNOWN,
    )
    # Full-text search (core/search.py): tsvector on PostgreSQL, lower-cased text elsewhere.
    search_document = search_document_field(("name", "A"), ("sectors_text", "B"), ("region", "C"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster organisation")
        indexes = [
            # Keyset pagination of the catalogue (ORDER BY name, id).
            models.Index(fields=["name", "id"], name="organisation_name_id_idx"),
            # Real-data figures skip the synthetic rows of a scale dataset.
            models.Index(fields=["is_synthetic", "country"], name="organisation_synthetic_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="organisation_name_country_uniq"
            ),
            models.CheckConstraint(
                condition=Q(sme_members__isnull=True)
                | Q(total_members__isnull=True)
                | Q(sme_members__lte=models.F("total_members")),
                name="organisation_smes_le_members",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Partnership(Provenance):
    acronym = models.CharField(_("acronym"), max_length=64)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    generation = models.ForeignKey(
        Generation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("generation"),
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=PartnershipCategory.choices,
        default=PartnershipCategory.UNKNOWN,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    coordinator_name = models.CharField(
        _("coordinator (as named by the sources)"), max_length=255, blank=True
    )
    sectors = models.ManyToManyField(Sector, related_name="partnerships", blank=True)
    sectors_text = models.CharField(_("sectors (as described)"), max_length=500, blank=True)
    target_countries = models.ManyToManyField(
        Country, related_name="targeted_by", blank=True, verbose_name=_("target countries")
    )
    target_regions = models.ManyToManyField(
        Region, related_name="targeted_by", blank=True, verbose_name=_("target regions")
    )
    website = models.URLField(_("website"), blank=True)
    sme_count = models.PositiveIntegerField(_("SMEs (as stated)"), null=True, blank=True)
    members = models.ManyToManyField(
        ClusterOrganisation, through="Membership", related_name="partnerships"
    )
    # Member organisation names, kept by registry.services.derived, so a search for a member's
    # name finds the partnership without a join at query time.
    members_text = models.TextField(_("member organisations"), blank=True, editable=False)
    search_document = search_document_field(
        ("acronym", "A"),
        ("name", "A"),
        ("coordinator_name", "B"),
        ("sectors_text", "B"),
        ("members_text", "C"),
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("partnership")
        indexes = [
            models.Index(fields=["is_synthetic", "generation"], name="partnership_synthetic_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["acronym", "generation"], name="partnership_acronym_generation_uniq"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


class Membership(Provenance):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        ClusterOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.PARTNER
    )

    class Meta:
        ordering = ["-role", "organisation__name"]
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="membership_partnership_org_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership} ({self.role})"


class SmeSize(models.TextChoices):
    """Staff headcount classes of the EU SME definition (Commission Recommendation 2003/361/EC)."""

    MICRO = "micro", _("Micro (fewer than 10 staff)")
    SMALL = "small", _("Small (fewer than 50 staff)")
    MEDIUM = "medium", _("Medium-sized (fewer than 250 staff)")


nace_code_validator = RegexValidator(
    r"^[A-U](\d{2}(\.\d{1,2})?)?$", _("Enter a NACE Rev.2 code such as C26 or C26.1.")
)


class SmeMember(Provenance):
    """An SME that is a member of a cluster organisation.

    The registry otherwise only holds SME counts as the sources state them (``sme_members``,
    ``Partnership.sme_count``); member records let a cluster list its SMEs.
    """

    organisation = models.ForeignKey(
        ClusterOrganisation,
        on_delete=models.CASCADE,
        related_name="sme_member_records",
        verbose_name=_("cluster organisation"),
        db_index=False,  # the unique (organisation, name) index leads with it
    )
    name = models.CharField(_("name"), max_length=255)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="sme_members", verbose_name=_("country")
    )
    nace_code = models.CharField(
        _("NACE Rev.2 code"), max_length=8, blank=True, validators=[nace_code_validator]
    )
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SmeSize.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("SME member")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="sme_member_organisation_name_uniq"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FigureKey(models.TextChoices):
    PARTNERSHIPS = "partnerships", _("Partnerships")
    COFUNDED = "cofunded", _("Co-funded partnerships")
    STRAND1 = "strand1", _("Strand 1 partnerships")
    STRAND2 = "strand2", _("Strand 2 partnerships")
    VOLUNTARY = "voluntary", _("Voluntary partnerships")
    PENDING = "pending", _("Pending partnerships")
    ORGANISATIONS = "organisations", _("Cluster organisations")
    COUNTRIES = "countries", _("Countries")
    EU_COUNTRIES = "eu_countries", _("EU countries")
    SMES = "smes", _("SMEs")
    AVG_PARTNERS = "avg_partners", _("Partners per partnership (average)")
    AVG_SMES = "avg_smes", _("SMEs per partnership (average)")


class ReportedFigure(BaseModel):
    """A figure as officially stated, with its source and date (never computed)."""

    generation = models.ForeignKey(
        Generation, on_delete=models.CASCADE, related_name="reported_figures"
    )
    key = models.CharField(max_length=32, choices=FigureKey.choices)
    value = models.DecimalField(max_digits=12, decimal_places=1)
    qualifier = models.CharField(
        max_length=16, blank=True, help_text=_("e.g. 'about', 'more than'")
    )
    as_of = models.DateField(_("as of"))
    source_url = models.URLField(max_length=500)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["generation", "key", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "key", "as_of", "source_url"], name="reported_figure_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.as_of})"
