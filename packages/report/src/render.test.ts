import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPngHeader } from '@edgeseg/data';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RenderedReport, renderReport } from './render.js';
import { type ReportData, readReport, rowLabel } from './reportData.js';
import { syntheticReport } from './synthetic.fixture.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'edgeseg-report-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The SVG's own size from its root element's width/height attributes. */
function svgSize(svg: string): [number, number] {
  const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? '';
  const w = Number(root.match(/\bwidth="([\d.]+)"/)?.[1]);
  const h = Number(root.match(/\bheight="([\d.]+)"/)?.[1]);
  return [w, h];
}

/** Typed arrays as plain arrays, the way report.json stores them. */
function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)));
}

describe('renderReport on a synthetic run', () => {
  let dir: string;
  let input: ReportData;
  let out: RenderedReport;

  beforeAll(async () => {
    dir = await tempDir();
    input = syntheticReport();
    out = await renderReport(input, join(dir, 'report'));
  });

  test('writes report.md, report.json and every plot as SVG + PNG, and no temp file', async () => {
    const files = (await readdir(join(dir, 'report'))).sort();
    expect(files).toEqual(
      [
        'accuracy-energy.png',
        'accuracy-energy.svg',
        'attention.png',
        'attention.svg',
        'class-iou.png',
        'class-iou.svg',
        'gates.png',
        'gates.svg',
        'report.json',
        'report.md',
      ].sort(),
    );
    expect(out.skipped).toEqual([]);
    expect(out.plots.map((p) => p.name)).toEqual(['accuracy-energy', 'class-iou', 'gates', 'attention']);
  });

  test('SVGs are well-formed XML and name what they show', async () => {
    const labels = input.rows.map(rowLabel);
    const expected: Record<string, string[]> = {
      'accuracy-energy': labels,
      'class-iou': [
        'Baseline (teacher)',
        'Ours (DSP + QAT)',
        'MobileNetV3-Seg',
        'pole',
        'traffic light',
        'traffic sign',
      ],
      gates: ['s1.b0.heads', 's2.b0.heads', 's1.b0.ffn_groups', 'dec.fuse'],
      attention: ['Baseline (teacher) · stage 1', 'Ours (DSP + QAT) · stage 1', 'frankfurt_000000_000294'],
    };
    for (const p of out.plots) {
      const svg = await readFile(p.svg, 'utf8');
      expect(XMLValidator.validate(svg), p.name).toBe(true);
      for (const s of expected[p.name]) expect(svg, `${p.name} names ${s}`).toContain(s);
    }
  });

  test('PNGs carry the PNG signature and are the SVG size × 2', async () => {
    for (const p of out.plots) {
      const png = new Uint8Array(await readFile(p.png));
      const h = readPngHeader(png, p.png); // throws without the signature
      const [sw, sh] = svgSize(await readFile(p.svg, 'utf8'));
      expect(sw, p.name).toBeGreaterThan(100);
      expect([h.width, h.height], p.name).toEqual([Math.round(sw * 2), Math.round(sh * 2)]);
      expect([p.width, p.height]).toEqual([h.width, h.height]);
    }
  });

  test("report.md has the paper's table, the per-class table, the claims and the plot links", async () => {
    const md = await readFile(out.reportMd, 'utf8');
    const line = (start: string) => md.split('\n').find((l) => l.startsWith(start));
    expect(
      line('| Model | Stage | Arch | Precision | Params (M) | MACs (G) | mIoU (%) | **pole** IoU (%)'),
    ).toBeDefined();
    expect(line('| **Baseline (teacher)** | teacher |')).toBe(
      '| **Baseline (teacher)** | teacher | MiT-B0, heads [1,2,5,8] | fp32 | 20.00 | 8.40 | 70.0 | **40.0** | **30.0** | **50.0** | 100 | 40.0 | model:rpi5 |',
    );
    expect(line('| **Ours (DSP + QAT)** | int8 |')).toBe(
      '| **Ours (DSP + QAT)** | int8 | heads [1,1,3,4], FFN ×2 | int8 | 1.50 | 2.90 | 69.5 | **37.0** | **29.5** | **52.0** | 25.0 | 12.0 | model:rpi5 |',
    );
    expect(line('| **MobileNetV3-Seg** | baseline |')).toContain('| 65.0 | **25.0** |');
    expect(line('| excise (segformer-b0) | excise |')).toBeDefined();
    // Pipeline order: teacher, stages, student, CNN.
    const order = [
      '| **Baseline (teacher)**',
      '| dsp (segformer-b0)',
      '| excise (segformer-b0)',
      '| **Ours (DSP + QAT)**',
      '| **MobileNetV3-Seg**',
    ];
    const at = order.map((s) => md.indexOf(s));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('Input resolution 128×256 (H×W); 2 threads; engine: edgeseg int8 executor');
    expect(md).toContain('Energy figures: model (profile `rpi5`)');
    // Full per-class table: 19 classes, the absent one as a dash.
    expect(line('| **pole** (thin) |')).toBe(
      '| **pole** (thin) | **40.0** | **39.0** | **36.0** | **37.0** | **25.0** |',
    );
    expect(line('| train |')).toBe('| train | 64.4 | 64.9 | — | 63.9 | 59.4 |');
    // Claims.
    expect(line('| Parameters reduced by ≥ 90.0 %')).toContain(
      '84.7 M → 6.2 M (−92.7 %) | 20.00 M → 1.50 M (−92.5 %) | **holds** |',
    );
    expect(line('| mIoU within 1.2 points')).toContain('70.0 % → 69.5 % (−0.5 points) | **holds** |');
    expect(line('| Energy per frame reduced by ≥ 65.0 %')).toContain('(−70.0 %, model:rpi5) | **holds** |');
    expect(line('| Latency speed-up ≥ 5.00×')).toContain('(4.00×, 2 threads) | **does not hold** |');
    expect(line('| pole: IoU within 2.0 points')).toContain('(−3.0 points) | **does not hold** |');
    expect(line('| Compressed transformer beats MobileNetV3-Seg')).toContain(
      'energy not lower | **does not hold** |',
    );
    expect(md).toMatch(
      /Holds: parameter reduction; mIoU gap to the teacher; energy saving; real-time latency; traffic light IoU gap; traffic sign IoU gap\./,
    );
    for (const p of ['accuracy-energy', 'class-iou', 'gates', 'attention']) {
      expect(md).toContain(`](${p}.png)`);
      expect(md).toContain(`[SVG](${p}.svg)`);
    }
  });

  test('report.json round-trips through readReport and carries the derived claims', async () => {
    const back = await readReport(out.reportJson);
    expect(back).toEqual(plain(input));
    const json = JSON.parse(await readFile(out.reportJson, 'utf8'));
    expect(json.format).toBe('edgeseg-report/1');
    expect(json.derived.claims.map((c: { holds: boolean | null }) => c.holds)).toEqual(
      out.claims.map((c) => c.holds),
    );
    expect(Object.keys(json.derived.plots)).toEqual(['accuracy-energy', 'class-iou', 'gates', 'attention']);
    // Re-rendering what was read gives the same report.md.
    const again = await renderReport(back, join(dir, 'again'));
    expect(await readFile(again.reportMd, 'utf8')).toBe(await readFile(out.reportMd, 'utf8'));
  });
});

