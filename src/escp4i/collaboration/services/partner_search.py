"""Partner-search writes: post, edit, close with an outcome; express and withdraw interest;
follow and unfollow; comment; moderation (hide and unhide requests and comments).

Who may do what (checked here, whatever the caller): users acting for the posting organisation
edit and close; users acting for another organisation express interest (once per
organisation); any signed-in user follows and comments; programme officers moderate. A closed
request is read-only. Moderation and closing write audit rows (with the reason); every
notification goes through ``collaboration.notify``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escp4i.accounts.models import User
from escp4i.collaboration import notify
from escp4i.collaboration.markup import MAX_SOURCE_LENGTH, render_markdown
from escp4i.collaboration.models import (
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
    PartnerSearchKind,
    PartnerSearchOutcome,
    PartnerSearchStatus,
)
from escp4i.collaboration.selectors.partner_search import (
    acting_organisation_id,
    partner_search_can_moderate,
    partner_search_followers,
    partner_search_is_owner,
)
from escp4i.core.audit import audit_record
from escp4i.core.errors import Conflict, PermissionDenied
from escp4i.registry.models import ClusterOrganisation, Country, Region, Sector

MAX_DEADLINE_DAYS = 730
MAX_MESSAGE_LENGTH = 5_000
MAX_REASON_LENGTH = 500


@dataclass(frozen=True, slots=True)
class _Resolved:
    sectors: list[Sector]
    countries_sought: list[Country]
    target_countries: list[Country]
    target_regions: list[Region]


def _acting_organisation(actor: User) -> ClusterOrganisation:
    organisation_id = acting_organisation_id(actor)
    if organisation_id is None or actor.organisation is None:
        raise PermissionDenied(
            _("You need to act for a registry organisation to do this. Ask a programme officer.")
        )
    return actor.organisation


def _require_owner(actor: User, search: PartnerSearch) -> None:
    if not partner_search_is_owner(actor=actor, search=search):
        raise PermissionDenied(
            _("Only users of %(org)s may change this partner search.")
            % {"org": search.organisation.name}
        )


def _require_open(search: PartnerSearch) -> None:
    if search.is_closed:
        raise Conflict(_("This partner search is closed: it is read-only."))


def _require_responses(search: PartnerSearch) -> None:
    _require_open(search)
    if search.is_expired:
        raise Conflict(
            _("The deadline of this partner search (%(date)s) has passed.")
            % {"date": search.deadline.isoformat()}
        )
    if search.is_hidden:
        raise Conflict(_("A moderator hid this partner search: it takes no responses."))


def _require_moderator(actor: User) -> None:
    if not partner_search_can_moderate(actor=actor):
        raise PermissionDenied(_("Only programme officers moderate."))


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": [_("Give a reason: the author will see it.")]})
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("At most %(n)d characters.") % {"n": MAX_REASON_LENGTH}]}
        )
    return text


def _resolve(
    *,
    sectors: Sequence[str],
    countries_sought: Sequence[str],
    target_markets: Sequence[str],
) -> _Resolved:
    """Sector slugs, ISO 3166-1 alpha-2 codes, and markets (country codes or region slugs) to
    rows; every unknown value is reported against its field."""
    errors: dict[str, list[str]] = {}
    sector_rows = {s.slug: s for s in Sector.objects.filter(slug__in=list(sectors))}
    unknown = [s for s in sectors if s not in sector_rows]
    if unknown:
        errors["sectors"] = [_("Unknown sectors: %(v)s") % {"v": ", ".join(unknown)}]
    codes = [c.strip().upper() for c in countries_sought]
    country_rows = {c.code: c for c in Country.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in country_rows]
    if unknown:
        errors["countries_sought"] = [
            _("Not ISO 3166-1 alpha-2 country codes: %(v)s") % {"v": ", ".join(unknown)}
        ]
    wanted = [m.strip() for m in target_markets if m.strip()]
    region_rows = {r.slug: r for r in Region.objects.filter(slug__in=[m.lower() for m in wanted])}
    market_codes = [m.upper() for m in wanted if m.lower() not in region_rows]
    market_countries = {c.code: c for c in Country.objects.filter(code__in=market_codes)}
    unknown = [m for m in market_codes if m not in market_countries]
    if unknown:
        errors["target_markets"] = [
            _("Not a country code (ISO 3166-1 alpha-2) or a known region: %(v)s")
            % {"v": ", ".join(unknown)}
        ]
    if errors:
        raise ValidationError(errors)
    return _Resolved(
        sectors=[sector_rows[s] for s in dict.fromkeys(sectors)],
        countries_sought=[country_rows[c] for c in dict.fromkeys(codes)],
        target_countries=[market_countries[c] for c in dict.fromkeys(market_codes)],
        target_regions=[
            region_rows[m.lower()] for m in dict.fromkeys(wanted) if m.lower() in region_rows
        ],
    )


def _validate(
    *,
    kind: str,
    title: str,
    description: str,
    has_sectors: bool,
    deadline: dt.date,
    today: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in PartnerSearchKind.values:
        errors["kind"] = [_("Choose a kind of partner search.")]
    if not title.strip():
        errors["title"] = [_("Give the request a title.")]
    if not has_sectors and not description.strip():
        errors[NON_FIELD_ERRORS] = [_("Give at least one sector or a description.")]
    if deadline <= today:
        errors["deadline"] = [_("The deadline must be in the future.")]
    elif deadline > today + dt.timedelta(days=MAX_DEADLINE_DAYS):
        errors["deadline"] = [_("The deadline must be within two years.")]
    if errors:
        raise ValidationError(errors)


def _checked(
    *,
    kind: str,
    title: str,
    description: str,
    deadline: dt.date,
    sectors: Sequence[str],
    countries_sought: Sequence[str],
    target_markets: Sequence[str],
    today: dt.date | None,
) -> _Resolved:
    """Resolve the codes and check the request; every problem is reported at once."""
    errors: dict[str, list[str]] = {}
    resolved: _Resolved | None = None
    try:
        resolved = _resolve(
            sectors=sectors, countries_sought=countries_sought, target_markets=target_markets
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _validate(
            kind=kind,
            title=title,
            description=description,
            has_sectors=bool(sectors),
            deadline=deadline,
            today=today or timezone.localdate(),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or resolved is None:
        raise ValidationError(errors)
    return resolved


def _set_relations(search: PartnerSearch, resolved: _Resolved) -> None:
    search.sectors.set(resolved.sectors)
    search.countries_sought.set(resolved.countries_sought)
    search.target_countries.set(resolved.target_countries)
    search.target_regions.set(resolved.target_regions)


def _locked(search: PartnerSearch) -> PartnerSearch:
    """The row again, locked until the transaction ends, so two concurrent closes (or a close
    and an edit) cannot both pass the "still open" check."""
    locked = PartnerSearch.objects.select_for_update().get(pk=search.pk)
    search.status = locked.status
    search.closed_at = locked.closed_at
    search.outcome = locked.outcome
    return search


def _follow(search: PartnerSearch, user: User) -> None:
    PartnerSearchFollow.objects.get_or_create(search=search, user=user)


@transaction.atomic
def partner_search_create(
    *,
    actor: User,
    kind: str,
    title: str,
    deadline: dt.date,
    description: str = "",
    sectors: Sequence[str] = (),
    countries_sought: Sequence[str] = (),
    target_markets: Sequence[str] = (),
    is_synthetic: bool = False,
    today: dt.date | None = None,
) -> PartnerSearch:
    """Post a request for the organisation ``actor`` acts for; the author follows it.

    ``sectors`` are sector slugs, ``countries_sought`` ISO alpha-2 codes, ``target_markets``
    country codes or region slugs. Raises ``PermissionDenied`` (no organisation) or
    ``ValidationError`` with per-field messages.
    """
    organisation = _acting_organisation(actor)
    resolved = _checked(
        kind=kind,
        title=title,
        description=description,
        deadline=deadline,
        sectors=sectors,
        countries_sought=countries_sought,
        target_markets=target_markets,
        today=today,
    )
    search = PartnerSearch(
        organisation=organisation,
        author=actor,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        deadline=deadline,
        is_synthetic=is_synthetic,
    )
    search.full_clean()
    search.save()
    _set_relations(search, resolved)
    _follow(search, actor)
    audit_record(
        actor=actor,
        action="partner_search.create",
        target=search,
        data={"organisation": organisation.slug, "kind": kind},
    )
    return search


def _codes(search: PartnerSearch) -> dict[str, list[str]]:
    return {
        "sectors": sorted(s.slug for s in search.sectors.all()),
        "countries_sought": sorted(c.code for c in search.countries_sought.all()),
        "target_markets": sorted(
            [c.code for c in search.target_countries.all()]
            + [r.slug for r in search.target_regions.all()]
        ),
    }


@transaction.atomic
def partner_search_update(
    *,
    search: PartnerSearch,
    actor: User,
    kind: str | None = None,
    title: str | None = None,
    description: str | None = None,
    deadline: dt.date | None = None,
    sectors: Sequence[str] | None = None,
    countries_sought: Sequence[str] | None = None,
    target_markets: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> PartnerSearch:
    """Change the given fields (None leaves a field as it is). Followers are told what changed.

    Only the posting organisation's users, and only while open. The whole request is validated
    again: an expired request needs a new deadline in the future.
    """
    _require_owner(actor, search)
    search = _locked(search)
    _require_open(search)
    current = _codes(search)
    before = {
        "kind": search.kind,
        "title": search.title,
        "description": search.description,
        "deadline": search.deadline,
        **current,
    }
    new_kind = search.kind if kind is None else kind
    new_title = search.title if title is None else title.strip()
    new_description = search.description if description is None else description.strip()
    new_deadline = search.deadline if deadline is None else deadline
    resolved = _checked(
        kind=new_kind,
        title=new_title,
        description=new_description,
        deadline=new_deadline,
        sectors=current["sectors"] if sectors is None else sectors,
        countries_sought=current["countries_sought"]
        if countries_sought is None
        else countries_sought,
        target_markets=current["target_markets"] if target_markets is None else target_markets,
        today=today,
    )
    search.kind, search.title = new_kind, new_title
    search.description, search.deadline = new_description, new_deadline
    search.full_clean()
    search.save()
    _set_relations(search, resolved)
    after = {
        "kind": search.kind,
        "title": search.title,
        "description": search.description,
        "deadline": search.deadline,
        **_codes(search),
    }
    changed = [name for name in before if before[name] != after[name]]
    if changed:
        audit_record(
            actor=actor, action="partner_search.update", target=search, data={"fields": changed}
        )
        if not search.is_hidden:
            labels = [str(_FIELD_LABELS[name]) for name in changed]
            notify.search_updated(
                search,
                notify.recipients_except(partner_search_followers(search=search), actor),
                labels,
            )
    return search


_FIELD_LABELS = {
    "kind": PartnerSearch._meta.get_field("kind").verbose_name,
    "title": PartnerSearch._meta.get_field("title").verbose_name,
    "description": PartnerSearch._meta.get_field("description").verbose_name,
    "deadline": PartnerSearch._meta.get_field("deadline").verbose_name,
    "sectors": PartnerSearch._meta.get_field("sectors").verbose_name,
    "countries_sought": PartnerSearch._meta.get_field("countries_sought").verbose_name,
    "target_markets": gettext_lazy("target markets"),
}


@transaction.atomic
def partner_search_close(
    *, search: PartnerSearch, actor: User, outcome: str, note: str = ""
) -> PartnerSearch:
    """Close with an outcome (and an optional note). Followers and the organisations that
    expressed interest are told."""
    _require_owner(actor, search)
    search = _locked(search)
    _require_open(search)
    if outcome not in PartnerSearchOutcome.values:
        raise ValidationError({"outcome": [_("Choose an outcome.")]})
    if len(note) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"note": [_("At most %(n)d characters.") % {"n": MAX_MESSAGE_LENGTH}]}
        )
    search.status = PartnerSearchStatus.CLOSED
    search.outcome = outcome
    search.outcome_note = note.strip()
    search.closed_at = timezone.now()
    search.closed_by = actor
    search.full_clean()
    search.save(
        update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="partner_search.close",
        target=search,
        data={"outcome": outcome, "note": search.outcome_note},
    )
    if not search.is_hidden:
        interested = [
            i.user
            for i in search.interests.filter(withdrawn_at__isnull=True).select_related("user")
        ]
        notify.search_closed(
            search,
            notify.recipients_except(
                [*partner_search_followers(search=search), *interested], actor
            ),
        )
    return search


@transaction.atomic
def partner_interest_express(
    *, search: PartnerSearch, actor: User, message: str
) -> PartnerSearchInterest:
    """Express the interest of the actor's organisation, with a message to the posting
    organisation (once per organisation; a withdrawn interest can be expressed again).

    The author and the posting organisation's followers are notified; the actor follows.
    """
    organisation = _acting_organisation(actor)
    if organisation.pk == search.organisation_id:
        raise PermissionDenied(_("Your organisation posted this partner search."))
    _require_responses(search)
    text = message.strip()
    if not text:
        raise ValidationError({"message": [_("Write a message to the organisation.")]})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"message": [_("At most %(n)d characters.") % {"n": MAX_MESSAGE_LENGTH}]}
        )
    interest = (
        PartnerSearchInterest.objects.select_for_update()
        .filter(search=search, organisation=organisation)
        .first()
    )
    if interest is not None and interest.is_active:
        raise Conflict(_("Your organisation has already expressed interest in this request."))
    if interest is None:
        interest = PartnerSearchInterest(search=search, organisation=organisation)
    interest.user = actor
    interest.message = text
    interest.withdrawn_at = None
    interest.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError as exc:  # a colleague's concurrent interest won the race
        raise Conflict(
            _("Your organisation has already expressed interest in this request.")
        ) from exc
    _follow(search, actor)
    audit_record(
        actor=actor,
        action="partner_search.interest",
        target=search,
        data={"organisation": organisation.slug},
    )
    owners_following = partner_search_followers(search=search).filter(
        organisation_id=search.organisation_id
    )
    notify.interest_expressed(
        interest, notify.recipients_except([search.author, *owners_following], actor)
    )
    return interest


@transaction.atomic
def partner_interest_withdraw(
    *, interest: PartnerSearchInterest, actor: User
) -> PartnerSearchInterest:
    """Withdraw an interest (users of the interested organisation only, while open)."""
    if acting_organisation_id(actor) != interest.organisation_id:
        raise PermissionDenied(
            _("Only users of %(org)s may withdraw this interest.")
            % {"org": interest.organisation.name}
        )
    _require_open(interest.search)
    if not interest.is_active:
        raise Conflict(_("This interest was already withdrawn."))
    interest.withdrawn_at = timezone.now()
    interest.save(update_fields=["withdrawn_at", "updated_at"])
    audit_record(
        actor=actor,
        action="partner_search.interest_withdraw",
        target=interest.search,
        data={"organisation": interest.organisation.slug},
    )
    return interest


@transaction.atomic
def partner_search_follow(*, search: PartnerSearch, actor: User) -> PartnerSearchFollow:
    """Follow a request (idempotent)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to follow partner searches."))
    follow, _created = PartnerSearchFollow.objects.get_or_create(search=search, user=actor)
    return follow


