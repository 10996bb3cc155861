"""A small WebDriver BiDi client for Debian's firefox-esr (no geckodriver, no Playwright Firefox).

Firefox speaks BiDi itself when started with ``--remote-debugging-port``: one WebSocket at
``ws://127.0.0.1:PORT/session``. Commands are ``{"id", "method", "params"}``; replies carry the
same id, and events (``log.entryAdded`` here) arrive in between. Only what the tests need:
navigate, evaluate a script, click or type through real input actions, set a file input's files.
Spec: https://w3c.github.io/webdriver-bidi/
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

from .helpers import stop_process

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
PULSEAUDIO = shutil.which("pulseaudio")

# Fake camera (a moving colour pattern) and microphone (a tone), no permission prompt; nothing
# that phones home (updates, telemetry, safe browsing) since the machine is offline.
PREFS = {
    "media.navigator.streams.fake": True,
    "media.navigator.permission.disabled": True,
    "app.update.auto": False,
    "app.update.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
}


class BidiError(AssertionError):
    pass


@contextlib.contextmanager
def null_audio_output(folder: Path):
    """A PulseAudio server with one null sink, for a machine without a sound card; yields its
    address for ``PULSE_SERVER``. Firefox's Web Audio renders on the output device's clock: with no
    output device an AudioContext never leaves "suspended" (Chromium's headless mode fakes one)."""
    folder.mkdir(parents=True, exist_ok=True)
    socket_path = folder / "native"
    env = {**os.environ, "HOME": str(folder), "PULSE_RUNTIME_PATH": str(folder)}
    process = subprocess.Popen(
        [PULSEAUDIO, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--system=no",
         "-L", f"module-native-protocol-unix socket={socket_path} auth-anonymous=1",
         "-L", "module-null-sink sink_name=null"],
        env=env, stdout=subprocess.DEVNULL, stderr=(folder / "pulseaudio.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 10
        while not socket_path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise BidiError(f"pulseaudio did not start: {(folder / 'pulseaudio.log').read_text()}")
            time.sleep(0.1)
        yield f"unix:{socket_path}"
    finally:
        stop_process(process, 5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Firefox:
    """A headless Firefox on a fresh profile with one browsing context, driven over BiDi."""

    def __init__(self, profile: Path, prefs: dict[str, Any] | None = None, timeout: float = 30.0,
                 env: dict[str, str] | None = None):
        profile.mkdir(parents=True, exist_ok=True)
        merged = {**PREFS, **(prefs or {})}
        lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in merged.items()]
        (profile / "user.js").write_text("\n".join(lines) + "\n")
        self.port = _free_port()
        self.log_file = (profile.parent / f"{profile.name}.log").open("w")
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
             f"--remote-debugging-port={self.port}", "about:blank"],
            stdout=self.log_file, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
        self._stack = contextlib.ExitStack()
        self.ws = None
        self.next_id = 0
        self.events: list[dict] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                # Entered as a context manager: what websockets ≥ 17.1 asks (and older ones allow).
                self.ws = self._stack.enter_context(
                    connect(f"ws://127.0.0.1:{self.port}/session", max_size=None, open_timeout=5))
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise BidiError("firefox did not open its BiDi socket") from None
                time.sleep(0.2)
        self.capabilities = self.command("session.new", {"capabilities": {}})["capabilities"]
        self.command("session.subscribe", {"events": ["log.entryAdded"]})
        self.context = self.command("browsingContext.getTree", {})["contexts"][0]["context"]

    # ---- protocol ----
    def command(self, method: str, params: dict, timeout: float = 60.0) -> dict:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == ident:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]
            if message.get("type") == "event":
                self.events.append(message)

    def errors(self) -> list[str]:
        """JavaScript errors and console.error lines seen so far."""
        out = []
        for event in self.events:
            entry = event.get("params", {})
            bad = entry.get("type") == "javascript" or entry.get("level") == "error"
            if event.get("method") == "log.entryAdded" and bad:
                out.append(entry.get("text", ""))
        return out

    def console(self) -> list[str]:
        return [e["params"].get("text", "") for e in self.events if e.get("method") == "log.entryAdded"]

    # ---- page ----
    def navigate(self, url: str) -> None:
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str, *, user_activation: bool = False) -> Any:
        """Evaluate a JavaScript expression (awaiting a promise) and return its JSON value."""
        result = self.command("script.evaluate", {
            "expression": f"(async () => JSON.stringify(await ({expression})))()",
            "target": {"context": self.context}, "awaitPromise": True,
            "userActivation": user_activation, "resultOwnership": "none",
        })
        if result["type"] == "exception":
            raise BidiError(f"{expression}: {result['exceptionDetails']['text']}")
        value = result["result"].get("value")
        return None if value in (None, "undefined") else json.loads(value)

    def element(self, selector: str) -> dict:
        """A shared reference to the first element matching a CSS selector."""
        result = self.command("script.evaluate", {
            "expression": f"document.querySelector({json.dumps(selector)})",
            "target": {"context": self.context}, "awaitPromise": False,
        })
        value = result.get("result", {})
        if value.get("type") != "node":
            raise BidiError(f"no element matches {selector}")
        return {"sharedId": value["sharedId"]}

    def wait_for(self, expression: str, timeout: float = 30.0, interval: float = 0.25) -> None:
        """Poll until the expression is truthy in JavaScript's sense."""
        deadline = time.monotonic() + timeout
        while True:
            if self.evaluate(f"!!({expression})"):
                return
            if time.monotonic() > deadline:
                page = self.evaluate("document.body.innerText.slice(0, 600)")
                raise BidiError(f"timed out after {timeout} s waiting for {expression}; "
                                f"errors: {self.errors()}; the page reads: {page!r}")
            time.sleep(interval)

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (scrolled into view): a user gesture."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView({{block: 'center'}})")
        origin = {"type": "element", "element": self.element(selector)}
        self.command("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0},
            ],
        }]})

    def press(self, key: str) -> None:
        """A key press (a single character or a WebDriver key code such as "\\ue007" for Enter)."""
        self.command("input.performActions", {"context": self.context, "actions": [{
            "type": "key", "id": "keyboard",
            "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}],
        }]})

    def set_files(self, selector: str, files: list[Path]) -> None:
        self.command("input.setFiles", {"context": self.context, "element": self.element(selector),
                                        "files": [str(f) for f in files]})

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.command("browsingContext.captureScreenshot",
                            {"context": self.context, "origin": "document"})
        path.write_bytes(base64.b64decode(data["data"]))

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.command("session.end", {}, timeout=5)
        with contextlib.suppress(Exception):
            self._stack.close()
        stop_process(self.process, 10)
        self.log_file.close()

    def __enter__(self) -> Firefox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
