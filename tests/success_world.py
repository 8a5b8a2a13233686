"""Records of the success measurement for the route matrix: the seeded catalogues, one
indicator value, one offer and one survey round (ids by placeholder name)."""

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.indicators.catalogue import seed_indicators
from coordinator.indicators.models import Indicator, IndicatorValue


def success_values(world: dict) -> dict[str, int]:
    seed_indicators()
    indicator = db.session.scalars(select(Indicator).where(Indicator.key == "E8")).one()
    value = db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id)).first()
    if value is None:
        value = IndicatorValue(indicator_id=indicator.id, period="2025", group_key="gesamt",
                               value=7.5)
        db.session.add(value)
        db.session.commit()
    return {"indicator": indicator.id, "indicator_value": value.id}
