import type { IncomingMessage, ServerResponse } from 'node:http';
import { runTarget, sendJson as send, serveRequests } from './child.js';
import { FloorDatabase } from './floor/database.js';
import { FloorError } from './floor/errors.js';
import { FLOOR_ANSWERS } from './floor/operations.js';
import { loadOperations, type Operation } from './operations.js';

/**
 * (f) The floor: what answering the mix takes on this machine with no
 * gateway, no subgraphs, no GraphQL execution and no ORM. One process,
 * `node:http` and `pg`: each query of examples/ is recognised by its exact
 * text and answered by SQL written for it (floor/operations.ts), most of
 * them one statement that builds the whole JSON answer in PostgreSQL, with
 * the same data the hub gives (the harness checks it, answer by answer).
 * Every request runs its SQL: nothing is kept between requests but the pool
 * and its prepared statements.
 *
 * It answers the examples as the load sends them, with their default
 * variables; any other request is refused with an error and a code.
 */

const refusal = (message: string, code: string) => JSON.stringify({ errors: [{ message, extensions: { code } }] });

/** The operation a request asks for, or why the floor does not answer it. */
function operationOf(text: string, mix: Map<string, Operation>): Operation | { status: number; body: string } {
  let request: { query?: unknown; operationName?: unknown; variables?: unknown };
  try {
    request = JSON.parse(text) as typeof request;
  } catch {
    return { status: 400, body: refusal('The request body is not valid JSON.', 'BAD_REQUEST') };
  }
  const operation = typeof request.operationName === 'string' ? mix.get(request.operationName) : undefined;
  if (!operation || request.query !== operation.query) {
    return { status: 400, body: refusal('The floor answers only the queries of examples/, by name and exactly as written there.', 'BAD_REQUEST') };
  }
  const variables = request.variables;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Object.keys(variables).length > 0)) {
    return { status: 400, body: refusal("The floor answers with the examples' default variables only; send none.", 'BAD_USER_INPUT') };
  }
  return operation;
}

await runTarget(async ({ databaseUrl, examplesDir }) => {
  if (!databaseUrl) throw new Error('the floor needs the subgraphs\' database (PEERS_DATABASE_URL)');
  const db = await FloorDatabase.open(databaseUrl);
  const mix = new Map((await loadOperations(examplesDir || undefined)).map((op) => [op.name, op]));
  const unanswered = [...mix.keys()].filter((name) => !FLOOR_ANSWERS[name]);

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return send(response, 405, refusal('Send the query as a JSON POST.', 'BAD_REQUEST'));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const operation = operationOf(Buffer.concat(chunks).toString('utf8'), mix);
    if ('status' in operation) return send(response, operation.status, operation.body);
    const answer = FLOOR_ANSWERS[operation.name];
    if (!answer) return send(response, 400, refusal(`The floor has no SQL for ${operation.name} yet.`, 'BAD_REQUEST'));
    try {
      send(response, 200, `{"data":${await answer(db, operation.variables)}}`);
    } catch (error) {
      if (!(error instanceof FloorError)) throw error;
      send(response, 200, JSON.stringify({ data: null, errors: [{ message: error.message, extensions: { code: error.code } }] }));
    }
  };
  // The message only (a failed statement says what failed), never a stack.
  const served = await serveRequests(handle, (error) => ({
    status: 500,
    body: refusal(`The floor could not answer: ${error.message}`, 'INTERNAL_SERVER_ERROR'),
  }));
  return {
    url: served.url,
    info: { operations: [...mix.keys()].filter((name) => FLOOR_ANSWERS[name]), unanswered },
    sqlStatements: () => db.statements,
    async stop() {
      await served.close();
      await db.end();
    },
  };
});
