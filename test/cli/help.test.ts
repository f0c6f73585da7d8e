import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

describe('midstream CLI', () => {
  it('prints help listing its commands and exits 0', () => {
    const r = spawnSync(process.execPath, ['bin/midstream.js', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('midstream');
  });

  it('rejects an unknown command with exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/midstream.js', 'no-such-command'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
  });
});
