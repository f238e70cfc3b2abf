// The WebSample dashboard: polls GET /dashboard/stats (no API key needed) and draws it. Plain DOM and SVG, no
// library and no CDN. Everything from the server is written with textContent, never as HTML: labels come from
// cache keys, which a client can make up.
"use strict";

const svgNs = "http://www.w3.org/2000/svg";
const chart = { width: 640, height: 220, left: 36, right: 44, top: 10, bottom: 22 };
const number = new Intl.NumberFormat("en-US");
let pollMs = 1000;
let timer = 0;

const $ = (id) => document.getElementById(id);

function setText(id, text) {
  const element = $(id);
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

function percent(ratio) {
  return ratio === null || ratio === undefined ? "–" : `${(ratio * 100).toFixed(1)} %`;
}

function duration(ms) {
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60000).toFixed(1)} min`;
}

function svg(name, attributes) {
  const element = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function renderTotals(stats) {
  const t = stats.totals;
  setText("hit-ratio", percent(t.requests > 0 ? t.hitRatio : null));
  setText("hits-misses", `${number.format(t.hits)} hits · ${number.format(t.misses)} misses`);
  const last = stats.history.length > 0 ? stats.history[stats.history.length - 1] : null;
  setText("requests-per-second", last ? last.requestsPerSecond.toFixed(1) : "0.0");
  setText("requests-total", `${number.format(t.requests)} requests in all`);
  setText("entries", `${number.format(t.currentSize)} / ${number.format(t.maxSize)}`);
  const fill = t.maxSize > 0 ? Math.min(100, (100 * t.currentSize) / t.maxSize) : 0;
  $("size-fill").style.width = `${fill}%`;
  $("size-meter").setAttribute("aria-valuenow", String(t.currentSize));
  $("size-meter").setAttribute("aria-valuemax", String(t.maxSize));
  setText("size-note", `${fill.toFixed(1)} % full · TTL ${duration(t.ttlSeconds * 1000)}`);
  setText("tokens-saved", number.format(t.inputTokensSaved + t.outputTokensSaved));
  setText("tokens-note", `${number.format(t.inputTokensSaved)} in · ${number.format(t.outputTokensSaved)} out`);
  setText("time-saved", duration(t.latencySavedMs));
  setText("model-calls", `${number.format(t.modelCalls)} model calls · ${number.format(t.coalescedCalls)} coalesced`);
  const m = stats.model;
  setText("model", `Model: ${m.provider}${m.modelId ? ` (${m.modelId})` : ""}${m.latencyMs !== null ? ` · ${m.latencyMs} ms a call` : ""}`);
}

function renderChart(stats) {
  // Draw in the element's own pixels, so text and lines are never stretched.
  const element = $("chart");
  chart.width = Math.max(320, Math.round(element.clientWidth || chart.width));
  element.setAttribute("viewBox", `0 0 ${chart.width} ${chart.height}`);
  const history = stats.history;
  const slots = Math.max(stats.historyLength, 2);
  const plotWidth = chart.width - chart.left - chart.right;
  const plotHeight = chart.height - chart.top - chart.bottom;
  const step = plotWidth / (slots - 1);
  const offset = slots - history.length; // newest sample at the right edge
  const x = (i) => chart.left + (offset + i) * step;
  const maxRate = Math.max(1, ...history.map((s) => s.requestsPerSecond));
  const y = (fraction) => chart.top + plotHeight * (1 - fraction);

  const grid = $("chart-grid");
  const labels = $("chart-labels");
  grid.replaceChildren();
  labels.replaceChildren();
  for (const fraction of [0, 0.5, 1]) {
    grid.append(svg("line", { x1: chart.left, x2: chart.width - chart.right, y1: y(fraction), y2: y(fraction) }));
    const left = svg("text", { x: chart.left - 6, y: y(fraction) + 4, "text-anchor": "end" });
    left.textContent = `${fraction * 100}%`;
    const right = svg("text", { x: chart.width - chart.right + 6, y: y(fraction) + 4 });
    right.textContent = `${(maxRate * fraction).toFixed(maxRate * fraction >= 10 ? 0 : 1)}/s`;
    labels.append(left, right);
  }

  const seconds = (slots - 1) * (stats.sampleIntervalMs / 1000);
  const past = svg("text", { x: chart.left, y: chart.height - 4 });
  past.textContent = `${seconds.toFixed(0)} s ago`;
  const now = svg("text", { x: chart.width - chart.right, y: chart.height - 4, "text-anchor": "end" });
  now.textContent = "now";
  labels.append(past, now);

  const bars = $("chart-bars");
  bars.replaceChildren();
  const barWidth = Math.max(1, step * 0.7);
  history.forEach((sample, i) => {
    if (sample.requestsPerSecond <= 0) return;
    const height = plotHeight * (sample.requestsPerSecond / maxRate);
    bars.append(svg("rect", { x: x(i) - barWidth / 2, y: chart.top + plotHeight - height, width: barWidth, height }));
  });

  // One path with a gap wherever an interval had no reads (no ratio to draw).
  let d = "";
  let drawn = 0;
  let pen = false;
  history.forEach((sample, i) => {
    if (sample.hitRatio === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(sample.hitRatio).toFixed(1)}`;
    pen = true;
    drawn++;
  });
  const line = $("chart-line");
  line.setAttribute("d", d);
  line.setAttribute("data-samples", String(drawn));
  setText("chart-note", drawn === 0
    ? "No reads in the window yet: send a few lines (the form below, or POST /dialogue)."
    : `${drawn} of the last ${history.length} intervals had reads; each point is the hit ratio of one ${stats.sampleIntervalMs} ms interval.`);
}

