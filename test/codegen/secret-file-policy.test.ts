import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretFileReason } from '../../src/codegen/secret-file-policy.js';

function refused(...paths: string[]): void {
  for (const path of paths) assert.notEqual(secretFileReason(path), null, `${path} should look secret`);
}

function allowed(...paths: string[]): void {
  for (const path of paths) assert.equal(secretFileReason(path), null, `${path} should be allowed`);
}

test('environment files are secret; committed placeholders are not', () => {
  refused(
    '.env',
    'app/.env',
    '.env.local',
    '.env.production',
    '.env.development.local',
    '.ENV',
    'prod.env',
    '.envrc',
  );
  allowed(
    '.env.example',
    'config/.env.sample',
    '.env.template',
    '.ENV.EXAMPLE',
    'env.ts',
    '.venv/readme.md',
    'environment.ts',
  );
  assert.match(secretFileReason('.env') ?? '', /environment file/);
});

test('private keys and certificate bundles are secret; public keys are not', () => {
  refused(
    'server.pem',
    'tls/server.key',
    'cert.p12',
    'cert.PFX',
    'AuthKey_ABC.p8',
    'putty.ppk',
    'client.ovpn',
  );
  refused('id_rsa', 'id_rsa.old', 'keys/id_ed25519', 'id_ecdsa', 'id_dsa', 'id_ed25519_sk', 'ID_RSA');
  allowed('id_rsa.pub', 'keys/id_ed25519.pub', 'keyboard.ts', 'monkey.js', 'src/key.ts', 'pem.ts');
  assert.match(secretFileReason('id_rsa') ?? '', /SSH private key/);
});

test('credential stores are secret', () => {
  refused(
    '.npmrc',
    'packages/a/.npmrc',
    '.pypirc',
    '.netrc',
    '_netrc',
    '.git-credentials',
    '.pgpass',
    '.htpasswd',
    'credentials.json',
    'Credentials.JSON',
    '.aws/credentials',
    'home/me/.aws/credentials',
    'config/credentials.yml.enc',
    'config/master.key',
    'client_secret_1234.apps.googleusercontent.com.json',
    'release.keystore',
    'app.jks',
    'vault.kdbx',
    'terraform.tfstate',
    'terraform.tfstate.backup',
  );
  allowed('.npmrc.ts', 'credentials.ts', 'src/credentials/index.ts', 'docs/credentials.md', 'package.json');
});

test('secrets.* and .secrets files are secret', () => {
  // Any extension: a secrets.ts or secrets.md is refused too, and allowSecrets is the way past it.
  refused('secrets.yaml', 'config/secrets.json', 'SECRETS.toml', '.secrets', 'secrets', 'secrets.md');
  allowed('secret-santa.ts', 'src/secrets-manager.ts', 'docs/managing-secrets.md');
});

test('docker and kubernetes configs with credentials are secret, other config.json files are not', () => {
  refused(
    '.docker/config.json',
    '/home/me/.docker/config.json',
    '.kube/config',
    'kubeconfig',
    'prod.kubeconfig',
  );
  allowed('config.json', 'src/config.json', 'docker/config.json', 'kube/config', 'config');
});

test('anything under .ssh or .gnupg is secret', () => {
  refused('.ssh/config', '.ssh/known_hosts', 'home/.gnupg/pubring.kbx');
  assert.match(secretFileReason('.ssh/config') ?? '', /inside \.ssh/);
});

test('Windows separators and odd spellings are handled', () => {
  refused('C:\\Users\\me\\.aws\\credentials', 'app\\.env', './.env', 'a//.env');
  allowed('', '.', 'src/index.ts', 'README.md');
});
