import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/temporal');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/temporal is pure (runs in the browser, depends on nothing of ours)', () => {
  const files = sources(root);

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('imports only its own files, relatively, and nothing from Node.js or packages', () => {
    const bad: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(/g)];
      for (const m of specs) {
        const spec = m[1] ?? m[2] ?? 'require(';
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : null;
        if (resolved === null || !resolved.startsWith(root + path.sep)) bad.push(`${path.relative(root, file)}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses no Node.js globals', () => {
    const bad = files.filter((f) => /\b(process|Buffer|__dirname|__filename)\b\s*[.[(]/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});
