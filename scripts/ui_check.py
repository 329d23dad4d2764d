"""The sandbox's inbox in a real browser: headless Chromium driven by Playwright.

``make ui-check`` runs this. It serves a sandbox and checks that the inbox shows loading
first, a sent message live, Deliver working, keyboard-reachable labelled controls, no
sideways scrolling on a phone, and that a page on another origin or a DNS-rebinding
page changes and reads nothing (:mod:`ui_attacks`). Screenshots go to
``build/ui-check/`` (ignored), so the check leaves the tree as it found it;
``--screenshot docs/inbox.png`` regenerates the README's on purpose. Debian's chromium,
no network. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from browser import chromium_page, missing_browser
from playwright.sync_api import Page, expect
from ui_attacks import REBINDING_FLAGS, check_cross_origin_page, check_dns_rebinding

import ziett
from ziett.sandbox import Sandbox, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent
OTP = "Your Ziett code is 482913. It expires in 10 minutes."


def _loading(page: Page, base_url: str) -> None:
    """Before the sandbox first answers, the page says it is loading, not "No messages yet"."""
    held = "**/_sandbox/{events,inbox}*"
    page.route(held, lambda route: route.abort())
    page.goto(f"{base_url}/")
    expect(page.locator("#loading")).to_have_text("Loading messages…")
    expect(page.locator("#inbox")).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(300)  # the page had every chance to (wrongly) say it is empty
    expect(page.locator("#no-phones")).to_be_hidden()
    expect(page.locator("#no-campaigns")).to_be_hidden()
    page.unroute(held)
    expect(page.locator("#no-phones")).to_be_visible(timeout=15_000)  # its stream reconnects
    expect(page.locator("#loading")).to_be_hidden()
    expect(page.locator("#no-campaigns")).to_be_visible()
    expect(page.locator("#inbox")).not_to_have_attribute("aria-busy", "true")


def _check(page: Page, base_url: str, client: ziett.Ziett, sandbox: Sandbox) -> None:
    page.goto(f"{base_url}/")
    expect(page.locator("#connection")).to_have_text("Live")
    page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    # A campaign first, so the page has progress to show.
    client.campaigns.create_batch(
        name="Black Friday",
        remitter_id=sandbox.remitter_id,
        content="Black Friday: 30% off everything until midnight.",
        recipients=["+244923000101", "+244923000113", "+244923000102", "+244923000114"],
    )
    sandbox.advance()
    # The message the test is about: sent with the SDK, shown without a reload.
    sent = client.messages.send(
        remitter_id=sandbox.remitter_id, target_e164="+244923456789", content=OTP
    )
    bubble = page.locator(f'li.bubble[data-id="{sent.message_id}"]')
    expect(bubble).to_contain_text(OTP, timeout=5000)
    expect(bubble.locator(".status")).to_have_text("PENDING")
    expect(bubble).to_contain_text("1 segment")
    expect(
        page.get_by_role("button", name="+244923456789, 1 message, last PENDING")
    ).to_be_visible()
    expect(page.locator(".campaign-list")).to_contain_text("Black Friday")

    # The Deliver button calls the control API; the page shows the new status.
    bubble.get_by_role("button", name="Deliver").click()
    expect(bubble.locator(".status")).to_have_text("DELIVERED")
    expect(page.locator("#notice")).to_have_text("Delivered.")
    assert sandbox.messages[-1]["status"] == "DELIVERED", sandbox.messages[-1]

    # Keyboard: the labelled top-up field, then Enter submits.
    amount = page.get_by_label("Top up amount")
    amount.focus()
    amount.fill("25.00")
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_have_text("Topped up 25.00.")
    expect(page.locator("#balance")).to_have_text(str(sandbox.balance))
    inject = page.get_by_role("button", name="429 Too Many Requests")
    inject.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pending-faults")).to_have_text("1")
    unnamed = page.evaluate(
        "[...document.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label')"
        " || b.textContent.trim())).length"
    )
    assert unnamed == 0, f"{unnamed} buttons have no accessible name"

    # Choosing another phone keeps the page and shows that conversation.
    page.get_by_role("button", name="+244923000113, 1 message, last FAILED").click()
    expect(page.locator("#conversation-title")).to_have_text("Messages to +244923000113")
    expect(page.locator("li.bubble .status")).to_have_text("FAILED")
    page.get_by_role("button", name="+244923456789, 1 message, last DELIVERED").click()
    expect(bubble.locator(".status")).to_have_text("DELIVERED")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"

    # One more, left PENDING: the screenshot shows a conversation with its buttons.
    client.messages.send(
        remitter_id=sandbox.remitter_id,
        target_e164="+244923456789",
        content="Welcome to Acme! Your order #1042 ships tomorrow. Track it in the app.",
    )
    expect(page.locator("li.bubble")).to_have_count(2)
    expect(page.locator("li.bubble").last.get_by_role("button", name="Fail")).to_be_visible()


def _phone_sized(page: Page, base_url: str, screenshot: Path | None) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base_url}/")
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator("li.bubble")).to_have_count(2)
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"a phone-sized window scrolls sideways by {overflow}px"


def main() -> int:
    """Run the checks; the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=ROOT / "build" / "ui-check" / "inbox.png",
        help="where to write it (docs/inbox.png to regenerate the README's)",
    )
    parser.add_argument(
        "--phone-screenshot", type=Path, help="also write the phone-sized page's screenshot here"
    )
    args = parser.parse_args()
    if (problem := missing_browser()) is not None:
        print(problem)
        return 1
    started = time.monotonic()
    sandbox = Sandbox(auto_advance=False)
    with (
        serve_in_thread(sandbox) as server,
        chromium_page("ziett-ui-", *REBINDING_FLAGS) as (page, errors),
    ):
        check_cross_origin_page(page, server.base_url, sandbox)
        check_dns_rebinding(page, server.base_url, sandbox)
        sandbox.reset()
        _loading(page, server.base_url)
        # From here the inbox's console stays clean (the attacks and the held loading
        # requests above log refusals and failed loads, on purpose).
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        with ziett.Ziett(api_key=sandbox.api_key, base_url=server.base_url) as client:
            _check(page, server.base_url, client, sandbox)
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.screenshot), full_page=True)
        _phone_sized(page, server.base_url, args.phone_screenshot)
        assert not errors, f"the page logged errors: {errors}"
    print(f"ui-check: the inbox works in Chromium ({time.monotonic() - started:.1f}s),")
    print("  and no page on another origin or host name drove or read the sandbox;")
    print(f"  screenshot written to {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
