import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
  checkRelativePath,
  isWithin,
} from '../../src/write/path-policy.js';

function accepted(input: string): string {
  const verdict = checkRelativePath(input);
  assert.ok(verdict.ok, `expected ${JSON.stringify(input)} to be accepted, got ${JSON.stringify(verdict)}`);
  return verdict.path;
}

function refused(input: string, reasonPattern: RegExp): void {
  const verdict = checkRelativePath(input);
  assert.ok(!verdict.ok, `expected ${JSON.stringify(input)} to be refused`);
  assert.match(verdict.reason, reasonPattern, `reason for ${JSON.stringify(input)}`);
}

describe('checkRelativePath', () => {
  test('accepts ordinary relative paths unchanged', () => {
    for (const input of [
      'a.ts',
      'src/index.ts',
      'a/b/c/d.txt',
      '.gitignore',
      '.github/workflows/ci.yml',
      'a b.txt',
    ]) {
      assert.equal(accepted(input), input);
    }
  });

  test('normalises ./ prefixes, repeated slashes and . segments', () => {
    assert.equal(accepted('./a//b'), 'a/b');
    assert.equal(accepted('./src/./index.ts'), 'src/index.ts');
    assert.equal(accepted('a///b////c'), 'a/b/c');
    assert.equal(accepted('././x'), 'x');
  });

  test('accepts unicode names', () => {
    for (const input of ['données/été.md', '日本語/ファイル.ts', 'emoji/🚀.txt', 'Ωmega/ß.txt']) {
      assert.equal(accepted(input), input);
    }
  });

  test('accepts names that only look like dots or tildes in harmless places', () => {
    assert.equal(accepted('...'), '...');
    assert.equal(accepted('a/..b'), 'a/..b');
    assert.equal(accepted('a/b..'), 'a/b..');
    assert.equal(accepted('a/~b'), 'a/~b');
    assert.equal(accepted('a/c:d'), 'a/c:d');
  });

  test('refuses empty and whitespace-only paths', () => {
    refused('', /empty/);
    refused('   ', /whitespace/);
  });

  test('refuses paths that normalise to nothing', () => {
    for (const input of ['.', './', './/.', '././.']) {
      const verdict = checkRelativePath(input);
      assert.ok(!verdict.ok, input);
    }
    refused('.', /normalises to "\."/);
    refused('./.', /normalises to "\."/);
  });

  test('refuses absolute POSIX and Windows-rooted paths', () => {
    refused('/etc/passwd', /absolute/);
    refused('/', /absolute/);
    refused('\\windows\\system32', /absolute/);
  });

  test('refuses Windows drive letters, with or without a separator', () => {
    refused('C:\\Windows\\win.ini', /drive letter/);
    refused('C:/Windows', /drive letter/);
    refused('c:x', /drive letter/);
    refused('Z:', /drive letter/);
  });

  test('refuses UNC paths in both spellings', () => {
    refused('\\\\server\\share\\file', /UNC/);
    refused('//server/share/file', /UNC/);
    refused('\\\\?\\C:\\x', /UNC/);
  });

  test('refuses home-directory paths', () => {
    refused('~', /home-directory/);
    refused('~/.ssh/authorized_keys', /home-directory/);
    refused('~root/.bashrc', /home-directory/);
  });

  test('refuses ".." in every position', () => {
    for (const input of [
      '..',
      '../x',
      '../../etc/passwd',
      'a/..',
      'a/../b',
      'a/b/../../..',
      './../x',
      'a//..//b',
      'a/./../b',
    ]) {
      refused(input, /"\.\." segment/);
    }
  });

  test('refuses backslash separators instead of guessing', () => {
    refused('src\\index.ts', /backslash/);
    refused('a/..\\..\\b', /backslash/);
    refused('..\\..\\x', /backslash/);
  });

  test('refuses NUL bytes wherever they are', () => {
    refused('\0', /NUL/);
    refused('a\0.ts', /NUL byte \(at character 2\)/);
    refused('safe.txt\0.sh', /NUL/);
    refused('a/b\0', /NUL/);
  });

  test('refuses every control character, naming it', () => {
    for (let code = 1; code <= 0x1f; code++) {
      refused(`a${String.fromCharCode(code)}b`, /control character U\+00[01][0-9A-F]/);
    }
    refused('a\x7fb', /U\+007F/);
    refused('a\u0085b', /U\+0085/);
    refused('line\nbreak.ts', /U\+000A/);
    refused('tab\there', /U\+0009/);
  });

  test('refuses a trailing slash (a directory, not a file)', () => {
    refused('src/', /names a directory/);
    refused('a/b//', /names a directory/);
  });

  test('refuses writing into .git in any case', () => {
    refused('.git/hooks/pre-commit', /\.git/);
    refused('sub/.GIT/config', /\.git/);
    assert.equal(accepted('.gitattributes'), '.gitattributes');
    assert.equal(accepted('git/x'), 'git/x');
  });

  test('bounds segment and path length in UTF-8 bytes', () => {
    assert.equal(accepted('a'.repeat(MAX_SEGMENT_BYTES)), 'a'.repeat(MAX_SEGMENT_BYTES));
    refused('a'.repeat(MAX_SEGMENT_BYTES + 1), /longer than 255 bytes/);
    // 86 three-byte characters = 258 bytes although only 86 characters.
    refused(`dir/${'€'.repeat(86)}.ts`, /longer than 255 bytes/);

    const long = Array.from({ length: 20 }, () => 'd'.repeat(60)).join('/');
    assert.ok(long.length > MAX_PATH_BYTES);
    refused(long, /longer than 1024 bytes/);
    const justFits = Array.from({ length: 16 }, () => 'd'.repeat(63)).join('/');
    assert.equal(justFits.length, 1023);
    assert.equal(accepted(justFits), justFits);
  });

  test('refuses non-string input instead of throwing', () => {
    const verdict = checkRelativePath(undefined as unknown as string);
    assert.equal(verdict.ok, false);
  });
});

