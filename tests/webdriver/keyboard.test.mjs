// The whole wizard with the keyboard only, at the smallest window size (760×560), in dark mode:
// only key presses reach the window (WebDriver key actions: Tab, Enter, Escape), never a click.
// Proves: the first field has the focus at launch, each step opens with the focus on its
// heading, Enter moves on when the step is complete, Escape goes back, every control on the way
// is reachable with Tab, and the footer with Next stays on screen. Screenshots in dark mode.
//
// `terraform init` runs for real against the sandbox and gets past the backend: the aws
// provider cannot be downloaded here (no registry.terraform.io), so a Terraform CLI config with
// a dev override for hashicorp/aws (`TF_CLI_CONFIG_FILE`) tells init not to install it.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const project = mkdtempSync(join(tmpdir(), 'tfstate-keyboard-'));
const shim = join(dirname(fileURLToPath(import.meta.url)), '..', 'terraform');

/** A Terraform CLI config that skips installing the aws provider (offline), nothing else. */
function offlineCliConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'tfstate-tfrc-'));
  const file = join(dir, 'terraformrc');
  writeFileSync(file, `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "${dir}"\n  }\n  direct {}\n}\n`);
  return file;
}

describe('the wizard with the keyboard only, at 760×560, in dark mode', { timeout: 240000 }, () => {
  let session;

  const nextEnabled = () => waitFor('Next enabled', async () => (await session.attribute('[data-testid="next"]', 'disabled')) === null, 60000);

  /** The footer's buttons (Next; Back on the last step, which has no Next) are inside the window. */
  async function footerVisible() {
    const fits = await session.call('POST', '/execute/sync', {
      script: 'const b = document.querySelector("[data-testid=next]") ?? document.querySelector("[data-testid=back]"); const r = b.getBoundingClientRect(); return r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.top >= 0;',
      args: [],
    });
    assert.equal(fits, true, 'the footer is on screen');
  }

  /** A new step has the focus on its heading. */
  async function headingFocused(title) {
    await waitFor(`focus on ${title}`, async () => (await session.focused()) === 'H2');
    assert.equal(await session.call('POST', '/execute/sync', { script: 'return document.activeElement.textContent.trim();', args: [] }), title);
  }

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    const sandbox = await startSandbox();
    const env = {
      ...sandbox.env,
      GTK_THEME: 'Adwaita:dark',
      TFSTATE_WIZARD_PICK_FOLDER: project,
      TF_CLI_CONFIG_FILE: offlineCliConfig(),
      PATH: `${shim}:${sandbox.env.PATH}`,
    };
    session = await openApp(app, env);
    await session.call('POST', '/window/rect', { width: 760, height: 560 });
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('opens in dark mode with the first field focused', async () => {
    await session.waitFor('[data-testid="check-identity"]');
    const dark = await session.call('POST', '/execute/sync', { script: 'return matchMedia("(prefers-color-scheme: dark)").matches;', args: [] });
    assert.equal(dark, true, 'the window follows the dark theme');
    const size = await session.call('POST', '/execute/sync', { script: 'return [window.innerWidth, window.innerHeight];', args: [] });
    assert.ok(size[0] <= 760 && size[1] <= 560, `window ${size}`);
    assert.equal(await session.focused(), 'profile-select');
    await footerVisible();
  });

  it('checks the identity and moves on with Enter', async () => {
    await session.tabTo('[data-testid="check-identity"]');
    await session.press('Enter');
    await session.waitFor('[data-testid="identity-account"]');
    await session.screenshot(join(shots, 'dark-identity.png'));
    await session.tabTo('[data-testid="next"]');
    await session.press('Enter');
    await headingFocused('Names');
    await footerVisible();
  });

  it('takes the suggested names with Enter, and Escape goes back', async () => {
    await nextEnabled();
    await session.screenshot(join(shots, 'dark-names.png'));
    await session.press('Escape');
    await headingFocused('Who are you on AWS?');
    await session.press('Enter');
    await headingFocused('Names');
    await nextEnabled();
    await session.press('Enter');
    await headingFocused('Plan');
    await session.waitFor('[data-testid="plan-bucket"]', 60000);
    await footerVisible();
    await session.screenshot(join(shots, 'dark-plan.png'));
  });

  it('creates only with the Create button, reached with Tab', async () => {
    await session.press('Enter');
    await headingFocused('Create');
    await session.waitFor('[data-testid="create-confirm"]');
    assert.equal(await session.attribute('[data-testid="apply-step"]', 'data-status'), 'pending', 'Enter on the step created nothing');
    await session.press('Enter');
    assert.equal(await session.attribute('[data-testid="apply-step"]', 'data-status'), 'pending', 'Enter again created nothing');
    await session.tabTo('[data-testid="create-confirm"]');
    await session.press('Enter');
    await session.waitFor('[data-testid="apply-summary"]', 120000);
    await session.screenshot(join(shots, 'dark-create.png'));
    await session.tabTo('[data-testid="next"]');
    await session.press('Enter');
    await headingFocused('Files');
  });

  it('previews the files, then saves and runs terraform init past the backend', async () => {
    await session.waitFor('[data-testid="file-preview"]');
    await footerVisible();
    await session.screenshot(join(shots, 'dark-files.png'));
    await session.press('Enter');
    await headingFocused('Save & init');
    await session.tabTo('[data-testid="choose-folder"]');
    await session.press('Enter');
    await waitFor('folder shown', async () => (await session.text('[data-testid="folder-path"]').catch(() => '')).includes(project));
    await session.tabTo('[data-testid="save-files"]');
    await session.press('Enter');
    await session.waitFor('[data-testid="saved-file"]');
    assert.match(readFileSync(join(project, 'backend.tf'), 'utf8'), /backend "s3"/);
    await session.tabTo('[data-testid="run-init"]');
    await session.press('Enter');
    await session.waitForAttribute('[data-testid="init-status"]', 'data-status', ['success', 'failed'], 180000);
    const output = await session.text('[data-testid="init-output"]');
    assert.match(output, /Successfully configured the backend "s3"/);
    assert.equal(await session.attribute('[data-testid="init-status"]', 'data-status'), 'success', output);
    await session.waitFor('[data-testid="done"]');
    await footerVisible();
    await session.screenshot(join(shots, 'dark-done.png'));
  });
});
