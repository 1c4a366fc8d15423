import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds every workspace once, before any test file runs: some tests start
 * compiled entry points as child processes or worker threads (npm start, the
 * benchmarks' targets and load generators), and test files run in parallel,
 * so a build per file would have two compilers writing the same files while a
 * third test reads them.
 */
export default function buildOnce(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const built = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (built.status !== 0) throw new Error(`tsc -b failed:\n${built.stdout}${built.stderr}${built.error ?? ''}`);
}
