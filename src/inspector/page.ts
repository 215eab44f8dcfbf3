import { clientLifecycleMachine } from "../machines/client-lifecycle.js";
import { turnMachine } from "../machines/turn.js";
import { drawMachine } from "./machine-diagram.js";

const STYLE = `
:root { color-scheme: light; --ink:#1d2230; --muted:#6b7285; --line:#d9dce6; --panel:#fff; --bg:#f3f4f8; --hot:#ffcf4a; --done:#c9ecd2; --bad:#f7c6c6; --accent:#3056d3; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; gap:16px; align-items:center; padding:10px 18px; background:#1d2230; color:#fff; }
header h1 { font-size:16px; margin:0; font-weight:600; }
header .meta { color:#c5cad8; font-size:13px; }
header .live { margin-left:auto; font-size:12px; padding:2px 8px; border-radius:10px; background:#3a4156; }
header .live.on { background:#2e7d4f; }
main { display:grid; grid-template-columns: 260px 1fr; gap:14px; padding:14px 18px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px 12px; margin-bottom:14px; }
h2 { font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); margin:0 0 8px; }
.threads button { display:block; width:100%; text-align:left; border:1px solid transparent; background:none; padding:6px 8px; border-radius:6px; cursor:pointer; font:inherit; color:inherit; }
.threads button:hover { background:#eef0f7; }
.threads button.selected { background:#e3e9ff; border-color:#b9c6f5; }
.threads .id { font-family: ui-monospace, monospace; font-size:12px; }
.threads .sub { color:var(--muted); font-size:12px; }
.badge { display:inline-block; padding:1px 7px; border-radius:9px; font-size:12px; background:#eceef4; color:var(--ink); }
.badge.running, .badge.starting { background:var(--hot); }
.badge.completed { background:var(--done); }
.badge.failed { background:var(--bad); }
.badge.interrupted { background:#f2ddb6; }
.turns { display:grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap:10px; }
.turn { border:1px solid var(--line); border-radius:8px; padding:8px 10px; }
.turn .head { display:flex; gap:8px; align-items:baseline; flex-wrap:wrap; }
.turn .id { font-family: ui-monospace, monospace; font-size:12px; }
.turn .facts { color:var(--muted); font-size:12px; margin:4px 0; }
.turn .error { color:#a32020; font-size:12px; }
svg.machine { max-width:100%; height:auto; display:block; margin-top:4px; }
svg.machine .state rect { fill:#fff; stroke:#8a90a3; }
svg.machine .state.compound rect { fill:#f6f7fb; }
svg.machine .state.final rect { stroke-width:2; }
svg.machine .state text { font:12px system-ui, sans-serif; text-anchor:middle; fill:var(--ink); }
svg.machine .state.active > rect { fill:var(--hot); stroke:#b38600; stroke-width:2; }
svg.machine .state.compound.active > rect { fill:#fff3c4; }
svg.machine .transition { fill:none; stroke:#a4a9b8; }
svg.machine .arrowhead { fill:#a4a9b8; }
table { width:100%; border-collapse:collapse; font-size:12px; }
th, td { text-align:left; padding:3px 6px; border-bottom:1px solid #eceef4; vertical-align:top; white-space:nowrap; }
th { color:var(--muted); font-weight:600; }
td.mono, .mono { font-family: ui-monospace, monospace; }
td.preview { color:var(--muted); max-width:520px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.empty { color:var(--muted); font-size:13px; }
.dir-in { color:#2e7d4f; } .dir-out { color:var(--accent); }
#client-diagram svg.machine { max-width:640px; }
`;

