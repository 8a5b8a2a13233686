"""Offers (Angebote), their participation counts by group and whether they reach the people
they are meant for."""
