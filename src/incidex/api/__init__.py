"""The JSON API of ``incidex serve`` (FastAPI): incidents, articles, search, extraction,
ingestion and exports over the store; ``create_app`` also mounts the web pages."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
