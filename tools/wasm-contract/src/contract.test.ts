// contract.test.ts — the built kernels meet the contract, and the checker catches each kind of breach
// on small hand-assembled modules.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelInfo } from '@edgeseg/kernels/manifest';
import { describe, expect, it } from 'vitest';
import { BUILDS, checkBuilds, checkModule, defaultBuildDir } from './contract.js';
import { decodeCode } from './opcodes.js';

// ---- a tiny module assembler (just what the cases below need) ----
type Val = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const VAL: Record<Val, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
interface Fn {
  params?: Val[];
  results?: Val[];
  /** Instructions, without the final `end`. */
  body: number[];
}
const leb = (n: number): number[] => {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
};
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const sec = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
const sig = (f: Fn) => [
  0x60,
  ...vec((f.params ?? []).map((t) => [VAL[t]])),
  ...vec((f.results ?? []).map((t) => [VAL[t]])),
];

/**
 * exports: name → index into `funcs`, or 'memory'. `importAbort` adds (import "env" "abort" (func));
 * `memory` 'shared' / 'unshared' imports env.memory (1 page, max 16) instead of defining it.
 */
function assemble(
  funcs: Fn[],
  exports: Record<string, number | 'memory'>,
  importAbort = false,
  memory: 'own' | 'shared' | 'unshared' = 'own',
): Uint8Array {
  const types = [...funcs.map(sig), ...(importAbort ? [[0x60, 0, 0]] : [])];
  const nImp = importAbort ? 1 : 0;
  const imports = [
    ...(importAbort ? [[...str('env'), ...str('abort'), 0, ...leb(funcs.length)]] : []),
    ...(memory === 'own' ? [] : [[...str('env'), ...str('memory'), 2, memory === 'shared' ? 3 : 1, 1, 16]]),
  ];
  return new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...sec(1, vec(types)),
    ...(imports.length > 0 ? sec(2, vec(imports)) : []),
    ...sec(3, vec(funcs.map((_, i) => leb(i)))),
    ...(memory === 'own' ? sec(5, vec([[0, 1]])) : []),
    ...sec(
      7,
      vec(
        Object.entries(exports).map(([n, i]) =>
          i === 'memory' ? [...str(n), 2, 0] : [...str(n), 0, ...leb(i + nImp)],
        ),
      ),
    ),
    ...sec(
      10,
      vec(
        funcs.map((f) => {
          const body = [0, ...f.body, 0x0b];
          return [...leb(body.length), ...body];
        }),
      ),
    ),
  ]);
}

const SPLAT = [0x41, 0, 0xfd, 0x0f]; // i32.const 0; i8x16.splat
const SIMD_BODY = [...SPLAT, 0x1a]; // …; drop
const RELAXED_BODY = [...SPLAT, ...SPLAT, 0xfd, 0x80, 0x02, 0x1a]; // i8x16.relaxed_swizzle; drop
const abi: Fn[] = [
  { results: ['i32'], body: [0x41, 1] }, // abi_version
  { results: ['i32'], body: [0x41, 0x80, 0x08] }, // heap_base = 1024
];
const ABI = { abi_version: 0, heap_base: 1, memory: 'memory' as const };
const info = (name: string, isa: KernelInfo['isa']): KernelInfo => ({
  name,
  family: 't',
  op: name.split('__')[0],
  isa,
  summary: '',
});

function kinds(bytes: Uint8Array, build: (typeof BUILDS)[number], kernels: KernelInfo[]) {
  return checkModule(bytes, build, `/x/${build}.wasm`, kernels).violations.map((v) => [
    v.kind,
    v.export ?? '',
    v.message,
  ]);
}

