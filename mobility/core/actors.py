"""Who is calling, once, for every surface.

`actor_of(...)` answers for a session user, a personal token (its owner), an API key, an admin
user and the tasks: which roles, which organisations (branches included, verification state
known) and with which role in each, which centres and regions with which staff role. Web views,
API views, the admin's querysets, the tasks and every app's `access.py` ask it; nobody reads
memberships directly.

Scoping rules written here and nowhere else:
- an organisation member acts for that organisation and its branches, with the role held at the
  head office unless they hold one at the branch itself;
- only a *verified* organisation reaches candidates, matches and the pipeline
  (`organisation_ids(verified=True)`); an unverified or refused one sees no candidate anywhere;
- a counsellor and a migration officer work at their own centre; a regional manager at every
  centre of their region; an administrator everywhere (`None` means "no limit");
- each staff role works in some programmes only (`PROGRAMMES_BY_ROLE`): a migration officer never
  sees employment cases, a counsellor never sees visa or card cases;
- an API key acts for exactly one organisation or one centre, and only within its scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    """Every role a caller can hold; one account may hold several."""

    SEEKER = "seeker", _("Job seeker")
    EMPLOYER_OWNER = "employer_owner", _("Employer (owner)")
    EMPLOYER_RECRUITER = "employer_recruiter", _("Employer (recruiter)")
    COUNSELLOR = "counsellor", _("Career-centre counsellor")
    REGIONAL_MANAGER = "regional_manager", _("Regional centre manager")
    MIGRATION_OFFICER = "migration_officer", _("Migration officer")
    PROGRAMME_FINANCE = "programme_finance", _("Programme finance officer")
    ADMIN = "admin", _("Administrator")


class Programme(TextChoices):
    """What a case's timeline entries belong to; staff roles see the programmes they work in."""

    EMPLOYMENT = "employment", _("Employment")
    RESETTLEMENT = "resettlement", _("Resettlement")
    VISA = "visa", _("Visa and residence")
    CARD = "card", _("Residence card")


STAFF_ROLES = (Role.COUNSELLOR, Role.REGIONAL_MANAGER, Role.MIGRATION_OFFICER, Role.PROGRAMME_FINANCE)
# Roles that work across the whole region of the centre they are a member of. The programme
# finance officer acts for the receiving region's akimat (certificates, payments), like a
# regional manager scoped to the region, but in the resettlement programme only.
REGION_WIDE_ROLES = (Role.REGIONAL_MANAGER, Role.PROGRAMME_FINANCE)
# Staff roles that serve people and employers of the labour exchange (cases, registrations,
# employer verification and requests). Migration officers work on visa and card cases only.
EXCHANGE_STAFF_ROLES = (Role.COUNSELLOR, Role.REGIONAL_MANAGER)

PROGRAMMES_BY_ROLE: dict[str, frozenset[str]] = {
    Role.COUNSELLOR: frozenset({Programme.EMPLOYMENT, Programme.RESETTLEMENT}),
    Role.MIGRATION_OFFICER: frozenset({Programme.VISA, Programme.CARD}),
    Role.REGIONAL_MANAGER: frozenset(Programme.values),
    Role.PROGRAMME_FINANCE: frozenset({Programme.RESETTLEMENT}),
}


@dataclass(frozen=True, slots=True)
class OrganisationGrant:
    organisation_id: int
    role: str  # OrganisationMembership.Role value: owner / recruiter
    verified: bool
    via_head_office: bool = False


@dataclass(frozen=True, slots=True)
class CentreGrant:
    centre_id: int
    region_id: int
    role: str  # Role value: counsellor / regional_manager / migration_officer / programme_finance


