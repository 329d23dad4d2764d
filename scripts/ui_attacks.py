"""Hostile pages against a served sandbox, in headless Chromium (run by scripts/ui_check.py).

Two attacks a developer's browser can make on a sandbox listening on 127.0.0.1:
a page from another origin (another port of 127.0.0.1) submitting forms and
firing ``no-cors`` fetches and beacons at the control API, and a DNS-rebinding
page (a host name Chromium resolves to 127.0.0.1 through ``--host-resolver-rules``)
reading ``/_sandbox/state`` as if same-origin. Each check asserts the requests
reached the sandbox and were refused, that its state did not change and that no
key or one-time code was read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final

import httpx
from playwright.sync_api import Page, Response

from ziett.sandbox import Sandbox

REBOUND_HOST: Final = "rebound.example"
"""A name Chromium resolves to 127.0.0.1: what an attacker's DNS answers after rebinding."""
REBINDING_FLAGS: Final = (f"--host-resolver-rules=MAP {REBOUND_HOST} 127.0.0.1",)

_CROSS_ORIGIN_PAGE: Final = """<!doctype html>
<meta charset="utf-8"><title>Not the sandbox</title>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<iframe name="f3"></iframe><iframe name="f4"></iframe>
<form method="post" action="SANDBOX/_sandbox/drain" target="f1">
  <input name="confirm" value="1"></form>
<form method="post" action="SANDBOX/_sandbox/top_up" enctype="text/plain" target="f2">
  <input name='{"amount":"500","pad":"' value='"}'></form>
<form method="post" action="SANDBOX/_sandbox/inject" enctype="multipart/form-data" target="f3">
  <input name="fault" value="503"></form>
<form method="post" action="SANDBOX/_sandbox/remitters" target="f4">
  <input name="name" value="Evil"></form>
<script>
const S = "SANDBOX";
const results = {};
async function attempt(name, run) {
  try {
    const r = await run();
    results[name] = r instanceof Response ? `${r.type}:${r.status}` : String(r);
  } catch (error) {
    results[name] = `refused:${error.name}`;
  }
}
window.addEventListener("load", async () => {
  const frames = [...document.querySelectorAll("iframe")];
  const loaded = (f) => new Promise((ok) => f.addEventListener("load", ok, { once: true }));
  const loads = frames.map(loaded);
  for (const form of document.forms) form.submit();
  const post = (path, init) => fetch(S + path, { method: "POST", ...init });
  await Promise.all([
    attempt("no-cors drain", () => post("/_sandbox/drain", { mode: "no-cors" })),
    attempt("no-cors reset", () => post("/_sandbox/reset", { mode: "no-cors", body: "{}" })),
    attempt("no-cors inject", () => post("/_sandbox/inject", {
      mode: "no-cors", body: JSON.stringify({ fault: 503, times: 5 }) })),
    attempt("no-cors top_up", () => post("/_sandbox/top_up", {
      mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: '{"amount":"500"}' })),
    attempt("cors JSON drain", () => post("/_sandbox/drain", {
      headers: { "Content-Type": "application/json" }, body: "{}" })),
    attempt("beacon drain", () => navigator.sendBeacon(S + "/_sandbox/drain", "{}")),
    attempt("no-cors send", () => post("/c/v1/messages", { mode: "no-cors", body: "{}" })),
    attempt("no-cors list", () => fetch(S + "/c/v1/messages", { mode: "no-cors" })),
    attempt("read state", () => fetch(S + "/_sandbox/state").then((r) => r.text())),
    attempt("read inbox", () => fetch(S + "/_sandbox/inbox").then((r) => r.text())),
    attempt("read messages", () => fetch(S + "/_sandbox/messages").then((r) => r.text())),
  ]);
  await Promise.race([Promise.all(loads), new Promise((ok) => setTimeout(ok, 5000))]);
  window.__results = results;
});
</script>
"""

_REBOUND_FETCHES: Final = """async () => {
  const results = {};
  const post = { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" };
  for (const [path, init] of [["/_sandbox/state", {}], ["/_sandbox/messages", {}],
                              ["/_sandbox/drain", post], ["/", {}]]) {
    try {
      const r = await fetch(path, init);
      results[path] = { status: r.status, body: await r.text() };
    } catch (error) {
      results[path] = { status: 0, body: String(error) };
    }
  }
  return results;
}"""


