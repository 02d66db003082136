// reportData.ts — what a compression run hands the report: the rows of the paper's table (one per model
// or pipeline stage), DSP gate values over training and raw attention maps. Every field is plain JSON
// (typed arrays are accepted on input and written as number arrays), so report.json round-trips through
// `readReport`, which checks every field and names the one that is wrong.
import { readFile } from 'node:fs/promises';

/** What a row stands for. Claims compare `student` against `teacher` and `cnn`; `stage` rows are intermediate. */
export type RowRole = 'teacher' | 'student' | 'cnn' | 'stage';
export const ROW_ROLES: readonly RowRole[] = ['teacher', 'student', 'cnn', 'stage'];

export type Precision = 'fp32' | 'int8';

/** One model in the table (the teacher, a pipeline stage, the final INT8 student or the CNN baseline). */
export interface ReportRow {
  /**
   * What the row is. Exactly one row is the `teacher`; at most one is the `student` (the final compressed
   * model the claims are about) and at most one the `cnn` baseline.
   */
  role: RowRole;
  /**
   * Display name in the table and the plots. Defaults by role: "Baseline (teacher)", "Ours (DSP + QAT)",
   * "MobileNetV3-Seg"; a `stage` row defaults to "<stage> (<model>)". Labels must be unique.
   */
  label?: string;
  /** Model name, e.g. "segformer-b0", "lite-vit-s", "mobilenetv3-lraspp". Attention maps refer to rows by it. */
  model: string;
  /** Pipeline stage that produced it: "teacher", "dsp", "excise", "qat", "int8", "baseline", … */
  stage: string;
  /** Architecture summary, e.g. "MiT-B0, heads [1,2,5,8] → [1,1,3,4], FFN ×4 → ×2.1". */
  arch: string;
  /** Parameter count (not millions). */
  params: number;
  /** Multiply–accumulates per frame at `ReportData.resolution` (not billions). */
  macs: number;
  /** Mean IoU as a fraction in [0, 1] (Cityscapes protocol), not percent; null for a speed-only row. */
  miou: number | null;
  /** IoU per class name, fractions in [0, 1]; null where the class is absent from prediction and ground truth. */
  classIou: Record<string, number | null>;
  /** Median latency per frame in ms at `resolution` on `threads` threads; null when not measured. */
  latencyMs: number | null;
  /** Energy per frame in mJ; null when not available. */
  energyMj: number | null;
  /** Where `energyMj` comes from: "model:<profile>", "rapl", "ina3221", "vcgencmd", "none". */
  energySource: string;
  precision: Precision;
  note?: string;
}

/**
 * Deterministic gate values (P(open) at test time, in [0, 1]) of each gated layer at several training steps,
 * from the DSP history. `values[i][u]` is unit `u` of the dense layer at `steps[i]`; null (or a row shorter
 * than the layer) marks a unit already excised at that step.
 */
export interface GateHistory {
  steps: number[];
  layers: { name: string; values: (number | null)[][] }[];
}

/** One attention map: a model's attention at an encoder stage, row-major `height × width` over key positions. */
export interface AttentionMap {
  /** A row's `model` (or its label); the panel is titled with that row's label. */
  model: string;
  /** Encoder stage the map comes from (1 = the finest, H/4 × W/4). */
  stage: number;
  /**
   * 'query': the attention row of the query pixel `AttentionSample.query` (softmax over keys, mean over heads);
   * 'received': the mean attention each key position receives from all queries. Default 'received'.
   */
  kind?: 'query' | 'received';
  height: number;
  width: number;
  /** height × width non-negative values, row-major. Any scale: each map is min–max normalized for display. */
  values: number[] | Float32Array;
}

/** A validation image with the attention maps of the teacher and the compressed student on it. */
export interface AttentionSample {
  /** Frame name, shown as the row title. */
  name?: string;
  /** The network input (after resizing), interleaved 8-bit RGB, width × height × 3 bytes. */
  image: { width: number; height: number; rgb: Uint8Array | number[] };
  /** Query pixel in image coordinates, marked on maps of kind 'query'. */
  query?: { x: number; y: number };
  maps: AttentionMap[];
}

