import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringifyReportJson } from './json.js';
import { readReport, rowLabel, validateReport } from './reportData.js';
import { syntheticReport } from './synthetic.fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests break arbitrary fields of parsed JSON
type Loose = any;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeseg-report-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `mutate(report)` as report.json and returns readReport's error message. */
async function errorOf(mutate: (j: Loose) => void): Promise<string> {
  const j = JSON.parse(stringifyReportJson(syntheticReport()));
  mutate(j);
  const file = join(dir, 'report.json');
  await writeFile(file, JSON.stringify(j));
  try {
    await readReport(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('readReport accepted a malformed report');
}

describe('readReport rejects a malformed report.json with a clear error', () => {
  test('not JSON', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"rows": [');
    await expect(readReport(file)).rejects.toThrow(
      `${file}: not valid JSON. Expected a report.json object, got: `,
    );
  });

  test('missing file', async () => {
    await expect(readReport(join(dir, 'nope.json'))).rejects.toThrow(
      /nope\.json: cannot read the report\. .*ENOENT/,
    );
  });

  test.each([
    [
      'mIoU in percent',
      (j: Loose) => {
        j.rows[3].miou = 69.5;
      },
      'rows[3].miou: out of range (stored as a fraction, not percent). Expected a number in [0, 1], got 69.5.',
    ],
    [
      'a field missing',
      (j: Loose) => {
        delete j.rows[1].params;
      },
      'rows[1].params: not a finite number. Expected a number, got nothing (field missing).',
    ],
    [
      'no teacher',
      (j: Loose) => {
        j.rows[0].role = 'stage';
      },
      'rows: wrong number of teacher rows. Expected exactly 1, got 0.',
    ],
    [
      'an unknown role',
      (j: Loose) => {
        j.rows[2].role = 'baseline';
      },
      'rows[2].role: unknown role. Expected teacher | student | cnn | stage, got "baseline".',
    ],
    [
      'an unknown class',
      (j: Loose) => {
        j.rows[0].classIou.lamppost = 0.3;
      },
      'rows[0].classIou: unknown class. Expected a name from classes, got "lamppost".',
    ],
    [
      'a wrong precision',
      (j: Loose) => {
        j.rows[0].precision = 'fp16';
      },
      "rows[0].precision: unknown precision. Expected 'fp32' | 'int8', got \"fp16\".",
    ],
    [
      'a gate history with a step missing',
      (j: Loose) => {
        j.gates.layers[1].values.pop();
      },
      'gates.layers[1].values: one entry per step needed. Expected 5 (gates.steps), got 4.',
    ],
    [
      'an image of the wrong size',
      (j: Loose) => {
        j.attention[0].image.rgb.pop();
      },
      'attention[0].image.rgb: wrong length. Expected width × height × 3 = 24576, got 24575.',
    ],
    [
      'a pixel out of range',
      (j: Loose) => {
        j.attention[1].image.rgb[7] = 300;
      },
      'attention[1].image.rgb[7]: not a byte. Expected an integer in [0, 255], got 300.',
    ],
    [
      'an attention map of the wrong size',
      (j: Loose) => {
        j.attention[0].maps[1].height = 8;
      },
      'attention[0].maps[1].values: wrong length. Expected height × width = 256, got 512.',
    ],
    [
      'another format',
      (j: Loose) => {
        j.format = 'edgeseg-report/9';
      },
      'format: unknown report format. Expected "edgeseg-report/1", got "edgeseg-report/9".',
    ],
    [
      'duplicate labels',
      (j: Loose) => {
        j.rows[1].label = 'Baseline (teacher)';
      },
      'rows (labels): duplicate name. Expected unique names, got "Baseline (teacher)".',
    ],
  ])('%s', async (_what, mutate, message) => {
    const msg = await errorOf(mutate);
    expect(msg).toBe(`${join(dir, 'report.json')}: ${message}`);
  });

  test('a JSON array instead of an object', async () => {
    const file = join(dir, 'array.json');
    await writeFile(file, '[]');
    await expect(readReport(file)).rejects.toThrow(
      `${file}: not an object. Expected an object, got an array of 0.`,
    );
  });
});

describe('validateReport', () => {
  test('keeps typed arrays, drops format and derived', () => {
    const r = syntheticReport();
    const v = validateReport({ ...r, format: 'edgeseg-report/1', derived: { claims: [] } });
    expect(v.attention?.[0].image.rgb).toBeInstanceOf(Uint8Array);
    expect(v.attention?.[0].maps[1].values).toBeInstanceOf(Float32Array);
    expect(v).not.toHaveProperty('derived');
    expect(v).not.toHaveProperty('format');
    expect(Object.keys(v)).toEqual(Object.keys(r));
  });

  test('row labels default by role', () => {
    const rows = syntheticReport().rows;
    expect(rows.map(rowLabel)).toEqual([
      'Baseline (teacher)',
      'dsp (segformer-b0)',
      'excise (segformer-b0)',
      'Ours (DSP + QAT)',
      'MobileNetV3-Seg',
    ]);
    expect(rowLabel({ ...rows[0], label: 'SegFormer-B0 (teacher)' })).toBe('SegFormer-B0 (teacher)');
  });
});

describe('speed-only rows', () => {
  test('a stage row without mIoU (a random-weight latency row) validates, shows — and stays off the accuracy plot', async () => {
    const { renderMarkdown } = await import('./markdown.js');
    const { accuracyEnergySpec } = await import('./charts.js');
    const r = syntheticReport();
    r.rows.push({
      ...r.rows[0],
      role: 'stage',
      label: 'SegFormer-B5 (random weights)',
      stage: 'b5',
      miou: null,
      classIou: {},
    });
    r.notes = ['Pi 5 FPS is an estimate on paper.'];
    const back = validateReport(JSON.parse(stringifyReportJson(r)));
    expect(back.notes).toEqual(['Pi 5 FPS is an estimate on paper.']);
    expect(back.rows[back.rows.length - 1].miou).toBeNull();
    const md = renderMarkdown(back, [], []);
    const line = md.split('\n').find((l) => l.includes('SegFormer-B5 (random weights)'))!;
    expect(line).toContain('| — |');
    expect(md).toContain('## Notes\n\n- Pi 5 FPS is an estimate on paper.');
    const spec = accuracyEnergySpec(back) as { data: { values: { label: string }[] } };
    expect(spec.data.values.map((v) => v.label)).not.toContain('SegFormer-B5 (random weights)');
  });
});
