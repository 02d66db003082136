// onnxFile.ts — ONNX export to disk (Node): the whole model is built in memory, then written to a
// temporary file beside the target and renamed, so a crash never leaves a truncated .onnx behind.
import { writeFileAtomic } from '@edgeseg/safetensors';
import type { EdgesegModelFile } from '../format.js';
import { exportOnnx, type OnnxExportOptions } from './exportOnnx.js';

/** Export `file` to ONNX at `path` (atomically); returns the number of bytes written. */
export function writeOnnx(path: string, file: EdgesegModelFile, opts: OnnxExportOptions = {}): number {
  const bytes = exportOnnx(file, opts);
  writeFileAtomic(path, bytes);
  return bytes.length;
}
