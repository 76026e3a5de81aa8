// Clean up in the real window against the sandbox: a bucket and table made with the CLI (the
// bucket holding a state), opened from the step list once the identity is checked, listed with
// what they hold, deleted on a confirmation that names them and the state key (with the separate
// "also delete the state" tick), then gone from the list and from AWS (`cleanup --json`).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const cli = process.env.TFSTATE_CLI_BIN ?? join(dirname(app ?? '.'), 'tfstate-wizard-cli');
const python = join(dirname(process.env.MOTO_SERVER ?? '.'), 'python');
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const bucket = `cleanup-e2e-${suffix}`;
const table = `cleanup-locks-${suffix}`;
const key = 'app/terraform.tfstate';

describe('clean up in the real window', { timeout: 240000 }, () => {
  let session;
  let sandbox;
  let profile;

  /** What the CLI lists as created here: bucket and table names. */
  function listed() {
    const out = execFileSync(cli, ['cleanup', '--profile', profile, '--json'], { env: sandbox.env });
    const here = JSON.parse(out.toString());
    return { buckets: here.buckets.map((b) => b.name), tables: here.tables.map((t) => t.name) };
  }

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    assert.ok(existsSync(cli), `${cli} not found: cargo build -p tfstate-wizard-cli`);
    sandbox = await startSandbox();
    profile = sandbox.profiles[0].name;
    execFileSync(cli, ['apply', '--profile', profile, '--bucket', bucket, '--table', table, '--key', key, '--no-tls-policy', '--yes'], {
      env: sandbox.env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    execFileSync(python, ['-c', `
import boto3, sys
s3 = boto3.Session(profile_name=sys.argv[1]).client("s3")
s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=b'{"version":4,"serial":1}')
`, profile, bucket, key], { env: sandbox.env, stdio: ['ignore', 'ignore', 'inherit'] });
    const before = listed();
    assert.ok(before.buckets.includes(bucket) && before.tables.includes(table), JSON.stringify(before));
    session = await openApp(app, sandbox.env);
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it('lists Clean up in the step list, and opens it once the identity is checked', async () => {
    await session.waitFor('[data-testid="check-identity"]');
    assert.equal(await session.attribute('[data-testid="step-cleanup"] button', 'disabled'), 'true', 'it waits for the identity');
    assert.match(await session.text('[data-testid="step-cleanup"]'), /After the identity check/);
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="identity-account"]');
    await waitFor('Clean up enabled', async () => (await session.attribute('[data-testid="step-cleanup"] button', 'disabled')) === null);
    await session.click('[data-testid="step-cleanup"] button');
    await session.waitFor('[data-testid="cleanup-list"]', 60000);
  });

  it('lists the bucket with its state and the table with its items', async () => {
    const row = await session.text(`[data-testid="cleanup-bucket-${bucket}"]`);
    assert.match(row, /1 state/);
    assert.match(row, new RegExp(key.replace('.', '\\.')));
    assert.match(await session.text(`[data-testid="cleanup-table-${table}"]`), /Empty|item/);
    await session.screenshot(join(shots, 'cleanup.png'));
  });

  it('deletes on a confirmation that names both and the state key, with the state tick', async () => {
    await session.click(`[data-testid="cleanup-pick-${bucket}"]`);
    await session.click(`[data-testid="cleanup-pick-${table}"]`);
    await session.click('[data-testid="cleanup-delete"]');
    await session.waitFor('[data-testid="cleanup-confirm"]');
    const asked = await session.text('[data-testid="cleanup-confirm"]');
    for (const named of [bucket, table, key]) assert.ok(asked.includes(named), `${named} in: ${asked}`);
    await session.screenshot(join(shots, 'cleanup-confirm.png'));
    await session.click('[data-testid="cleanup-with-state"]');
    await session.click('[data-testid="cleanup-confirm-delete"]');
    const said = await waitFor('deleted', () => session.text('[data-testid="cleanup-deleted"]'), 60000);
    assert.match(said, new RegExp(`Deleted bucket ${bucket} and table ${table}`));
    await waitFor('gone from the list', async () => (await session.count(`[data-testid="cleanup-bucket-${bucket}"]`)) === 0);
    assert.equal(await session.count(`[data-testid="cleanup-table-${table}"]`), 0);
  });

  it('they are gone from AWS too, and the wizard is one click away', async () => {
    const after = listed();
    assert.ok(!after.buckets.includes(bucket) && !after.tables.includes(table), JSON.stringify(after));
    await session.click('[data-testid="cleanup-back"]');
    await session.waitFor('[data-testid="next"]');
  });
});