/** Everything `renderReport` needs; written back as report.json (plus a `derived` section). */
export interface ReportData {
  /** ISO 8601 time the results were gathered. */
  created: string;
  /** Run identifier (usually the run directory). */
  run: string;
  /** Input resolution [height, width] at which MACs, latency, energy and mIoU were measured. */
  resolution: [number, number];
  /** Threads the latency was measured on. */
  threads: number;
  /** Inference engine, e.g. "edgeseg int8 executor (WASM SIMD128), Node 20.20". */
  engine: string;
  /** Device the latency was measured on, e.g. "Raspberry Pi 5 (Cortex-A76 @ 2.4 GHz)". */
  device?: string;
  /** Evaluation data: name, split and number of images. */
  dataset?: { name: string; split: string; images?: number };
  /** Energy profile of the model and where the table's energy figures come from (model or a sensor). */
  energy: { profile: string; source: string };
  /** Class names in trainId order (19 Cityscapes classes). */
  classes: string[];
  /** Thin classes highlighted in the table and plots; default pole, traffic light, traffic sign. */
  thinClasses?: string[];
  rows: ReportRow[];
  gates?: GateHistory;
  attention?: AttentionSample[];
  /** Free-text remarks shown under "Notes" (estimates labelled as such, caveats of the run). */
  notes?: string[];
}

export const DEFAULT_THIN_CLASSES: readonly string[] = ['pole', 'traffic light', 'traffic sign'];

const DEFAULT_LABELS: Record<RowRole, string> = {
  teacher: 'Baseline (teacher)',
  student: 'Ours (DSP + QAT)',
  cnn: 'MobileNetV3-Seg',
  stage: '',
};

/** The label a row is shown with. */
export function rowLabel(row: ReportRow): string {
  if (row.label) return row.label;
  return row.role === 'stage' ? `${row.stage} (${row.model})` : DEFAULT_LABELS[row.role];
}

export function thinClassesOf(report: ReportData): string[] {
  return [...(report.thinClasses ?? DEFAULT_THIN_CLASSES)].filter((c) => report.classes.includes(c));
}

export function findRow(report: ReportData, role: Exclude<RowRole, 'stage'>): ReportRow | undefined {
  return report.rows.find((r) => r.role === role);
}

/** Version tag written into report.json. */
export const REPORT_FORMAT = 'edgeseg-report/1';

/** Largest report.json `readReport` agrees to parse. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** Reads report.json (as written by `renderReport`) and checks it; the `derived` section is dropped. */
export async function readReport(path: string): Promise<ReportData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(
      `${path}: cannot read the report. Expected a readable report.json, got ${(e as Error).message}.`,
    );
  }
  if (text.length > MAX_REPORT_BYTES) {
    throw new Error(
      `${path}: report too large. Expected at most ${MAX_REPORT_BYTES} bytes, got ${text.length}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON. Expected a report.json object, got: ${(e as Error).message}.`);
  }
  return validateReport(json, path);
}

/**
 * Checks that `json` is a ReportData and returns it (typed arrays kept as they are; unknown top-level keys
 * `format` and `derived` are dropped). Errors read `<where>: <field>: <what is wrong>. Expected <x>, got <y>.`
 */
export function validateReport(json: unknown, where = 'report'): ReportData {
  const v = new Checker(where);
  const o = v.object(json, '');
  if (o.format !== undefined && o.format !== REPORT_FORMAT) {
    v.fail('format', `unknown report format`, JSON.stringify(REPORT_FORMAT), JSON.stringify(o.format));
  }
  const classes = v.array(o.classes, 'classes').map((c, i) => v.string(c, `classes[${i}]`));
  if (classes.length === 0) v.fail('classes', 'no classes', 'at least one class name', 'an empty array');
  v.unique(classes, 'classes');
  const resolution = v.array(o.resolution, 'resolution');
  if (resolution.length !== 2)
    v.fail('resolution', 'wrong length', '[height, width]', JSON.stringify(resolution));
  const report: ReportData = {
    created: v.string(o.created, 'created'),
    run: v.string(o.run, 'run'),
    resolution: [v.int(resolution[0], 'resolution[0]', 1), v.int(resolution[1], 'resolution[1]', 1)],
    threads: v.int(o.threads, 'threads', 1),
    engine: v.string(o.engine, 'engine'),
  } as ReportData;
  if (o.device !== undefined) report.device = v.string(o.device, 'device');
  if (o.dataset !== undefined) {
    const d = v.object(o.dataset, 'dataset');
    report.dataset = { name: v.string(d.name, 'dataset.name'), split: v.string(d.split, 'dataset.split') };
    if (d.images !== undefined) report.dataset.images = v.int(d.images, 'dataset.images', 0);
  }
  const e = v.object(o.energy, 'energy');
  report.energy = {
    profile: v.string(e.profile, 'energy.profile'),
    source: v.string(e.source, 'energy.source'),
  };
  report.classes = classes;
  if (o.thinClasses !== undefined) {
    report.thinClasses = v.array(o.thinClasses, 'thinClasses').map((c, i) => {
      const s = v.string(c, `thinClasses[${i}]`);
      if (!classes.includes(s))
        v.fail(`thinClasses[${i}]`, 'not a class', 'a name from classes', JSON.stringify(s));
      return s;
    });
  }
  report.rows = v.array(o.rows, 'rows').map((r, i) => checkRow(v, r, `rows[${i}]`, classes));
  if (report.rows.length === 0) v.fail('rows', 'no rows', 'at least the teacher row', 'an empty array');
  const count = (role: RowRole) => report.rows.filter((r) => r.role === role).length;
  if (count('teacher') !== 1)
    v.fail('rows', 'wrong number of teacher rows', 'exactly 1', String(count('teacher')));
  if (count('student') > 1) v.fail('rows', 'too many student rows', 'at most 1', String(count('student')));
  if (count('cnn') > 1) v.fail('rows', 'too many cnn rows', 'at most 1', String(count('cnn')));
  v.unique(report.rows.map(rowLabel), 'rows (labels)');
  if (o.gates !== undefined) report.gates = checkGates(v, o.gates);
  if (o.notes !== undefined) {
    report.notes = v.array(o.notes, 'notes').map((n, i) => v.string(n, `notes[${i}]`));
  }
  if (o.attention !== undefined) {
    report.attention = v.array(o.attention, 'attention').map((a, i) => checkSample(v, a, `attention[${i}]`));
  }
  return report;
}

