import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromPart, ToPart } from '../../scripts/src/supervisor.js';

// A part for the supervisor's tests, speaking its protocol: answers "ok" on
// its port, and on /grow keeps everything it allocates until its heap runs out.
// Node runs it as it is (it strips the types), so it imports types only.

const supervisor = parentPort!;
const { port } = workerData as { port: number };
const hoard: unknown[] = [];

const server = createServer((request, response) => {
  if (request.url === '/grow') {
    for (;;) hoard.push({ filler: new Array(1_000).fill(hoard.length) });
  }
  response.end('ok');
});

server.listen(port, '127.0.0.1', () => {
  supervisor.postMessage({ type: 'ready', url: `http://127.0.0.1:${port}/` } satisfies FromPart);
});

supervisor.on('message', (message: ToPart) => {
  if (message.type !== 'stop') return;
  server.close(() => supervisor.close());
  server.closeIdleConnections();
});
