/**
 * Does a file look like it holds secrets that must not be sent to a third-party model? Pure: judged on the
 * path alone (case-insensitive), so it errs towards refusing; `allowSecrets` is the way past it.
 *
 * Allowed on purpose: `.env.example`, `.env.sample`, `.env.template` (committed placeholders, often the best
 * context for config code) and `*.pub` public keys.
 */
export function secretFileReason(path: string): string | null {
  if (typeof path !== 'string' || path === '') return null;
  const segments = path
    .replace(/\\/g, '/')
    .toLowerCase()
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  const name = segments.at(-1);
  if (name === undefined) return null;
  const dirs = segments.slice(0, -1);
  const parent = dirs.at(-1);

  for (const dir of SECRET_DIRS) {
    if (dirs.includes(dir)) return `it is inside ${dir}, which holds keys`;
  }
  if (dirs.includes('.git')) {
    return 'it is inside .git, whose config can hold tokens in remote URLs';
  }
  // .envs/.production/…, .env-files/…: directories of environment files.
  const envDir = dirs.find((dir) => /^\.env(s|[-_.].*)?$/.test(dir));
  if (envDir !== undefined) return `it is inside ${envDir}, a directory of environment files`;
  if (parent === 'gh' && (name === 'hosts.yml' || name === 'hosts.yaml')) {
    return 'it is the GitHub CLI login file, which holds a token';
  }

  if (name === '.env' || name === '.envrc' || name.endsWith('.env')) {
    return 'it is an environment file, which usually holds secrets';
  }
  // .env.local, .env_prod, .env-production; .env.example and friends are committed placeholders.
  if (/^\.env[-_.]/.test(name)) {
    const variant = name.slice('.env.'.length);
    if (ENV_PLACEHOLDER_VARIANTS.has(variant)) return null;
    return 'it is an environment file, which usually holds secrets';
  }
  if (name.endsWith('_history') || name === '.history' || name === '.lesshst') {
    return 'it is a shell or REPL history, which often holds pasted secrets';
  }
  if (name.endsWith('.tfvars') || name.endsWith('.tfvars.json')) {
    return 'it is a Terraform variables file, which usually holds secrets';
  }
  if (/service[-_]?account.*\.json$/.test(name)) return 'it looks like a cloud service-account key';
  if (name.includes('credential') && DATA_EXTENSIONS.has(extensionOf(name))) {
    return CREDENTIALS;
  }
  if ((name.endsWith('.asc') || name.endsWith('.gpg')) && /private|secret|secring/.test(name)) {
    return PRIVATE_KEY;
  }

  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?/.test(name) && !name.endsWith('.pub')) {
    return 'it looks like an SSH private key';
  }
  const extension = extensionOf(name);
  const extensionReason = SECRET_EXTENSIONS.get(extension);
  if (extensionReason) return extensionReason;

  const nameReason = SECRET_NAMES.get(name);
  if (nameReason) return nameReason;

  if (
    name === 'secrets' ||
    name === '.secrets' ||
    name.startsWith('secrets.') ||
    name.startsWith('.secrets.')
  ) {
    return 'its name says it holds secrets';
  }
  if (name.endsWith('.tfstate') || name.endsWith('.tfstate.backup')) {
    return 'it is Terraform state, which stores secrets in plain text';
  }
  if (name.startsWith('client_secret') && name.endsWith('.json'))
    return 'it looks like an OAuth client secret';
  if (name === 'config.json' && parent === '.docker')
    return 'it is a Docker config, which can hold registry logins';
  if (name === 'config' && parent === '.kube')
    return 'it is a Kubernetes config, which holds cluster credentials';
  if (name === 'kubeconfig' || name.endsWith('.kubeconfig')) {
    return 'it is a Kubernetes config, which holds cluster credentials';
  }
  return null;
}

const ENV_PLACEHOLDER_VARIANTS = new Set(['example', 'sample', 'template']);

const SECRET_DIRS = ['.ssh', '.gnupg', '.aws', '.azure', 'gcloud', '.password-store'];

/** Extensions of data files (a credentials.ts is code; a credentials.toml is a store). */
const DATA_EXTENSIONS = new Set([
  '',
  '.json',
  '.toml',
  '.yml',
  '.yaml',
  '.ini',
  '.db',
  '.xml',
  '.cfg',
  '.conf',
  '.txt',
  '.enc',
  '.properties',
  '.csv',
]);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

const PRIVATE_KEY = 'it looks like a private key or certificate bundle';
const KEYSTORE = 'it is a key store';
const SECRET_EXTENSIONS = new Map<string, string>([
  ['.pem', PRIVATE_KEY],
  ['.key', PRIVATE_KEY],
  ['.p8', PRIVATE_KEY],
  ['.p12', PRIVATE_KEY],
  ['.pfx', PRIVATE_KEY],
  ['.ppk', PRIVATE_KEY],
  ['.ovpn', 'it is a VPN profile, which usually embeds keys'],
  ['.jks', KEYSTORE],
  ['.keystore', KEYSTORE],
  ['.kdbx', 'it is a password database'],
]);

const CREDENTIALS = 'it is a credential store';
const SECRET_NAMES = new Map<string, string>([
  ['.npmrc', 'it is an npm config, which can hold registry tokens'],
  ['.yarnrc.yml', 'it is a Yarn config, which can hold registry tokens'],
  ['.pypirc', 'it is a PyPI config, which holds upload credentials'],
  ['.netrc', CREDENTIALS],
  ['_netrc', CREDENTIALS],
  ['.git-credentials', CREDENTIALS],
  ['.pgpass', CREDENTIALS],
  ['.htpasswd', CREDENTIALS],
  ['credentials', CREDENTIALS],
  ['credentials.json', CREDENTIALS],
  ['credentials.db', CREDENTIALS],
  ['credentials.yml', CREDENTIALS],
  ['credentials.yaml', CREDENTIALS],
  ['credentials.yml.enc', CREDENTIALS],
  ['master.key', PRIVATE_KEY],
  ['.vault-token', 'it is a Vault token'],
  ['.s3cfg', 'it is an s3cmd config, which holds AWS keys'],
  ['.boto', 'it is a boto config, which holds cloud keys'],
  ['auth.json', 'it is an auth file (Composer, Codex and others keep tokens in it)'],
  ['.dockercfg', 'it is a Docker registry login'],
  ['.claude.json', 'it is the Claude Code user file, which can hold MCP server keys'],
  ['token.json', CREDENTIALS],
  ['tokens.json', CREDENTIALS],
  ['.terraformrc', 'it is a Terraform CLI config, which holds registry tokens'],
  ['terraform.rc', 'it is a Terraform CLI config, which holds registry tokens'],
  ['settings-security.xml', 'it is a Maven master password file'],
  ['secring.gpg', PRIVATE_KEY],
]);