function renderEvictions(evictions) {
  const reasons = ["capacity", "expired", "removed", "cleared"];
  const max = Math.max(1, ...reasons.map((r) => evictions[r]));
  const list = $("evictions");
  if (list.children.length !== reasons.length) {
    list.replaceChildren(...reasons.map((reason) => {
      const item = document.createElement("li");
      item.dataset.reason = reason;
      const name = document.createElement("span");
      name.textContent = reason;
      const track = document.createElement("span");
      track.className = "track";
      const fill = document.createElement("span");
      fill.className = "fill";
      fill.style.display = "block";
      track.append(fill);
      const count = document.createElement("span");
      count.className = "count";
      item.append(name, track, count);
      return item;
    }));
  }
  for (const item of list.children) {
    const value = evictions[item.dataset.reason];
    item.querySelector(".fill").style.width = `${(100 * value) / max}%`;
    item.querySelector(".count").textContent = number.format(value);
  }
}

function renderTopKeys(topKeys) {
  const body = $("top-keys");
  if (topKeys.length === 0) {
    const row = document.createElement("tr");
    const cell = document.createElement("td");
    cell.colSpan = 2;
    cell.className = "muted";
    cell.textContent = "No reads yet.";
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...topKeys.map((key) => {
    const row = document.createElement("tr");
    const label = document.createElement("td");
    label.textContent = key.label;
    const count = document.createElement("td");
    count.className = "num";
    count.textContent = number.format(key.count);
    row.append(label, count);
    return row;
  }));
}

async function poll() {
  try {
    const response = await fetch("/dashboard/stats", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const stats = await response.json();
    pollMs = Math.max(100, stats.sampleIntervalMs);
    renderTotals(stats);
    renderChart(stats);
    renderEvictions(stats.totals.evictions);
    renderTopKeys(stats.topKeys);
    const status = $("status");
    status.dataset.state = "live";
    status.textContent = `live · every ${pollMs} ms`;
  } catch (error) {
    const status = $("status");
    status.dataset.state = "offline";
    status.textContent = `offline (${error.message}), retrying`;
  } finally {
    clearTimeout(timer);
    timer = setTimeout(poll, pollMs);
  }
}

async function trySend(event) {
  event.preventDefault();
  const [character, context] = $("try-character").value.split("|");
  const result = $("try-result");
  try {
    const response = await fetch("/dialogue", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ character, context, prompt: $("try-prompt").value }),
    });
    const body = await response.json();
    if (!response.ok) {
      result.textContent = body.detail || `HTTP ${response.status}`;
      return;
    }
    const badge = document.createElement("span");
    badge.className = `badge ${body.cached ? "hit" : "miss"}`;
    badge.textContent = response.headers.get("X-Cache") || (body.cached ? "HIT" : "MISS");
    const text = document.createElement("span");
    text.textContent = `${body.latencyMs.toFixed(1)} ms · ${body.response}`;
    result.replaceChildren(badge, text);
    result.className = "";
  } catch (error) {
    result.textContent = `The request failed: ${error.message}`;
  }
  poll();
}

$("try-form").addEventListener("submit", trySend);
poll();
