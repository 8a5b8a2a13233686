"""Accounts, roles, login sessions."""
