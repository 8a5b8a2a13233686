"""The append-only audit trail: who changed, anonymised, imported or signed in, when, from
where, and which fields changed (old and new values, never passwords)."""
