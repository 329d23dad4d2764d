// The Ziett sandbox inbox: renders the /_sandbox/events stream; every button calls the
// /_sandbox/ control API. Plain JavaScript, no framework, no network beyond this server.
"use strict";

const STATUSES = ["PENDING", "SENT", "DELIVERED", "FAILED", "UNDELIVERED"];
const view = { phone: null, pinned: false, stream: null, doc: null, failures: 0, slow: null };
// How long a reconnect may take before the page says so (the server ends every stream
// after a minute and the browser reconnects at once: that routine flip stays silent).
const RECONNECT_GRACE_MS = 3000;
const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function badge(status) {
  return el("span", { className: `status status-${status}`, text: status });
}

function byKey(key) {
  return key ? document.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
}

// Re-rendering replaces nodes: keep the keyboard focus on the same control, or, when the
// control is gone (Deliver and Fail leave with the status they change), on its fallback
// (the message's bubble), never on <body>.
function keepingFocus(render) {
  const active = document.activeElement;
  const key = active && active.dataset.key;
  const fallback = active && active.dataset.fallback;
  render();
  const again = byKey(key) || byKey(fallback);
  if (again && again !== document.activeElement) again.focus();
}

// After a message action: when focus was lost anyway (e.g. a browser that does not focus
// clicked buttons), put it on the message's bubble.
function focusMessage(id) {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const bubble = byKey(`message:${id}`);
  if (bubble) bubble.focus();
}

// The document lists only the most recent entries: say so when there are more.
function showing(id, shown, total, what) {
  const note = $(id);
  note.hidden = total <= shown;
  note.textContent = note.hidden ? "" : `Showing ${shown} of ${total.toLocaleString()} ${what}.`;
}

function renderPhones(doc) {
  const list = $("phones");
  list.replaceChildren(...doc.phones.map((phone) => {
    const current = phone.e164 === doc.phone;
    const label = `${phone.e164}, ${phone.messages} message${phone.messages === 1 ? "" : "s"}, last ${phone.last_status}`;
    return el("li", {}, el("button", {
      type: "button", "data-key": `phone:${phone.e164}`, "aria-current": current ? "true" : null,
      "aria-label": label, onclick: () => select(phone.e164),
    },
    el("span", { className: "number", text: phone.e164 }),
    el("span", { className: "preview", text: `${phone.messages} · ${phone.last_status} · ${phone.last_content}` })));
  }));
  $("no-phones").hidden = doc.phones.length > 0;
  showing("phones-shown", doc.phones.length, doc.phones_total, "phones (the most recent)");
}

function renderConversation(doc) {
  $("conversation-title").textContent = doc.phone ? `Messages to ${doc.phone}` : "Messages";
  showing("conversation-shown", doc.conversation.length, doc.conversation_total,
    "messages (the latest)");
  $("messages").replaceChildren(...doc.conversation.map((message) => {
    const meta = el("div", { className: "meta" },
      badge(message.status),
      el("span", { text: `${message.segments} segment${message.segments === 1 ? "" : "s"}` }),
      el("span", { text: `cost ${message.cost}${message.is_refunded ? " (refunded)" : ""}` }),
      el("span", { text: message.campaign ? `campaign ${message.campaign.name}` : "transactional" }),
      el("span", { text: `from ${message.sender}` }),
      el("time", { datetime: message.updated_at, text: time(message.updated_at) }),
      message.error_code ? el("span", { text: message.error_code }) : null);
    const open = message.status === "PENDING" || message.status === "SENT";
    const bubbleKey = `message:${message.id}`;
    const act = (action, done) => () =>
      control(`messages/${message.id}/${action}`, null, done).then(() => focusMessage(message.id));
    const actions = open ? el("div", { className: "actions" },
      el("button", { type: "button", "data-key": `deliver:${message.id}`, "data-fallback": bubbleKey,
        "aria-label": `Deliver the message “${message.content.slice(0, 40)}”`,
        onclick: act("deliver", "Delivered.") }, "Deliver"),
      el("button", { type: "button", "data-key": `fail:${message.id}`, "data-fallback": bubbleKey,
        "aria-label": `Fail the message “${message.content.slice(0, 40)}”`,
        onclick: act("fail", "Failed.") }, "Fail")) : null;
    return el("li", { className: "bubble", "data-id": message.id, "data-status": message.status,
      "data-key": bubbleKey, tabindex: "-1" },
      el("p", { className: "text", text: message.content }), meta, actions);
  }));
}

