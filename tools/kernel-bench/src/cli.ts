#!/usr/bin/env node
// cli.ts — `edgeseg-kernel-bench`: prints the benchmark table (or JSON lines with --json).
import { HELP, parseArgs, UsageError } from './args.js';
import type { Ceiling } from './ceiling.js';
import { formatTable } from './report.js';
import { type MachineInfo, runBench } from './run.js';
import { formatVerdicts } from './verdicts.js';

/** `load average 5.38 6.30 4.85 at start, 6.01 … at end` — how shared the machine was. */
function machineLine(m: MachineInfo): string {
  const la = (x: number[]) => x.map((v) => v.toFixed(2)).join(' ');
  return (
    `Machine: ${m.cpu}, ${m.cores} cores; Node ${m.node}, V8 ${m.v8}; clock: ` +
    `${m.clock === 'cpu' ? 'process CPU time' : 'wall time'}; load average (1/5/15 min) ` +
    `${la(m.loadStart)} at start, ${la(m.loadEnd)} at end; ${(m.seconds / 60).toFixed(1)} min`
  );
}

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
    const m = result.machine;
    const machine = { family: 'machine', impl: m.clock, shape: '-', median_s: 0, gops: 0, ratio_vs: {} };
    process.stdout.write(`${JSON.stringify({ ...machine, ...m })}\n`);
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
    // Verdicts last, in the same line shape: gops holds the judged figure (a ratio or a fraction).
    for (const v of result.verdicts) {
      const row = { family: 'verdict', impl: v.impl, shape: '-', median_s: 0, gops: v.value, ratio_vs: {} };
      process.stdout.write(`${JSON.stringify({ ...row, ...v })}\n`);
    }
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
        `${machineLine(result.machine)}; builds: ${result.builds.join(', ')}\n` +
        (peers.length ? `Peers: ${peers.join('; ')}\n` : '') +
        '\n',
    );
    process.stdout.write(`${formatTable(result.rows)}\n`);
    if (result.verdicts.length) {
      process.stdout.write(
        `\nIssue #2 targets (ratios measured in the same rounds):\n${formatVerdicts(result.verdicts)}\n`,
      );
    }
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
