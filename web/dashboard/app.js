// pelato dashboard: a live view of one lattice, fed by Server-Sent Events from
// `pelato dashboard` (GET /api/stream), with actions posted to its API (docs/PROTOCOL.md,
// "Dashboard HTTP API"). Plain ES modules: preact + htm for the page, uPlot for the chart.
//
// The token comes from the page's URL (?token=...) and is sent as `Authorization: Bearer` on
// every API call (and as ?token= on the stream, which EventSource cannot give headers).
//
// Stable test ids (data-testid), for browser tests; <host> is a host's friendly name (its id
// when it has none), <component> a component id, <app> an application name:
//   connection                        "live" / "reconnecting" indicator (data-state="live"|"down")
//   notice                            the outcome of the last action (data-kind="ok"|"error")
//   host-<host>                       a host card (data-host-id = the host id)
//   host-draining-<host>              the "draining" badge of a draining host
//   drain-<host> undrain-<host> stop-<host>    host actions
//   component-<component>-on-<host>   a component row on a host (data-instances = its count)
//   instances-<component>-on-<host>   the instance count cell
//   scale-count-<component>-on-<host> the count input;  scale-<component>-on-<host> its button
//   migrate-target-<component>-on-<host> the target host select (values are host ids);
//   migrate-<component>-on-<host>     its button
//   app-<app>                         an application row (data-status = its status)
//   app-status-<app>                  its status cell;  undeploy-<app> its undeploy button
//   deploy-manifest deploy-submit     the manifest textarea and its deploy button
//   link-<source>-<name>              a link row
//   rates-chart                       the message-rate chart;  rate-<subject> a legend row
//   events                            the recent events list;  event-<type> each entry
import { h, render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";
import uPlot from "uplot";

const html = htm.bind(h);

const token = new URLSearchParams(location.search).get("token") ?? sessionStorage.getItem("pelato-token") ?? "";
if (token) sessionStorage.setItem("pelato-token", token);

// POSTs a JSON body to an action; resolves with the reply, or throws its "error" message.
async function act(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  let reply = {};
  try {
    reply = await response.json();
  } catch {
    reply = { error: `${response.status} ${response.statusText}` };
  }
  if (!response.ok) throw new Error(reply.error ?? `${response.status} ${response.statusText}`);
  return reply;
}

function hostName(host) {
  return host.friendly_name || host.id;
}

function formatUptime(seconds) {
  const d = Math.floor(seconds / 86400);
  const hh = Math.floor((seconds % 86400) / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = seconds % 60;
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${mm}m`;
  if (mm) return `${mm}m ${ss}s`;
  return `${ss}s`;
}

function shortId(id) {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

// The live state: the stream's latest snapshot, and whether the stream is up.
function useLattice() {
  const [state, setState] = useState(null);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/stream?token=${encodeURIComponent(token)}`);
    source.addEventListener("state", (event) => {
      setState(JSON.parse(event.data));
      setLive(true);
    });
    source.onerror = () => setLive(false);  // EventSource reconnects by itself
    return () => source.close();
  }, []);
  return [state, live];
}

function Connection({ live, lattice }) {
  return html`<header>
    <h1>pelato</h1>
    <span class="lattice">lattice <b>${lattice ?? "…"}</b></span>
    <span class=${`status ${live ? "live" : "down"}`} data-testid="connection" data-state=${live ? "live" : "down"}>
      <span class="dot"></span>${live ? "live" : "reconnecting…"}
    </span>
  </header>`;
}

function Notice({ notice }) {
  if (!notice) return null;
  return html`<div class=${`notice ${notice.kind}`} data-testid="notice" data-kind=${notice.kind}>${notice.text}</div>`;
}

