// The Ziett sandbox inbox: renders the /_sandbox/events stream; every button calls the
// /_sandbox/ control API. Plain JavaScript, no framework, no network beyond this server.
"use strict";

const STATUSES = ["PENDING", "SENT", "DELIVERED", "FAILED", "UNDELIVERED"];
const view = { phone: null, pinned: false, stream: null, doc: null };
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

// Re-rendering replaces nodes: keep the keyboard focus on the same control.
function keepingFocus(render) {
  const key = document.activeElement && document.activeElement.dataset.key;
  render();
  if (key) {
    const again = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
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
}

function renderConversation(doc) {
  $("conversation-title").textContent = doc.phone ? `Messages to ${doc.phone}` : "Messages";
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
    const actions = open ? el("div", { className: "actions" },
      el("button", { type: "button", "data-key": `deliver:${message.id}`,
        "aria-label": `Deliver the message “${message.content.slice(0, 40)}”`,
        onclick: () => control(`messages/${message.id}/deliver`, null, "Delivered.") }, "Deliver"),
      el("button", { type: "button", "data-key": `fail:${message.id}`,
        "aria-label": `Fail the message “${message.content.slice(0, 40)}”`,
        onclick: () => control(`messages/${message.id}/fail`, null, "Failed.") }, "Fail")) : null;
    return el("li", { className: "bubble", "data-id": message.id, "data-status": message.status },
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
}

function render(doc) {
  view.doc = doc;
  if (!view.pinned) view.phone = doc.phone;
  $("balance").textContent = doc.balance;
  $("price").textContent = doc.price_per_segment;
  $("pending-faults").textContent = String(doc.pending_faults);
  keepingFocus(() => { renderPhones(doc); renderConversation(doc); renderCampaigns(doc); });
}

function connect() {
  if (view.stream) view.stream.close();
  const query = view.pinned && view.phone ? `?phone=${encodeURIComponent(view.phone)}` : "";
  const stream = new EventSource(`/_sandbox/events${query}`);
  stream.onmessage = (event) => render(JSON.parse(event.data));
  stream.onopen = () => { $("connection").textContent = "Live"; $("connection").className = "connection live"; };
  stream.onerror = () => { $("connection").textContent = "Reconnecting…"; $("connection").className = "connection"; };
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
