// lock-platforms.mjs — put back the lock entries of platform-specific optional packages that the
// registry this project's machines reach does not carry (Biome's and turbo's macOS, Windows,
// Android and musl binaries). Without them `npm ci` refuses the lock as "out of sync"; with them it
// skips them on Linux as it does on any other platform. Run after an `npm install` that dropped them:
//   node .ci/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const pk = lock.packages;
const version = (name) => pk[`node_modules/${name}`]?.version;
const biome = version('@biomejs/biome');
const turbo = version('turbo');
const entries = [];
if (biome) {
  for (const [suffix, os, cpu, libc] of [
    ['android-arm64', 'android', 'arm64'],
    ['android-x64', 'android', 'x64'],
    ['darwin-arm64', 'darwin', 'arm64'],
    ['darwin-x64', 'darwin', 'x64'],
    ['linux-arm64-musl', 'linux', 'arm64', 'musl'],
    ['linux-x64-musl', 'linux', 'x64', 'musl'],
    ['win32-arm64', 'win32', 'arm64'],
    ['win32-x64', 'win32', 'x64'],
  ]) {
    entries.push([
      `@biomejs/cli-${suffix}`,
      {
        version: biome,
        cpu: [cpu],
        ...(libc ? { libc: [libc] } : {}),
        license: 'MIT OR Apache-2.0',
        optional: true,
        os: [os],
        engines: { node: '>=14.21.3' },
      },
    ]);
  }
}
if (turbo) {
  for (const [suffix, os, cpu] of [
    ['darwin-64', 'darwin', 'x64'],
    ['darwin-arm64', 'darwin', 'arm64'],
    ['windows-64', 'win32', 'x64'],
    ['windows-arm64', 'win32', 'arm64'],
  ]) {
    entries.push([
      `@turbo/${suffix}`,
      { version: turbo, cpu: [cpu], license: 'MIT', optional: true, os: [os] },
    ]);
  }
}
let added = 0;
for (const [name, entry] of entries) {
  const key = `node_modules/${name}`;
  if (!pk[key]) {
    pk[key] = entry;
    added++;
  }
}
// npm keeps the packages map sorted by path.
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lock-platforms: ${added} entr${added === 1 ? 'y' : 'ies'} added\n`);
