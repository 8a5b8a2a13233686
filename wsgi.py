"""WSGI entry point for production servers: ``gunicorn wsgi:app``."""

from coordinator import create_app
from coordinator.templating import precompile_templates

app = create_app()
precompile_templates(app)  # before the first request, not during it
