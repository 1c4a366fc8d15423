/** How every part of the hub stops: in order, with a deadline, on Ctrl-C or SIGTERM. */
const SHUTDOWN_DEADLINE_MS = 15_000;

/** Stops everything in `parts` (last started, first stopped) on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignals(parts: { stop(): Promise<void> }[], log: (message: string) => void = console.log): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: still stopping.`);
      return;
    }
    stopping = true;
    log(`\n${signal}: stopping...`);
    // A deadline, and a live handle: some closers (PGlite's) resolve only
    // while something else keeps the event loop running.
    const deadline = setTimeout(() => {
      console.error(`still stopping after ${SHUTDOWN_DEADLINE_MS / 1000}s: exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    for (const part of [...parts].reverse()) {
      await part.stop().catch((error) => console.error('while stopping:', error));
    }
    clearTimeout(deadline);
    log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
