// The real window, under Xvfb, over WebDriver: it lists the sandbox profiles, says it is a
// sandbox, and shows the emulator's identity after "Check identity".

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, startSandbox, stopAll } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');

describe('identity step in the real window', { timeout: 120000 }, () => {
  let session;
  let sandbox;

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    sandbox = await startSandbox();
    session = await openApp(app, sandbox.env);
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('lists the profiles and says it is a sandbox', async () => {
    await session.waitFor('[data-testid="profile-select"]');
    const options = await session.optionTexts('[data-testid="profile-select"]');
    const sorted = (list) => [...list].sort();
    assert.deepEqual(sorted(options.map((o) => o.split(' ')[0])), sorted(sandbox.profiles.map((p) => p.name)));
    assert.ok(options.some((o) => /^other-account.*assume role/.test(o)), `options: ${options}`);
    assert.equal(await session.value('[data-testid="profile-select"]'), 'sandbox');
    assert.match(await session.text('[data-testid="sandbox-banner"]'), /Nothing is created in real AWS/);
    await session.screenshot(join(shots, 'identity-start.png'));
  });

  it('shows the emulator account after checking the identity', async () => {
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="identity-account"]');
    assert.equal(await session.text('[data-testid="identity-account"]'), '123456789012');
    assert.match(await session.text('[data-testid="identity-arn"]'), /^arn:aws:sts::123456789012:/);
    await session.screenshot(join(shots, 'identity-verified.png'));
  });

  it('shows the assumed role account for an assume-role profile', async () => {
    await session.select('[data-testid="profile-select"]', 'other-account');
    assert.equal(await session.value('[data-testid="region-select"]'), 'eu-west-1');
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="identity-account"]');
    assert.equal(await session.text('[data-testid="identity-account"]'), '111111111111');
  });
});
