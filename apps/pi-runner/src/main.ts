// main.ts — the `edgeseg-run` program: commander wiring, and the exit-code rule (0 ok, 1 failure — including
// "some inputs failed" —, 2 usage error). Commands live in ./commands/<name>.ts.
import { Command, CommanderError } from 'commander';
import { registerCalibrateCommand } from './commands/calibrate.js';
import { registerInfoCommand } from './commands/info.js';
import { registerRunCommand } from './commands/run.js';
import { defaultDeps, type RunnerDeps } from './deps.js';
import { type Io, processIo, UsageError } from './io.js';

export const VERSION = '0.0.0';

export function buildProgram(io: Io, deps: RunnerDeps, setExit: (code: number) => void = () => {}): Command {
  const program = new Command('edgeseg-run')
    .description(
      'Run compressed segmentation models on an edge board (pure TS + WASM SIMD): masks, FPS, latency, energy, temperature.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  registerRunCommand(program, io, deps, setExit);
  registerInfoCommand(program, io, deps);
  registerCalibrateCommand(program, io, deps);
  for (const c of program.commands) {
    c.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(
  argv: string[],
  io: Io = processIo,
  deps: Partial<RunnerDeps> = {},
): Promise<number> {
  let code = 0;
  const program = buildProgram(io, { ...defaultDeps, ...deps }, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2;
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n(run with --help for usage)\n`);
      return 2;
    }
    io.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
