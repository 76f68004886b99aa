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

  if (name === '.env' || name === '.envrc' || name.endsWith('.env')) {
    return 'it is an environment file, which usually holds secrets';
  }
  if (name.startsWith('.env.')) {
    const variant = name.slice('.env.'.length);
    if (ENV_PLACEHOLDER_VARIANTS.has(variant)) return null;
    return 'it is an environment file, which usually holds secrets';
  }

  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?/.test(name) && !name.endsWith('.pub')) {
    return 'it looks like an SSH private key';
  }
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
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

const SECRET_DIRS = ['.ssh', '.gnupg'];

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
]);
