"""Sign-in, the account page, and the role homes that later issues fill in."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mobility.accounts import access
from mobility.accounts.forms import SignInForm
from mobility.accounts.models import CentreMembership


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "centre_memberships": access.centre_memberships(user),
            "organisation_memberships": access.organisation_memberships(user),
            "roles": sorted(access.roles_of(user)),
        },
    )


@access.staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    centres = access.centres_visible_to(request.user).order_by("region__code", "kind", "code")
    return render(
        request,
        "staff/home.html",
        {"centres": centres, "memberships": access.centre_memberships(request.user)},
    )


@access.staff_required
def staff_centre(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = access.get_centre_for_user(request.user, centre_id)
    members = CentreMembership.objects.filter(centre=centre).select_related("user").order_by("role")
    children = centre.children.all()
    return render(
        request, "staff/centre_detail.html", {"centre": centre, "members": members, "children": children}
    )
