"""Records of the success measurement for the route matrix: the seeded catalogues, one
indicator value, one offer and one survey round (ids by placeholder name)."""

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.indicators.catalogue import seed_indicators
from coordinator.indicators.models import Indicator, IndicatorValue
from coordinator.offers.models import Offer, OfferParticipation


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
    offer = db.session.scalars(select(Offer)).first()
    if offer is None:
        offer = Offer(title="Sprachcafé", target_group="newcomers", capacity=20)
        offer.providers = [world["verein"]]
        offer.participation = [OfferParticipation(period="2025", group_key="newcomers",
                                                  count=12)]
        db.session.add(offer)
        db.session.commit()
    return {"indicator": indicator.id, "indicator_value": value.id, "offer": offer.id}
