/** A part's `/ready`: its status and what it says. */
export async function readiness(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL('/ready', url));
  return { status: response.status, body: await response.json() };
}

/** Probes until `ok` holds and gives that value, or fails with the last one after `withinMs`. */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, withinMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
