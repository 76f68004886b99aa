import type TS from 'typescript';
import { SpeedRunError } from '../../errors.js';
import type { SourceFile } from '../race-types.js';

/** A function longer than this many lines (first to last line of its declaration) is reported. */
export const LONG_FUNCTION_LINES = 50;
/** Nesting deeper than this many levels is reported. */
export const MAX_NESTING_DEPTH = 3;
/** Numeric literals that are never magic. */
export const PLAIN_NUMBERS: readonly number[] = [-1, 0, 1, 2, 10, 100, 1000];

export interface LanguageCount {
  language: string;
  files: number;
  linesOfCode: number;
}

export interface CodeMetrics {
  files: number;
  testFiles: number;
  /** Non-blank lines that are not only comment. */
  linesOfCode: number;
  languages: LanguageCount[];
  longFunctions: { path: string; name: string; line: number; lines: number }[];
  /** One entry per outermost construct that goes past MAX_NESTING_DEPTH; `depth` is the deepest level inside. */
  deepNesting: { path: string; line: number; depth: number; function: string | null }[];
  singleLetterNames: { path: string; line: number; name: string }[];
  magicNumbers: { path: string; line: number; value: string }[];
  /** Which measures were not taken, for which files. */
  notMeasured: string[];
}

type CommentStyle = { line: string[]; block?: [string, string] };
const C: CommentStyle = { line: ['//'], block: ['/*', '*/'] };
const HASH: CommentStyle = { line: ['#'] };
const NONE: CommentStyle = { line: [] };

const LANGUAGE_EXTENSIONS: [string, CommentStyle, string[]][] = [
  ['TypeScript', C, ['ts', 'tsx', 'mts', 'cts']],
  ['JavaScript', C, ['js', 'jsx', 'mjs', 'cjs']],
  ['Python', HASH, ['py']],
  ['Ruby', HASH, ['rb']],
  ['Shell', HASH, ['sh', 'bash']],
  ['YAML', HASH, ['yaml', 'yml']],
  ['TOML', HASH, ['toml']],
  ['Go', C, ['go']],
  ['Rust', C, ['rs']],
  ['Java', C, ['java']],
  ['Kotlin', C, ['kt']],
  ['Swift', C, ['swift']],
  ['C#', C, ['cs']],
  ['C', C, ['c', 'h']],
  ['C++', C, ['cc', 'cpp', 'hpp']],
  ['PHP', C, ['php']],
  ['CSS', C, ['css', 'scss']],
  ['SQL', { line: ['--'] }, ['sql']],
  ['HTML', { line: [], block: ['<!--', '-->'] }, ['html']],
  ['Markdown', NONE, ['md']],
  ['JSON', NONE, ['json']],
];
const LANGUAGES = new Map(
  LANGUAGE_EXTENSIONS.flatMap(([language, style, extensions]) =>
    extensions.map((ext) => [ext, [language, style]] as const),
  ),
);
const SCRIPT_EXTENSIONS = new Set(['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs']);
const TEST_FILE = /(?:^|\/)(?:__tests__|tests?|spec)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Lines that start with a comment are comment lines; a comment after code leaves the line code. */
function countCodeLines(content: string, style: CommentStyle): number {
  let code = 0;
  let closeBlock: string | null = null;
  for (const raw of content.split(/\r?\n/)) {
    let line = raw.trim();
    if (closeBlock !== null) {
      const end = line.indexOf(closeBlock);
      if (end < 0) continue;
      line = line.slice(end + closeBlock.length).trim();
      closeBlock = null;
    } else if (style.block && line.startsWith(style.block[0])) {
      const end = line.indexOf(style.block[1], style.block[0].length);
      if (end < 0) {
        closeBlock = style.block[1];
        continue;
      }
      line = line.slice(end + style.block[1].length).trim();
    }
    if (line !== '' && !style.line.some((marker) => line.startsWith(marker))) code += 1;
  }
  return code;
}

let typescript: Promise<typeof TS> | undefined;
function loadTypeScript(): Promise<typeof TS> {
  typescript ??= import('typescript').then((module) => module.default);
  return typescript;
}

function validateFiles(files: unknown): SourceFile[] {
  const valid =
    Array.isArray(files) &&
    files.every((file) => typeof file?.path === 'string' && typeof file?.content === 'string');
  if (!valid) {
    throw new SpeedRunError('invalid_input', 'files must be a list of { path, content } strings.', {
      field: 'files',
      hint: 'Pass each generated file with its relative path and its text.',
    });
  }
  return files as SourceFile[];
}

