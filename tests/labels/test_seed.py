"""seed_labels: sample charter, proposed labels only for real partnerships, synthetic demo."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from escp4i.labels.models import CharterSignature, CharterVersion, Label
from escp4i.labels.workflow import LabelState


def test_seed_is_idempotent_and_never_invents_awards(registry_data):
    call_command("seed_labels", stdout=StringIO())
    call_command("seed_labels", "--demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_labels", "--demo", stdout=out)
    assert "0 label(s) proposed" in out.getvalue()
    charter = CharterVersion.objects.get()
    assert "SAMPLE TEXT" in charter.text
    real = Label.objects.filter(partnership__is_synthetic=False)
    assert real.count() == 13  # the first generation (2016)
    assert set(real.values_list("state", flat=True)) == {LabelState.PROPOSED}
    assert not real.filter(awarded_at__isnull=False).exists()
    assert not CharterSignature.objects.filter(partnership__is_synthetic=False).exists()
    demo = Label.objects.get(partnership__is_synthetic=True)
    assert demo.state == LabelState.AWARDED
    assert Label.objects.count() == 14