describe('the built kernels', () => {
  const dir = defaultBuildDir();
  it('every build in kernels/build meets the contract (imports, exports, signatures, SIMD opcodes)', () => {
    const report = checkBuilds();
    for (const b of report.builds) {
      console.log(
        `${b.build}.wasm: ${b.exports} exports, ${b.imports} imports, ${b.functions} functions, ${b.simdOps} SIMD ops (${b.relaxedOps} relaxed)`,
      );
    }
    expect(report.violations.map((v) => v.message)).toEqual([]);
  });

  it.each(BUILDS.map((b) => [b]))(
    '%s: the decoder counts as many SIMD instructions as binaryen prints',
    (build) => {
      const wat = join(dir, `${build}.wat`);
      if (!existsSync(wat)) return;
      const prefixes = /^\s*\(?(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;
      const printed = readFileSync(wat, 'utf8')
        .split('\n')
        .filter((l) => prefixes.test(l)).length;
      const bytes = new Uint8Array(readFileSync(join(dir, `${build}.wasm`)));
      const decoded = decodeCode(bytes, 0).reduce((s, f) => s + f.simd, 0);
      expect(decoded, `${build}.wasm vs ${build}.wat`).toBe(printed);
    },
  );
});

describe('the checker catches', () => {
  const scalarK = info('k__scalar', 'scalar');
  const simdK = info('k__simd', 'simd128');

  it('nothing on a conforming module', () => {
    const ok = assemble(
      [...abi, { params: ['i32', 'f32'], body: SIMD_BODY }, { params: ['i32'], body: [] }],
      {
        ...ABI,
        k__simd: 2,
        k__scalar: 3,
      },
    );
    expect(kinds(ok, 'release', [simdK, scalarK])).toEqual([]);
  });

  it('an import', () => {
    const m = assemble([...abi, { body: [] }], { ...ABI, k__scalar: 2 }, true);
    expect(kinds(m, 'scalar', [scalarK])).toEqual([
      ['import', '', expect.stringMatching(/^scalar.wasm: imports env.abort \(func\)\. Expected no imports/)],
    ]);
  });

  it('a threaded build: exactly a shared env.memory, nothing else and nothing less', () => {
    const fns = [...abi, { body: SIMD_BODY }];
    const exp = { ...ABI, k__simd: 2 };
    expect(kinds(assemble(fns, exp, false, 'shared'), 'release-mt', [simdK])).toEqual([]);
    expect(kinds(assemble(fns, exp, false, 'unshared'), 'release-mt', [simdK])).toEqual([
      [
        'import',
        '',
        expect.stringMatching(/^release-mt.wasm: imports env.memory unshared\. Expected a shared memory/),
      ],
    ]);
    expect(kinds(assemble(fns, exp), 'release-mt', [simdK])).toEqual([
      ['import', '', expect.stringMatching(/does not import env.memory\. Expected a shared memory import/)],
    ]);
    expect(kinds(assemble(fns, exp, true, 'shared'), 'release-mt', [simdK])).toEqual([
      [
        'import',
        '',
        expect.stringMatching(/imports env.abort \(func\)\. Expected only env.memory \(shared\)/),
      ],
    ]);
    // …and a single-thread build must not import its memory
    expect(kinds(assemble(fns, exp, false, 'shared'), 'release', [simdK]).map((v) => v[0])).toEqual([
      'import',
    ]);
  });

  it('missing and unexpected exports, naming them', () => {
    const m = assemble([...abi, { body: [] }], { abi_version: 0, memory: 'memory', extra__scalar: 2 });
    expect(kinds(m, 'scalar', [scalarK])).toEqual([
      [
        'missing-export',
        'k__scalar',
        expect.stringMatching(/export k__scalar is missing.*manifest lists it/),
      ],
      ['missing-export', 'heap_base', expect.stringMatching(/export heap_base is missing/)],
      [
        'unexpected-export',
        'extra__scalar',
        expect.stringMatching(/export extra__scalar \(func\) is not in the manifest/),
      ],
    ]);
  });

  it('v128 and i64 at the boundary', () => {
    const m = assemble(
      [
        ...abi,
        { params: ['i32', 'v128'], body: SIMD_BODY },
        { params: ['i64'], results: ['i64'], body: [0x42, 0] },
      ],
      { ...ABI, k__simd: 2, k__scalar: 3 },
    );
    expect(kinds(m, 'release', [simdK, scalarK])).toEqual([
      [
        'signature',
        'k__simd',
        expect.stringMatching(
          /takes a v128 at parameter 1\. Expected only i32\/f32 parameters, got \(i32, v128\)/,
        ),
      ],
      ['signature', 'k__scalar', expect.stringMatching(/takes a i64 at parameter 0/)],
      ['signature', 'k__scalar', expect.stringMatching(/returns \(i64\)/)],
    ]);
  });

  it('SIMD in the scalar build, and a scalar kernel that reaches SIMD through a call', () => {
    const helper = { body: SIMD_BODY };
    const m = assemble([...abi, { body: [0x10, 3] }, helper], { ...ABI, k__scalar: 2 });
    expect(kinds(m, 'scalar', [scalarK])).toEqual([
      [
        'simd',
        '',
        expect.stringMatching(
          /has 1 SIMD instructions \(first in function 3\)\. Expected none in the scalar build/,
        ),
      ],
      [
        'simd',
        'k__scalar',
        expect.stringMatching(/export k__scalar reaches 1 SIMD instructions \(function 3\)/),
      ],
    ]);
  });

  it('a SIMD build without SIMD and a simd128 kernel without SIMD', () => {
    const m = assemble([...abi, { body: [] }], { ...ABI, k__simd: 2 });
    expect(kinds(m, 'release', [simdK]).map((v) => v[0])).toEqual(['simd', 'simd']);
  });

  it('relaxed SIMD outside the relaxed build, and a relaxed build without it', () => {
    const relaxed = assemble([...abi, { body: RELAXED_BODY }], { ...ABI, k__simd: 2 });
    expect(kinds(relaxed, 'release', [simdK])).toEqual([
      [
        'relaxed',
        '',
        expect.stringMatching(/has 1 relaxed-SIMD instructions.*Expected them only in the relaxed build/),
      ],
      [
        'relaxed',
        'k__simd',
        expect.stringMatching(/reaches 1 relaxed-SIMD instructions. Expected none in a simd128 kernel/),
      ],
    ]);
    const plain = assemble([...abi, { body: SIMD_BODY }, { body: SIMD_BODY }], {
      ...ABI,
      k__simd: 2,
      k__relaxed: 3,
    });
    expect(kinds(plain, 'relaxed', [simdK, info('k__relaxed', 'relaxed')]).map((v) => [v[0], v[1]])).toEqual([
      ['relaxed', ''],
      ['relaxed', 'k__relaxed'],
    ]);
  });

  it('an opcode it cannot decode, instead of miscounting', () => {
    const m = assemble([...abi, { body: [0xfd, 0xff, 0x0f] }], { ...ABI, k__simd: 2 });
    expect(kinds(m, 'release', [simdK])).toEqual([
      ['decode', '', expect.stringMatching(/function 2: unknown SIMD opcode 0xFD 2047/)],
    ]);
  });

  it('a build file that is missing', () => {
    const r = checkBuilds({ dir: '/nonexistent', builds: ['release'] });
    expect(r.ok).toBe(false);
    expect(r.violations[0].message).toMatch(
      /^release.wasm: cannot be read \(ENOENT\)\. Expected a built file/,
    );
  });
});