/** Counts for every file; the TypeScript compiler API measures the TypeScript and JavaScript ones. */
export async function measureCode(files: SourceFile[]): Promise<CodeMetrics> {
  const metrics: CodeMetrics = {
    files: 0,
    testFiles: 0,
    linesOfCode: 0,
    languages: [],
    longFunctions: [],
    deepNesting: [],
    singleLetterNames: [],
    magicNumbers: [],
    notMeasured: [],
  };
  const byLanguage = new Map<string, LanguageCount>();
  const unscripted: string[] = [];
  const testScripts: string[] = [];
  const ts = validateFiles(files).some((file) => SCRIPT_EXTENSIONS.has(extension(file.path)))
    ? await loadTypeScript()
    : undefined;
  for (const file of files) {
    const ext = extension(file.path);
    const [language, style] = LANGUAGES.get(ext) ?? ['Other', NONE];
    const isTest = TEST_FILE.test(file.path.replace(/\\/g, '/'));
    let lines: number;
    if (ts && SCRIPT_EXTENSIONS.has(ext)) {
      lines = measureScript(ts, file, ext, isTest, metrics);
      if (isTest) testScripts.push(file.path);
    } else {
      lines = countCodeLines(file.content, style);
      unscripted.push(file.path);
    }
    metrics.files += 1;
    metrics.testFiles += isTest ? 1 : 0;
    metrics.linesOfCode += lines;
    const count = byLanguage.get(language) ?? { language, files: 0, linesOfCode: 0 };
    count.files += 1;
    count.linesOfCode += lines;
    byLanguage.set(language, count);
  }
  metrics.languages = [...byLanguage.values()].sort(
    (a, b) => b.linesOfCode - a.linesOfCode || a.language.localeCompare(b.language),
  );
  if (unscripted.length > 0) {
    metrics.notMeasured.push(
      `long functions, nesting, single-letter names, magic numbers (TypeScript/JavaScript only): ${unscripted.join(', ')}`,
    );
  }
  if (testScripts.length > 0) {
    metrics.notMeasured.push(`long functions, magic numbers (test files): ${testScripts.join(', ')}`);
  }
  return metrics;
}

function scriptKind(ts: typeof TS, ext: string): TS.ScriptKind {
  if (ext === 'tsx') return ts.ScriptKind.TSX;
  if (ext === 'jsx') return ts.ScriptKind.JSX;
  return ext.endsWith('ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}

type FunctionWithBody =
  | TS.FunctionDeclaration
  | TS.FunctionExpression
  | TS.ArrowFunction
  | TS.MethodDeclaration
  | TS.ConstructorDeclaration
  | TS.AccessorDeclaration;

function isFunctionWithBody(ts: typeof TS, node: TS.Node): node is FunctionWithBody {
  const functionLike =
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node);
  return functionLike && node.body !== undefined;
}

function isNestingStatement(ts: typeof TS, node: TS.Node): boolean {
  if (ts.isIfStatement(node)) return !(ts.isIfStatement(node.parent) && node.parent.elseStatement === node);
  return (
    ts.isForStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isWhileStatement(node) ||
    ts.isDoStatement(node) ||
    ts.isSwitchStatement(node) ||
    ts.isTryStatement(node)
  );
}

/** A function or arrow passed straight to a call: `items.map((x) => ...)`. */
function isCallback(ts: typeof TS, node: TS.Node): boolean {
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) &&
    node.parent.arguments?.includes(node as TS.Expression) === true
  );
}

function functionName(ts: typeof TS, node: FunctionWithBody, sourceFile: TS.SourceFile): string {
  const owner = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
  if (ts.isConstructorDeclaration(node)) return `${owner}constructor`;
  if (node.name) return `${owner}${node.name.getText(sourceFile)}`;
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name
  ) {
    return parent.name.getText(sourceFile);
  }
  if (isCallback(ts, node)) {
    const callee = (parent as TS.CallExpression).expression.getText(sourceFile);
    return `${callee.length <= 40 ? callee : '(call)'} callback`;
  }
  return '(anonymous)';
}

function bindingNames(ts: typeof TS, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(ts, element.name),
  );
}

/** Names of length 1 declared here, minus for-header variables, catch variables, callback parameters and `_`. */
function singleLetterDeclarations(ts: typeof TS, node: TS.Node): TS.Identifier[] {
  let names: TS.Identifier[] = [];
  if (ts.isVariableDeclaration(node)) {
    const list = node.parent;
    const inForHeader =
      ts.isVariableDeclarationList(list) &&
      (ts.isForStatement(list.parent) ||
        ts.isForInStatement(list.parent) ||
        ts.isForOfStatement(list.parent));
    if (!inForHeader && !ts.isCatchClause(list)) names = bindingNames(ts, node.name);
  } else if (ts.isParameter(node)) {
    if (!isCallback(ts, node.parent)) names = bindingNames(ts, node.name);
  } else if (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassLike(node)) &&
    node.name
  ) {
    names = [node.name];
  }
  return names.filter((name) => name.text.length === 1 && name.text !== '_');
}