function checkRow(v: Checker, json: unknown, at: string, classes: string[]): ReportRow {
  const r = v.object(json, at);
  const role = v.string(r.role, `${at}.role`) as RowRole;
  if (!ROW_ROLES.includes(role))
    v.fail(`${at}.role`, 'unknown role', ROW_ROLES.join(' | '), JSON.stringify(role));
  const precision = v.string(r.precision, `${at}.precision`) as Precision;
  if (precision !== 'fp32' && precision !== 'int8') {
    v.fail(`${at}.precision`, 'unknown precision', "'fp32' | 'int8'", JSON.stringify(precision));
  }
  const iouObj = v.object(r.classIou, `${at}.classIou`);
  const classIou: Record<string, number | null> = {};
  for (const [name, x] of Object.entries(iouObj)) {
    if (!classes.includes(name))
      v.fail(`${at}.classIou`, 'unknown class', 'a name from classes', JSON.stringify(name));
    classIou[name] = x === null ? null : v.fraction(x, `${at}.classIou[${JSON.stringify(name)}]`);
  }
  const row: ReportRow = {
    role,
    model: v.string(r.model, `${at}.model`),
    stage: v.string(r.stage, `${at}.stage`),
    arch: v.string(r.arch, `${at}.arch`, true),
    params: v.number(r.params, `${at}.params`, 0),
    macs: v.number(r.macs, `${at}.macs`, 0),
    miou: r.miou === null ? null : v.fraction(r.miou, `${at}.miou`),
    classIou,
    latencyMs: r.latencyMs === null ? null : v.number(r.latencyMs, `${at}.latencyMs`, 0),
    energyMj: r.energyMj === null ? null : v.number(r.energyMj, `${at}.energyMj`, 0),
    energySource: v.string(r.energySource, `${at}.energySource`),
    precision,
  };
  if (r.label !== undefined) row.label = v.string(r.label, `${at}.label`);
  if (r.note !== undefined) row.note = v.string(r.note, `${at}.note`, true);
  return row;
}

function checkGates(v: Checker, json: unknown): GateHistory {
  const g = v.object(json, 'gates');
  const steps = v.array(g.steps, 'gates.steps').map((s, i) => v.int(s, `gates.steps[${i}]`, 0));
  const layers = v.array(g.layers, 'gates.layers').map((l, i) => {
    const at = `gates.layers[${i}]`;
    const lo = v.object(l, at);
    const values = v.array(lo.values, `${at}.values`);
    if (values.length !== steps.length) {
      v.fail(
        `${at}.values`,
        'one entry per step needed',
        `${steps.length} (gates.steps)`,
        String(values.length),
      );
    }
    return {
      name: v.string(lo.name, `${at}.name`),
      values: values.map((row, s) =>
        v
          .array(row, `${at}.values[${s}]`)
          .map((x, u) => (x === null ? null : v.fraction(x, `${at}.values[${s}][${u}]`))),
      ),
    };
  });
  v.unique(
    layers.map((l) => l.name),
    'gates.layers (names)',
  );
  return { steps, layers };
}

const MAX_SIDE = 8192;

