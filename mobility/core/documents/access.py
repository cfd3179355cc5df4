"""Who may see which document. Everyone else gets 404, anonymous callers included, so a
document id reveals nothing.

May see a document:
- its owner;
- centre staff who see the owner (the people registered or with a case at the centres they
  serve: `seekers_in_scope`, the rule of every other surface); migration officers, the foreign
  applicants whose applications their centres handle (`migration.selectors`);
- staff who see a resettlement application (`resettlement.selectors.applications_visible_to`:
  the career centre of origin, the receiving region's manager and programme finance officer): the
  documents attached to it, though the family lives in another region;
- administrators;
- an employer representative: a CV only, of a seeker who shared their contacts with an
  organisation the person acts for, once that organisation is verified.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from mobility.core.actors import actor_of
from mobility.core.documents.models import Document


def documents_visible_to(user: Any) -> QuerySet[Document]:
    # The apps' selectors are imported here: the kernel must not import them at load time.
    from mobility.exchange.models import Application
    from mobility.exchange.selectors import seekers_in_scope, vacancies_open_to_candidates

    actor = actor_of(user)
    qs = Document.objects.select_related("owner")
    if actor.is_admin:
        return qs
    if actor.user is None:  # anonymous callers, inactive accounts (API keys download nothing)
        return qs.none()
    visible = Q(owner=actor.user)
    if actor.is_staff_member:
        visible |= Q(owner__in=seekers_in_scope(actor).values("user_id"))
        from migration.selectors import foreign_applicant_users_in_scope

        visible |= Q(owner__in=foreign_applicant_users_in_scope(actor))
        visible |= _attached_to_resettlement_applications(actor)
    if actor.is_employer:
        shared = Application.objects.filter(
            vacancy__in=vacancies_open_to_candidates(actor).values("id"), contacts_shared=True
        ).values("seeker__user_id")
        visible |= Q(kind=Document.Kind.CV, owner__in=shared)
    return qs.filter(visible)


def _attached_to_resettlement_applications(actor: Any) -> Q:
    """Documents attached to the resettlement applications the member of staff sees."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from mobility.resettlement.models import ResettlementApplication
    from mobility.resettlement.selectors import applications_visible_to

    ids = applications_visible_to(actor).annotate(key=Cast("pk", output_field=CharField())).values("key")
    return Q(attached_type=ContentType.objects.get_for_model(ResettlementApplication), attached_id__in=ids)


def get_document_for_user(user: Any, public_id: uuid.UUID | str) -> Document:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(documents_visible_to(user), public_id=key)