/** The numeric literal's signed text when it is magic, otherwise null. */
function magicNumber(ts: typeof TS, node: TS.NumericLiteral, sourceFile: TS.SourceFile): string | null {
  const negated =
    ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.MinusToken;
  const literal: TS.Node = negated ? node.parent : node;
  if (PLAIN_NUMBERS.includes(Number(node.text) * (negated ? -1 : 1))) return null;
  const parent = literal.parent;
  if (ts.isLiteralTypeNode(parent)) return null;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === literal) return null;
  for (let at: TS.Node = parent; !ts.isSourceFile(at); at = at.parent) {
    if (ts.isEnumMember(at)) return null;
    if (ts.isFunctionLike(at) || ts.isClassLike(at)) break;
    if (ts.isVariableDeclaration(at)) {
      const list = at.parent;
      const moduleConst =
        ts.isVariableDeclarationList(list) &&
        (list.flags & ts.NodeFlags.Const) !== 0 &&
        ts.isVariableStatement(list.parent) &&
        ts.isSourceFile(list.parent.parent);
      if (moduleConst) return null;
      break;
    }
  }
  return literal.getText(sourceFile);
}

interface WalkContext {
  depth: number;
  inFunction: boolean;
  functionName: string | null;
  deep: CodeMetrics['deepNesting'][number] | null;
}

/** Measures one TypeScript/JavaScript file into `metrics`; returns its lines of code. */
function measureScript(
  ts: typeof TS,
  file: SourceFile,
  ext: string,
  isTest: boolean,
  metrics: CodeMetrics,
): number {
  const sourceFile = ts.createSourceFile(
    file.path,
    file.content,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(ts, ext),
  );
  const lineOf = (node: TS.Node): number =>
    sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const endLineOf = (node: TS.Node): number =>
    sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line + 1;

  const visit = (node: TS.Node, context: WalkContext): void => {
    const next = { ...context };
    if (isFunctionWithBody(ts, node)) {
      if (context.inFunction) next.depth += 1;
      next.inFunction = true;
      next.functionName = functionName(ts, node, sourceFile);
      const lines = endLineOf(node) - lineOf(node) + 1;
      if (!isTest && lines > LONG_FUNCTION_LINES) {
        metrics.longFunctions.push({ path: file.path, name: next.functionName, line: lineOf(node), lines });
      }
    } else if (isNestingStatement(ts, node)) {
      next.depth += 1;
    }
    if (next.depth > MAX_NESTING_DEPTH) {
      if (next.deep === null) {
        next.deep = {
          path: file.path,
          line: lineOf(node),
          depth: next.depth,
          function: context.functionName,
        };
        metrics.deepNesting.push(next.deep);
      }
      next.deep.depth = Math.max(next.deep.depth, next.depth);
    }
    for (const name of singleLetterDeclarations(ts, node)) {
      metrics.singleLetterNames.push({ path: file.path, line: lineOf(name), name: name.text });
    }
    if (!isTest && ts.isNumericLiteral(node)) {
      const value = magicNumber(ts, node, sourceFile);
      if (value !== null) metrics.magicNumbers.push({ path: file.path, line: lineOf(node), value });
    }
    ts.forEachChild(node, (child) => visit(child, next));
  };
  visit(sourceFile, { depth: 0, inFunction: false, functionName: null, deep: null });
  return countScriptLines(ts, sourceFile);
}

/** Lines holding at least one token: comments, JSDoc and blank lines do not count. */
function countScriptLines(ts: typeof TS, sourceFile: TS.SourceFile): number {
  const lines = new Set<number>();
  const mark = (node: TS.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(sourceFile);
    if (children.length > 0) {
      children.forEach(mark);
      return;
    }
    if (ts.isJsxText(node) && node.containsOnlyTriviaWhiteSpaces) return;
    const start = node.getStart(sourceFile);
    if (start >= node.getEnd()) return;
    const first = sourceFile.getLineAndCharacterOfPosition(start).line;
    const last = sourceFile.getLineAndCharacterOfPosition(node.getEnd() - 1).line;
    for (let line = first; line <= last; line += 1) lines.add(line);
  };
  mark(sourceFile);
  return lines.size;
}
