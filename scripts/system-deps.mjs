#!/usr/bin/env node
// Makes sure the programs MidStream needs beyond npm are present.
// Usage: node scripts/system-deps.mjs ffmpeg chromium ...
// When one is missing and we are root on a Debian-like system, installs it with apt-get;
// otherwise stops with one line naming what to install.
import { execFileSync, spawnSync } from 'node:child_process';

/** name → [program to look for, Debian packages that provide it] */
const CATALOGUE = {
  ffmpeg: [['ffmpeg', 'ffprobe'], ['ffmpeg']],
  chromium: [['chromium'], ['chromium']],
  gstreamer: [['gst-launch-1.0'], ['gstreamer1.0-tools', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad', 'gstreamer1.0-plugins-ugly', 'gstreamer1.0-libav']],
  'espeak-ng': [['espeak-ng'], ['espeak-ng']],
  sox: [['sox'], ['sox']],
};

function has(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

const wanted = process.argv.slice(2);
const missing = [];
for (const name of wanted) {
  const entry = CATALOGUE[name];
  if (!entry) {
    console.error(`system-deps: unknown dependency "${name}"`);
    process.exit(2);
  }
  const [programs, packages] = entry;
  if (!programs.every(has)) missing.push({ name, packages });
}
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((m) => m.packages);
const names = missing.map((m) => m.name).join(', ');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !has('apt-get')) {
  console.error(`midstream needs ${names}: install it (Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}) and run again.`);
  process.exit(1);
}
console.error(`midstream: installing ${names} with apt-get (${packages.join(' ')}) ...`);
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
} catch {
  console.error(`midstream: apt-get could not install ${packages.join(' ')}; install it by hand and run again.`);
  process.exit(1);
}
const still = missing.filter((m) => !CATALOGUE[m.name][0].every(has));
if (still.length > 0) {
  console.error(`midstream: ${still.map((m) => m.name).join(', ')} still missing after apt-get; install by hand.`);
  process.exit(1);
}
