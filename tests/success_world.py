"""Records of the success measurement for the route matrix: the seeded catalogues, one
indicator value, one offer and one survey round (ids by placeholder name)."""

from datetime import date

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.indicators.catalogue import seed_indicators
from coordinator.indicators.models import Indicator, IndicatorValue
from coordinator.offers.models import Offer, OfferParticipation
from coordinator.surveys.catalogue import seed_survey_catalogue
from coordinator.surveys.models import SurveyItem, SurveyRound


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
    seed_survey_catalogue()
    survey_round = db.session.scalars(select(SurveyRound)).first()
    if survey_round is None:
        survey_round = SurveyRound(title="Runde 2026", since=date(2026, 1, 1),
                                   until=date(2026, 12, 31))
        db.session.add(survey_round)
        db.session.commit()
    item = db.session.scalars(select(SurveyItem)).first()
    return {"indicator": indicator.id, "indicator_value": value.id, "offer": offer.id,
            "survey_round": survey_round.id, "survey_item": item.id}
