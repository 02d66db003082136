import { expect, test } from 'vitest';
import { stringifyReportJson } from './json.js';

test('objects are indented, flat arrays stay on one line, typed arrays become arrays', () => {
  const s = stringifyReportJson({
    a: [1, 2, null],
    b: { c: 'x', d: new Uint8Array([3, 4]) },
    e: [[0.5], []],
    f: undefined,
  });
  expect(s).toBe(
    '{\n  "a": [1, 2, null],\n  "b": {\n    "c": "x",\n    "d": [3, 4]\n  },\n  "e": [\n    [0.5],\n    []\n  ]\n}\n',
  );
  expect(JSON.parse(s)).toEqual({ a: [1, 2, null], b: { c: 'x', d: [3, 4] }, e: [[0.5], []] });
});

test('Float32Array values survive exactly', () => {
  const f = Float32Array.from([0.1, 1 / 3, 1e-20]);
  const back = JSON.parse(stringifyReportJson(f)) as number[];
  expect(Float32Array.from(back)).toEqual(f);
});

test('non-finite numbers are refused with the path', () => {
  expect(() => stringifyReportJson({ rows: [{ miou: Number.NaN }] })).toThrow(
    'report.json: $.rows[0].miou: not a finite number. Expected a number, got NaN.',
  );
});
