"""Indicators: pure calculations on hand-made series, catalogue and value rules, pages."""

import pytest
from sqlalchemy import select

from coordinator.decimal_input import parse_decimal
from coordinator.extensions import db
from coordinator.indicators.calculations import (
    AMBER,
    GREEN,
    NO_TARGET,
    RED,
    gap_between,
    last_change,
    target_for,
    traffic_light,
)
from coordinator.indicators.catalogue import STARTER_INDICATORS, seed_indicators
from coordinator.indicators.models import Indicator
from coordinator.indicators.operations import check_value, parse_targets, set_value
from coordinator.models import Role
from coordinator.periods import Period, parse_period
from coordinator.rule_error import RuleError


def test_last_change_direction_depends_on_indicator():
    series = [("2023", 14.0), ("2024", 12.5), ("2025", 13.0)]
    worse = last_change(series, "lower")
    assert worse.delta == pytest.approx(0.5)
    assert worse.better is False
    assert last_change(series, "higher").better is True
    assert last_change([("2025", 3.0)], "higher") is None
    assert last_change([("2024", 3.0), ("2025", 3.0)], "higher").better is None


def test_gap_between_groups_only_where_both_have_values():
    foreign = {"2023": 14.2, "2024": 13.0, "2025": 11.5}
    german = {"2024": 5.0, "2025": 4.75}
    assert gap_between(foreign, german) == pytest.approx({"2024": 8.0, "2025": 6.75})


@pytest.mark.parametrize(("value", "target", "direction", "expected"), [
    (12.0, 12.0, "higher", GREEN),
    (11.0, 12.0, "higher", AMBER),   # 1 short of 12: within 10 %
    (10.0, 12.0, "higher", RED),     # 2 short: more than 10 %
    (8.0, 7.5, "lower", AMBER),      # 0.5 above a lower-is-better target of 7.5
    (9.0, 7.5, "lower", RED),
    (7.0, 7.5, "lower", GREEN),
    (7.0, None, "lower", NO_TARGET),
    (None, 7.5, "lower", NO_TARGET),
])
def test_traffic_light(value, target, direction, expected):
    assert traffic_light(value, target, direction) == expected


def test_target_holds_until_a_new_one_is_set():
    targets = {2024: 10.0, 2026: 8.0}
    assert target_for(targets, 2023) is None
    assert target_for(targets, 2025) == pytest.approx(10.0)
    assert target_for(targets, 2027) == pytest.approx(8.0)


def test_periods_and_decimal_numbers():
    assert parse_period("2025") == Period(2025)
    assert str(parse_period("2025q3")) == "2025-Q3"
    for bad in ("25", "2025-Q5", "2025-13", "", "1800"):
        assert parse_period(bad) is None
    assert parse_decimal("12,5") == pytest.approx(12.5)
    assert parse_decimal("1.234,5") == pytest.approx(1234.5)
    assert parse_decimal("-0,25") == pytest.approx(-0.25)
    assert parse_decimal("12.5") == pytest.approx(12.5)
    for bad in ("12,5 %", "abc", "1,2,3", "inf", "nan", ""):
        assert parse_decimal(bad) is None


def test_targets_text():
    assert parse_targets("2026: 12,5; 2027=12") == pytest.approx({2026: 12.5, 2027: 12.0})
    with pytest.raises(RuleError):
        parse_targets("2026 12,5")


@pytest.fixture
def indicators(app):
    seed_indicators()
    return {i.key: i for i in db.session.scalars(select(Indicator))}


def test_seed_fills_an_empty_catalogue_once(indicators):
    assert len(indicators) == len(STARTER_INDICATORS)
    assert seed_indicators() == 0
    assert indicators["E8"].direction == "lower"
    assert indicators["E8"].field.key == "soziales"


def test_value_rules(indicators):
    assert check_value("2025-q2", "deutsch", "4,75") == ("2025-Q2", "deutsch", 4.75)
    for period, group, value, field in (("20x5", "gesamt", "1", "period"),
                                        ("2025", "alle", "1", "group"),
                                        ("2025", "gesamt", "viel", "value")):
        with pytest.raises(RuleError) as info:
            check_value(period, group, value)
        assert info.value.field == field
    e8 = indicators["E8"]
    assert set_value(e8, "2025", "gesamt", 7.0)[1] is True
    assert set_value(e8, "2025", "gesamt", 7.0)[1] is False
    assert set_value(e8, "2025", "gesamt", 6.5)[1] is True
    db.session.commit()
    assert [v.value for v in e8.values] == [6.5]


def test_overview_and_detail_pages(client, auth, world, indicators):
    e8 = indicators["E8"]
    e8.targets = []
    db.session.commit()
    auth.login_as(world, Role.ADMIN)
    response = client.post(f"/indicators/{e8.id}/edit", data={
        "key": "E8", "name": e8.name, "unit": "%", "field_id": "0", "direction": "lower",
        "source": "BA", "definition": "", "targets": "2024: 8; 2025: 7,5"})
    assert response.status_code == 302
    auth.logout()
    auth.login_as(world, Role.COORDINATOR)
    for period, value in (("2023", "9,5"), ("2024", "8,6"), ("2025", "8,1")):
        assert client.post(f"/indicators/{e8.id}/values", data={
            "period": period, "group": "gesamt", "value": value}).status_code == 302
    bad = client.post(f"/indicators/{e8.id}/values",
                      data={"period": "2025", "group": "gesamt", "value": "acht"})
    assert bad.status_code == 422
    assert "Bitte geben Sie eine Zahl ein" in bad.get_data(as_text=True)
    auth.logout()
    auth.login_as(world, Role.LEADERSHIP)
    overview = client.get("/indicators/").get_data(as_text=True)
    assert "Ziel knapp verfehlt" in overview  # 8.1 against 7.5: 0.6 off, within 10 %
    assert "besser" in overview
    page = client.get(f"/indicators/{e8.id}").get_data(as_text=True)
    assert "<svg" in page and "Werte als Tabelle" in page and "Zielwert" in page
    assert client.post(f"/indicators/{e8.id}/values",
                       data={"period": "2026", "group": "gesamt", "value": "1"}
                       ).status_code == 403


def test_a_concurrent_duplicate_becomes_a_rule_error(indicators):
    """What a second request racing for the same unique row meets: a German message and a
    rolled-back session, not a server error."""
    from coordinator.rule_error import committed

    with pytest.raises(RuleError) as info, committed():
        db.session.add(Indicator(key="E8", name="Noch einmal SGB II", direction="lower"))
    assert "Gleichzeitig wurde derselbe Eintrag gespeichert" in info.value.message
    assert db.session.scalar(select(Indicator).where(Indicator.name == "Noch einmal SGB II")
                             ) is None