@dataclass
class Actor:
    """A caller and everything access decisions need, loaded once per request."""

    user: Any = None  # the person (None for API keys and anonymous callers)
    key: Any = None  # the ApiKey, when the caller is a partner system
    is_admin: bool = False
    is_seeker: bool = False
    organisations: tuple[OrganisationGrant, ...] = ()
    centres: tuple[CentreGrant, ...] = ()
    _region_centres: dict[int, set[int]] = field(default_factory=dict, repr=False)

    # --- who -------------------------------------------------------------------------------------

    @property
    def is_person(self) -> bool:
        return self.user is not None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None or self.key is not None

    @property
    def audit_user(self) -> Any:
        """Whom the audit trail names: the person, or the person who made the API key."""
        if self.key is not None:
            return self.key.created_by
        return self.user

    @property
    def roles(self) -> set[str]:
        roles: set[str] = set()
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.is_seeker:
            roles.add(Role.SEEKER)
        roles.update("employer_" + g.role for g in self.organisations)
        roles.update(g.role for g in self.centres)
        return roles

    def has_scope(self, scope: str | None) -> bool:
        """People act with their own rights; keys only within their scopes."""
        if self.key is not None:
            return scope is None or scope in self.key.scopes
        return self.is_person

    # --- organisations ------------------------------------------------------------------------

    @property
    def is_employer(self) -> bool:
        return bool(self.organisations)

    def organisation_ids(
        self, *, verified: bool = False, role: str | None = None, scope: str | None = None
    ) -> set[int]:
        """Organisations the caller acts for: `verified` keeps verified ones only (candidates,
        matches, the pipeline), `role` one membership role, `scope` what a key must hold."""
        if self.key is not None and not self.has_scope(scope):
            return set()
        return {
            g.organisation_id
            for g in self.organisations
            if (not verified or g.verified) and (role is None or g.role == role)
        }

    def organisation_role(self, organisation_id: int) -> str | None:
        for grant in self.organisations:
            if grant.organisation_id == organisation_id:
                return grant.role
        return None

    def is_owner_of(self, organisation_id: int) -> bool:
        return self.organisation_role(organisation_id) == "owner"

    # --- centres, regions, programmes -------------------------------------------------------------

    @property
    def is_staff_member(self) -> bool:
        """Centre staff of any role, or an administrator."""
        return self.is_admin or bool(self.centres)

    @property
    def needs_second_factor(self) -> bool:
        """Who must prove a second factor to use the service: centre staff of every role
        (counsellors, regional managers, migration officers, programme finance) and
        administrators, and anyone the admin site lets in by the `is_staff` flag. Seekers,
        employers and foreign applicants may enrol, and are then asked too
        (`mobility.accounts.twofactor`)."""
        return self.is_staff_member or bool(self.user is not None and self.user.is_staff)

    def has_centre_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.centres)

    def centre_ids(self, *roles: str, scope: str | None = None) -> set[int] | None:
        """Centres whose people the caller serves in one of `roles` (every staff role when none
        is named); `None` means every centre (administrators)."""
        if self.is_admin:
            return None
        if self.key is not None and not self.has_scope(scope):
            return set()
        wanted = roles or tuple(STAFF_ROLES)
        ids: set[int] = set()
        for grant in self.centres:
            if grant.role not in wanted:
                continue
            if grant.role in REGION_WIDE_ROLES:
                ids |= self._centres_of_region(grant.region_id)
            else:
                ids.add(grant.centre_id)
        return ids

    def region_ids(self, *roles: str) -> set[int] | None:
        """Regions of the centres the caller works at in `roles`; `None` means all (admin)."""
        if self.is_admin:
            return None
        wanted = roles or tuple(STAFF_ROLES)
        return {g.region_id for g in self.centres if g.role in wanted}

    def managed_region_ids(self) -> set[int] | None:
        """Regions the caller manages as a regional manager; `None` means all (admin)."""
        if self.is_admin:
            return None
        return {g.region_id for g in self.centres if g.role == Role.REGIONAL_MANAGER}

    def programmes(self) -> frozenset[str]:
        """Programmes whose case entries the caller may see as staff."""
        if self.is_admin:
            return frozenset(Programme.values)
        seen: set[str] = set()
        for grant in self.centres:
            seen |= PROGRAMMES_BY_ROLE.get(grant.role, frozenset())
        return frozenset(seen)

    def _centres_of_region(self, region_id: int) -> set[int]:
        if region_id not in self._region_centres:
            from mobility.reference.models import Centre

            self._region_centres[region_id] = set(
                Centre.objects.filter(region_id=region_id).values_list("id", flat=True)
            )
        return self._region_centres[region_id]


ANONYMOUS = Actor()


