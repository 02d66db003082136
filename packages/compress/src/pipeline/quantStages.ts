// quantStages.ts — 8-bit: the recovered student's decoder BatchNorm is folded, activation ranges are
// calibrated on training batches, and post-training quantization (calibration only) is evaluated as
// the baseline; then QAT with distillation trains weights and LSQ step sizes through fake
// quantization, and the result is converted to the integer `.edgeseg` model. The `int8` stage runs
// that file through the runtime (the runner's code path) on the validation split.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad, Tensor, tidy, type WasmBackend } from '@edgeseg/autograd';
import { evalBatches } from '@edgeseg/data';
import type { SegFormer } from '@edgeseg/models';
import {
  decodeEdgeseg,
  encodeEdgeseg,
  loadModel,
  readEdgeseg,
  SegFormerExecutor,
  writeEdgeseg,
  writeOnnx,
} from '@edgeseg/runtime';
import { writeFileAtomic } from '@edgeseg/safetensors';
import { convertFloat, convertInt8 } from '../qat/convert.js';
import { foldDecoderBn } from '../qat/foldBn.js';
import { QatSegFormer } from '../qat/qatModel.js';
import { imagesToTensor } from '../train/batchSource.js';
import { argmaxClasses } from '../train/evaluate.js';
import { trainModel } from '../train/trainLoop.js';
import {
  type Ctx,
  convertOptions,
  evalFloat,
  evalMetrics,
  runStage,
  stageIo,
  trainConfig,
  trainSource,
} from './context.js';
import { evaluateRuntime } from './evaluateRuntime.js';
import { loadStageModel } from './trainStages.js';

/** Argmax agreement between the integer executor and the fake-quant model on validation frames. */
async function agreement(ctx: Ctx, q: QatSegFormer, file: Uint8Array, frames: number): Promise<number> {
  const be = ctx.be as WasmBackend;
  if (!('kernels' in be)) return Number.NaN;
  const ex = new SegFormerExecutor(be.kernels, decodeEdgeseg(file, 'int8'));
  const [H, W] = ctx.c.evalSize;
  let same = 0;
  let total = 0;
  let seen = 0;
  for await (const b of evalBatches(ctx.val, { batchSize: 1, size: ctx.c.evalSize })) {
    if (seen++ >= frames) break;
    const want = tidy(() => noGrad(() => argmaxClasses(q.model.forward(imagesToTensor(be, b)))));
    const img = tidy(() => imagesToTensor(be, b).toArray());
    const buf = be.kernels.from('f32', img as Float32Array);
    const { logits, height, width } = ex.forward(buf, H, W);
    const nc = q.model.arch.config.classes;
    const got = tidy(() =>
      argmaxClasses(Tensor.from(be, [1, height, width, nc], logits.view().slice(0, height * width * nc))),
    );
    buf.release();
    for (let i = 0; i < want.length; i++) same += want[i] === got[i] ? 1 : 0;
    total += want.length;
  }
  ex.release();
  return same / Math.max(1, total);
}

