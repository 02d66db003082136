// datasetCheck.ts — validates a data set in the Cityscapes layout and summarizes it: for each split present,
// image counts per city, frame sizes, and per-class pixel frequencies (share of labelled pixels, trainIds).
// Every frame is fully decoded, so a corrupt PNG, a size mismatch or an unknown labelId is reported with its
// file name — the same checks the loader makes, run ahead of a long training job.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SPLITS, type Split } from './cityscapesLayout.js';
import { CLASS_NAMES, IGNORE_INDEX, NUM_CLASSES } from './labels.js';
import { CityscapesDataset } from './loader.js';
import { SYNTH_MANIFEST } from './synthWriter.js';

export interface ClassFrequency {
  trainId: number;
  name: string;
  pixels: number;
  /** Share of labelled (non-ignored) pixels. */
  fraction: number;
}

export interface SplitReport {
  split: Split;
  images: number;
  cities: Record<string, number>;
  /** Frame sizes seen, "W×H" → count. */
  sizes: Record<string, number>;
  labelledPixels: number;
  ignoredPixels: number;
  classes: ClassFrequency[];
  /** Classes with no pixel in this split. */
  missing: string[];
}

export interface CheckReport {
  root: string;
  splits: SplitReport[];
  /** SynthCity's parameters when the folder was written by `data synth`. */
  synthcity?: Record<string, unknown>;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function checkDataset(
  root: string,
  onProgress?: (split: Split, done: number, total: number) => void,
): Promise<CheckReport> {
  if (!(await isDir(root)))
    throw new Error(`${root}: missing folder. Expected a data set root, got no such directory.`);
  const present: Split[] = [];
  for (const s of SPLITS)
    if ((await isDir(join(root, 'leftImg8bit', s))) || (await isDir(join(root, 'gtFine', s))))
      present.push(s);
  if (present.length === 0) {
    throw new Error(
      `${join(root, 'leftImg8bit')}: no split found. Expected leftImg8bit/{train,val,test} and gtFine/{train,val,test}, got none.`,
    );
  }
  const report: CheckReport = { root, splits: [] };
  try {
    report.synthcity = JSON.parse(await readFile(join(root, SYNTH_MANIFEST), 'utf8'));
  } catch {
    // Not a SynthCity folder (or no manifest): fine.
  }
  for (const split of present) {
    const ds = await CityscapesDataset.open(root, split);
    const counts = new Float64Array(NUM_CLASSES);
    let ignored = 0;
    const cities: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    const local = new Int32Array(256);
    let next = ds.readFrame(0);
    for (let i = 0; i < ds.length; i++) {
      const f = await next;
      if (i + 1 < ds.length) next = ds.readFrame(i + 1);
      next.catch(() => {});
      local.fill(0);
      for (let k = 0; k < f.labels.length; k++) local[f.labels[k]]++;
      for (let c = 0; c < NUM_CLASSES; c++) counts[c] += local[c];
      ignored += local[IGNORE_INDEX];
      const city = ds.frames[i].city;
      cities[city] = (cities[city] ?? 0) + 1;
      const size = `${f.width}×${f.height}`;
      sizes[size] = (sizes[size] ?? 0) + 1;
      onProgress?.(split, i + 1, ds.length);
    }
    const labelled = counts.reduce((a, b) => a + b, 0);
    const classes = CLASS_NAMES.map((name, trainId) => ({
      trainId,
      name,
      pixels: counts[trainId],
      fraction: labelled ? counts[trainId] / labelled : 0,
    }));
    report.splits.push({
      split,
      images: ds.length,
      cities,
      sizes,
      labelledPixels: labelled,
      ignoredPixels: ignored,
      classes,
      missing: classes.filter((c) => c.pixels === 0).map((c) => c.name),
    });
  }
  return report;
}

/** A human-readable summary of a check report (what `edgeseg data check` prints without --json). */
export function formatCheckReport(r: CheckReport): string {
  const out: string[] = [`${r.root}: OK`];
  if (r.synthcity) out.push(`SynthCity: ${JSON.stringify(r.synthcity)}`);
  for (const s of r.splits) {
    const cities = Object.entries(s.cities)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    const sizes = Object.entries(s.sizes)
      .map(([k, n]) => `${k} (${n})`)
      .join(', ');
    const total = s.labelledPixels + s.ignoredPixels;
    out.push('', `${s.split}: ${s.images} images — ${cities}; size ${sizes}`);
    out.push(
      `  labelled ${((100 * s.labelledPixels) / total).toFixed(1)}% of pixels, ignored ${((100 * s.ignoredPixels) / total).toFixed(1)}%`,
    );
    for (const c of s.classes)
      out.push(
        `  ${String(c.trainId).padStart(2)} ${c.name.padEnd(14)} ${(100 * c.fraction).toFixed(2).padStart(6)}%`,
      );
    out.push(s.missing.length ? `  missing classes: ${s.missing.join(', ')}` : '  all 19 classes present');
  }
  return out.join('\n');
}
