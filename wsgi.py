"""WSGI entry point for production servers: ``gunicorn wsgi:app``."""

import gc

from coordinator import create_app
from coordinator.templating import precompile_templates

app = create_app()
precompile_templates(app)  # before the first request, not during it

# What exists now (modules, the app, its compiled templates: ~200,000 objects) lives as long
# as the worker. Frozen, it is left out of the cyclic collector's passes: a full pass, which
# a reader met about every second revision of the figures, took ~100 ms at M; now ~5 ms.
gc.freeze()
