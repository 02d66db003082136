// Runs the built binary (dist/), as a user would: shebang, exit codes, and worker-thread generation, which
// only exists in the build (workers load compiled JS). `npm test` builds first; a bare `vitest run` on a
// fresh checkout skips these.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodePng, renderSynthCity, synthFrame } from '@edgeseg/data';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const dataDist = join(import.meta.dirname, '..', '..', '..', 'packages', 'data', 'dist', 'synthWorker.js');
const built = existsSync(cli) && existsSync(dataDist);

describe.skipIf(!built)('built edgeseg binary', () => {
  it('generates with 2 worker threads the same bytes as one thread in-process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeseg-bin-'));
    try {
      const { stdout, stderr } = await run(process.execPath, [
        cli,
        'data',
        'synth',
        '--out',
        dir,
        '--train',
        '3',
        '--val',
        '1',
        '--size',
        '24x48',
        '--seed',
        '7',
        '--threads',
        '2',
        '--json',
      ]);
      expect(stderr).toBe('');
      expect(JSON.parse(stdout)).toMatchObject({ written: 4, threads: 2 });
      for (const [split, i] of [
        ['train', 0],
        ['train', 2],
        ['val', 0],
      ] as const) {
        const f = synthFrame(dir, split, i, 7);
        const ref = renderSynthCity(48, 24, f.seed);
        const img = decodePng(await readFile(f.image), f.image, { kind: 'rgb' });
        const lbl = decodePng(await readFile(f.label), f.label, { kind: 'label' });
        expect(img.data).toEqual(ref.image);
        expect(lbl.data).toEqual(ref.labelIds);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a usage error and 1 on a failure', async () => {
    const usage = await run(process.execPath, [cli, 'data', 'synth', '--out']).catch((e) => e);
    expect(usage.code).toBe(2);
    const fail = await run(process.execPath, [cli, 'data', 'check', '/nonexistent-edgeseg']).catch((e) => e);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/^error: \/nonexistent-edgeseg: missing folder\./);
  });
});
