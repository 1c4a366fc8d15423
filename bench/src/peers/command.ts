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
