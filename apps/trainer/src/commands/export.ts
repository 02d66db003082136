// export.ts — `edgeseg export MODEL.edgeseg --onnx OUT.onnx`: the runtime's ONNX (QDQ) exporter from the
// command line, for ONNX Runtime or TensorRT's explicit-quantization parser.
import { readEdgeseg, writeOnnx } from '@edgeseg/runtime';
import type { Command } from 'commander';
import { type Io, parseCount, parseSize, UsageError } from '../io.js';

export function registerExportCommand(program: Command, io: Io): void {
  program
    .command('export')
    .description(
      'Export an .edgeseg model to ONNX: opset ≥ 13, QDQ for INT8 models (per-channel symmetric weights).',
    )
    .argument('<model>', 'an .edgeseg model')
    .requiredOption('--onnx <file>', 'output .onnx file (written atomically)')
    .option('--size <HxW>', 'input size the graph is built for (default: the model’s input size)')
    .option('--opset <n>', 'ONNX opset, 13..21 (LayerNormalization from 17; decomposed below)', '17')
    .option(
      '--activations <type>',
      'quantized activation type: uint8 (ONNX Runtime’s fast path) or int8',
      'uint8',
    )
    .option('--json', 'print the result as JSON on stdout')
    .action((model: string, o) => {
      if (o.activations !== 'uint8' && o.activations !== 'int8') {
        throw new UsageError(`--activations: unknown type "${o.activations}". Expected uint8 or int8.`);
      }
      const file = readEdgeseg(model);
      const [height, width] = o.size
        ? parseSize('--size', o.size, 16)
        : [file.meta.input.height, file.meta.input.width];
      const bytes = writeOnnx(o.onnx, file, {
        height,
        width,
        opset: parseCount('--opset', o.opset, 13),
        activationType: o.activations,
      });
      if (o.json)
        io.stdout.write(`${JSON.stringify({ model, onnx: o.onnx, bytes, height, width }, null, 2)}\n`);
      else
        io.stdout.write(
          `${o.onnx}: ${(bytes / 1e6).toFixed(2)} MB, ${file.meta.precision} QDQ graph for ${height}×${width} input\n`,
        );
    });
}
