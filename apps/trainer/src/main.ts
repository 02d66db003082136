// main.ts — the `edgeseg` program: commander wiring shared by every command group, and the exit-code rule
// (0 ok, 1 failure, 2 usage error). Commands live in ./commands/<group>.ts and register themselves here.
import { Command, CommanderError } from 'commander';
import { registerCompressCommands } from './commands/compress.js';
import { registerDataCommands } from './commands/data.js';
import { registerEnergyCommand } from './commands/energy.js';
import { registerEvalCommand } from './commands/evaluate.js';
import { registerExportCommand } from './commands/export.js';
import { registerModelCommands } from './commands/model.js';
import { type Io, processIo, UsageError } from './io.js';

export const VERSION = '0.0.0';

export function buildProgram(io: Io): Command {
  const program = new Command('edgeseg')
    .description(
      'Compress SegFormer-style segmentation transformers for edge devices (data sets, training, compression).',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  registerDataCommands(program, io);
  registerModelCommands(program, io);
  registerEnergyCommand(program, io);
  registerCompressCommands(program, io);
  registerEvalCommand(program, io);
  registerExportCommand(program, io);
  // Every sub-command inherits the output wiring and exit behaviour.
  for (const c of program.commands) applyRecursively(c, io);
  return program;
}

function applyRecursively(cmd: Command, io: Io): void {
  cmd
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const c of cmd.commands) applyRecursively(c, io);
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // Help shown because a command group was called without a sub-command is a usage error too.
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
