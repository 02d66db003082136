// Runs the built binary (dist/), as a user on a board would: shebang, exit codes, and `calibrate --threads 2`,
// whose worker threads only exist in the build (workers load compiled JS). `npm test` builds first; a bare
// `vitest run` on a fresh checkout skips these.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseProfile } from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const kernelsDist = join(import.meta.dirname, '..', '..', '..', 'kernels', 'dist', 'src', 'index.js');
const built = existsSync(cli) && existsSync(kernelsDist);

describe.skipIf(!built)('built edgeseg-run binary', () => {
  it('exits 2 on a usage error and 1 on a failure', async () => {
    const usage = await run(process.execPath, [
      cli,
      'm.edgeseg',
      '--input',
      'x.png',
      '--power',
      'solar',
    ]).catch((e) => e);
    expect(usage.code).toBe(2);
    const fail = await run(process.execPath, [cli, 'm.edgeseg', '--input', '/nonexistent-edgeseg.png']).catch(
      (e) => e,
    );
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/^error: \/nonexistent-edgeseg\.png: cannot read \(ENOENT/);
  });

  it('calibrates on 2 worker threads into a profile parseProfile accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeseg-run-bin-'));
    try {
      const out = join(dir, 'p.json');
      const { stdout, stderr } = await run(process.execPath, [
        cli,
        'calibrate',
        '--threads',
        '2',
        '--seconds',
        '0.02',
        '--power',
        'none',
        '--out',
        out,
      ]);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/· 2 thread\(s\) · energy: estimate/);
      const p = parseProfile(await readFile(out, 'utf8'), out);
      expect(p.calibrated?.threads).toBe(2);
      expect(p.macsPerSecond.int8).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
