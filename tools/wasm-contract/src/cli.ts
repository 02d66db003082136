#!/usr/bin/env node
// cli.ts — edgeseg-wasm-contract: check the built kernel .wasm files against the manifest.
// Exit code 0 = every build conforms, 1 = violations (each line names the file and the export),
// 2 = usage error.
import { setFlagsFromString } from 'node:v8';
import { BUILDS, checkBuilds } from './contract.js';

const HELP = `Usage: edgeseg-wasm-contract [--json] [--dir DIR] [--build NAME]...

Checks every built kernel .wasm (release, debug, relaxed, scalar, release-mt, relaxed-mt) against
@edgeseg/kernels' manifest: no imports (the -mt builds: exactly env.memory, shared); exports = the
manifest's kernels for that build + abi_version, heap_base, memory; exported signatures take and
return only i32/f32; SIMD opcodes in the SIMD builds and not in the scalar one; relaxed-SIMD opcodes
only in the relaxed builds; each kernel's code matches the ISA in its name (through its call graph).

Options:
  --json        machine-readable report on stdout
  --dir DIR     folder holding <build>.wasm (default: the kernels package's build/)
  --build NAME  check only this build (repeatable): ${BUILDS.join(', ')}
  -h, --help    this text`;

function main(argv: string[]): number {
  let json = false;
  let dir: string | undefined;
  const builds: (typeof BUILDS)[number][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(HELP);
      return 0;
    }
    if (a === '--json') json = true;
    else if (a === '--dir' && i + 1 < argv.length) dir = argv[++i];
    else if (a === '--build' && i + 1 < argv.length) {
      const b = argv[++i] as (typeof BUILDS)[number];
      if (!BUILDS.includes(b)) {
        console.error(`wasm-contract: unknown build "${b}". Expected one of ${BUILDS.join(', ')}.`);
        return 2;
      }
      builds.push(b);
    } else {
      console.error(
        `wasm-contract: unknown argument "${a}". Expected --json, --dir DIR or --build NAME.\n\n${HELP}`,
      );
      return 2;
    }
  }
  // Node 20 compiles relaxed SIMD only behind this flag; with it the ABI version of relaxed.wasm is
  // checked too (the flag affects this process only).
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not V8: the relaxed build's ABI check is skipped
  }
  const report = checkBuilds({ dir, builds: builds.length > 0 ? builds : undefined });
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const b of report.builds) {
      const status = b.violations.length === 0 ? 'ok  ' : 'FAIL';
      console.log(
        `${status} ${b.build}.wasm: ${b.exports} exports, ${b.imports} imports, ${b.functions} functions, ` +
          `${b.simdOps} SIMD ops (${b.relaxedOps} relaxed)`,
      );
      for (const v of b.violations) console.log(`  ${v.message}`);
    }
    console.log(report.ok ? 'wasm contract: ok' : `wasm contract: ${report.violations.length} violation(s)`);
  }
  return report.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
