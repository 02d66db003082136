// atomicFile.ts — writes that an interruption cannot half-do: write a temp file in the same folder,
// flush it to disk, rename it over the target (rename within one filesystem is atomic on POSIX).
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Decoded, decodeSafetensors, encodeSafetensors, type StTensor } from './safetensors.js';

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

export function writeSafetensorsFile(
  path: string,
  tensors: Record<string, StTensor> | Map<string, StTensor>,
  metadata?: Record<string, string>,
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Read and validate a safetensors file; errors name the path. */
export function readSafetensorsFile(path: string, maxBytes = 4 * 2 ** 30): Decoded {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new Error(
      `file: ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
    );
  }
  if (size > maxBytes)
    throw new Error(`file: ${path}: ${size} bytes is larger than the ${maxBytes}-byte limit, at byte 0`);
  return decodeSafetensors(new Uint8Array(readFileSync(path)), path);
}
