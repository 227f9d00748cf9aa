"""Drive headless Chromium over the DevTools protocol on a pipe (no extra package): load a
page, collect console messages and network requests, evaluate script, print to PDF and
take screenshots. Used by test_brief_chromium.py; skipped where Chromium is absent."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

BINARIES = ("chromium", "chromium-browser", "google-chrome")


def binary() -> str | None:
    return next((b for b in map(shutil.which, BINARIES) if b), None)


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="fp-chromium-")
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        # the child reads commands on fd 3 and writes replies on fd 4
        self.proc = subprocess.Popen(
            [binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-pipe",
             f"--user-data-dir={self.profile}", "--disable-background-networking",
             "--disable-extensions", "--disable-sync", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, to_child, from_child),
            preexec_fn=lambda: (os.dup2(to_child, 3), os.dup2(from_child, 4)))
        # pass_fds keeps the numbers; dup2 in the child puts them on 3 and 4
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.events: list = []
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target,
                                                           "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def _message(self, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            if time.monotonic() > end:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self._write, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._message(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        for e in self.events:
            if e.get("method") == method:
                return e
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            e = self._message(timeout)
            self.events.append(e)
            if e.get("method") == method:
                return e
        raise TimeoutError(method)

    def load(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True})
        return result["result"].get("value")

    def pdf(self) -> bytes:
        out = self.call("Page.printToPDF", {"preferCSSPageSize": True,
                                            "printBackground": True}, timeout=120)
        return base64.b64decode(out["data"])

    def screenshot(self, clip: dict) -> bytes:
        out = self.call("Page.captureScreenshot", {"format": "png",
                                                   "clip": {**clip, "scale": 1},
                                                   "captureBeyondViewport": True})
        return base64.b64decode(out["data"])

    def requests(self) -> list:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def console(self) -> list:
        """Console messages and log entries (errors and warnings) seen so far."""
        out = []
        for e in self.events:
            if e.get("method") == "Runtime.consoleAPICalled":
                out.append((e["params"]["type"], str(e["params"].get("args"))))
            elif e.get("method") == "Runtime.exceptionThrown":
                out.append(("exception", str(e["params"])))
            elif e.get("method") == "Log.entryAdded":
                entry = e["params"]["entry"]
                out.append((entry["level"], entry.get("text", "")))
        return out

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except Exception:  # noqa: BLE001 - it may already be gone
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)
