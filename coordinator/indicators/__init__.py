"""Outcome indicators (Integrationsmonitoring): catalogue, values per period and group, targets."""