function ComponentRow({ component, host, hosts, run }) {
  const name = hostName(host);
  const key = `${component.id}-on-${name}`;
  // The controls are read when clicked, not from state: a value typed just before the click
  // counts even if the page has not re-rendered in between.
  const countInput = useRef(null);
  const targetSelect = useRef(null);
  const [target, setTarget] = useState("");
  const others = hosts.filter((other) => other.id !== host.id);
  // A count changed elsewhere (the orchestrator, another user) shows in the input too.
  useEffect(() => {
    if (countInput.current) countInput.current.value = component.instances;
  }, [component.instances]);
  const load = component.load;
  return html`<tr data-testid=${`component-${key}`} data-instances=${component.instances}>
    <td><div>${component.id}${component.stateful
      ? html` <span class="badge stateful" data-testid=${`stateful-${key}`} title="keeps state in its one instance; moves with it">stateful</span>`
      : ""}</div><div class="id" title=${component.image_ref}>${component.image_ref}</div></td>
    <td>${component.app || html`<span class="empty">none</span>`}</td>
    <td class="num" data-testid=${`instances-${key}`}>${component.instances}</td>
    <td class="num">${load ? `${load.calls_per_s.toFixed(1)}/s · q ${load.queue_depth} · ${load.errors} err` : "–"}</td>
    <td>
      <div class="controls">
        <input type="number" min="0" max="1000" ref=${countInput} defaultValue=${component.instances}
          data-testid=${`scale-count-${key}`} />
        <button data-testid=${`scale-${key}`} disabled=${!!component.app || component.stateful}
          title=${component.app ? `managed by application ${component.app}: its manifest sets the instances`
            : component.stateful ? "a stateful component runs one instance" : ""}
          onClick=${() => {
          const count = Number(countInput.current.value);
          run(`scaled ${component.id} on ${name} to ${count}`, "/api/scale", {
            component_id: component.id, image_ref: component.image_ref, host_id: host.id, count,
          });
        }}>Scale</button>
        <select ref=${targetSelect} data-testid=${`migrate-target-${key}`} onChange=${(e) => setTarget(e.currentTarget.value)}>
          <option value="">move to…</option>
          ${others.map((other) => html`<option value=${other.id}>${hostName(other)}</option>`)}
        </select>
        <button data-testid=${`migrate-${key}`} disabled=${!target && !targetSelect.current?.value} onClick=${() => {
          const to = targetSelect.current.value;
          const toName = hostName(others.find((other) => other.id === to) ?? { id: to });
          if (to) run(`moved ${component.id} from ${name} to ${toName}`, "/api/migrate", { component_id: component.id, to_host: to, from_host: host.id });
        }}>Migrate</button>
      </div>
    </td>
  </tr>`;
}

function HostCard({ host, hosts, run }) {
  const name = hostName(host);
  const load = host.load;
  return html`<div class="host" data-testid=${`host-${name}`} data-host-id=${host.id}>
    <div class="host-head">
      <span class="name">${name}</span>
      <span class="id" title=${host.id}>${shortId(host.id)}</span>
      ${host.draining && html`<span class="badge draining" data-testid=${`host-draining-${name}`}>draining</span>`}
      <span class="actions">
        ${host.draining
          ? html`<button data-testid=${`undrain-${name}`} onClick=${() =>
              run(name, "/api/undrain", { host_id: host.id })}>Undrain</button>`
          : html`<button data-testid=${`drain-${name}`} onClick=${() =>
              run(name, "/api/drain", { host_id: host.id })}>Drain</button>`}
        <button class="danger" data-testid=${`stop-${name}`} onClick=${() => {
          if (confirm(`Stop host ${name}? Its components stop with it.`))
            run(name, "/api/stop", { host_id: host.id });
        }}>Stop</button>
      </span>
    </div>
    <div class="labels">
      ${Object.entries(host.labels).map(([k, v]) => html`<span class="label">${k}=${v}</span>`)}
    </div>
    <div class="metrics">
      <span>up <b>${formatUptime(host.uptime_seconds)}</b></span>
      ${host.version && html`<span>v<b>${host.version}</b></span>`}
      ${load && html`<span>cpu <b>${(load.cpu * 100).toFixed(0)}%</b></span>
        <span>queue <b>${load.queue_depth}</b></span>
        <span>calls <b>${load.calls_per_s.toFixed(1)}/s</b></span>
        <span>errors <b>${load.errors}</b></span>`}
      <span>seen <b>${(host.last_seen_ms / 1000).toFixed(1)}s</b> ago</span>
    </div>
    ${host.components.length === 0
      ? html`<div class="empty">no components</div>`
      : html`<table>
          <thead><tr><th>component</th><th>app</th><th>instances</th><th>load</th><th>actions</th></tr></thead>
          <tbody>${host.components.map((c) => html`<${ComponentRow} key=${c.id} component=${c} host=${host} hosts=${hosts} run=${run} />`)}</tbody>
        </table>`}
  </div>`;
}

