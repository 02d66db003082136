// formatFile.ts — .edgeseg files on disk (Node): bounded reads, atomic writes.
import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '@edgeseg/safetensors';
import { decodeEdgeseg, type EdgesegModelFile, encodeEdgeseg } from './format.js';

/** Largest model file the reader accepts (a SegFormer-B5 in f32 is ~340 MB). */
export const MAX_MODEL_BYTES = 2 ** 31;

export function readEdgeseg(path: string): EdgesegModelFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new Error(
      `file: ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
    );
  }
  if (size > MAX_MODEL_BYTES)
    throw new Error(
      `file: ${path}: ${size} bytes is larger than the ${MAX_MODEL_BYTES}-byte limit, at byte 0`,
    );
  return decodeEdgeseg(new Uint8Array(readFileSync(path)), path);
}

export function writeEdgeseg(path: string, f: EdgesegModelFile): void {
  writeFileAtomic(path, encodeEdgeseg(f));
}
