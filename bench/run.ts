/**
 * `npm run bench [-- name ...]`: runs every bench/<name>.bench.ts (or the named ones) one
 * after another in its own process, so one benchmark's heap and JIT state never colour
 * another's figures. Each prints its own medians and ratios against a same-run baseline.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, '')));
if (chosen.length === 0) {
  console.error(`bench: nothing matches ${wanted.join(', ')}; have: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file.replace(/\.bench\.ts$/, '')} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    console.error(`bench ${file} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
