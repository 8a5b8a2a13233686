"""The read-only JSON API under ``/api/v1/`` and the personal access tokens that open it.

``views.py`` answers the API (bearer tokens only), ``openapi.py`` describes it (OpenAPI 3.1,
served as JSON and rendered as a browsable page by ``docs_views.py``), ``token_views.py`` is
the page where users create and revoke their tokens, ``tokens.py`` the token operations.
"""