function renderCampaigns(doc) {
  $("campaigns").replaceChildren(...doc.campaigns.map((campaign) => {
    const bar = el("div", { className: "progress", "aria-hidden": "true" });
    const counts = el("dl", { className: "counts" });
    for (const status of STATUSES) {
      const count = campaign.by_status[status] || 0;
      if (campaign.total && count) {
        const part = el("span", { className: status });
        part.style.width = `${(100 * count) / campaign.total}%`;
        bar.append(part);
      }
      if (count) counts.append(el("div", {}, el("dt", { text: status.toLowerCase() }), el("dd", { text: String(count) })));
    }
    return el("li", {},
      el("div", {}, el("span", { className: "name", text: campaign.name }), " ", badge(campaign.status)),
      el("div", { className: "muted", text: `${campaign.total} recipients · ${time(campaign.created_at)}` }),
      bar, counts);
  }));
  $("no-campaigns").hidden = doc.campaigns.length > 0;
  showing("campaigns-shown", doc.campaigns.length, doc.campaigns_total, "campaigns (the most recent)");
}

// Until the first document arrives the page says it is loading: "No messages yet" is a
// fact about the sandbox, never a guess made before it answered.
function loaded() {
  $("loading").hidden = true;
  $("campaigns-loading").hidden = true;
  $("inbox").removeAttribute("aria-busy");
}

function render(doc) {
  view.doc = doc;
  loaded();
  if (!view.pinned) view.phone = doc.phone;
  $("balance").textContent = doc.balance;
  $("price").textContent = doc.price_per_segment;
  $("pending-faults").textContent = String(doc.pending_faults);
  keepingFocus(() => { renderPhones(doc); renderConversation(doc); renderCampaigns(doc); });
}

// #connection is a live region: write it only when the state really changes, so that
// screen readers hear "Reconnecting…" for a failed reconnect, not for the routine one.
function showConnection(live) {
  const text = live ? "Live" : "Reconnecting…";
  const connection = $("connection");
  if (connection.textContent !== text) connection.textContent = text;
  connection.className = live ? "connection live" : "connection";
}

function connect() {
  if (view.stream) view.stream.close();
  clearTimeout(view.slow);
  view.failures = 0;
  const query = view.pinned && view.phone ? `?phone=${encodeURIComponent(view.phone)}` : "";
  const stream = new EventSource(`/_sandbox/events${query}`);
  stream.onmessage = (event) => render(JSON.parse(event.data));
  stream.onopen = () => {
    view.failures = 0;
    clearTimeout(view.slow);
    showConnection(true);
  };
  stream.onerror = () => {
    if (stream !== view.stream) return;
    view.failures += 1;
    if (stream.readyState === EventSource.CLOSED) {
      // The browser gave up (an error status): say so and start over.
      showConnection(false);
      view.slow = setTimeout(connect, RECONNECT_GRACE_MS);
    } else if (view.failures > 1) {
      showConnection(false);  // the reconnect itself failed
    } else {
      clearTimeout(view.slow);
      view.slow = setTimeout(() => showConnection(false), RECONNECT_GRACE_MS);
    }
  };
  view.stream = stream;
}

async function refresh() {
  const query = view.pinned && view.phone ? `?phone=${encodeURIComponent(view.phone)}` : "";
  const response = await fetch(`/_sandbox/inbox${query}`);
  if (response.ok) render(await response.json());
}

function select(phone) {
  view.phone = phone;
  view.pinned = true;
  connect();
  refresh();
}

function notify(text, isError) {
  const notice = $("notice");
  notice.textContent = text;
  notice.className = isError ? "notice error" : "notice";
}

async function control(path, body, done) {
  try {
    const response = await fetch(`/_sandbox/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = answer.fields ? Object.values(answer.fields).join(" ") : "";
      notify(`${answer.message || response.statusText} ${fields}`.trim(), true);
      return;
    }
    notify(done, false);
    await refresh();
  } catch (error) {
    notify(`The sandbox did not answer: ${error}`, true);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("top-up").addEventListener("submit", (event) => {
    event.preventDefault();
    const amount = $("amount").value.trim();
    control("top_up", { amount }, `Topped up ${amount}.`);
  });
  for (const button of document.querySelectorAll("[data-action]")) {
    const action = button.dataset.action;
    button.addEventListener("click", () =>
      control(action, null, action === "drain" ? "Balance drained: sends now get 402." : "Everything settled."));
  }
  for (const button of document.querySelectorAll("[data-fault]")) {
    const raw = button.dataset.fault;
    const fault = /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    button.addEventListener("click", () =>
      control("inject", { fault }, `The next API request will get: ${button.textContent}.`));
  }
  connect();
});
