import pytest
from django.core.management import call_command

from mobility.accounts.models import CentreMembership, Organisation, User
from mobility.core.identifiers import parse_bin, parse_iin

pytestmark = pytest.mark.django_db


def test_seed_demo_is_deterministic_and_idempotent(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Organisation.objects.count(), CentreMembership.objects.count())
    iins = sorted(User.objects.exclude(iin=None).values_list("iin", flat=True))
    call_command("seed_demo")
    assert capsys.readouterr().out == first
    assert (User.objects.count(), Organisation.objects.count(), CentreMembership.objects.count()) == counts
    assert sorted(User.objects.exclude(iin=None).values_list("iin", flat=True)) == iins
    assert "dana@demo.kz" in first and "bolat@demo.kz" in first and "aigerim@demo.kz" in first


def test_demo_identifiers_are_valid():
    call_command("seed_demo")
    for iin in User.objects.exclude(iin=None).values_list("iin", flat=True):
        parse_iin(iin)
    for bin_ in Organisation.objects.values_list("bin", flat=True):
        parse_bin(bin_)
    assert Organisation.objects.filter(status="verified").count() >= 3
    assert Organisation.objects.filter(status="pending").exists()
