import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds every workspace once, before any test file runs: some tests start
 * compiled entry points as child processes or worker threads (npm start, the
 * benchmarks' targets and load generators), and test files run in parallel,
 * so a build per file would have two compilers writing the same files while a
 * third test reads them. The IDE's bundle, which the gateway serves, likewise:
 * a build empties ide/dist for a few seconds.
 */
export default function buildOnce(): void {
  const built = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (built.status !== 0) throw new Error(`tsc -b failed:\n${built.stdout}${built.stderr}${built.error ?? ''}`);
  buildIdeIfStale();
}

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The gateway serves ide/dist: build it when it is missing or older than what it is built from. */
export function buildIdeIfStale(): void {
  const ide = join(root, 'ide');
  const built = join(ide, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts']
    .map((name) => join(ide, name))
    .concat(join(root, 'examples'), join(root, 'domain', 'src', 'network-files.ts'));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ide, stdio: 'inherit' });
}
