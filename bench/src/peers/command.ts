/**
 * Runs a benchmark as a command: Ctrl-C (or SIGTERM) aborts it through the
 * signal it is given, so it stops what it started; a second signal, or 20 s
 * without an end, exits at once. Exits 0 when the run ends, 130 when stopped.
 */
export async function runInterruptibly(stopping: string, run: (signal: AbortSignal) => Promise<unknown>): Promise<never> {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping ${stopping}...`);
    controller.abort();
    // Whatever happens, the bench ends: the exit hook kills any child still running.
    setTimeout(() => {
      console.error('still stopping after 20 s: exiting anyway.');
      process.exit(130);
    }, 20_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await run(controller.signal);
  } catch (error) {
    if (interrupted) {
      console.error('stopped.');
      process.exit(130);
    }
    throw error;
  }
  process.exit(0);
}

/** A command-line option's value: `--name value` or `--name=value`. */
export function argument(name: string, args: readonly string[] = process.argv.slice(2)): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** A numeric option, or an error naming it when it is not a number. */
export function numberArgument(name: string, args: readonly string[] = process.argv.slice(2)): number | undefined {
  const text = argument(name, args);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, not "${text}"`);
  return n;
}
