"""Resettlement pages of this part of the app: the public calculator (no sign-in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mobility.resettlement.calculator import CalculatorError, SupportPackage, support_package
from mobility.resettlement.forms import CalculatorForm


def calculator(request: HttpRequest) -> HttpResponse:
    """Public: a family enters year, category, destination, family size, settlement and home price
    and sees the support in tenge; what the rules cannot answer is said beside its field."""
    form = CalculatorForm(request.GET or None)
    package: SupportPackage | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            package = support_package(
                year=data["year"],
                category=data["category"],
                destination=data["destination"],
                family_size=data["family_size"],
                settlement_type=data["settlement_type"] or None,
                home_price=data["home_price"],
            )
        except CalculatorError as error:
            form.add_error(error.field, error.messages[0])
    return render(request, "resettlement/calculator.html", {"form": form, "package": package})
