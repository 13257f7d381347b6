"""Triage priority from plain data: VIP, tone (VADER, English only), waiting, "me too"."""

from __future__ import annotations

from support.triage import triage


def test_an_angry_vip_who_waited_long_comes_first():
    calm = triage(vip=False, text="How do I change the currency on my invoice?", waited_hours=2, me_too=0)
    angry_vip = triage(
        vip=True,
        text="This is broken and I am furious, nothing works and I lost a day!",
        waited_hours=30,
        me_too=3,
    )
    assert angry_vip.priority > calm.priority
    assert angry_vip.tone is not None and angry_vip.tone < -0.5
    assert "VIP customer" in angry_vip.reasons
    assert any(reason.startswith("Negative tone") for reason in angry_vip.reasons)
    assert "3 more customers have this too" in angry_vip.reasons


def test_text_that_is_not_english_counts_as_neutral_and_says_so():
    result = triage(
        vip=False, text="Je ne peux pas exporter mes factures, c'est nul !", waited_hours=0, me_too=0
    )
    assert result.tone is None
    assert "Tone not assessed: the question does not read as English" in result.reasons
    assert result.priority == 0


def test_waiting_and_me_too_add_up_to_a_cap():
    long_wait = triage(vip=True, text="Please help with the export", waited_hours=500, me_too=50)
    assert long_wait.priority <= 100
    assert triage(vip=False, text="x", waited_hours=72, me_too=0).priority == 20