function checkSample(v: Checker, json: unknown, at: string): AttentionSample {
  const a = v.object(json, at);
  const im = v.object(a.image, `${at}.image`);
  const width = v.int(im.width, `${at}.image.width`, 1, MAX_SIDE);
  const height = v.int(im.height, `${at}.image.height`, 1, MAX_SIDE);
  const rgb = im.rgb instanceof Uint8Array ? im.rgb : v.bytes(im.rgb, `${at}.image.rgb`);
  if (rgb.length !== width * height * 3) {
    v.fail(
      `${at}.image.rgb`,
      'wrong length',
      `width × height × 3 = ${width * height * 3}`,
      String(rgb.length),
    );
  }
  const sample: AttentionSample = { image: { width, height, rgb }, maps: [] };
  if (a.name !== undefined) sample.name = v.string(a.name, `${at}.name`);
  if (a.query !== undefined) {
    const q = v.object(a.query, `${at}.query`);
    sample.query = {
      x: v.number(q.x, `${at}.query.x`, 0, width),
      y: v.number(q.y, `${at}.query.y`, 0, height),
    };
  }
  sample.maps = v.array(a.maps, `${at}.maps`).map((m, j) => {
    const mat = `${at}.maps[${j}]`;
    const mo = v.object(m, mat);
    const mh = v.int(mo.height, `${mat}.height`, 1, MAX_SIDE);
    const mw = v.int(mo.width, `${mat}.width`, 1, MAX_SIDE);
    const values =
      mo.values instanceof Float32Array
        ? mo.values
        : v.array(mo.values, `${mat}.values`).map((x, k) => v.number(x, `${mat}.values[${k}]`));
    if (values.length !== mh * mw)
      v.fail(`${mat}.values`, 'wrong length', `height × width = ${mh * mw}`, String(values.length));
    const map: AttentionMap = {
      model: v.string(mo.model, `${mat}.model`),
      stage: v.int(mo.stage, `${mat}.stage`, 1, 16),
      height: mh,
      width: mw,
      values,
    };
    if (mo.kind !== undefined) {
      if (mo.kind !== 'query' && mo.kind !== 'received') {
        v.fail(`${mat}.kind`, 'unknown kind', "'query' | 'received'", JSON.stringify(mo.kind));
      }
      map.kind = mo.kind;
    }
    return map;
  });
  return sample;
}

type Json = Record<string, unknown>;

class Checker {
  constructor(readonly where: string) {}

  fail(field: string, what: string, expected: string, got: string): never {
    const f = field ? `${field}: ` : '';
    throw new Error(`${this.where}: ${f}${what}. Expected ${expected}, got ${got}.`);
  }

  object(x: unknown, at: string): Json {
    if (typeof x !== 'object' || x === null || Array.isArray(x))
      this.fail(at, 'not an object', 'an object', describe(x));
    return x as Json;
  }

  array(x: unknown, at: string): unknown[] {
    if (!Array.isArray(x)) this.fail(at, 'not an array', 'an array', describe(x));
    return x;
  }

  string(x: unknown, at: string, allowEmpty = false): string {
    if (typeof x !== 'string') this.fail(at, 'not a string', 'a string', describe(x));
    if (!allowEmpty && x.length === 0) this.fail(at, 'empty', 'a non-empty string', '""');
    return x;
  }

  number(x: unknown, at: string, min = -Infinity, max = Infinity): number {
    if (typeof x !== 'number' || !Number.isFinite(x))
      this.fail(at, 'not a finite number', 'a number', describe(x));
    if (x < min || x > max) this.fail(at, 'out of range', `a number in [${min}, ${max}]`, String(x));
    return x;
  }

  int(x: unknown, at: string, min = -Infinity, max = Infinity): number {
    const n = this.number(x, at, min, max);
    if (!Number.isInteger(n)) this.fail(at, 'not an integer', 'an integer', String(n));
    return n;
  }

  fraction(x: unknown, at: string): number {
    const n = this.number(x, at);
    if (n < 0 || n > 1)
      this.fail(at, 'out of range (stored as a fraction, not percent)', 'a number in [0, 1]', String(n));
    return n;
  }

  bytes(x: unknown, at: string): number[] {
    const a = this.array(x, at);
    for (let i = 0; i < a.length; i++) {
      const b = a[i];
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) {
        this.fail(`${at}[${i}]`, 'not a byte', 'an integer in [0, 255]', describe(b));
      }
    }
    return a as number[];
  }

  unique(xs: string[], at: string): void {
    const seen = new Set<string>();
    for (const x of xs) {
      if (seen.has(x)) this.fail(at, 'duplicate name', 'unique names', JSON.stringify(x));
      seen.add(x);
    }
  }
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing (field missing)';
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'number') return String(x);
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