const SCRIPT = `
const state = { snapshot: null, thread: decodeURIComponent((location.hash.match(/thread=([^&]+)/) || [])[1] || "") || null };
const $ = (id) => document.getElementById(id);
const turnTemplate = document.getElementById("turn-template").content.querySelector("svg");
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}
function paths(value, prefix) {
  prefix = prefix || "";
  if (typeof value === "string") return [prefix ? prefix + "." + value : value];
  const out = [];
  for (const [k, v] of Object.entries(value || {})) { const p = prefix ? prefix + "." + k : k; out.push(p, ...paths(v, p)); }
  return out;
}
function stateName(value) { const all = paths(value); return all[all.length - 1] || "?"; }
function topState(value) { return typeof value === "string" ? value : Object.keys(value || {})[0] || "?"; }
function highlight(svg, value) {
  const active = new Set(paths(value));
  for (const g of svg.querySelectorAll("g.state")) g.classList.toggle("active", active.has(g.dataset.state));
}
function ago(ms) { if (ms < 1000) return ms + " ms"; if (ms < 60000) return (ms / 1000).toFixed(1) + " s"; return Math.round(ms / 60000) + " min"; }
function time(ms) { return new Date(ms).toLocaleTimeString(); }
function selectThread(id) {
  state.thread = id;
  location.hash = id ? "thread=" + encodeURIComponent(id) : "";
  render();
}
function turnCard(turn) {
  const svg = turnTemplate.cloneNode(true);
  highlight(svg, turn.state);
  const usage = turn.usage ? turn.usage.last.totalTokens + " tokens" : "no usage yet";
  const ended = turn.endedAtMs ? "took " + ago(turn.endedAtMs - turn.startedAtMs) : "running for " + ago(state.snapshot.takenAtMs - turn.startedAtMs);
  return el("div", { class: "turn", "data-turn-id": turn.turnId || "", "data-state": stateName(turn.state) },
    el("div", { class: "head" },
      el("span", { class: "badge " + topState(turn.state) }, stateName(turn.state)),
      el("span", { class: "id" }, turn.turnId || "(turn/start not answered)"),
      state.thread ? null : el("a", { href: "#", class: "mono", onclick: (e) => { e.preventDefault(); selectThread(turn.threadId); } }, "thread " + turn.threadId.slice(0, 8) + "…")),
    el("div", { class: "facts" }, turn.items + " items (" + turn.openItems + " open) · " + turn.deltas + " deltas · " + usage + " · " + ended + (turn.steers ? " · " + turn.steers + " steers" : "") + (turn.interruptRequested ? " · interrupt requested" : "")),
    turn.error ? el("div", { class: "error" }, turn.error) : null,
    svg);
}
function table(headers, rows) {
  if (rows.length === 0) return el("div", { class: "empty" }, "none");
  return el("table", {}, el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))), el("tbody", {}, ...rows));
}
function render() {
  const s = state.snapshot;
  if (!s) return;
  highlight(document.querySelector("#client-diagram svg"), s.client.state);
  $("client-state").textContent = stateName(s.client.state);
  $("client-state").className = "badge " + topState(s.client.state);
  $("client-error").textContent = s.client.error || "";
  const server = s.appServer;
  $("server").textContent = server ? server.name + " " + server.version + " · pid " + (server.pid ?? "—") + " · " + (server.uptimeMs === null ? "disconnected" : "up " + ago(server.uptimeMs)) : "not started";
  $("totals").textContent = s.totals.turnsStarted + " turns started · " + s.totals.turnsFinished + " finished · " + s.totals.messagesIn + " messages in / " + s.totals.messagesOut + " out";

  const threads = [el("button", { class: state.thread ? "" : "selected", "data-thread-id": "", onclick: () => selectThread(null) }, "All threads")];
  for (const thread of [...s.threads].reverse()) {
    threads.push(el("button", { class: state.thread === thread.id ? "selected" : "", "data-thread-id": thread.id, onclick: () => selectThread(thread.id) },
      el("div", { class: "id" }, thread.id),
      el("div", { class: "sub" }, (thread.model || "model ?") + " · " + thread.turns + " turns" + (thread.runningTurnIds.length ? " · " + thread.runningTurnIds.length + " running" : "") + (thread.status ? " · " + thread.status : ""))));
  }
  $("threads").replaceChildren(...threads);

  const inThread = (turn) => !state.thread || turn.threadId === state.thread;
  const running = s.runningTurns.filter(inThread);
  const finished = s.finishedTurns.filter(inThread).reverse();
  $("turns-title").textContent = state.thread ? "Thread " + state.thread : "Running turns";
  const cards = state.thread ? [...running, ...finished].slice(0, 24) : running.slice(0, 24);
  $("turns").replaceChildren(...(cards.length ? cards.map(turnCard) : [el("div", { class: "empty" }, state.thread ? "no turns on this thread yet" : "no turn is running")]));
  $("finished").replaceChildren(table(["state", "turn", "thread", "items", "deltas", "tokens", "took", "error"], finished.slice(0, 50).map((turn) =>
    el("tr", { "data-turn-id": turn.turnId || "" },
      el("td", {}, el("span", { class: "badge " + topState(turn.state) }, stateName(turn.state))),
      el("td", { class: "mono" }, turn.turnId || "—"),
      el("td", { class: "mono" }, el("a", { href: "#", onclick: (e) => { e.preventDefault(); selectThread(turn.threadId); } }, turn.threadId.slice(0, 13))),
      el("td", {}, turn.items), el("td", {}, turn.deltas), el("td", {}, turn.usage ? turn.usage.last.totalTokens : "—"),
      el("td", {}, turn.endedAtMs ? ago(turn.endedAtMs - turn.startedAtMs) : "—"), el("td", {}, turn.error || "")))));
  $("approvals").replaceChildren(table(["method", "id", "thread", "turn", "waiting"], s.serverRequests.map((r) =>
    el("tr", {}, el("td", { class: "mono" }, r.method), el("td", { class: "mono" }, String(r.id)), el("td", { class: "mono" }, r.threadId || "—"), el("td", { class: "mono" }, r.turnId || "—"), el("td", {}, ago(r.ageMs))))));
  $("requests").replaceChildren(table(["method", "thread", "waiting"], s.pendingRequests.map((r) =>
    el("tr", {}, el("td", { class: "mono" }, r.method), el("td", { class: "mono" }, r.threadId || "—"), el("td", {}, ago(r.ageMs))))));
  $("messages").replaceChildren(table(["time", "", "kind", "method", "id", "bytes", "preview"], [...s.messages].reverse().map((m) =>
    el("tr", {}, el("td", {}, time(m.atMs)), el("td", { class: m.direction === "incoming" ? "dir-in" : "dir-out" }, m.direction === "incoming" ? "◀ in" : "out ▶"),
      el("td", {}, m.kind), el("td", { class: "mono" }, m.method || "—"), el("td", { class: "mono" }, m.id === null ? "" : String(m.id)),
      el("td", {}, m.bytes), el("td", { class: "preview mono", title: m.preview }, m.preview)))));
}
function connect() {
  const source = new EventSource("events");
  source.onopen = () => { $("live").textContent = "live"; $("live").className = "live on"; };
  source.onmessage = (event) => { state.snapshot = JSON.parse(event.data); render(); };
  source.addEventListener("closed", () => { $("live").textContent = "client closed"; $("live").className = "live"; source.close(); });
  source.onerror = () => { $("live").textContent = "disconnected"; $("live").className = "live"; };
}
window.addEventListener("hashchange", () => { const m = location.hash.match(/thread=([^&]+)/); state.thread = m ? decodeURIComponent(m[1]) : null; render(); });
connect();
`;

