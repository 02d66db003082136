// json.ts — pretty-printed JSON that stays readable with big numeric arrays: objects are indented, an array
// of numbers / strings / nulls goes on one line (JSON.stringify(x, null, 2) would give every pixel of an
// attention image its own line), typed arrays become plain arrays. Non-finite numbers are refused rather
// than silently turned into null.

export function stringifyReportJson(value: unknown): string {
  return `${write(value, '', '$')}\n`;
}

function write(x: unknown, indent: string, at: string): string {
  if (x === null) return 'null';
  if (typeof x === 'number') {
    if (!Number.isFinite(x))
      throw new Error(`report.json: ${at}: not a finite number. Expected a number, got ${x}.`);
    return JSON.stringify(x);
  }
  if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return write(Array.from(x as unknown as ArrayLike<number>), indent, at);
  }
  const inner = `${indent}  `;
  if (Array.isArray(x)) {
    if (x.length === 0) return '[]';
    if (x.every((e) => e === null || typeof e !== 'object')) {
      return `[${x.map((e, i) => write(e, inner, `${at}[${i}]`)).join(', ')}]`;
    }
    return `[\n${x.map((e, i) => inner + write(e, inner, `${at}[${i}]`)).join(',\n')}\n${indent}]`;
  }
  if (typeof x === 'object') {
    const entries = Object.entries(x as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner, `${at}.${k}`)}`).join(',\n')}\n${indent}}`;
  }
  throw new Error(`report.json: ${at}: cannot be written as JSON. Expected plain data, got ${typeof x}.`);
}