def _load_person(user: Any) -> Actor:
    from mobility.accounts.models import Organisation, OrganisationMembership

    memberships = list(
        OrganisationMembership.objects.filter(user=user).values_list(
            "organisation_id", "role", "organisation__status"
        )
    )
    grants: dict[int, OrganisationGrant] = {
        org_id: OrganisationGrant(org_id, role, status == Organisation.Status.VERIFIED)
        for org_id, role, status in memberships
    }
    if grants:
        direct = {g.organisation_id: g for g in grants.values()}
        for branch_id, head_id, status in Organisation.objects.filter(
            head_office_id__in=list(direct)
        ).values_list("id", "head_office_id", "status"):
            if branch_id not in grants:
                grants[branch_id] = OrganisationGrant(
                    branch_id, direct[head_id].role, status == Organisation.Status.VERIFIED, True
                )
    centres = tuple(
        CentreGrant(centre_id, region_id, role)
        for centre_id, region_id, role in user.centre_memberships.values_list(
            "centre_id", "centre__region_id", "role"
        )
    )
    from mobility.exchange.models import SeekerProfile

    return Actor(
        user=user,
        is_admin=bool(user.is_active and user.is_superuser),
        is_seeker=SeekerProfile.objects.filter(user=user).exists(),
        organisations=tuple(sorted(grants.values(), key=lambda g: g.organisation_id)),
        centres=centres,
    )


def _load_key(key: Any) -> Actor:
    organisations: tuple[OrganisationGrant, ...] = ()
    centres: tuple[CentreGrant, ...] = ()
    if key.organisation_id:
        organisation = key.organisation
        # A key acts with the rights of a recruiter of its organisation, within its scopes.
        organisations = (OrganisationGrant(organisation.pk, "recruiter", organisation.is_verified),)
    if key.centre_id:
        centre = key.centre
        # A centre key reads what a counsellor of that centre reads, within its scopes.
        centres = (CentreGrant(centre.pk, centre.region_id, Role.COUNSELLOR),)
    return Actor(key=key, organisations=organisations, centres=centres)


def _unwrap(subject: Any) -> Any:
    """The object behind `request.user`'s lazy wrapper, so the cache lands on (and is read
    from) the user itself, not the wrapper's own attributes. Wrappers may be nested (django-otp's
    middleware wraps the authentication middleware's)."""
    while isinstance(subject, LazyObject):
        if subject._wrapped is empty:
            subject._setup()
        subject = subject._wrapped
    return subject


def actor_of(subject: Any) -> Actor:
    """The actor behind a request (session, personal token, API key), a user, or an actor.

    Cached on the request (and on the user object), so a page or an API call loads memberships
    once however many checks it makes.
    """
    if isinstance(subject, Actor):
        return subject
    if subject is None:
        return ANONYMOUS
    subject = _unwrap(subject)
    # Only what was cached on this very object: a DRF request would otherwise hand back the actor
    # cached on the Django request it wraps, before the API key was authenticated.
    cached = getattr(subject, "__dict__", {}).get("_actor")
    if isinstance(cached, Actor):
        return cached
    auth = getattr(subject, "auth", None)
    user = _unwrap(getattr(subject, "user", None)) if hasattr(subject, "method") else subject
    if auth is not None and hasattr(auth, "scopes") and hasattr(auth, "centre_id"):
        actor = _load_key(auth)
    elif user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        if not user.is_active:
            actor = ANONYMOUS
        else:
            actor = user.__dict__.get("_actor") or _load_person(user)
            user._actor = actor
    else:
        actor = ANONYMOUS
    try:
        subject._actor = actor
    except AttributeError:  # pragma: no cover - objects without a __dict__
        pass
    return actor


def serving_centre_q(centre: Any, *roles: str, prefix: str = "") -> Any:
    """The rule of `Actor.centre_ids` turned round, as a filter on centre memberships (`prefix`
    reaches them from another model, e.g. "centre_memberships__"): whoever holds one of `roles`
    (every staff role when none is named) and so serves `centre` — at the centre itself, or as a
    regional manager of its region."""
    from django.db.models import Q

    wanted = [str(r) for r in (roles or STAFF_ROLES)]
    local = [r for r in wanted if r not in REGION_WIDE_ROLES]
    regional = [r for r in wanted if r in REGION_WIDE_ROLES]
    q = Q(**{f"{prefix}centre": centre, f"{prefix}role__in": local}) if local else Q(pk__in=[])
    if regional:
        q |= Q(**{f"{prefix}centre__region_id": centre.region_id, f"{prefix}role__in": regional})
    return q


def forget(user: Any) -> None:
    """Drop the cached actor after the person's memberships changed within this request."""
    user.__dict__.pop("_actor", None)