/**
 * The inspector's one page: self-contained HTML (its style, script and both machine diagrams inline; nothing is
 * fetched but its own `events` stream), drawn from the machines as they are defined.
 */
export function inspectorPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>codex-app-server inspector</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>codex-app-server inspector</h1>
  <span class="badge" id="client-state" data-testid="client-state">…</span>
  <span class="meta" id="server"></span>
  <span class="meta" id="totals"></span>
  <span class="live" id="live">connecting…</span>
</header>
<main>
  <aside>
    <section><h2>Threads</h2><div class="threads" id="threads"></div></section>
  </aside>
  <div>
    <section><h2>Client</h2><div id="client-diagram">${drawMachine(clientLifecycleMachine)}</div><div class="error" id="client-error"></div></section>
    <section><h2 id="turns-title">Running turns</h2><div class="turns" id="turns"></div></section>
    <section><h2>Waiting approvals and server requests</h2><div id="approvals"></div></section>
    <section><h2>Pending requests</h2><div id="requests"></div></section>
    <section><h2>Finished turns</h2><div id="finished"></div></section>
    <section><h2>Recent messages</h2><div id="messages"></div></section>
  </div>
</main>
<template id="turn-template">${drawMachine(turnMachine)}</template>
<script>(() => {${SCRIPT}})();</script>
</body>
</html>`;
}
