#!/usr/bin/env node
// cli.ts — `edgeseg-kernel-bench`: prints the benchmark table (or JSON lines with --json).
import { HELP, parseArgs, UsageError } from './args.js';
import type { Ceiling } from './ceiling.js';
import { formatTable } from './report.js';
import { runBench } from './run.js';

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`edgeseg-kernel-bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const result = await runBench(args, log);
  if (args.json) {
    for (const [kind, c] of Object.entries(result.ceilingDetails)) {
      const row = { family: 'ceiling', impl: kind, shape: '-', median_s: 0, gops: c.gops, ratio_vs: {} };
      process.stdout.write(`${JSON.stringify({ ...row, variant: c.variant, variants: c.variants })}\n`);
    }
    for (const [peer, status] of Object.entries(result.peers)) {
      const row = {
        family: 'peer',
        impl: peer,
        shape: '-',
        median_s: 0,
        gops: 0,
        ratio_vs: {},
        note: status,
      };
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
    for (const r of result.rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const d = result.ceilingDetails;
    const fmt = (c: Ceiling | undefined, unit: string) => {
      if (!c) return 'not measured';
      const others = c.variants
        .filter((v) => v.name !== c.variant)
        .map((v) => `${v.name} ${v.gops.toFixed(1)}`);
      return `${c.gops.toFixed(1)} ${unit} (${c.variant}${others.length ? `; ${others.join(', ')}` : ''})`;
    };
    const peers = Object.entries(result.peers).map(([p, s]) => `${p}: ${s}`);
    process.stdout.write(
      'SIMD ceiling (single thread, measured in this run: best loop variant, best of start and end): ' +
        `int8 dot+add ${fmt(d.i8dot, 'GOPS')}, f32 mul+add ${fmt(d.f32muladd, 'GFLOPS')}, ` +
        `f32 relaxed madd ${fmt(d.f32madd, 'GFLOPS')}\n` +
        `Node ${process.versions.node}, V8 ${process.versions.v8}; builds: ${result.builds.join(', ')}\n` +
        (peers.length ? `Peers: ${peers.join('; ')}\n` : '') +
        '\n',
    );
    process.stdout.write(`${formatTable(result.rows)}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`edgeseg-kernel-bench: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
