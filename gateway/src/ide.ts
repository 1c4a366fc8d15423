import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '@hub/server';

/**
 * The analysts' IDE (GraphiQL, the explorer, the examples and the network view),
 * built by `npm run build` into ide/dist and served by the gateway itself:
 *
 *   GET /graphql (a browser, Accept: text/html, no ?query=)   the IDE's page
 *   GET /ide/assets/<hashed name>                              its scripts, styles, fonts, workers
 *
 * Everything it loads comes from here, so it works offline, and the CSP below
 * lets the page load nothing from anywhere else.
 */

// gateway/src (tests) and gateway/dist (production) are both two levels below the repository root.
const DEFAULT_DIST = fileURLToPath(new URL('../../ide/dist/', import.meta.url));

/**
 * Only this origin. Monaco runs its language services in workers (same-origin
 * module scripts) and injects its own <style> elements, hence 'unsafe-inline'
 * for styles only; scripts stay 'self'. The graph view exports PNG through blob: URLs.
 */
export const IDE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

// Text assets are sent gzipped; hashed names never change content, so each is compressed once.
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.map', '.ttf']);
const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IDE not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The IDE is not built</h1>
<p>The gateway serves GraphQL at this address, but the analysts' IDE has not been built.
Run <code>npm run build</code> in the repository, then reload this page.</p>
<p>GraphQL itself works: POST a query to <code>/graphql</code>.</p>
</body></html>
`;

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': IDE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** A browser asking for a page, not a client asking for GraphQL over GET. */
function wantsPage(request: IncomingMessage, url: URL): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (url.pathname !== '/graphql' && url.pathname !== '/') return false;
  if (url.searchParams.has('query') || url.searchParams.has('extensions')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  headers: Record<string, string>,
): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  const extension = extname(path);
  const gzip = COMPRESSIBLE.has(extension) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  let body: Buffer;
  if (gzip) {
    let cached = gzipped.get(path);
    if (!cached || cached.mtimeMs !== info.mtimeMs) {
      cached = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(path)) };
      gzipped.set(path, cached);
    }
    body = cached.body;
  } else {
    body = await readFile(path);
  }
  response.writeHead(200, {
    ...securityHeaders(),
    ...headers,
    'content-type': TYPES[extension] ?? 'application/octet-stream',
    'content-length': String(body.length),
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

function notFound(response: ServerResponse, message: string) {
  response.writeHead(404, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8' });
  response.end(message);
}

/** The IDE's page and assets; `dist` is the IDE's build folder (ide/dist by default). */
export function ideRoute(dist: string = process.env.IDE_DIST ?? DEFAULT_DIST): Route {
  return async (request, response, url) => {
    if (wantsPage(request, url)) {
      // The page is small and names the current hashed assets: never cached.
      const sent = await sendFile(request, response, join(dist, 'index.html'), { 'cache-control': 'no-cache' });
      if (!sent) {
        response.writeHead(503, { ...securityHeaders(), 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(NOT_BUILT);
      }
      return true;
    }
    if (!url.pathname.startsWith('/ide/')) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('The IDE is read with GET.');
      return true;
    }
    // One plain file name under assets/: no folders, no dot-dot, nothing encoded.
    const name = /^\/ide\/assets\/([A-Za-z0-9_-][A-Za-z0-9._-]*)$/.exec(url.pathname)?.[1];
    if (!name || name.includes('..')) {
      notFound(response, `Nothing at ${url.pathname}.`);
      return true;
    }
    // Hashed names: a changed file gets a new name, so browsers may keep each one for a year.
    const sent = await sendFile(request, response, join(dist, 'assets', name), {
      'cache-control': 'public, max-age=31536000, immutable',
    });
    if (!sent) notFound(response, `No IDE asset named ${name}; the page may be older than the last build: reload it.`);
    return true;
  };
}