function Apps({ apps, error, run }) {
  const [manifest, setManifest] = useState("");
  return html`<section>
    <h2>Applications</h2>
    ${error && html`<div class="empty">${error}</div>`}
    ${apps.length === 0 && !error && html`<div class="empty">no applications</div>`}
    ${apps.length > 0 && html`<table>
      <thead><tr><th>name</th><th>version</th><th>status</th><th></th></tr></thead>
      <tbody>${apps.map((app) => html`<tr data-testid=${`app-${app.name}`} data-status=${app.status}>
        <td title=${app.description}>${app.name}</td>
        <td>${app.deployed_version || html`<span class="empty">${app.version} (not deployed)</span>`}</td>
        <td data-testid=${`app-status-${app.name}`} class=${`status-${app.status}`} title=${app.message}>${app.status}</td>
        <td><button class="danger" data-testid=${`undeploy-${app.name}`} disabled=${!app.deployed_version}
          onClick=${() => run(`undeployed ${app.name}`, "/api/undeploy", { name: app.name })}>Undeploy</button></td>
      </tr>`)}</tbody>
    </table>`}
    <h2 style="margin-top: 0.9rem">Deploy</h2>
    <textarea data-testid="deploy-manifest" placeholder="An application manifest (wadm.yaml), YAML or JSON"
      value=${manifest} onInput=${(e) => setManifest(e.currentTarget.value)}></textarea>
    <div class="controls" style="margin-top: 0.4rem">
      <button class="primary" data-testid="deploy-submit" disabled=${!manifest.trim()}
        onClick=${() => run((reply) => `deployed ${reply.name} ${reply.version}`, "/api/deploy", { manifest })}>Deploy</button>
    </div>
  </section>`;
}

function Links({ links }) {
  return html`<section>
    <h2>Links</h2>
    ${links.length === 0
      ? html`<div class="empty">no links</div>`
      : html`<table>
          <thead><tr><th>source</th><th>target</th><th>interface</th></tr></thead>
          <tbody>${links.map((l) => html`<tr data-testid=${`link-${l.source_id}-${l.name}`}>
            <td>${l.source_id}${l.name !== "default" ? ` (${l.name})` : ""}</td>
            <td>${l.target}</td>
            <td>${l.wit_namespace}:${l.wit_package}/<wbr />${(l.interfaces ?? []).join(", ")}</td>
          </tr>`)}</tbody>
        </table>`}
  </section>`;
}

const kColors = ["#2f6fde", "#1f8a4c", "#c53030", "#b7791f", "#805ad5", "#00838f", "#d53f8c", "#4a5568"];
const kMaxCharted = 8;

