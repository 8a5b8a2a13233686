"""The stakeholder register: departments, civil-society groups, engaged individuals, and the
catalogue of fields of work (Handlungsfelder)."""