describe('isWithin', () => {
  test('a root contains itself and its descendants', () => {
    assert.equal(isWithin('/a', '/a'), true);
    assert.equal(isWithin('/a', '/a/b'), true);
    assert.equal(isWithin('/a', '/a/b/c/d.txt'), true);
    assert.equal(isWithin('/a/', '/a'), true);
    assert.equal(isWithin('/a', '/a/'), true);
  });

  test('prefix collisions are not containment', () => {
    assert.equal(isWithin('/a', '/ab'), false);
    assert.equal(isWithin('/a', '/ab/c'), false);
    assert.equal(isWithin('/home/user/project', '/home/user/project-evil'), false);
    assert.equal(isWithin('/home/user/project', '/home/user/project2/file'), false);
    assert.equal(isWithin('/home/user/project', '/home/user/projec'), false);
  });

  test('parents and siblings are outside', () => {
    assert.equal(isWithin('/a/b', '/a'), false);
    assert.equal(isWithin('/a/b', '/a/c'), false);
    assert.equal(isWithin('/a/b', '/'), false);
  });

  test('.. in either path is resolved before comparing', () => {
    assert.equal(isWithin('/a', '/a/../b'), false);
    assert.equal(isWithin('/a', '/a/b/../c'), true);
    assert.equal(isWithin('/a/b/..', '/a/x'), true);
    assert.equal(isWithin('/a', '/a/b/../../etc'), false);
  });

  test('the file-system root contains everything absolute', () => {
    assert.equal(isWithin('/', '/'), true);
    assert.equal(isWithin('/', '/etc/passwd'), true);
  });

  test('relative paths, empty strings and NUL bytes are never within', () => {
    assert.equal(isWithin('a', 'a/b'), false);
    assert.equal(isWithin('/a', 'a/b'), false);
    assert.equal(isWithin('', '/a'), false);
    assert.equal(isWithin('/a', ''), false);
    assert.equal(isWithin('/a', '/a/b\0'), false);
    assert.equal(isWithin('/a\0', '/a/b'), false);
  });

  test('comparison is case-sensitive and unicode-exact', () => {
    assert.equal(isWithin('/A', '/a/b'), false);
    assert.equal(isWithin('/données', '/données/x'), true);
  });
});
