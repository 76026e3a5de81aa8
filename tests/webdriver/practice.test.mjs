// Practice mode in the real window, as on an installed app with no Python and no AWS files:
// an emulator answers on the practice address (here the sandbox's moto, through
// TFSTATE_WIZARD_PRACTICE_ENDPOINT; LocalStack on localhost:4566 for a person), the identity
// step offers it as a profile, the banner says nothing reaches AWS, and the files it saves point
// at the emulator: `terraform init` in that folder reaches it with the rendered files alone.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const project = mkdtempSync(join(tmpdir(), 'tfstate-practice-'));
const shim = join(dirname(fileURLToPath(import.meta.url)), '..', 'terraform');

/** No AWS files at all, and a Terraform CLI config that skips the offline provider download. */
function bareMachine() {
  const dir = mkdtempSync(join(tmpdir(), 'tfstate-bare-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  writeFileSync(join(dir, 'terraformrc'), `provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "${dir}"\n  }\n  direct {}\n}\n`);
  return dir;
}

describe('practice mode in the real window', { timeout: 240000 }, () => {
  let session;
  let endpoint;

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    const sandbox = await startSandbox();
    endpoint = sandbox.endpoint;
    const bare = bareMachine();
    const env = Object.fromEntries(Object.entries(sandbox.env).filter(([key]) => !key.startsWith('AWS_') && key !== 'TFSTATE_WIZARD_SANDBOX'));
    Object.assign(env, {
      AWS_CONFIG_FILE: join(bare, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(bare, 'credentials'),
      TFSTATE_WIZARD_PRACTICE_ENDPOINT: sandbox.endpoint,
      TFSTATE_WIZARD_PICK_FOLDER: project,
      TF_CLI_CONFIG_FILE: join(bare, 'terraformrc'),
      PATH: `${shim}:${sandbox.env.PATH}`,
    });
    session = await openApp(app, env);
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('offers the emulator as a profile, with the banner', async () => {
    await session.waitFor('[data-testid="profile-select"]');
    const options = await session.optionTexts('[data-testid="profile-select"]');
    assert.ok(options.some((o) => /^Practice \(/.test(o)), `options: ${options}`);
    await session.select('[data-testid="profile-select"]', '(practice)');
    const banner = await waitFor('practice banner', async () => {
      const text = await session.text('[data-testid="sandbox-banner"]').catch(() => '');
      return /Practice mode/.test(text) ? text : null;
    });
    assert.match(banner, /nothing is created in AWS/i);
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="identity-account"]');
    await session.screenshot(join(shots, 'practice-identity.png'));
  });

  it('creates the backend in the emulator and saves files that reach it', async () => {
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="bucket-input"]');
    await waitFor('Next enabled', async () => (await session.attribute('[data-testid="next"]', 'disabled')) === null);
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="plan-bucket"]', 60000);
    assert.equal(await session.attribute('[data-testid="plan-bucket"]', 'data-kind'), 'create');
    await session.click('[data-testid="next"]');
    await session.click('[data-testid="create-confirm"]');
    await session.waitFor('[data-testid="apply-summary"]', 120000);
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="files-practice"]');
    await session.click('[data-testid="next"]');
    await session.click('[data-testid="choose-folder"]');
    await waitFor('folder shown', async () => (await session.text('[data-testid="folder-path"]').catch(() => '')).includes(project));
    await session.click('[data-testid="save-files"]');
    await session.waitFor('[data-testid="saved-file"]');
    const backend = readFileSync(join(project, 'backend.tf'), 'utf8');
    assert.match(backend, /Practice mode/);
    assert.ok(backend.includes(`"${endpoint}"`), `backend.tf points at the emulator:\n${backend}`);

    await session.click('[data-testid="run-init"]');
    await session.waitForAttribute('[data-testid="init-status"]', 'data-status', ['success', 'failed'], 180000);
    const output = await session.text('[data-testid="init-output"]');
    assert.match(output, /Successfully configured the backend "s3"/);
    assert.equal(await session.attribute('[data-testid="init-status"]', 'data-status'), 'success', output);
    await session.screenshot(join(shots, 'practice-done.png'));
  });
});
