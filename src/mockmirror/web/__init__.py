"""The local web app: REST API + WebSocket for live answers + a static UI (docs/web.md)."""

from mockmirror.web.app import create_app

__all__ = ["create_app"]
