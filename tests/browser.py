"""Drive headless Chromium from tests through the DevTools protocol over a pipe (``--remote-debugging-pipe``).

Standard library only: no websocket, no port, no Playwright download. Chromium reads protocol messages from file
descriptor 3 and writes them to 4, each a JSON text ended by a NUL byte. The browser runs with a fresh profile,
no background networking and every request sent to a dead proxy on 127.0.0.1, so a page that tried to reach the
network would fail (and ``Page.requests`` shows what it tried).

    with Browser() as browser:
        page = browser.new_page(1280, 800)
        page.goto(Path("graph.html").as_uri())
        page.evaluate("document.title")
        page.screenshot("shot.png")
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["Browser", "Page", "BrowserError", "find_chromium", "CHROMIUM_FLAGS"]

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-default-browser-check", "--disable-extensions", "--disable-default-apps", "--mute-audio",
    "--hide-scrollbars", "--disable-dev-shm-usage", "--disable-breakpad", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions",
    # nothing may leave this machine: every request goes to a proxy that does not exist
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


class BrowserError(RuntimeError):
    """Chromium could not start, answered with an error, or did not answer in time."""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


class Browser:
    """A headless Chromium process; use as a context manager so it always exits."""

    def __init__(self, executable: str | None = None, *, timeout: float = 30.0, loopback: bool = False) -> None:
        """``loopback``: let the pages reach servers on 127.0.0.1 (a test's own server); everything else still
        goes to the dead proxy."""
        exe = executable or find_chromium()
        if exe is None:
            raise BrowserError("chromium is not installed (Debian: apt-get install chromium)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="topicgraph-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: the protocol pipe ends become fds 3 and 4
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self._log = open(Path(self.profile) / "chromium.log", "wb")
        self.proc = subprocess.Popen(
            [exe, *[("--proxy-bypass-list=127.0.0.1" if loopback and f.startswith("--proxy-bypass-list") else f)
                    for f in CHROMIUM_FLAGS], f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, preexec_fn=wire_fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, name="chromium-cdp", daemon=True)
        self._reader.start()
        self.send("Browser.getVersion")

    # -- protocol
    def _read_loop(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cond:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._cond.notify_all()

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float | None = None) -> dict:
        """Send one command and wait for its reply; returns ``result`` or raises :class:`BrowserError`."""
        with self._lock:
            self._next_id += 1
            mid = self._next_id
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._to_child, data):]
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if self._closed:
                    raise BrowserError(f"chromium exited while waiting for {method}: {self.log_tail()}")
                if left <= 0:
                    raise BrowserError(f"no reply to {method} in {timeout or self.timeout:.0f}s")
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}")
        return reply.get("result", {})

    def wait_event(self, method: str, *, session: str | None = None, since: int = 0,
                   timeout: float | None = None) -> dict:
        """The first event ``method`` (of ``session``) at or after index ``since`` of :attr:`events`."""
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while True:
                for ev in self.events[since:]:
                    if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                        return ev
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise BrowserError(f"no {method} event in {timeout or self.timeout:.0f}s")
                self._cond.wait(left)

    def log_tail(self) -> str:
        try:
            return (Path(self.profile) / "chromium.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    # -- pages
    def new_page(self, width: int = 1280, height: int = 800) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return page

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except BrowserError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """One tab: navigate, evaluate JavaScript, type, click, take screenshots; collects console messages,
    uncaught exceptions and every network request the page made."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session

    def send(self, method: str, params: dict | None = None, **kw: Any) -> dict:
        return self.browser.send(method, params, session=self.session, **kw)

    def _events(self, method: str) -> list[dict]:
        with self.browser._lock:
            return [e["params"] for e in self.browser.events
                    if e.get("sessionId") == self.session and e.get("method") == method]

    def goto(self, url: str, *, timeout: float | None = None) -> None:
        since = len(self.browser.events)
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        self.browser.wait_event("Page.loadEventFired", session=self.session, since=since, timeout=timeout)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited), or :class:`BrowserError` if it throws."""
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise BrowserError(f"JavaScript error: {d.get('exception', {}).get('description') or d.get('text')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float = 15.0, interval: float = 0.05) -> Any:
        """Poll until ``expression`` is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {expression}")
            time.sleep(interval)

    def mouse(self, kind: str, x: float, y: float, **extra: Any) -> None:
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, **extra})

    def hover(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y, button="left", buttons=1, clickCount=1)
        self.mouse("mouseReleased", x, y, button="left", buttons=0, clickCount=1)

    def type_text(self, text: str) -> None:
        """Type into the focused element (fires ``input`` events as a person typing would)."""
        self.send("Input.insertText", {"text": text})

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                                                 **({"text": "\r"} if kind == "keyDown" else {})})

    def screenshot(self, path: str | Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    @property
    def requests(self) -> list[str]:
        """URLs of every request the page made (navigations and subresources)."""
        return [p["request"]["url"] for p in self._events("Network.requestWillBeSent")]

    @property
    def errors(self) -> list[str]:
        """Uncaught exceptions, console errors and browser log errors (CSP violations land here)."""
        out = [p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"].get("text", "")
               for p in self._events("Runtime.exceptionThrown")]
        out += [" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                for p in self._events("Runtime.consoleAPICalled") if p.get("type") in ("error", "assert")]
        out += [p["entry"].get("text", "") for p in self._events("Log.entryAdded")
                if p["entry"].get("level") == "error"]
        return out


def _main(argv: list[str] | None = None) -> int:
    """``python -m tests.browser PAGE.html OUT.png [--search TEXT] [--size 1280x800]``: a screenshot of a page
    (how docs/img/topic-graph.png is made), after typing TEXT in its search box and pressing Enter."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tests.browser", description=_main.__doc__)
    ap.add_argument("page", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--search", default=None)
    ap.add_argument("--size", default="1280x800")
    args = ap.parse_args(argv)
    width, height = (int(x) for x in args.size.split("x"))
    with Browser() as browser:
        page = browser.new_page(width, height)
        page.goto(args.page.resolve().as_uri())
        page.wait_for("document.body.dataset.ready === 'true'")
        if args.search:
            page.evaluate("document.getElementById('search').focus()")
            page.type_text(args.search)
            page.press_enter()
            time.sleep(0.6)  # the page animates to the topic
        page.screenshot(args.out)
        if page.errors:
            print("\n".join(page.errors))
            return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
