// The dashboard in a real browser: `pelato up` (nats-server, registry, orchestrator, edge-1 and
// cloud-1, dashboard), `pelato brush` of examples/temperature, then Debian's chromium (headless,
// driven by playwright-core) opens the dashboard's URL and checks, through the page's stable
// data-testids (listed at the top of web/dashboard/app.js):
//   1. both hosts and the application `temperature-data-analysis`, deployed;
//   2. scaling a component on cloud-1 from the page (temp_filter's image, started beside the
//      app's under its own id: the orchestrator would put the app's own count back): the new
//      instance count shows on the page and stays, and `pelato get inventory` agrees;
//   3. migrating celsius_to_kelvin_conversion from its host to the other one from the page: it
//      shows on the target host (and leaves the source), and the target's inventory agrees.
// A screenshot of each step goes to $PELATO_E2E_ARTIFACTS (default: a temp dir), and on failure
// one of the page as it was and `pelato up`'s output too.
//
// Environment: PELATO_BINARY (the pelato binary, required), PELATO_SOURCE_DIR (the source tree;
// default: this file's ../..), PELATO_E2E_ARTIFACTS, PELATO_CHROMIUM (default /usr/bin/chromium),
// PELATO_E2E_ALLOW_SKIP=1 (exit 77, CTest's skip, when there is no chromium at all; otherwise a
// missing chromium or playwright-core fails, saying to run scripts/setup).
//
// Plain Node (20+), no test framework: exits 0 on success, 1 with a message on failure.
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const kSkip = 77;
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.PELATO_SOURCE_DIR || path.resolve(here, "..", "..");
const binary = process.env.PELATO_BINARY;
const chromiumPath = process.env.PELATO_CHROMIUM || "/usr/bin/chromium";
const started = Date.now();
// Under CTest's TIMEOUT (180 s): fail, and clean up, before CTest kills us (and would leave
// `pelato up`'s services behind).
const kOverallMs = 165_000;

const kApp = "temperature-data-analysis";
const kScaled = "temp_filter";  // its image, under another id, is scaled on its host
const kMoved = "celsius_to_kelvin_conversion";  // migrated to the other host

function log(...args) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s]`, ...args);
}

function setupHint(what) {
  return `${what}: run scripts/setup (it installs Debian's chromium and \`npm ci\`s playwright-core into ${sourceDir}/node_modules)`;
}

// ---- preflight: the browser and its driver ----------------------------------------------------

if (!binary) {
  console.error("FAIL: set PELATO_BINARY to the pelato binary (CTest does: ctest -R dashboard_e2e)");
  process.exit(1);
}
if (!fs.existsSync(binary)) {
  console.error(`FAIL: PELATO_BINARY ${binary} does not exist: build it (cmake --build build/release --target pelato)`);
  process.exit(1);
}
if (!fs.existsSync(chromiumPath)) {
  if (process.env.PELATO_E2E_ALLOW_SKIP === "1") {
    console.log(`SKIP: no chromium at ${chromiumPath} (PELATO_E2E_ALLOW_SKIP=1); ${setupHint("to run this test")}`);
    process.exit(kSkip);
  }
  console.error(`FAIL: ${setupHint(`no chromium at ${chromiumPath}`)}`);
  process.exit(1);
}
let chromium;
try {
  // From the source tree's node_modules (package.json pins it), wherever this file runs from.
  ({ chromium } = createRequire(path.join(sourceDir, "package.json"))("playwright-core"));
} catch (error) {
  console.error(`FAIL: ${setupHint(`cannot load playwright-core (${error.code ?? error.message})`)}`);
  process.exit(1);
}

// ---- helpers ----------------------------------------------------------------------------------

const root = fs.mkdtempSync(path.join(os.tmpdir(), "pelato-e2e-"));
const dataDir = path.join(root, "data");
const configDir = path.join(root, "config");  // XDG_CONFIG_HOME: up makes its own signing key there
const artifacts = process.env.PELATO_E2E_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), "pelato-e2e-artifacts-"));
fs.mkdirSync(artifacts, { recursive: true });
const baseEnv = { ...process.env, XDG_CONFIG_HOME: configDir };

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Runs pelato with `args`; resolves with {code, stdout, stderr}.
function runPelato(args, env, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal ?? 1) : 0, stdout, stderr });
    });
  });
}

