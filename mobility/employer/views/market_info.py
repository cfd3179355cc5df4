"""Labour-market information."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mobility.accounts.access import employer_required
from mobility.employer import charts, forms, selectors
from mobility.reference.models import Region


@employer_required
def market(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.employer_organisations(request.user))
    own_occupations = selectors.employer_occupations(request.user)
    form = forms.MarketForm(request.GET or None)
    region_code = ""
    occupation_text = ""
    if form.is_valid():
        region_code = form.cleaned_data.get("region") or ""
        occupation_text = form.cleaned_data.get("occupation") or ""
    region = Region.objects.filter(code=region_code).first() or (
        organisations[0].region if organisations else Region.objects.order_by("code").first()
    )
    occupation = None
    if occupation_text:
        occupation = selectors.occupation_by_label(occupation_text)
    elif request.GET.get("occupation_id", "").isdigit():
        from matching.models import Occupation

        occupation = Occupation.objects.filter(pk=int(request.GET["occupation_id"])).first()
    elif own_occupations:
        from matching.models import Occupation

        occupation = Occupation.objects.filter(pk=own_occupations[0][0]).first()
    if not form.is_bound and region is not None:
        form = forms.MarketForm(
            initial={
                "region": region.code,
                "occupation": selectors.occupation_label(occupation) if occupation else "",
            }
        )
    info = (
        selectors.market_info(
            region=region, occupation=occupation, organisation_ids=[o.pk for o in organisations]
        )
        if region is not None
        else None
    )
    return render(
        request,
        "employer/market.html",
        {
            "form": form,
            "info": info,
            "own_occupations": own_occupations,
            "charts": _market_charts(info) if info else {},
        },
    )


def _market_charts(info: selectors.MarketInfo) -> dict[str, Any]:
    from django.utils.formats import date_format

    where = info.region.name
    what = info.occupation_name or _("all occupations")
    out: dict[str, Any] = {}
    if info.skills:
        out["skills"] = charts.bar_chart(
            [(name, (here, movers)) for name, here, movers in info.skills],
            title=_("Job seekers with the occupation's skills"),
            description=_(
                "For each skill of %(occupation)s: job seekers in %(region)s who have it, and job seekers "
                "elsewhere who have it and are willing to move. %(details)s"
            )
            % {
                "occupation": what,
                "region": where,
                "details": "; ".join(f"{n}: {h}, {m}" for n, h, m in info.skills),
            },
            series=(_("in the region"), _("willing to move here")),
        )
    if info.salary_quartiles:
        low, median, high = info.salary_quartiles
        out["salary"] = charts.range_chart(
            low=low,
            median=median,
            high=high,
            marker=info.offered_median,
            title=_("Expected monthly salary"),
            description=_(
                "Half of the job seekers for %(occupation)s in %(region)s expect between %(low)s "
                "and %(high)s tenge a month; the median is %(median)s."
            )
            % {"occupation": what, "region": where, "low": low, "high": high, "median": median},
            range_label=_("middle half of expectations"),
            marker_label=_("median offered by others"),
        )
        out["salary_buckets"] = charts.bar_chart(
            [(label, (count,)) for label, count in info.salary_buckets],
            title=_("Job seekers by expected salary, tenge"),
            description="; ".join(f"{label}: {count}" for label, count in info.salary_buckets),
        )
    out["vacancies"] = charts.column_chart(
        [(date_format(month, "M Y"), count) for month, count in info.others_by_month],
        title=_("Vacancies posted by other employers"),
        description=_(
            "Vacancies for %(occupation)s in %(region)s published by other employers, by month: %(details)s"
        )
        % {
            "occupation": what,
            "region": where,
            "details": "; ".join(f"{date_format(m, 'M Y')}: {n}" for m, n in info.others_by_month),
        },
    )
    return out
