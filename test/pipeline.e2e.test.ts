// End to end, with the built binaries as a user runs them: `edgeseg compress` on the test preset is
// killed with SIGKILL inside a training stage, rerun on the same directory (it resumes from the stage's
// checkpoint and skips finished stages), exports ONNX, and `edgeseg-run` then segments the SynthCity
// validation images with the INT8 model. The runner's masks, scored against the labels, give exactly
// the mIoU the trainer's int8 stage measured: both are the same model through the same runtime.
// `npm test` builds first; a bare `vitest run` on a fresh checkout skips this file.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { CityscapesDataset, ConfusionMatrix, decodeImage, listFrames, PALETTE } from '@edgeseg/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repo = join(import.meta.dirname, '..');
const trainer = join(repo, 'apps', 'trainer', 'dist', 'cli.js');
const runner = join(repo, 'apps', 'pi-runner', 'dist', 'cli.js');
const built = existsSync(trainer) && existsSync(runner);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edgeseg-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function waitFor(child: ChildProcess, cond: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const tick = setInterval(() => {
      if (cond()) {
        clearInterval(tick);
        resolve(true);
      } else if (child.exitCode !== null || Date.now() - t0 > timeoutMs) {
        clearInterval(tick);
        resolve(false);
      }
    }, 20);
  });
}

/** Class ids of a palette mask (RGB per pixel → the class with that colour). */
function classesOf(png: Uint8Array): { ids: Uint8Array; width: number; height: number } {
  const img = decodeImage(png, 'mask');
  const byColour = new Map<number, number>();
  for (let c = 0; c < PALETTE.length / 3; c++) {
    byColour.set((PALETTE[3 * c] << 16) | (PALETTE[3 * c + 1] << 8) | PALETTE[3 * c + 2], c);
  }
  const n = img.width * img.height;
  const ids = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * img.channels;
    const id = byColour.get((img.data[o] << 16) | (img.data[o + 1] << 8) | img.data[o + 2]);
    if (id === undefined) throw new Error(`mask pixel ${i} has a colour outside the palette`);
    ids[i] = id;
  }
  return { ids, width: img.width, height: img.height };
}

describe.skipIf(!built)('compress → kill -9 → resume → export → edgeseg-run', () => {
  it('resumes after SIGKILL, and the runner reproduces the trainer’s INT8 evaluation', async () => {
    const run = join(root, 'run');
    const args = [trainer, 'compress', '--out', run, '--preset', 'test'];

    // 1. Killed mid-DSP, once a checkpoint exists.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let firstErr = '';
    child.stderr?.on('data', (d) => (firstErr += d));
    const ckpt = join(run, 'dsp', 'checkpoint.safetensors');
    const reached = await waitFor(child, () => existsSync(ckpt), 240_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(reached, `no DSP checkpoint appeared; stderr:\n${firstErr}`).toBe(true);
    expect(existsSync(join(run, 'teacher', 'stage.json'))).toBe(true);
    expect(existsSync(join(run, 'dsp', 'stage.json'))).toBe(false);

    // 2. The rerun skips what is done and resumes DSP from its checkpoint.
    const second = await exec(process.execPath, [...args, '--json'], { maxBuffer: 1 << 26 });
    expect(second.stderr).toContain('teacher: done earlier, skipped');
    expect(second.stderr).toMatch(/dsp: resuming from its checkpoint[\s\S]*dsp: resuming at step \d+\/16/);
    const summary = JSON.parse(second.stdout);
    expect(summary.finished).toBe(true);
    expect(existsSync(join(run, 'export', 'model.onnx'))).toBe(true);

    // 3. The runner segments the validation images with the INT8 model.
    const model = join(run, 'int8', 'model.edgeseg');
    const masks = join(root, 'masks');
    const valGlob = join(run, 'data', 'leftImg8bit', 'val', '**', '*.png');
    const r = await exec(
      process.execPath,
      [runner, 'run', model, '--input', valGlob, '--out', masks, '--threads', '1', '--json'],
      {
        maxBuffer: 1 << 26,
      },
    );
    const out = JSON.parse(r.stdout);
    expect(out.frames?.ok ?? readdirSync(masks).length).toBe(4);

    // 4. Its masks score exactly the int8 stage's mIoU.
    const frames = await listFrames(join(run, 'data'), 'val');
    const ds = await CityscapesDataset.open(join(run, 'data'), 'val');
    const cm = new ConfusionMatrix();
    for (let i = 0; i < frames.length; i++) {
      const fr = await ds.readFrame(i);
      const stem = basename(frames[i].image, '.png');
      const m = classesOf(readFileSync(join(masks, `${stem}_mask.png`)));
      expect([m.width, m.height]).toEqual([fr.width, fr.height]);
      cm.update(fr.labels, m.ids);
    }
    const int8 = JSON.parse(readFileSync(join(run, 'int8', 'stage.json'), 'utf8'));
    expect(cm.scores().miou).toBeCloseTo(int8.metrics.miou, 10);
  }, 600_000);
});
