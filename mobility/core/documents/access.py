"""Who may see which document. Everyone else gets 404, anonymous callers included, so a
document id reveals nothing.

May see a document:
- its owner;
- centre staff who may see the owner's case (the cases' own scope: `cases_visible_to`);
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

from mobility.core.documents.models import Document


def documents_visible_to(user: Any) -> QuerySet[Document]:
    # The apps' scope helpers are imported here: the kernel must not import them at load time.
    from mobility.accounts.access import is_admin, is_centre_staff, is_employer
    from mobility.accounts.models import Organisation
    from mobility.cases.selectors import cases_visible_to
    from mobility.employer.selectors import employer_organisations
    from mobility.exchange.models import Application

    qs = Document.objects.select_related("owner")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_admin(user):
        return qs
    visible = Q(owner=user)
    if is_centre_staff(user):
        visible |= Q(owner__in=cases_visible_to(user).values("seeker__user_id"))
    if is_employer(user):
        organisations = employer_organisations(user).filter(status=Organisation.Status.VERIFIED)
        shared = Application.objects.filter(
            vacancy__organisation__in=organisations.values("id"), contacts_shared=True
        ).values("seeker__user_id")
        visible |= Q(kind=Document.Kind.CV, owner__in=shared)
    return qs.filter(visible)


def get_document_for_user(user: Any, public_id: uuid.UUID | str) -> Document:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(documents_visible_to(user), public_id=key)
