/**
 * Issue 7 §3: what leaves the machine. Every file read on the agent's behalf goes through one policy: names
 * (the list, as sent), hard links, and content shapes; `allowSecrets` is the only way past it.
 */
import assert from 'node:assert/strict';
import { link, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readContextFiles, readProjectFile } from '../../src/codegen/context-files.js';
import { secretContentReason } from '../../src/codegen/secret-content.js';
import { secretFileReason } from '../../src/codegen/secret-file-policy.js';
import { SpeedRunError } from '../../src/errors.js';
import { runCli } from '../support/run-cli.js';

let dir: string;
before(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-read-policy-')));
});
after(() => rm(dir, { recursive: true, force: true }));

test('every name the issue reproduced as sent is now refused; ordinary code is not', () => {
  const reproduced = [
    '.env_prod',
    '.env-production',
    '.envs/.production/.django',
    '.claude/.credentials.json',
    '.cargo/credentials.toml',
    '.config/gh/hosts.yml',
    '.aws/config',
    'terraform.tfvars',
    'service-account.json',
    'application_default_credentials.json',
    '.vault-token',
    '.s3cfg',
    '.boto',
    'auth.json',
    '.dockercfg',
    'private.asc',
    '.bash_history',
    '.git/config',
  ];
  for (const name of reproduced) assert.notEqual(secretFileReason(name), null, name);
  for (const name of [
    'src/credentials.ts',
    'src/auth/credentials.py',
    '.env-example',
    '.env_sample',
    'public.asc',
    'history.ts',
    'docs/config.md',
    '.github/workflows/ci.yml',
    'terraform/main.tf',
  ]) {
    assert.equal(secretFileReason(name), null, name);
  }
});

test('content shapes are refused with the line; placeholders and mentions pass', () => {
  const secrets: [string, RegExp][] = [
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n', /private key block/],
    ['-----BEGIN RSA PRIVATE KEY-----', /private key block/],
    [`token = "ghp_${'a1B2'.repeat(9)}"`, /GitHub token/],
    [`github_pat_${'A1b2_'.repeat(12)}`, /GitHub token/],
    [`OPENAI_API_KEY=sk-proj-${'Ab12'.repeat(8)}`, /sk-/],
    [`CEREBRAS_API_KEY=csk-${'x9y8'.repeat(10)}`, /Cerebras/],
    ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', /AWS access key/],
    ['SLACK=xoxb-123456789012-abcdefghij', /Slack/],
    ['//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop', /_authToken|npm token/],
    [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      /JSON Web Token/,
    ],
    ['DATABASE_URL=postgres://app:s3cr3tPw@db.internal:5432/app', /URL with credentials/],
    ['line one\nline two\nhttps://deploy:hunter22@example.com/x', /line 3/],
  ];
  for (const [text, reason] of secrets) {
    const found = secretContentReason(text);
    assert.ok(found, text);
    assert.match(found, reason, text);
  }
  for (const text of [
    'Keys look like sk-… or csk-…; set CEREBRAS_API_KEY.',
    '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    'postgres://user:password@localhost/db',
    'https://user:${TOKEN}@github.com/org/repo.git',
    'const risk = "task-management-system-design-is-long";',
    'AKIA is the prefix of AWS access key ids.',
    'export const header = "-----BEGIN PUBLIC KEY-----";',
  ]) {
    assert.equal(secretContentReason(text), null, text);
  }
});

test('a hard link to .env under an innocent name is refused; a symlink too; allowSecrets lets both through', async () => {
  await writeFile(path.join(dir, '.env'), 'DB_PASSWORD=hunter2\n');
  await link(path.join(dir, '.env'), path.join(dir, 'notes.txt'));
  await symlink(path.join(dir, '.env'), path.join(dir, 'readme.txt'));
  const options = { cwd: dir, allowedRoots: [dir] };
  await assert.rejects(
    readContextFiles(['notes.txt'], options),
    (error: unknown) =>
      error instanceof SpeedRunError &&
      error.field === 'context_files' &&
      /hard links/.test(error.message) &&
      /allow_secret_context/.test(error.hint ?? ''),
  );
  await assert.rejects(readContextFiles(['readme.txt'], options), /environment file/);
  const allowed = await readContextFiles(['notes.txt'], { ...options, allowSecrets: true });
  assert.equal(allowed[0]?.content, 'DB_PASSWORD=hunter2\n');
});

test('a file whose content holds a key is refused under any name; .git/config too', async () => {
  await writeFile(path.join(dir, 'deploy.md'), `Use this: ghp_${'Zz90'.repeat(9)}\n`);
  await mkdir(path.join(dir, '.git'), { recursive: true });
  await writeFile(path.join(dir, '.git', 'config'), '[remote "origin"]\n\turl = https://github.com/a/b\n');
  const options = { cwd: dir, allowedRoots: [dir] };
  await assert.rejects(readContextFiles(['deploy.md'], options), /GitHub token \(line 1\)/);
  await assert.rejects(readContextFiles(['.git/config'], options), /inside \.git/);
});

test('readProjectFile names the field it serves (contract_file) in its refusals', async () => {
  await writeFile(path.join(dir, 'spec.env'), 'X=1\n');
  await assert.rejects(
    readProjectFile('spec.env', {
      cwd: dir,
      allowedRoots: [dir],
      maxBytes: 1000,
      field: 'contract_file',
    }),
    (error: unknown) =>
      error instanceof SpeedRunError &&
      error.field === 'contract_file' &&
      /contract_file "spec.env" was not sent to the model/.test(error.message),
  );
});

test('CLI: a contract that is a secret file is refused (exit 2) and nothing is requested', async () => {
  await writeFile(path.join(dir, '.env'), 'SECRET=abc\n', { flag: 'w' });
  const run = await runCli(['turbo', '.env', '--out', 'out'], {
    cwd: dir,
    env: {
      SPEED_RUN_BASE_URL: 'http://127.0.0.1:9/v1',
      SPEED_RUN_API_KEY: 'k-123456789',
      SPEED_RUN_MODEL: 'm',
      XDG_CONFIG_HOME: dir,
    },
  });
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /contract ".env" was not sent to the model: it is an environment file/);
  assert.doesNotMatch(run.stderr, /unreachable|ECONNREFUSED/);
});
