#!/usr/bin/env node
// cli.ts — `edgeseg-runtime-bench`: prints the tables (or one JSON object with --json). Progress
// goes to stderr, and only when stderr is a terminal.
import { HELP, parseArgs, UsageError } from './args.js';
import { runBench } from './bench.js';
import { formatProfile, runProfile } from './profile.js';
import { formatReport } from './report.js';

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`edgeseg-runtime-bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = process.stderr.isTTY ? (s: string) => process.stderr.write(`${s}\n`) : () => {};
  if (args.profile) {
    const p = await runProfile(args, log);
    process.stdout.write(args.json ? `${JSON.stringify(p, null, 2)}\n` : `${formatProfile(p)}\n`);
    return 0;
  }
  const result = await runBench(args, log);
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatReport(result)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`edgeseg-runtime-bench: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
