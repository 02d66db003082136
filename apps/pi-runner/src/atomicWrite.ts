// atomicWrite.ts — write to a temporary file in the destination folder, then rename over the target: an
// interrupted run leaves either the old file or the new one, never half a PNG (rename is atomic within a
// file system on POSIX; the temp name carries the pid so concurrent runners never share one).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
