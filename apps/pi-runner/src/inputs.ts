// inputs.ts — `--input` arguments to image files: a file is taken as it is (whatever its name), a folder
// gives its *.png / *.jpg / *.jpeg files (not recursive; hidden ones such as macOS `._x.png` left out), a pattern with * ? […] or ** is globbed. Inputs
// that give nothing are reported, not fatal: the run goes on with the rest and exits 1.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeImage, type RasterImage } from '@edgeseg/runtime';
import { glob, hasMagic } from './glob.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
/** Largest input file read (a 64 Mpx image stored uncompressed is 192 MiB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface InputProblem {
  input: string;
  error: string;
}

export interface InputList {
  files: string[];
  problems: InputProblem[];
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

async function folderImages(dir: string): Promise<string[]> {
  const names = await readdir(dir, { withFileTypes: true });
  return names
    .filter((d) => (d.isFile() || d.isSymbolicLink()) && !d.name.startsWith('.') && isImageName(d.name))
    .map((d) => join(dir, d.name))
    .sort();
}

export async function expandInputs(specs: string[]): Promise<InputList> {
  const files: string[] = [];
  const problems: InputProblem[] = [];
  for (const spec of specs) {
    if (hasMagic(spec)) {
      const found = await glob(spec);
      const matched: string[] = [];
      for (const f of found) {
        const s = await stat(f).catch(() => null);
        if (s?.isDirectory()) matched.push(...(await folderImages(f)));
        else if (s?.isFile()) matched.push(f);
      }
      if (matched.length === 0) {
        problems.push({
          input: spec,
          error: `${spec}: no file matches this pattern. Expected at least one image, got none.`,
        });
      }
      files.push(...matched);
      continue;
    }
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(spec);
    } catch (e) {
      problems.push({
        input: spec,
        error: `${spec}: cannot read (${(e as Error).message.split(',')[0]}). Expected an image file, a folder or a glob.`,
      });
      continue;
    }
    if (s.isDirectory()) {
      const inDir = await folderImages(spec);
      if (inDir.length === 0) {
        problems.push({
          input: spec,
          error: `${spec}: no images in this folder. Expected *.png, *.jpg or *.jpeg files, got none.`,
        });
      }
      files.push(...inDir);
    } else files.push(spec);
  }
  return { files: [...new Set(files)], problems };
}

/** Reads and decodes one input to RGB; every error names the file. */
export async function readImage(file: string): Promise<RasterImage> {
  let bytes: Uint8Array;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error(`not a regular file`);
    if (s.size > MAX_INPUT_BYTES) {
      throw new Error(`${file}: file too large. Expected at most ${MAX_INPUT_BYTES} bytes, got ${s.size}.`);
    }
    bytes = await readFile(file);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith(`${file}:`)) throw e;
    throw new Error(`${file}: cannot read (${msg.split(',')[0]}). Expected a readable PNG or JPEG file.`);
  }
  return decodeImage(bytes, file);
}
