// Day one in the real window: a new team member joins the team's existing backend. The team's
// bucket and table are set up first with the CLI (as a platform engineer would) and hold one
// project's state; the project folder sits under a folder with the team's preset. Then:
// identity → "use my team's backend" → discover, pick, key (from the preset's pattern) → files
// → check access → save → terraform init, with screenshots.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp, startSandbox, stopAll, waitFor } from './webdriver.mjs';

const app = process.env.TFSTATE_WIZARD_BIN;
const cli = process.env.TFSTATE_CLI_BIN ?? join(dirname(app ?? '.'), 'tfstate-wizard-cli');
const python = join(dirname(process.env.MOTO_SERVER ?? '.'), 'python');
const shots = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'target', 'screenshots');
const suffix = `${process.pid}-${Date.now().toString(36)}`;
const bucket = `team-state-${suffix}`;
const table = `team-locks-${suffix}`;
const team = mkdtempSync(join(tmpdir(), 'tfstate-team-'));
const project = join(team, 'payments');
const shim = join(dirname(fileURLToPath(import.meta.url)), '..', 'terraform');

describe("joining the team's backend in the real window", { timeout: 240000 }, () => {
  let session;
  let sandbox;

  before(async () => {
    assert.ok(app, 'TFSTATE_WIZARD_BIN must point at the built app (scripts/test sets it)');
    assert.ok(existsSync(cli), `${cli} not found: cargo build -p tfstate-wizard-cli`);
    sandbox = await startSandbox();
    const profile = sandbox.profiles[0].name;
    // The platform engineer's setup: a hardened bucket and table (no TLS-only policy: the
    // emulator speaks plain HTTP), holding the network project's state.
    execFileSync(cli, ['apply', '--profile', profile, '--bucket', bucket, '--table', table, '--key', 'network/terraform.tfstate', '--no-tls-policy', '--yes'], {
      env: sandbox.env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const state = JSON.stringify({ version: 4, terraform_version: '1.15.0', serial: 3, lineage: 'e2e', outputs: {}, resources: [] });
    execFileSync(python, ['-c', `
import boto3, os, sys
s3 = boto3.Session(profile_name=sys.argv[1]).client("s3")
s3.put_object(Bucket=sys.argv[2], Key="network/terraform.tfstate", Body=sys.argv[3].encode())
`, profile, bucket, state], { env: sandbox.env, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(team, 'tfstate-wizard.json'), JSON.stringify({
      version: 1,
      bucket,
      table,
      lock: 'dynamodb',
      key_pattern: '{project}/terraform.tfstate',
      tags: { Team: 'payments' },
    }, null, 2));
    mkdirSync(project);
    const env = { ...sandbox.env, TFSTATE_WIZARD_PICK_FOLDER: project, PATH: `${shim}:${sandbox.env.PATH}` };
    session = await openApp(app, env);
  });

  after(async () => {
    await session?.close();
    stopAll();
  });

  it("checks the identity and chooses the team's backend", async () => {
    await session.waitFor('[data-testid="check-identity"]');
    await session.click('[data-testid="check-identity"]');
    await session.waitFor('[data-testid="path-join"]');
    await session.click('[data-testid="path-join"]');
    await waitFor('next names the team step', async () => /Team backend/.test(await session.text('[data-testid="next"]')));
    await session.screenshot(join(shots, 'identity-paths.png'));
    await session.click('[data-testid="next"]');
  });

  it('lists the team bucket with its lock table and state, and fills the key in from the preset', async () => {
    await session.waitFor(`[data-testid="backend-${bucket}"]`, 60000);
    await session.click('[data-testid="team-choose-folder"]');
    await session.waitFor('[data-testid="preset"]');
    assert.match(await session.text('[data-testid="preset"]'), /tfstate-wizard\.json/);
    await waitFor('key from the pattern', async () =>
      (await session.call('POST', '/execute/sync', {
        script: 'return document.querySelector("[data-testid=team-key-input]")?.value ?? ""',
        args: [],
      })) === 'payments/terraform.tfstate');
    const card = await session.text(`label:has([data-testid="backend-${bucket}"])`);
    assert.match(card, new RegExp(`DynamoDB lock table ${table}`));
    assert.match(card, /1 state/);
    assert.match(await session.text('[data-testid="team-outcome"]'), /A new state/);
    await waitFor('next enabled', async () => (await session.attribute('[data-testid="next"]', 'disabled')) === null);
    await session.screenshot(join(shots, 'team.png'));
  });

  it('previews the files for the team bucket and checks access with real calls', async () => {
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="file-preview"]', 30000);
    // The team preset goes into the project too, for the next teammate (the options are folded).
    await session.click('[data-testid="files-options-toggle"]');
    await session.click('[data-testid="team-preset"]');
    await session.waitFor('[data-testid="file-tab"][data-name="tfstate-wizard.json"]', 30000);
    assert.match(await session.text('[data-testid="file-preview"]'), new RegExp(`bucket\\s+= "${bucket}"`));
    await session.click('[data-testid="check-access"]');
    await session.waitFor('[data-testid="access-report"]', 60000);
    const checks = await session.call('POST', '/execute/sync', {
      script: 'return Array.from(document.querySelectorAll("[data-testid=access-check]")).map(c => [c.dataset.action, c.dataset.allowed])',
      args: [],
    });
    assert.ok(checks.length >= 6, `checks: ${JSON.stringify(checks)}`);
    assert.ok(checks.every(([, allowed]) => allowed === 'true'), `all allowed: ${JSON.stringify(checks)}`);
    await session.call('POST', '/execute/sync', {
      script: 'document.querySelector("[data-testid=access-report]").scrollIntoView({ block: "end" })',
      args: [],
    });
    await session.screenshot(join(shots, 'files-access.png'));
  });

  it('saves into the project and runs terraform init', async () => {
    await session.click('[data-testid="next"]');
    await session.waitFor('[data-testid="save-files"]');
    await waitFor('folder shown', async () => (await session.text('[data-testid="folder-path"]')).includes(project));
    await session.click('[data-testid="save-files"]');
    await session.waitFor('[data-testid="saved-file"]', 60000);
    const backend = readFileSync(join(project, 'backend.tf'), 'utf8');
    assert.match(backend, new RegExp(`bucket\\s+= "${bucket}"`));
    assert.match(backend, /key\s+= "payments\/terraform.tfstate"/);
    assert.match(backend, new RegExp(`dynamodb_table = "${table}"`));
    const written = JSON.parse(readFileSync(join(project, 'tfstate-wizard.json'), 'utf8'));
    assert.equal(written.bucket, bucket);
    assert.equal(written.key_pattern, '{project}/terraform.tfstate');
    assert.deepEqual(written.tags, { Team: 'payments' });

    await session.click('[data-testid="run-init"]');
    const output = await waitFor('init output', async () => {
      const text = await session.text('[data-testid="init-output"]').catch(() => '');
      return (await session.text('[data-testid="init-status"]').catch(() => '')) ? text : null;
    }, 180000);
    assert.match(output, /terraform init -input=false/);
    // As in wizard.test.mjs: the aws provider's registry is out of reach on this machine.
    if (!/registry\.terraform\.io/.test(output)) {
      assert.equal(await session.attribute('[data-testid="init-status"]', 'data-status'), 'success');
    }
    await session.call('POST', '/execute/sync', {
      script: 'document.querySelector("[data-testid=init-status]").scrollIntoView({ block: "start" })',
      args: [],
    });
    await session.screenshot(join(shots, 'join-save.png'));
  });
});