export async function qatStage(ctx: Ctx, teacher: SegFormer): Promise<void> {
  const { c, be } = ctx;
  await runStage(ctx, 'qat', async (dir) => {
    const recovered = loadStageModel(ctx, 'excise');
    const model = foldDecoderBn(recovered.eval());
    if (model !== recovered) recovered.dispose();
    const q = new QatSegFormer(model, { observer: c.qat.observer, rounding: c.qat.rounding });

    // Calibration: deterministic batches, so a resumed run calibrates identically before its checkpoint
    // restores the trained step sizes.
    q.setMode('observe');
    model.eval();
    const calib = trainSource(ctx, 6);
    for (let i = 0; i < c.qat.calibBatches; i++) {
      const b = await calib.get(i);
      tidy(() => noGrad(() => model.forward(imagesToTensor(be, b))));
    }
    q.finishCalibration();
    q.setMode('fake');

    // PTQ, the baseline QAT must beat: evaluated once, kept across a resume.
    const ptqPath = dir.path('ptq.json');
    let ptq: Record<string, unknown>;
    if (existsSync(ptqPath)) ptq = JSON.parse(readFileSync(ptqPath, 'utf8'));
    else {
      ptq = { ...(await evalFloat(ctx, model, 'ptq')) };
      writeEdgeseg(
        dir.path('ptq.edgeseg'),
        convertInt8(q, convertOptions(ctx, c.evalSize, { stage: 'ptq' })),
      );
      writeFileAtomic(ptqPath, `${JSON.stringify(ptq)}\n`);
    }

    const r = await trainModel({
      dir,
      backend: be,
      model,
      teacher,
      source: trainSource(ctx, 7),
      config: trainConfig(ctx, c.qat, true, 7),
      io: stageIo(ctx, 'qat'),
      extraParams: q.scales(),
      afterStep: () => q.clampScales(),
      checkpointMeta: () => ({ zeroPoints: JSON.stringify(q.zeroPoints()) }),
      onResume: (m) => q.setZeroPoints(JSON.parse(m.zeroPoints ?? '{}')),
    });
    if (!r) return null;
    model.eval();
    const metrics = await evalFloat(ctx, model, 'qat');
    const int8 = convertInt8(q, convertOptions(ctx, c.evalSize, { stage: 'qat' }));
    const bytes = encodeEdgeseg(int8);
    writeEdgeseg(dir.path('model.edgeseg'), int8);
    writeEdgeseg(
      dir.path('model-fp32.edgeseg'),
      convertFloat(model, convertOptions(ctx, c.evalSize, { stage: 'qat (float weights)' })),
    );
    const agree = await agreement(ctx, q, bytes, Math.min(8, ctx.val.length));
    ctx.io.log(
      `qat: PTQ mIoU ${(100 * (ptq.miou as number)).toFixed(2)} %, QAT ${(100 * metrics.miou).toFixed(2)} %, executor vs fake-quant argmax agreement ${(100 * agree).toFixed(2)} %`,
    );
    model.dispose();
    return {
      config: c.qat,
      metrics: { ...metrics, ptq, int8Agreement: agree, params: int8.meta.params, macs: int8.meta.macs },
      artifacts: ['model.edgeseg', 'model-fp32.edgeseg', 'ptq.edgeseg'],
      extra: { history: r.history },
    };
  });
}

export async function int8Stage(ctx: Ctx): Promise<void> {
  await runStage(ctx, 'int8', async (dir) => {
    copyFileSync(join(ctx.runDir, 'qat', 'model.edgeseg'), dir.path('model.edgeseg'));
    const m = await loadModel(dir.path('model.edgeseg'));
    try {
      const r = await evaluateRuntime(m, ctx.val, {
        onProgress: (d, t) => ctx.io.progress?.('int8 eval', d, t, ''),
      });
      const metrics = {
        ...evalMetrics({ ...r, frames: r.frames }),
        params: m.info.params,
        macs: m.info.macs,
      };
      return { config: { engine: 'edgeseg runtime' }, metrics, artifacts: ['model.edgeseg'] };
    } finally {
      await m.dispose();
    }
  });
}

/** The INT8 student as an ONNX QDQ model (opset 17, the model's input size) for other runtimes. */
export async function exportStage(ctx: Ctx): Promise<void> {
  if (!ctx.c.onnx) return;
  await runStage(ctx, 'export', async (dir) => {
    const file = readEdgeseg(join(ctx.runDir, 'int8', 'model.edgeseg'));
    const bytes = writeOnnx(dir.path('model.onnx'), file, { opset: 17 });
    return {
      config: { opset: 17, activationType: 'uint8', size: [file.meta.input.height, file.meta.input.width] },
      metrics: { bytes },
      artifacts: ['model.onnx'],
    };
  });
}