// Polls `probe` (async, returns a truthy value when done) until it is done or `ms` passed.
async function waitFor(what, probe, ms) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await sleep(200);
  }
}

// `export K=V` lines of up's env file.
function readEnvFile(file) {
  const env = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return env;
}

// ---- pelato up --------------------------------------------------------------------------------

let up = null;
let upOutput = "";
let upExited = null;  // {code, signal} once it exited
let browser = null;
let page = null;

function startUp() {
  const args = ["up", "--data-dir", dataDir, "--nats-port", "0", "--registry-port", "0", "--dashboard-port", "0",
                "--host-http-port", "0"];
  log(`starting ${binary} ${args.join(" ")}`);
  // Its own process group: if it does not stop on SIGTERM, the group is killed as a last resort.
  up = spawn(binary, args, { env: baseEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const collect = (chunk) => { upOutput += chunk.toString(); };
  up.stdout.on("data", collect);
  up.stderr.on("data", collect);
  up.on("exit", (code, signal) => { upExited = { code, signal }; });
}

async function stopUp() {
  if (!up || upExited) return;
  log(`stopping pelato up (pid ${up.pid}, SIGTERM)`);
  try { up.kill("SIGTERM"); } catch {}
  const deadline = Date.now() + 25_000;
  while (!upExited && Date.now() < deadline) await sleep(100);
  if (!upExited) {
    console.error(`pelato up (pid ${up.pid}) did not stop within 25 s of SIGTERM: killing its process group`);
    try { process.kill(-up.pid, "SIGKILL"); } catch {}
    while (!upExited && Date.now() < deadline + 5000) await sleep(100);
    throw new Error("pelato up did not stop on SIGTERM");
  }
  if (upExited.code !== 0) throw new Error(`pelato up exited with ${upExited.code ?? upExited.signal} on SIGTERM`);
  log("pelato up stopped (exit 0)");
}

let shotCount = 0;
async function screenshot(name) {
  const file = path.join(artifacts, `${String(++shotCount).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${file}`);
  return file;
}

// ---- the page ---------------------------------------------------------------------------------

const byId = (id) => page.locator(`[data-testid="${id}"]`);

// The dashboard's own state (GET /api/state), for the ids the page's testids are made of.
async function apiState(dashboardUrl) {
  const url = new URL(dashboardUrl);
  const token = url.searchParams.get("token");
  const response = await fetch(new URL("/api/state", url), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `GET /api/state: ${response.status}`);
  return response.json();
}

// The host (name, id) a component whose id contains `part` runs on, and its full id.
function placement(state, part) {
  for (const host of state.hosts)
    for (const c of host.components)
      if (c.id.includes(part) && c.instances > 0) return { host: host.friendly_name || host.id, hostId: host.id, component: c };
  return null;
}

// `pelato get inventory HOST -o json`: the components whose id contains `part`.
async function inventory(env, hostId, part) {
  const got = await runPelato(["get", "inventory", hostId, "-o", "json"], env, 20_000);
  assert.equal(got.code, 0, `pelato get inventory ${hostId}: ${got.stderr}`);
  const inv = JSON.parse(got.stdout);
  return (inv.components ?? []).filter((c) => (c.id ?? c.component_id ?? "").includes(part));
}

function instancesOf(c) {
  return c.max_instances ?? c.maxInstances ?? c.instances;
}

async function main() {
  startUp();
  await waitFor("`pelato up` to print \"healthy in\"", async () => {
    if (upExited) throw new Error(`pelato up exited (${upExited.code ?? upExited.signal}) before it was healthy`);
    return upOutput.includes("healthy in");
  }, 90_000);
  log(`up: ${upOutput.match(/\(healthy in [^)]*\)/)?.[0] ?? "healthy"}`);
  const state = JSON.parse(fs.readFileSync(path.join(dataDir, "up.json"), "utf8"));
  for (const key of ["nats_url", "nats_user", "nats_password", "registry", "dashboard_url", "env_file"])
    assert.ok(state[key], `up.json has no ${key}: ${JSON.stringify(state)}`);
  const upEnv = readEnvFile(state.env_file);
  for (const key of ["NATS_URL", "NATS_USER", "NATS_PASSWORD", "REGISTRY_URL"])
    assert.ok(upEnv[key], `${state.env_file} exports no ${key}`);
  const env = { ...baseEnv, ...upEnv };

  // The PELATO pipeline on a copy of the example (brush writes into the project).
  const project = path.join(root, "temperature");
  fs.cpSync(path.join(sourceDir, "examples", "temperature"), project, { recursive: true });
  log(`pelato brush ${project}`);
  const brush = await runPelato(["brush", project], env, 120_000);
  assert.equal(brush.code, 0, `pelato brush failed (${brush.code}):\n${brush.stdout}\n${brush.stderr}`);
  log("brushed");

  // --no-sandbox: chromium's sandbox refuses to run as root (CI containers). Signals are ours to
  // handle: a screenshot of the page first, then the browser closed, then `pelato up` stopped.
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"], timeout: 30_000,
                                    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => { if (message.type() === "error") pageErrors.push(message.text()); });
  page.setDefaultTimeout(20_000);
  log(`opening ${state.dashboard_url.replace(/token=.*/, "token=…")}`);
  await page.goto(state.dashboard_url);

  // 1. Both hosts, the application deployed.
  await byId("connection").and(page.locator('[data-state="live"]')).waitFor();
  for (const host of ["edge-1", "cloud-1"]) await byId(`host-${host}`).waitFor();
  await page.locator(`[data-testid="app-${kApp}"][data-status="deployed"]`).waitFor({ timeout: 30_000 });
  await waitFor(`the status cell of ${kApp} to say deployed`, async () =>
    (await byId(`app-status-${kApp}`).textContent()).trim() === "deployed", 5_000);
  // The components land on the hosts a little after the deploy.
  const view = await waitFor(`${kScaled} and ${kMoved} running (GET /api/state)`, async () => {
    const s = await apiState(state.dashboard_url);
    const scaled = placement(s, kScaled), moved = placement(s, kMoved);
    return scaled && moved ? { scaled, moved, hosts: s.hosts } : null;
  }, 30_000);
  log(`${view.scaled.component.id} on ${view.scaled.host}, ${view.moved.component.id} on ${view.moved.host}`);
  assert.equal(view.moved.host, "edge-1", `${kMoved} is an edge task`);
  assert.equal(view.scaled.host, "cloud-1", `${kScaled} is a cloud task`);
  const movedKey = `${view.moved.component.id}-on-${view.moved.host}`;
  await byId(`component-${view.scaled.component.id}-on-${view.scaled.host}`).waitFor();
  await byId(`component-${movedKey}`).waitFor();
  // Both hosts' labels show on their cards.
  assert.match(await byId("host-edge-1").textContent(), /host-type=edge/);
  assert.match(await byId("host-cloud-1").textContent(), /host-type=cloud/);
  await screenshot("hosts-and-app");

  // 2. Scale from the page. temp_filter is the app's: the orchestrator puts any other count back
  // to the manifest's (within its resend period, ≤ 5 s), so the page scales a component of its
  // own: temp_filter's image under another id, started on the same host by `pelato scale`.
  const scaledId = `e2e-${kScaled}`;
  const scaledKey = `${scaledId}-on-${view.scaled.host}`;
  const started1 = await runPelato(["scale", "component", view.scaled.component.image_ref, "--id", scaledId,
                                    "--host", view.scaled.hostId, "--count", "1"], env, 60_000);
  assert.equal(started1.code, 0, `pelato scale component ${scaledId}: ${started1.stdout}${started1.stderr}`);
  await page.locator(`[data-testid="component-${scaledKey}"][data-instances="1"]`).waitFor();
  const count = 2;
  log(`scaling ${scaledKey} from 1 to ${count} instances from the page`);
  await byId(`scale-count-${scaledKey}`).fill(String(count));
  await byId(`scale-${scaledKey}`).click();
  await page.locator('[data-testid="notice"][data-kind="ok"]').filter({ hasText: `scaled ${scaledId}` }).waitFor({ timeout: 30_000 });
  await page.locator(`[data-testid="component-${scaledKey}"][data-instances="${count}"]`).waitFor({ timeout: 5_000 });
  await waitFor(`the instances cell to say ${count}`, async () =>
    (await byId(`instances-${scaledKey}`).textContent()).trim() === String(count), 5_000);
  const scaledInv = await waitFor(`${view.scaled.host}'s inventory to show ${count} instances`, async () => {
    const found = await inventory(env, view.scaled.hostId, scaledId);
    return found.length === 1 && instancesOf(found[0]) === count ? found : null;
  }, 10_000);
  log(`inventory of ${view.scaled.host}: ${JSON.stringify(scaledInv.map((c) => [c.id, instancesOf(c)]))}`);
  // It stays scaled, and the app's own temp_filter stays as it was.
  await sleep(3000);
  assert.equal(await byId(`component-${scaledKey}`).getAttribute("data-instances"), String(count),
               `${scaledKey} did not stay at ${count} instances`);
  assert.equal(await byId(`component-${view.scaled.component.id}-on-${view.scaled.host}`).getAttribute("data-instances"),
               String(view.scaled.component.instances));
  await screenshot("after-scale");

  // 3. Migrate celsius_to_kelvin_conversion to the other host from the page.
  const from = view.moved.host;
  const target = view.hosts.find((h) => h.id !== view.moved.hostId);
  const to = target.friendly_name || target.id;
  const movedId = view.moved.component.id;
  log(`migrating ${movedId} from ${from} to ${to}`);
  const select = byId(`migrate-target-${movedKey}`);
  assert.ok((await select.locator("option").allTextContents()).includes(to), `the page offers no migration to ${to}`);
  await select.selectOption(target.id);
  await byId(`migrate-${movedKey}`).click();
  await byId(`component-${movedId}-on-${to}`).waitFor({ timeout: 45_000 });
  await page.locator('[data-testid="notice"][data-kind="ok"]').filter({ hasText: `moved ${movedId} from ${from} to ${to}` }).waitFor({ timeout: 45_000 });
  await byId(`component-${movedKey}`).waitFor({ state: "detached", timeout: 20_000 });
  const movedInv = await waitFor(`${to}'s inventory to show ${movedId}`, async () => {
    const found = await inventory(env, target.id, kMoved);
    return found.length === 1 && instancesOf(found[0]) > 0 ? found : null;
  }, 10_000);
  log(`inventory of ${to}: ${JSON.stringify(movedInv.map((c) => [c.id, instancesOf(c)]))}`);
  const left = await inventory(env, view.moved.hostId, kMoved);
  assert.ok(left.every((c) => !instancesOf(c)), `${movedId} still runs on ${from}: ${JSON.stringify(left)}`);
  // It stays on the target for a while (the orchestrator does not move it back).
  await sleep(3000);
  assert.equal(await byId(`component-${movedKey}`).count(), 0, `${movedId} is back on ${from}`);
  assert.equal(await byId(`component-${movedId}-on-${to}`).count(), 1, `${movedId} left ${to}`);
  // The orchestrator keeps the move: the app is deployed (all its instances placed) with it.
  await page.locator(`[data-testid="app-${kApp}"][data-status="deployed"]`).waitFor({ timeout: 15_000 });
  await screenshot("after-migrate");

  assert.deepEqual(pageErrors, [], "the page logged errors");
}

// ---- run, and always clean up ------------------------------------------------------------------

let failure = null;
const overall = setTimeout(() => {
  failure ??= new Error(`the test took longer than ${kOverallMs / 1000} s`);
  cleanupAndExit();
}, kOverallMs);

let cleaning = false;
async function cleanupAndExit() {
  if (cleaning) return;
  cleaning = true;
  clearTimeout(overall);
  if (failure && page) {
    try {
      const file = path.join(artifacts, "failure.png");
      await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      console.error(`screenshot of the page at the failure: ${file}`);
    } catch {}
  }
  if (browser) { try { await browser.close(); } catch {} }
  try {
    await stopUp();
  } catch (error) {
    failure ??= error;
  }
  if (failure) {
    const logFile = path.join(artifacts, "up.log");
    fs.writeFileSync(logFile, upOutput);
    console.error(`\nFAIL: ${failure.stack ?? failure.message}\n\`pelato up\`'s output: ${logFile}`);
    console.error(`artifacts: ${artifacts}`);
  } else {
    log(`PASS; screenshots in ${artifacts}`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  process.exit(failure ? 1 : 0);
}

for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    failure ??= new Error(`interrupted (${signal})`);
    cleanupAndExit();
  });

try {
  await main();
} catch (error) {
  failure ??= error;
}
await cleanupAndExit();