@transaction.atomic
def partner_search_unfollow(*, search: PartnerSearch, actor: User) -> bool:
    """Stop following; True when the actor was following."""
    deleted, _by_model = PartnerSearchFollow.objects.filter(search=search, user=actor).delete()
    return bool(deleted)


@transaction.atomic
def partner_search_comment_add(
    *, search: PartnerSearch, actor: User, body: str
) -> PartnerSearchComment:
    """A public comment (Markdown, rendered safely). Followers and the author are notified;
    the commenter follows."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Log in to comment."))
    _require_responses(search)
    text = body.strip()
    if not text:
        raise ValidationError({"body": [_("Write a comment.")]})
    if len(text) > MAX_SOURCE_LENGTH:
        raise ValidationError({"body": [_("At most %(n)d characters.") % {"n": MAX_SOURCE_LENGTH}]})
    comment = PartnerSearchComment(
        search=search,
        author=actor,
        organisation=actor.organisation,
        body=text,
        body_html=render_markdown(text),
    )
    comment.full_clean()
    comment.save()
    _follow(search, actor)
    notify.search_commented(
        comment,
        notify.recipients_except([search.author, *partner_search_followers(search=search)], actor),
    )
    return comment


@transaction.atomic
def partner_search_hide(*, search: PartnerSearch, actor: User, reason: str) -> PartnerSearch:
    """Hide a request (officers). The reason is kept on the row and in the audit trail, and
    the author is told."""
    _require_moderator(actor)
    text = _reason(reason)
    if search.is_hidden:
        raise Conflict(_("This partner search is already hidden."))
    search.hidden_at = timezone.now()
    search.hidden_by = actor
    search.hidden_reason = text
    search.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(actor=actor, action="partner_search.hide", target=search, data={"reason": text})
    notify.content_hidden(
        search.author, what=_("partner search"), reason=text, url=notify.search_url(search)
    )
    return search


@transaction.atomic
def partner_search_unhide(*, search: PartnerSearch, actor: User) -> PartnerSearch:
    _require_moderator(actor)
    if not search.is_hidden:
        raise Conflict(_("This partner search is not hidden."))
    previous = search.hidden_reason
    search.hidden_at = None
    search.hidden_by = None
    search.hidden_reason = ""
    search.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="partner_search.unhide",
        target=search,
        data={"previous_reason": previous},
    )
    return search


@transaction.atomic
def partner_search_comment_hide(
    *, comment: PartnerSearchComment, actor: User, reason: str
) -> PartnerSearchComment:
    _require_moderator(actor)
    text = _reason(reason)
    if comment.is_hidden:
        raise Conflict(_("This comment is already hidden."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = text
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(
        actor=actor, action="partner_search_comment.hide", target=comment, data={"reason": text}
    )
    notify.content_hidden(
        comment.author,
        what=_("comment"),
        reason=text,
        url=f"{notify.search_url(comment.search)}#comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def partner_search_comment_unhide(
    *, comment: PartnerSearchComment, actor: User
) -> PartnerSearchComment:
    _require_moderator(actor)
    if not comment.is_hidden:
        raise Conflict(_("This comment is not hidden."))
    previous = comment.hidden_reason
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="partner_search_comment.unhide",
        target=comment,
        data={"previous_reason": previous},
    )
    return comment
