"""`mockmirror serve`: the local web app (FastAPI + uvicorn), on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer
from rich.console import Console


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default 127.0.0.1: this computer only).")
    ] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    open_browser: Annotated[
        bool | None, typer.Option("--open/--no-open", help="Open the app in the browser.")
    ] = None,
) -> None:
    """Start the web app: live mock interviews with webcam and microphone, reports, progress."""
    import uvicorn

    from mockmirror.settings import Settings
    from mockmirror.store.db import database_url
    from mockmirror.web import create_app

    out = Console(highlight=False)
    settings = Settings()
    web = settings.web
    host = web.host = host or web.host  # the app's host check follows the address it binds
    port = web.port = port or web.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        out.print(f"[yellow]note:[/] listening on {host}: other computers on the network can reach it.")
    app = create_app(settings)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    url_db = database_url(settings)
    out.print(f"mockmirror web app: [bold]{url}[/]  (data: {url_db.split('://', 1)[0]}; Ctrl+C stops)")
    if web.open_browser if open_browser is None else open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", ws_max_size=4 * 1024 * 1024)
