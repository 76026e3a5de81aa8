// The whole wizard in the real window, under Xvfb, over WebDriver, against the sandbox AWS:
// identity → names → plan → create, with a screenshot of every step.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const bucket = `tfstate-e2e-${suffix}`;
const table = `locks-e2e-${suffix}`;

describe('the wizard end to end in the real window', { timeout: 240000 }, () => {
  let session;

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    const sandbox = await startSandbox();
    session = await openApp(app, sandbox.env);
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('checks the identity and moves on to names', async () => {
    await session.waitFor('[data-testid="check-identity"]');
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="identity-account"]');
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="bucket-input"]');
  });

  it('validates names live and refuses a bad bucket name', async () => {
    await session.type('[data-testid="bucket-input"]', 'Bad_Bucket');
    const error = await waitFor('bucket error', () => session.text('[data-testid="bucket-error"]'));
    assert.match(error, /not allowed/);
    assert.equal(await session.attribute('[data-testid="next"]', 'disabled'), 'true');
    await session.screenshot(join(shots, 'names-invalid.png'));
  });

  it('plans a new bucket and table', async () => {
    await session.type('[data-testid="bucket-input"]', bucket);
    await session.type('[data-testid="table-input"]', table);
    await waitFor('next enabled', async () => (await session.attribute('[data-testid="next"]', 'disabled')) === null);
    await session.screenshot(join(shots, 'names.png'));
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="plan-bucket"]', 60000);
    assert.equal(await session.attribute('[data-testid="plan-bucket"]', 'data-kind'), 'create');
    assert.equal(await session.attribute('[data-testid="plan-table"]', 'data-kind'), 'create');
    assert.ok((await session.count('[data-testid="plan-step"]')) >= 8, 'the steps apply will run are listed');
    await session.screenshot(join(shots, 'plan.png'));
  });

  it('creates them with live progress and a summary', async () => {
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="apply-step"]');
    await session.waitFor('[data-testid="apply-summary"]', 120000);
    const statuses = await session.call('POST', '/execute/sync', {
      script: 'return Array.from(document.querySelectorAll("[data-testid=apply-step]")).map(r => r.dataset.status)',
      args: [],
    });
    assert.ok(statuses.length >= 10, `steps: ${statuses}`);
    assert.ok(statuses.every((s) => s === 'done'), `every step done: ${statuses}`);
    assert.match(await session.text('[data-testid="apply-summary"]'), new RegExp(`${bucket} is ready`));
    await session.screenshot(join(shots, 'create.png'));
  });
});
