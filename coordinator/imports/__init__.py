"""CSV/XLSX imports of stakeholders and activities: all or nothing, idempotent."""
