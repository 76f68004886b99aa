import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { userStateDir } from '../../config/state-dir.js';

/** What a run record may ask speed-run to run, and where: the part of the record that is sealed. */
export interface SealedCommands {
  root: string;
  feature: string;
  mode: string;
  setupCommand: string | null;
  testCommand: string | null;
}

/**
 * Signs the commands a run was started with, so that a later re-test runs them only if the record still holds
 * what speed-run wrote. The key lives in the user's state directory (or this process's memory), never in the
 * project: whoever can edit the record cannot forge its seal.
 */
export interface CommandSeal {
  sign(commands: SealedCommands): Promise<string>;
  verify(commands: SealedCommands, seal: string | null | undefined): Promise<boolean>;
}

/** The sealed part of a record. */
export function sealedCommands(record: {
  feature: string;
  mode: string;
  repo: { root: string };
  options: { setupCommand: string | null; testCommand: string | null };
}): SealedCommands {
  return {
    root: record.repo.root,
    feature: record.feature,
    mode: record.mode,
    setupCommand: record.options.setupCommand,
    testCommand: record.options.testCommand,
  };
}

const KEY_BYTES = 32;

function sealWith(key: () => Promise<Buffer>): CommandSeal {
  const mac = async (commands: SealedCommands) =>
    createHmac('sha256', await key())
      .update(
        JSON.stringify([
          commands.root,
          commands.feature,
          commands.mode,
          commands.setupCommand,
          commands.testCommand,
        ]),
      )
      .digest();
  return {
    sign: async (commands) => `hmac-sha256:${(await mac(commands)).toString('hex')}`,
    async verify(commands, seal) {
      const match = /^hmac-sha256:([0-9a-f]{64})$/.exec(seal ?? '');
      if (!match) return false;
      return timingSafeEqual(Buffer.from(match[1]!, 'hex'), await mac(commands));
    },
  };
}

let processKey: Buffer | undefined;

/** A seal whose key lives only as long as this process: records it signs verify only here. */
export function processSeal(): CommandSeal {
  return sealWith(async () => (processKey ??= randomBytes(KEY_BYTES)));
}

/**
 * A seal keyed by `record-key` in the user's state directory, created (mode 0600) on first use; the process
 * seal when there is no state directory or the key cannot be kept there.
 */
export function userSeal(env: Record<string, string | undefined>): CommandSeal {
  const dir = userStateDir(env);
  if (dir === null) return processSeal();
  let key: Promise<Buffer> | undefined;
  return sealWith(() => (key ??= readOrCreateKey(path.join(dir, 'record-key'))));
}

async function readOrCreateKey(file: string): Promise<Buffer> {
  try {
    const existing = await readFile(file);
    if (existing.length >= KEY_BYTES) return existing;
  } catch {
    // none yet (or unreadable): make one below
  }
  const key = randomBytes(KEY_BYTES);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, key, { flag: 'wx', mode: 0o600 });
    // link() publishes the whole key at once and fails if another process published one first.
    await link(temp, file);
    return key;
  } catch (error) {
    // Another process made it first: use theirs. Anything else: this process's key, so the run still works here.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readFile(file).catch(() => null);
      if (theirs && theirs.length >= KEY_BYTES) return theirs;
    }
    return (processKey ??= randomBytes(KEY_BYTES));
  } finally {
    await rm(temp, { force: true });
  }
}
