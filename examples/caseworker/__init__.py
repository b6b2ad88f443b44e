"""A reference case-worker web app on innoproc's public API (Flask, server-rendered).

Run ``python -m examples.caseworker`` from the repository's root; see ``README.md`` here.
"""

from .app import create_app

__all__ = ["create_app"]
