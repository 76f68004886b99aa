// `npm run bench`: runs every bench/*.bench.ts suite (or the ones named on the command line) and prints a table.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-figure.js';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.includes(w)))
  .sort();

const rows: BenchFigure[] = [];
for (const file of suites) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as { default: BenchSuite };
  console.error(`running ${file} ...`);
  rows.push(...(await module.default()));
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}`);
console.log('| figure | value | target | meets | measured |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  const value = row.unit === 'x' ? `${row.value.toFixed(3)}x` : `${row.value.toFixed(1)} ${row.unit}`;
  console.log(`| ${row.name} | ${value} | ${row.target} | ${row.meets ? 'yes' : 'NO'} | ${row.detail} |`);
}