test('a run without energy, gates or attention still renders, and says what it left out', async () => {
  const r = syntheticReport();
  delete r.gates;
  delete r.attention;
  r.rows = r.rows
    .filter((x) => x.role !== 'cnn')
    .map((x) => ({ ...x, energyMj: null, energySource: 'none' }));
  const dir = await tempDir();
  const out = await renderReport(r, dir);
  expect(out.plots.map((p) => p.name)).toEqual(['class-iou']);
  expect(out.skipped.map((s) => s.name)).toEqual(['accuracy-energy', 'gates', 'attention']);
  const md = await readFile(out.reportMd, 'utf8');
  expect(md).toContain('- Accuracy vs energy: not drawn — no row has an energy figure.');
  expect(md).toContain('| not measured: no energy for the teacher | not measured |');
  expect(md).toContain('not measured: no CNN baseline row (role "cnn")');
  expect(md).toContain('| — | none |');
  expect((await readdir(dir)).sort()).toEqual(['class-iou.png', 'class-iou.svg', 'report.json', 'report.md']);
});

test('renderReport refuses malformed data before writing anything', async () => {
  const dir = await tempDir();
  const r = syntheticReport();
  r.rows[0].miou = 70; // percent instead of a fraction
  await expect(renderReport(r, join(dir, 'x'))).rejects.toThrow(
    'renderReport: rows[0].miou: out of range (stored as a fraction, not percent). Expected a number in [0, 1], got 70.',
  );
  await expect(readdir(join(dir, 'x'))).rejects.toThrow(/ENOENT/);
});
