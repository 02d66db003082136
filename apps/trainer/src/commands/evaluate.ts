// evaluate.ts — `edgeseg eval MODEL --data DIR`: mIoU and per-class IoU of a model on a split of a data
// set in the Cityscapes layout. An `.edgeseg` runs through the runtime (what `edgeseg-run` does), a
// float `.safetensors` (SegFormer or the CNN baseline) through the autograd WASM backend.
import { WasmBackend } from '@edgeseg/autograd';
import { evaluate, evaluateRuntime, loadAnyFloatModel } from '@edgeseg/compress';
import { CityscapesDataset, CLASS_NAMES, type SegmentationScores, SPLITS, type Split } from '@edgeseg/data';
import { loadModel } from '@edgeseg/runtime';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';
import { createProgress } from '../progress.js';

function print(
  io: Io,
  model: string,
  split: string,
  s: SegmentationScores & { frames: number },
  asJson: boolean,
) {
  const classIou = Object.fromEntries(
    CLASS_NAMES.map((n, i) => [n, Number.isFinite(s.iou[i]) ? s.iou[i] : null]),
  );
  if (asJson) {
    io.stdout.write(
      `${JSON.stringify({ model, split, frames: s.frames, miou: s.miou, pixel_accuracy: s.pixelAccuracy, class_iou: classIou }, null, 2)}\n`,
    );
    return;
  }
  io.stdout.write(
    `${model} on ${split} (${s.frames} frames): mIoU ${(100 * s.miou).toFixed(2)} %, pixel accuracy ${(100 * s.pixelAccuracy).toFixed(2)} %\n`,
  );
  for (const [n, v] of Object.entries(classIou)) {
    io.stdout.write(`  ${n.padEnd(14)} ${v === null ? '   —' : (100 * v).toFixed(2).padStart(6)}\n`);
  }
}

export function registerEvalCommand(program: Command, io: Io): void {
  program
    .command('eval')
    .description(
      'Evaluate a model (.edgeseg through the runtime, or a float .safetensors) on a data set split: mIoU, per-class IoU.',
    )
    .argument('<model>', 'an .edgeseg model or a float .safetensors written by edgeseg compress / train')
    .requiredOption('--data <dir>', 'data set root in the Cityscapes layout (SynthCity or Cityscapes)')
    .option('--split <name>', `split: ${SPLITS.join(', ')}`, 'val')
    .option('--size <HxW>', 'network input of a float model (an .edgeseg has its own)', '256x512')
    .option('--limit <n>', 'evaluate only the first n frames')
    .option('--threads <n>', 'threads of an .edgeseg model', '1')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (model: string, o) => {
      if (!SPLITS.includes(o.split))
        throw new UsageError(`--split: unknown split "${o.split}". Expected one of ${SPLITS.join(', ')}.`);
      const limit = o.limit === undefined ? undefined : parseCount('--limit', o.limit, 1);
      const ds = await CityscapesDataset.open(o.data, o.split as Split, { limit });
      if (ds.length === 0)
        throw new Error(`${o.data}: no ${o.split} frames. Expected a Cityscapes-layout folder.`);
      const bar = createProgress(io.stderr, 'eval', ds.length);
      if (model.endsWith('.edgeseg')) {
        const m = await loadModel(model, { threads: parseCount('--threads', o.threads, 1) });
        try {
          const r = await evaluateRuntime(m, ds, { onProgress: (d) => bar.update(d) });
          bar.done();
          print(io, model, o.split, r, Boolean(o.json));
        } finally {
          await m.dispose();
        }
        return;
      }
      if (!model.endsWith('.safetensors')) {
        throw new UsageError(`<model>: ${model} is neither an .edgeseg nor a .safetensors file.`);
      }
      const be = new WasmBackend();
      const net = loadAnyFloatModel(model, be);
      const r = await evaluate(net, be, ds, {
        size: parseSize('--size', o.size, 32),
        onProgress: (d) => bar.update(d),
      });
      bar.done();
      print(io, model, o.split, r, Boolean(o.json));
    });
}