// Messages per second per subject (the busiest kMaxCharted), over the last minute.
function RatesChart({ rates }) {
  const box = useRef(null);
  const plot = useRef(null);
  const subjects = (rates?.subjects ?? []).slice(0, kMaxCharted);
  const names = subjects.map((s) => s.subject).join("\n");
  useEffect(() => {
    if (!box.current || !rates) return;
    const data = [rates.seconds, ...subjects.map((s) => s.series)];
    // uPlot's series are fixed at creation: a new set of subjects needs a new chart.
    if (!plot.current || plot.current._names !== names) {
      plot.current?.destroy();
      const width = Math.max(box.current.clientWidth, 300);
      plot.current = new uPlot({
        width, height: 200,
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, 1)] } },
        axes: [{}, { label: "msg/s" }],
        legend: { show: false },  // the table below the chart is the legend
        series: [{}, ...subjects.map((s, i) => ({ label: s.subject, stroke: kColors[i % kColors.length], width: 1.5 }))],
      }, data, box.current);
      plot.current._names = names;
    } else {
      plot.current.setData(data);
    }
  });
  useEffect(() => () => plot.current?.destroy(), []);
  return html`<section>
    <h2>Message rates</h2>
    ${subjects.length === 0 && html`<div class="empty">no application messages in the last minute</div>`}
    <div class="chart" data-testid="rates-chart" ref=${box}></div>
    <table>
      <tbody>${subjects.map((s, i) => html`<tr data-testid=${`rate-${s.subject}`}>
        <td><span style=${`color: ${kColors[i % kColors.length]}`}>■</span> ${s.subject}</td>
        <td class="num">${s.rate}/s</td>
      </tr>`)}</tbody>
    </table>
    <div class="legend-note">Lattice protocol, inbox and JetStream subjects are not counted.</div>
  </section>`;
}

function eventDetail(event) {
  const d = event.data ?? {};
  const parts = [];
  if (d.component_id) parts.push(d.component_id);
  if (d.max_instances !== undefined) parts.push(`× ${d.max_instances}`);
  if (d.friendly_name) parts.push(d.friendly_name);
  if (d.source_id) parts.push(`${d.source_id} → ${d.target ?? ""}`);
  if (event.type === "labels_changed" && d.labels)
    parts.push(Object.entries(d.labels).map(([k, v]) => `${k}=${v}`).join(" ") || "no labels");
  if (d.error) parts.push(d.error);
  if (d.reason) parts.push(d.reason);
  return parts.length ? parts.join(" ") : JSON.stringify(d);
}

function Events({ events }) {
  const newest = [...events].reverse();
  return html`<section>
    <h2>Recent events</h2>
    <div class="events" data-testid="events">
      ${newest.length === 0 && html`<div class="empty">no events yet</div>`}
      ${newest.map((e) => html`<div class="event" data-testid=${`event-${e.type}`}>
        <span class="id">${(e.time ?? "").slice(11, 19)}</span>
        <span class="type">${e.type}</span>
        <span class="detail" title=${JSON.stringify(e.data)}>${eventDetail(e)}</span>
      </div>`)}
    </div>
  </section>`;
}

function App() {
  const [state, live] = useLattice();
  const [notice, setNotice] = useState(null);
  // Runs an action; its outcome shows in the notice bar. `what` says what was done: a text,
  // or a function of the reply.
  const run = async (what, path, body) => {
    setNotice({ kind: "ok", text: `${path.slice(5)}…` });
    try {
      const reply = await act(path, body);
      const done = typeof what === "function" ? what(reply) : what;
      setNotice({ kind: "ok", text: reply.message ? `${done}: ${reply.message}` : done });
    } catch (error) {
      setNotice({ kind: "error", text: error.message });
    }
  };
  if (!token)
    return html`<div class="loading">Open the URL <code>pelato dashboard</code> printed: it carries the access token (?token=…).</div>`;
  if (!state) return html`<${Connection} live=${live} /><div class="loading">Connecting to the lattice…</div>`;
  return html`
    <${Connection} live=${live} lattice=${state.lattice} />
    <${Notice} notice=${notice} />
    <main>
      <div>
        <section>
          <h2>Hosts (${state.hosts.length})</h2>
          ${state.hosts.length === 0 && html`<div class="empty">no hosts: start one with <code>pelato host</code></div>`}
          ${state.hosts.map((host) => html`<${HostCard} key=${host.id} host=${host} hosts=${state.hosts} run=${run} />`)}
        </section>
        <${RatesChart} rates=${state.rates} />
      </div>
      <div>
        <${Apps} apps=${state.apps} error=${state.apps_error} run=${run} />
        <${Links} links=${state.links} />
        <${Events} events=${state.events} />
      </div>
    </main>`;
}

const root = document.getElementById("app");
root.textContent = "";  // the "Loading…" placeholder: render() keeps what it did not create
render(html`<${App} />`, root);
