"""Collaboration models: the EU support-service directory and policy dialogues per third country.

Rows are transcribed from the sourced programme context (registry/data/programme.md, sections 2
and 3) by ``load_collaboration``; descriptions are in our own words, every row keeps its sources.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from escp4i.core.models import BaseModel
from escp4i.registry.models import Country, Region


class ServiceKind(models.TextChoices):
    MARKET_INTELLIGENCE = "market_intelligence", _("Market intelligence")
    IPR_ADVICE = "ipr_advice", _("IPR advice")
    PARTNER_SEARCH = "partner_search", _("Partner search and matchmaking")
    TRADE_MISSIONS = "trade_missions", _("Trade and business missions")
    TRAINING = "training", _("Training")
    BUSINESS_ADVICE = "business_advice", _("Business advice")


class SupportService(BaseModel):
    """An EU-funded service that helps clusters and SMEs work in third markets."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it does"), help_text=_("In our own words."))
    key_facts = models.TextField(_("key facts"), blank=True)
    is_general = models.BooleanField(
        _("not tied to specific markets"),
        default=False,
        help_text=_("Serves any target market; the sources name no country list."),
    )
    countries = models.ManyToManyField(
        Country, related_name="support_services", blank=True, verbose_name=_("countries covered")
    )
    regions = models.ManyToManyField(
        Region, related_name="support_services", blank=True, verbose_name=_("regions covered")
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    source_urls = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("support service")

    def __str__(self) -> str:
        return self.name

    @property
    def kind_values(self) -> list[str]:
        return [row.kind for row in self.kind_rows.all()]

    @property
    def kind_labels(self) -> list[str]:
        return [str(ServiceKind(row.kind).label) for row in self.kind_rows.all()]


class SupportServiceKind(models.Model):
    """One kind of help a service offers (a service usually offers several)."""

    service = models.ForeignKey(SupportService, on_delete=models.CASCADE, related_name="kind_rows")
    kind = models.CharField(_("kind"), max_length=32, choices=ServiceKind.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["service", "kind"], name="support_service_kind_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.kind}"


class InstrumentKind(models.TextChoices):
    COOPERATION_ARRANGEMENT = "cooperation_arrangement", _("Cooperation arrangement")
    MOU = "mou", _("Memorandum of understanding")
    DIALOGUE = "dialogue", _("Dialogue")
    WORKSHOP = "workshop", _("Workshop")
    PARTNERSHIP = "partnership", _("Partnership agreement")
    DISCUSSION_PAPER = "discussion_paper", _("Policy discussion paper")


class PolicyDialogue(BaseModel):
    """A cluster-cooperation arrangement, dialogue or workshop with a third country."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    instrument = models.CharField(_("instrument"), max_length=32, choices=InstrumentKind.choices)
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_(
            "First date stated, for sorting and charts; a month-only date is stored as the 1st. "
            "The date as stated is authoritative."
        ),
    )
    date_text = models.CharField(_("date (as stated)"), max_length=120)
    countries = models.ManyToManyField(
        Country, related_name="policy_dialogues", verbose_name=_("third countries")
    )
    parties = models.TextField(_("parties and signatories"), blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("In our own words."))
    # [{"title": str, "url": str}]: texts of the arrangement, papers, press releases.
    documents = models.JSONField(_("documents"), default=list, blank=True)
    # [{"title": str, "date": str, "url": str}]: events the dialogue led to, as the sources say.
    related_events = models.JSONField(_("related events"), default=list, blank=True)
    source_urls = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        ordering = ["date", "title"]
        verbose_name = _("policy dialogue")

    def __str__(self) -> str:
        return self.title
