"""`mockmirror serve`: the web app (FastAPI + uvicorn), on 127.0.0.1 unless told otherwise.

Personal mode (default) has no login, so it stays on this computer unless ``--allow-remote``;
institution mode (``--institution``) requires a login for everything (docs/deploy.md)."""

from __future__ import annotations

import os
import threading
import webbrowser
from typing import Annotated

import typer
from rich.console import Console

from mockmirror.settings import Settings


def remote_refusal(settings: Settings) -> str | None:
    """Why this bind is refused (plain words), or None when it is allowed."""
    from mockmirror.web.guard import is_loopback

    web = settings.web
    if is_loopback(web.host) or settings.institution or web.allow_remote:
        return None
    return (
        f"Not starting on {web.host}: in personal mode there is no login, so anyone who can reach "
        "this computer over the network could see, change and delete your interviews. "
        "Keep the default address (127.0.0.1), or start with --institution (everyone logs in), "
        "or, if you really mean it, add --allow-remote."
    )


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default 127.0.0.1: this computer only).")
    ] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    open_browser: Annotated[
        bool | None, typer.Option("--open/--no-open", help="Open the app in the browser.")
    ] = None,
    institution: Annotated[
        bool, typer.Option("--institution", help="Institution mode: accounts and login for everything.")
    ] = False,
    allow_remote: Annotated[
        bool,
        typer.Option("--allow-remote", help="Personal mode: allow an address other computers can reach."),
    ] = False,
) -> None:
    """Start the web app: live mock interviews with webcam and microphone, reports, progress."""
    import uvicorn

    from mockmirror.store.db import database_url
    from mockmirror.web import create_app

    out = Console(highlight=False)
    settings = Settings()
    web = settings.web
    host = web.host = host or web.host  # the app's host check follows the address it binds
    port = web.port = port or web.port
    if institution:
        settings.fusion.mode = "institutional"
    web.allow_remote = web.allow_remote or allow_remote
    refusal = remote_refusal(settings)
    if refusal:
        Console(stderr=True).print(f"[red]error:[/] {refusal}")
        raise typer.Exit(2)
    if host not in ("127.0.0.1", "localhost", "::1"):
        out.print(f"[yellow]note:[/] listening on {host}: other computers on the network can reach it.")
        if host in ("0.0.0.0", "::") and not web.allowed_hosts:
            out.print("[yellow]note:[/] only requests to this computer's own name are answered; add the "
                      "name others use to MOCKMIRROR_WEB__ALLOWED_HOSTS (docs/deploy.md).")
    os.umask(0o077)  # whatever this process writes (recordings, ffmpeg output) is the user's alone
    app = create_app(settings)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    url_db = database_url(settings)
    mode = "institution mode, login required" if settings.institution else "personal mode"
    kind = url_db.split("://", 1)[0]
    out.print(f"mockmirror web app: [bold]{url}[/]  ({mode}; data: {kind}; Ctrl+C stops)")
    if web.open_browser if open_browser is None else open_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(
        app, host=host, port=port, log_level="warning",
        ws_max_size=int(web.ws_max_message_kb * 1024),
        proxy_headers=web.proxy_headers, forwarded_allow_ips=web.forwarded_allow_ips,
        server_header=False,
    )
