"""WSGI entry point for production servers: ``gunicorn wsgi:app``."""

from coordinator import create_app

app = create_app()
