// A minimal W3C WebDriver client over fetch, plus helpers that start the sandbox AWS emulator
// (tfstate-sandbox) and tauri-driver for the real app. No npm dependency: only what Node 20 ships.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** WebDriver's code points for the keys the tests press. */
const KEYS = { Tab: '\uE004', Enter: '\uE007', Escape: '\uE00C', Space: '\uE00D', Down: '\uE015', Up: '\uE013' };

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(what, check, timeoutMs = 30000, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

const children = [];
export function stopAll() {
  for (const child of children.splice(0)) {
    // A process group ends whole: tauri-driver, WebKitWebDriver and the app they started. An
    // app left behind would hold these pipes open and keep the test process from exiting.
    try {
      process.kill(child.group ? -child.pid : child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}

function start(command, args, env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.group = true;
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.output = () => output;
  children.push(child);
  return child;
}

/**
 * Starts the sandbox (`tfstate-sandbox`, built from tests/sandbox: moto_server and throwaway AWS
 * files with the sandbox profiles) and returns the env to run the app with, the emulator's
 * endpoint and the profiles. The sandbox stays up while its stdin is open; `stopAll` ends it.
 */
export async function startSandbox(args = []) {
  const bin = process.env.TFSTATE_SANDBOX_BIN ?? join(dirname(process.env.TFSTATE_WIZARD_BIN ?? '.'), 'tfstate-sandbox');
  if (!existsSync(bin)) throw new Error(`${bin} not found: cargo build -p tfstate-tests --bin tfstate-sandbox (scripts/test does)`);
  const child = spawn(bin, ['--format', 'json', ...args], { env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let errors = '';
  child.stderr.on('data', (d) => (errors += d));
  // It prints its JSON and closes stdout once ready.
  const sandbox = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (d) => (output += d));
    child.stdout.on('end', () => {
      try {
        resolve(JSON.parse(output));
      } catch {
        reject(new Error(`the sandbox did not start: ${errors || output}`));
      }
    });
  });
  const env = { ...process.env };
  for (const key of sandbox.unset) delete env[key];
  Object.assign(env, sandbox.env, {
    WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
  });
  return { env, endpoint: sandbox.endpoint, profiles: sandbox.profiles };
}

/** Starts tauri-driver and opens a session on the app; returns a WebDriver session. */
export async function openApp(application, env) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = start('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], env);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok, 20000).catch((e) => {
    throw new Error(`${e.message}\n${driver.output()}`);
  });
  const answer = await request(base, 'POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application } } },
  });
  return new Session(base, answer.sessionId);
}

async function request(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  call(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const element = await this.call('POST', '/element', { using: 'css selector', value: css });
    return element[ELEMENT];
  }

  /** Waits until an element matching `css` exists and is displayed; returns its id. */
  async waitFor(css, timeoutMs = 30000) {
    return waitFor(css, async () => {
      const id = await this.find(css);
      return (await this.call('GET', `/element/${id}/displayed`)) ? id : null;
    }, timeoutMs);
  }

  async text(css) {
    return this.call('GET', `/element/${await this.find(css)}/text`);
  }

  async click(css) {
    const id = await this.find(css);
    // In the middle of the scrolling content, clear of the footer: WebKit's own scrolling can
    // leave an element under it, or inside a scrolled list, and refuse the click.
    await this.call('POST', '/execute/sync', {
      script: 'arguments[0].scrollIntoView({ block: "center" })',
      args: [{ [ELEMENT]: id }],
    });
    await this.call('POST', `/element/${id}/click`, {});
  }

  /** Replaces the text of an input, as a person typing would (input events fire). */
  async type(css, text) {
    const id = await this.find(css);
    await this.call('POST', `/element/${id}/clear`, {});
    await this.call('POST', `/element/${id}/value`, { text });
  }

  /** Presses keys as a person would, on whatever has the focus (WebDriver key actions). */
  async press(...keys) {
    const actions = keys.flatMap((key) => [{ type: 'keyDown', value: KEYS[key] ?? key }, { type: 'keyUp', value: KEYS[key] ?? key }]);
    await this.call('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.call('DELETE', '/actions').catch(() => {});
  }

  /** What has the focus: its data-testid, else its tag name (`H2`). */
  async focused() {
    return this.call('POST', '/execute/sync', {
      script: 'const e = document.activeElement; return e ? (e.dataset.testid ?? e.tagName) : null;',
      args: [],
    });
  }

  /** Tabs (only Tab) until `css` has the focus; fails after `max` presses: it is not reachable by keyboard. */
  async tabTo(css, max = 80) {
    for (let i = 0; i <= max; i += 1) {
      const there = await this.call('POST', '/execute/sync', {
        script: 'return document.activeElement !== null && document.activeElement.matches(arguments[0]);',
        args: [css],
      });
      if (there) return i;
      await this.press('Tab');
    }
    throw new Error(`${css} is not reached with ${max} presses of Tab (focus is on ${await this.focused()})`);
  }

  async attribute(css, name) {
    return this.call('GET', `/element/${await this.find(css)}/attribute/${name}`);
  }

  /** Waits until `css` matches an element whose attribute `name` is one of `values`. */
  async waitForAttribute(css, name, values, timeoutMs = 60000) {
    return waitFor(`${css} [${name}] in ${values}`, async () => {
      const value = await this.attribute(css, name);
      return values.includes(value) ? value : null;
    }, timeoutMs);
  }

  async count(css) {
    return (await this.call('POST', '/elements', { using: 'css selector', value: css })).length;
  }

  async value(css) {
    return this.call('GET', `/element/${await this.find(css)}/property/value`);
  }

  async optionTexts(css) {
    return this.call('POST', '/execute/sync', {
      script: 'return Array.from(document.querySelectorAll(arguments[0] + " option")).map(o => o.textContent.trim())',
      args: [css],
    });
  }

  async select(css, value) {
    await this.call('POST', '/execute/sync', {
      script: 'const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event("change", { bubbles: true }));',
      args: [css, value],
    });
  }

  /**
   * Saves a PNG of the whole (virtual) display. WebKitWebDriver's own screenshot command hangs
   * under Xvfb, so the X server is asked instead (ImageMagick's `import`).
   */
  async screenshot(path) {
    mkdirSync(dirname(path), { recursive: true });
    const result = spawnSync('import', ['-window', 'root', path], { stdio: 'pipe', timeout: 15000 });
    if (result.status !== 0) throw new Error(`screenshot failed: ${result.stderr}`);
  }

  async close() {
    await this.call('DELETE', '').catch(() => {});
  }
}