def _secrets(sandbox: Sandbox) -> list[str]:
    """What no foreign page may read: the keys and the content of every message."""
    return [sandbox.api_key, sandbox.read_only_api_key, *(m["content"] for m in sandbox.messages)]


def _everything(sandbox: Sandbox) -> Any:
    return sandbox.snapshot(), sandbox.messages, sandbox.campaigns


def _seed(sandbox: Sandbox) -> None:
    """A message with a one-time code, so there is something secret to steal."""
    with httpx.Client(
        transport=httpx.MockTransport(sandbox.handle),
        base_url="http://sandbox",
        headers={"X-API-KEY": sandbox.api_key},
    ) as client:
        body = {
            "remitter_id": sandbox.remitter_id,
            "channel_type": "SMS",
            "target_e164": "+244923456700",
            "content": "Your code is 913482.",
        }
        assert client.post("/c/v1/messages", json=body).status_code == 202


@contextmanager
def _serve(html: str) -> Iterator[str]:
    """Serve ``html`` at ``/`` of a fresh port on 127.0.0.1 (another origin); its URL."""
    body = html.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    # Like docs_check.serve, with this page's own handler: each script runs alone.
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _answers(page: Page, base_url: str) -> list[tuple[str, str, int]]:
    seen: list[tuple[str, str, int]] = []

    def record(response: Response) -> None:
        if response.url.startswith(base_url):
            seen.append((response.request.method, response.url[len(base_url) :], response.status))

    page.on("response", record)
    return seen


def check_cross_origin_page(page: Page, base_url: str, sandbox: Sandbox) -> None:
    """A page on another port submits forms and fires fetches: nothing changes, nothing is read.

    :param page: a fresh page.
    :param base_url: the served sandbox's URL.
    :param sandbox: the sandbox served there.
    """
    _seed(sandbox)
    before = _everything(sandbox)
    answers = _answers(page, base_url)
    with _serve(_CROSS_ORIGIN_PAGE.replace("SANDBOX", base_url)) as attacker:
        page.goto(attacker)
        page.wait_for_function("window.__results !== undefined", timeout=15_000)
        results: dict[str, str] = page.evaluate("window.__results")
    assert _everything(sandbox) == before, "a page on another origin changed the sandbox"
    for name in ("read state", "read inbox", "read messages", "cors JSON drain"):
        assert results[name].startswith("refused:"), (name, results[name])
    leaked = [s for s in _secrets(sandbox) if any(s in text for text in results.values())]
    assert not leaked, f"a page on another origin read {leaked}"
    posts = [(path, status) for method, path, status in answers if method == "POST"]
    # 4 forms, 5 no-cors POSTs and a beacon reached the sandbox, and each was refused;
    # the no-cors GET of the API too (and none of them is in the request log).
    assert len(posts) >= 10, f"fewer attempts reached the sandbox than made: {answers}"
    assert all(status in (403, 415) for _, status in posts), posts
    gets = [status for method, path, status in answers if path == "/c/v1/messages"]
    assert gets and all(status == 403 for status in gets), answers


def check_dns_rebinding(page: Page, base_url: str, sandbox: Sandbox) -> None:
    """A page whose host name now resolves to 127.0.0.1 reads and posts "same-origin": 421.

    :param page: a page of a browser started with :data:`REBINDING_FLAGS`.
    :param base_url: the served sandbox's URL (``http://127.0.0.1:PORT``).
    :param sandbox: the sandbox served there.
    """
    port = base_url.rsplit(":", 1)[1]
    rebound = f"http://{REBOUND_HOST}:{port}"
    before = _everything(sandbox)
    answers = _answers(page, rebound)
    # The attacker's page, now same-origin with whatever answers at 127.0.0.1:PORT:
    # its own document and its fetches all reach the sandbox under the attacker's name.
    document = page.goto(f"{rebound}/")
    assert document is not None and document.status == 421, document
    results: dict[str, dict[str, Any]] = page.evaluate(_REBOUND_FETCHES)
    assert _everything(sandbox) == before, "a rebinding page changed the sandbox"
    for path, answer in results.items():
        assert answer["status"] == 421, (path, answer)
        assert json.loads(answer["body"])["code"] == "MISDIRECTED_REQUEST"
    leaked = [s for s in _secrets(sandbox) if any(s in a["body"] for a in results.values())]
    assert not leaked, f"a rebinding page read {leaked}"
    assert len([a for a in answers if a[2] == 421]) == 5, answers
