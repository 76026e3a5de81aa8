// No AWS CLI needed, in the real window: a person with IAM Identity Center adds a profile from
// the identity step — sign in (the page the app opens is recorded, the test IAM Identity Center
// approves the code), pick an account and role, see the exact lines, write them — and the new
// profile is checked with STS at once. The config file keeps every byte it had.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const opened = join(mkdtempSync(join(tmpdir(), 'tfstate-opened-')), 'urls');
const startUrl = 'https://acme.awsapps.com/start';

describe('adding an AWS profile with IAM Identity Center in the real window', { timeout: 180000 }, () => {
  let session;
  let config;
  let before_;

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    const sandbox = await startSandbox(['--sso']);
    config = sandbox.env.AWS_CONFIG_FILE;
    before_ = readFileSync(config, 'utf8');
    session = await openApp(app, { ...sandbox.env, TFSTATE_WIZARD_OPENED_URLS: opened });
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('signs in, lists the accounts and roles, and shows the lines before writing them', async () => {
    await session.waitFor('[data-testid="add-profile-open"]');
    await session.click('[data-testid="add-profile-open"]');
    await session.type('[data-testid="new-profile-name"]', 'work');
    await session.type('[data-testid="new-profile-start-url"]', startUrl);
    await session.click('[data-testid="new-profile-sign-in"]');
    await session.waitFor('[data-testid="sign-in-code"]', 30000);
    await session.screenshot(join(shots, 'sso-sign-in.png'));
    const url = await waitFor('the sign-in page opened', () => readFileSync(opened, 'utf8').trim() || null, 10000);
    assert.match(url, /user_code=/);
    await session.waitFor('[data-testid="new-profile-role-111111111111-ReadOnly"]', 30000);
    await session.click('[data-testid="new-profile-role-111111111111-ReadOnly"]');
    await session.click('[data-testid="new-profile-preview"]');
    const lines = await waitFor('the preview', () => session.text('[data-testid="profile-preview"]').catch(() => null));
    assert.match(lines, /\[profile work\]/);
    assert.match(lines, /sso_account_id = 111111111111/);
    assert.match(lines, /sso_role_name = ReadOnly/);
    assert.equal(readFileSync(config, 'utf8'), before_, 'nothing is written before the person says so');
    await session.screenshot(join(shots, 'sso-preview.png'));
  });

  it('writes the profile, keeps every other byte, and checks it with STS at once', async () => {
    await session.click('[data-testid="add-profile-write"]');
    await session.waitFor('[data-testid="identity-account"]', 60000);
    assert.equal(await session.text('[data-testid="identity-account"]'), '111111111111');
    const after_ = readFileSync(config, 'utf8');
    assert.ok(after_.startsWith(before_), 'the old contents are kept byte for byte');
    assert.match(after_.slice(before_.length), /\[sso-session [^\]]+\][\s\S]*sso_start_url = https:\/\/acme\.awsapps\.com\/start/);
    await session.screenshot(join(shots, 'sso-added.png'));
  });
});
