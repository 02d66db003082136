// cityscapesLayout.ts — the Cityscapes folder layout (`leftImg8bit/<split>/<city>/<city>_<seq>_<frame>_leftImg8bit.png`
// beside `gtFine/<split>/<city>/<city>_<seq>_<frame>_gtFine_labelIds.png`), shared by the SynthCity writer and
// the loader so both agree on every path. Listing a split checks that it pairs up: a missing folder, a label
// without its image or an image without its label is an error naming the file.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

export interface FramePaths {
  city: string;
  seq: number;
  frame: number;
  /** `<city>_<seq:06>_<frame:06>`, the key shared by a frame's files. */
  name: string;
  image: string;
  label: string;
}

const IMAGE_SUFFIX = '_leftImg8bit.png';
const LABEL_SUFFIX = '_gtFine_labelIds.png';
const NAME_RE = /^([A-Za-z0-9-]+(?:_[A-Za-z-]+)*)_(\d{6})_(\d{6})$/;

export function frameName(city: string, seq: number, frame: number): string {
  return `${city}_${String(seq).padStart(6, '0')}_${String(frame).padStart(6, '0')}`;
}

export function framePaths(root: string, split: Split, city: string, seq: number, frame: number): FramePaths {
  const name = frameName(city, seq, frame);
  return {
    city,
    seq,
    frame,
    name,
    image: join(root, 'leftImg8bit', split, city, `${name}${IMAGE_SUFFIX}`),
    label: join(root, 'gtFine', split, city, `${name}${LABEL_SUFFIX}`),
  };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Frame names of one kind of file in a city folder (other files, e.g. `_gtFine_color.png`, are skipped). */
async function namesIn(dir: string, suffix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await readdir(dir)) {
    if (!f.endsWith(suffix)) continue;
    const name = f.slice(0, -suffix.length);
    if (!NAME_RE.test(name)) {
      throw new Error(
        `${join(dir, f)}: file name not in the Cityscapes pattern. Expected <city>_<seq:06>_<frame:06>${suffix}, got ${f}.`,
      );
    }
    out.set(name, join(dir, f));
  }
  return out;
}

/** Lists the frames of a split, sorted by name, after checking that every image has its label and vice versa. */
export async function listFrames(root: string, split: Split): Promise<FramePaths[]> {
  const imgRoot = join(root, 'leftImg8bit', split);
  const lblRoot = join(root, 'gtFine', split);
  for (const dir of [imgRoot, lblRoot]) {
    if (!(await isDir(dir))) {
      throw new Error(
        `${dir}: missing folder. Expected the Cityscapes layout leftImg8bit/${split}/<city>/ and gtFine/${split}/<city>/ under ${root}, got no such directory.`,
      );
    }
  }
  const cities = new Set<string>();
  for (const dir of [imgRoot, lblRoot])
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) cities.add(e.name);
  const frames: FramePaths[] = [];
  for (const city of [...cities].sort()) {
    const imgDir = join(imgRoot, city);
    const lblDir = join(lblRoot, city);
    const images = (await isDir(imgDir)) ? await namesIn(imgDir, IMAGE_SUFFIX) : new Map<string, string>();
    const labels = (await isDir(lblDir)) ? await namesIn(lblDir, LABEL_SUFFIX) : new Map<string, string>();
    for (const [name, label] of labels) {
      if (!images.has(name)) {
        throw new Error(
          `${label}: label file without its image. Expected ${join(imgDir, name + IMAGE_SUFFIX)}, got no such file.`,
        );
      }
    }
    for (const [name, image] of images) {
      if (!labels.has(name)) {
        throw new Error(
          `${image}: image without its label. Expected ${join(lblDir, name + LABEL_SUFFIX)}, got no such file.`,
        );
      }
      const m = NAME_RE.exec(name)!;
      frames.push({
        city: m[1],
        seq: Number(m[2]),
        frame: Number(m[3]),
        name,
        image,
        label: labels.get(name)!,
      });
    }
  }
  if (frames.length === 0) {
    throw new Error(
      `${imgRoot}: empty split. Expected at least one <city>/<name>${IMAGE_SUFFIX} with its label, got none.`,
    );
  }
  return frames.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
