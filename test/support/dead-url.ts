import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An address on this machine where nothing listens: a part that is down, as its callers see it. */
export async function deadUrl(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return url;
}
