import { Command, CommanderError } from 'commander';
import { CliError } from './errors.js';
import { registerServe } from './commands/serve.js';
import { registerTemporal } from './commands/temporal.js';
import { registerInspect } from './commands/inspect.js';

/** Builds the `midstream` command tree. Each command file registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('midstream')
    .description('MidStream: real-time multimodal media gateway')
    .exitOverride()
    .showHelpAfterError(false);
  registerServe(program);
  registerTemporal(program);
  registerInspect(program);
  return program;
}

/** Runs the CLI; returns the process exit code. Never lets a stack trace reach the user. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit with 0; usage errors already printed their message
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`midstream: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`midstream: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
