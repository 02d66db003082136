#!/usr/bin/env node
// cli.ts — `edgeseg-kernel-bench`: prints the benchmark table (or JSON lines with --json).
import { HELP, parseArgs, UsageError } from './args.js';
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
    for (const [kind, gops] of Object.entries(result.ceilings)) {
      process.stdout.write(
        `${JSON.stringify({ family: 'ceiling', impl: kind, shape: '-', median_s: 0, gops, ratio_vs: {} })}\n`,
      );
    }
    for (const r of result.rows) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const c = result.ceilings;
    const fmt = (v?: number) => (v === undefined ? 'n/a' : v.toFixed(1));
    process.stdout.write(
      `SIMD ceiling (single thread, measured now): int8 dot+add ${fmt(c.i8dot)} GOPS, ` +
        `f32 mul+add ${fmt(c.f32muladd)} GFLOPS, f32 relaxed madd ${fmt(c.f32madd)} GFLOPS\n` +
        `Node ${process.versions.node}, V8 ${process.versions.v8}; builds: ${result.builds.join(', ')}\n\n`,
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
