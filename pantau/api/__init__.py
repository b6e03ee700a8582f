"""pantau's HTTP API and dashboard server: ``create_app(db_path, token=None)``.

``pantau serve`` runs it with uvicorn; see :mod:`pantau.api.app`.
"""

from pantau.api.app import create_app

__all__ = ["create_app"]
