/**
 * Tools for fuzzing the gateway over HTTP: hostile requests as fast-check
 * arbitraries, a client that sends them as they are (node:http, or a raw
 * socket for what node:http refuses to write), and the checks every answer
 * must pass whatever was asked.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';

// ---------------------------------------------------------------------------
// Sending

export interface FuzzRequest {
  /** Which generator made it: for the statistics and for reading a failure. */
  label: string;
  method: string;
  /** Path and query string, sent byte for byte. */
  path: string;
  headers: [string, string][];
  body?: string | Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** How long any one answer may take: subgraphs time out after 10 s, so 15 s means the gateway hangs. */
export const ANSWER_TIMEOUT_MS = 15_000;

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function closeAgent(): void {
  agent.destroy();
}

/** Sends a request as given; rejects only when no HTTP answer arrives. */
export async function send(origin: URL, req: FuzzRequest): Promise<FuzzResponse> {
  const started = performance.now();
  try {
    return await sendOnce(origin, req, agent);
  } catch (error) {
    // A keep-alive socket the server closed just as we reused it is a race
    // of the client's, not the server's (node:http's documented retry case).
    // A reused socket that stalled first is the server's doing: not retried.
    const ms = performance.now() - started;
    if ((error as { reusedSocket?: boolean }).reusedSocket && ms < 1_000) return sendOnce(origin, req, false);
    throw new Error(`${(error as Error).message} after ${Math.round(ms)} ms${(error as { reusedSocket?: boolean }).reusedSocket ? ' on a reused keep-alive connection' : ''}`);
  }
}

function sendOnce(origin: URL, req: FuzzRequest, via: Agent | false): Promise<FuzzResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: origin.hostname,
        port: origin.port,
        method: req.method,
        path: req.path,
        // Given as a list (to allow repeats), headers get no Host from node:http: add it.
        headers: [['host', origin.host], ...req.headers].flat(),
        agent: via,
        // The client's own header size limit must not stop what the server should judge.
        maxHeaderSize: 1 << 20,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), ms: performance.now() - started });
        });
        response.on('error', (error) => reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket })));
      },
    );
    outgoing.setTimeout(ANSWER_TIMEOUT_MS, () => outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    outgoing.on('error', (error) => reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket })));
    outgoing.end(req.body);
  });
}

export interface RawAnswer {
  /** Status codes of the answers received, in order (pipelined requests get several). */
  statuses: number[];
  text: string;
  /** Whether the server closed the connection before `waitMs`. */
  closed: boolean;
}

/**
 * Writes bytes to a fresh connection, half-closes it, and reads until the
 * server closes it (or `waitMs` passes). For what node:http will not write:
 * bad request lines, control characters in headers, conflicting lengths.
 */
export function sendRaw(origin: URL, bytes: Buffer, waitMs = 3_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(Number(origin.port), origin.hostname);
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ statuses: [...text.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1])), text, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => done(true));
    socket.on('error', () => {}); // a reset after the answer is the server's right
  });
}

// ---------------------------------------------------------------------------
// Checking

/**
 * What an answer must never contain unless the client sent it itself (a
 * syntax error quotes the document back): stack frames, SQL, addresses and
 * paths of the machine, names of internal errors.
 */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\n\s*at \S.*(:\d+:\d+|\(native\)|<anonymous>)/],
  ['a stack trace', /stacktrace/i],
  ['SQL', /\bselect\s+\S/i],
  ['SQL', /\binsert\s+into\b/i],
  ['SQL', /\sfrom\s+"/i],
  ['SQL', /\b(syntax error at or near|violates .* constraint|invalid byte sequence|relation "[^"]*" does not exist)/i],
  ['an internal address', /127\.0\.0\.1/],
  ['an internal address', /localhost:/i],
  ['an internal address', /\[::1\]/],
  ['a database URL', /postgres(ql)?:\/\//i],
  ['a file path', /node_modules|file:\/\//i],
  ['a file path', new RegExp(escapeRegExp(process.cwd()))],
  ['an internal error name', /\b(TypeError|RangeError|ReferenceError)\b|Maximum call stack|Cannot read propert/],
  ['an internal error name', /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)\b/],
  ['an ORM or driver name', /mikro-?orm|pglite|\bknex\b/i],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every string inside a JSON value, keys too, so escapes in the text do not hide an echo. Iterative: values nest 50,000 deep. */
export function strings(value: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') found.push(v);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        found.push(k);
        stack.push(inner);
      }
    }
  }
  return found;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Everything the client sent, as text, in the forms it may come back in. */
export function clientText(req: FuzzRequest): string {
  const body = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
  const parsed = tryJson(body);
  return [req.method, req.path, safeDecode(req.path), ...req.headers.flat(), body, ...(parsed.ok ? strings(parsed.value) : [])].join('\n');
}

/** Finds what leaks: patterns in the answer that the client's own text does not explain. */
export function leaksIn(answer: string, sent: string): string[] {
  const parsed = tryJson(answer);
  const texts = [answer, ...(parsed.ok ? strings(parsed.value) : [])].join('\n');
  return LEAKS.filter(([, pattern]) => pattern.test(texts) && !pattern.test(sent)).map(
    ([what, pattern]) => `${what} (${pattern}): ${JSON.stringify(texts.match(pattern)?.[0])}`,
  );
}

/** The operationName a request carries, in its JSON body or its query string. */
function operationNameOf(req: FuzzRequest): unknown {
  const body = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
  const parsed = tryJson(body);
  if (parsed.ok && parsed.value && typeof parsed.value === 'object' && 'operationName' in parsed.value) {
    return (parsed.value as { operationName: unknown }).operationName;
  }
  try {
    return new URL(req.path, 'http://x').searchParams.get('operationName') ?? undefined;
  } catch {
    return undefined;
  }
}

export interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown };
}

/** The GraphQL error codes of an answer, if it is a GraphQL answer. */
export function errorCodes(res: FuzzResponse): string[] {
  const parsed = tryJson(res.body.toString('utf8'));
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') return [];
  const errors = (parsed.value as { errors?: GraphQLErrorShape[] }).errors;
  return Array.isArray(errors) ? errors.map((e) => String(e?.extensions?.code ?? '')) : [];
}

/**
 * The properties every answer must have, whatever the request: below 500
 * (a client's mistake is a 4xx, or a 200 with GraphQL errors), JSON when it
 * says so, and nothing internal in it. Returns the problems found.
 */
export function problemsOf(req: FuzzRequest, res: FuzzResponse): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`status ${res.status}`);
  if (res.status < 100) problems.push(`status ${res.status}`);
  const text = res.body.toString('utf8');
  const type = String(res.headers['content-type'] ?? '');
  const hasBody = req.method !== 'HEAD' && res.status !== 204 && res.status !== 304;
  if (/json/i.test(type) && hasBody) {
    const parsed = tryJson(text);
    if (!parsed.ok) problems.push(`content-type ${type} but the body is not JSON`);
    else if (type.includes('json') && parsed.value !== null && typeof parsed.value === 'object' && 'errors' in parsed.value) {
      const errors = (parsed.value as { errors: unknown }).errors;
      if (!Array.isArray(errors) || errors.some((e) => typeof (e as GraphQLErrorShape)?.message !== 'string')) {
        problems.push('"errors" is not a list of errors with messages');
      }
    }
  }
  problems.push(...leaksIn(text, clientText(req)).map((leak) => `leaks ${leak}`));
  return problems;
}

/** Counts what was sent and how it was answered, for the summary at the end. */
export class FuzzStats {
  requests = 0;
  rawRequests = 0;
  validChecks = 0;
  readonly byLabel = new Map<string, number>();
  readonly msByLabel = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  /** Answers whose error codes blame the server, not the client: for the report. */
  readonly serverSideCodes = new Map<string, { count: number; example: string }>();
  slowest = { ms: 0, label: '' };

  record(req: FuzzRequest, res: FuzzResponse): void {
    this.requests++;
    bump(this.byLabel, req.label);
    this.msByLabel.set(req.label, (this.msByLabel.get(req.label) ?? 0) + res.ms);
    bump(this.byStatus, res.status);
    for (const code of new Set(errorCodes(res))) {
      if (code === 'INTERNAL_SERVER_ERROR' || code.startsWith('SUBGRAPH_')) {
        // Keep the shortest request as the example: the easiest to read.
        const example = describe(req, 300);
        const seen = this.serverSideCodes.get(code);
        if (!seen) this.serverSideCodes.set(code, { count: 1, example });
        else {
          seen.count++;
          if (example.length < seen.example.length) seen.example = example;
        }
      }
    }
    if (res.ms > this.slowest.ms) this.slowest = { ms: res.ms, label: req.label };
  }

  summary(): string {
    const list = <K>(m: Map<K, number>) => [...m].map(([k, n]) => `${k}: ${n}`).join(', ');
    return [
      `${this.requests} HTTP requests and ${this.rawRequests} raw-socket requests, ${this.validChecks} of them known-good queries checked exactly`,
      `by generator: ${[...this.byLabel].map(([k, n]) => `${k}: ${n} (${Math.round((this.msByLabel.get(k) ?? 0) / n)} ms)`).join(', ')}`,
      `by status: ${list(new Map([...this.byStatus].sort((a, b) => a[0] - b[0])))}`,
      `slowest answer: ${Math.round(this.slowest.ms)} ms (${this.slowest.label})`,
      ...[...this.serverSideCodes].map(([code, { count, example }]) => `${code} in ${count} other answers, e.g. ${example}`),
    ].join('\n');
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Makes fast-check print a request as `describe` does, not 200 KB of it. */
export function printable<T extends FuzzRequest>(req: T): T {
  return Object.defineProperty(req, fc.toStringMethod, { value: () => describe(req), enumerable: false });
}

/** A request, short enough to read in a report. */
export function describe(req: FuzzRequest, max = 600): string {
  const body = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);
  return `[${req.label}] ${req.method} ${cut(req.path)} headers=${cut(JSON.stringify(req.headers))} body=${cut(JSON.stringify(body))}`;
}

// ---------------------------------------------------------------------------
// Generating

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent, never throws on lone surrogates. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Awkward characters: Thai, emoji, combining marks, direction overrides, lone surrogates, NUL, BOM. */
const AWKWARD = [
  'ก', 'นครศรีธรรมราช', 'ผู้', '่', '๙', '🙂', '👨‍👩‍👧‍👦', '🇹🇭', 'é', 'e\u0301', '\u202e', '\u200b', '\uFEFF',
  '\ud800', '\udfff', '\udbff\udfff', '\u0000', '\u0007', '\u001b[31m', '\r\n', '\t', '\\', '"', "'", '`', '%', '_',
];
const thaiChar = fc.integer({ min: 0x0e00, max: 0x0e7f }).map((c) => String.fromCodePoint(c));
const awkwardChar = fc.oneof(fc.constantFrom(...AWKWARD), thaiChar);

/** Text a person or an attacker might type, including what does not survive UTF-8. */
export const awkwardString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: thaiChar, maxLength: 30 }),
  fc.string({ unit: awkwardChar, maxLength: 20 }),
  fc.constantFrom(
    '', ' ', 'TH-80', 'th-80', 'TH-8O', 'TH-800', 'TH-', 'gov_th80_centre', 'peo_th80_centre', 'prt_x', 'ini_km_nakhon',
    "' or 1=1 --", "'; drop table actor; --", '%%', '_%_', '\\%', '${jndi:ldap://x/a}', '<script>alert(1)</script>',
    '../../../../etc/passwd', '{"$gt":""}', 'null', 'undefined', 'NaN', '__proto__', 'constructor', 'toString',
  ),
);

/** Cursors and ids as a client might forge them: base64 of anything, of `id:` and anything. */
export const forgedCursor = fc.oneof(
  fc.base64String({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 30 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  awkwardString.map((s) => Buffer.from(`id:${s}`, 'utf8').toString('base64url')),
  awkwardString.map((s) => Buffer.from(`id:${s}`, 'utf8').toString('base64')),
  fc.constantFrom('aWQ6', 'aWQ6aW5p', '====', '-_-_', 'id:ini_km_nakhon', Buffer.from('id:ini_zzz').toString('base64url')),
);

// --- documents ------------------------------------------------------------

/** Operations the fuzzer starts from: the examples are added by the test. */
export const BASE_OPERATIONS = [
  '{ provinces { code nameEn } }',
  '{ province(code: "TH-80") { nameEn peopleOrganizations { totalCount } } }',
  'query Q($code: ID! = "TH-80") { province(code: $code) { code nameTh partners(first: 2) { nodes { id name } } } }',
  '{ initiatives(first: 3, theme: LAND) { totalCount pageInfo { endCursor } nodes { id title provinces { code } } } }',
  '{ actor(id: "gov_th80_centre") { __typename id name ... on GovernmentCentre { kind } } }',
  'fragment P on Province { code nameEn } query { provinces(region: SOUTH) { ...P } }',
];

const mutationArb = fc.record({
  op: fc.constantFrom('delete', 'duplicate', 'swap', 'insert', 'truncate', 'replace'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  len: fc.integer({ min: 1, max: 40 }),
  text: fc.oneof(
    fc.constantFrom('{', '}', '(', ')', '[', ']', '"', '"""', '$', '@', '...', '!', ':', '=', '#', ',', '|', '&', 'on', 'query', 'fragment', '__proto__'),
    awkwardChar,
    fc.string({ maxLength: 6 }),
  ),
});

/** Drops, duplicates, swaps, inserts and cuts characters of a document. */
function mutate(source: string, mutations: { op: string; at: number; len: number; text: string }[]): string {
  let s = source;
  for (const { op, at, len, text } of mutations) {
    const i = Math.floor(at * s.length);
    if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
    else if (op === 'duplicate') s = s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
    else if (op === 'swap') s = s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2);
    else if (op === 'insert') s = s.slice(0, i) + text + s.slice(i);
    else if (op === 'truncate') s = s.slice(0, i);
    else s = s.slice(0, i) + text + s.slice(i + len);
  }
  return s;
}

const identifier = fc.oneof(
  fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,15}$/),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__typename', '__schema', '__type', 'then', 'length'),
);

/** GraphQL literals, valid and not, as source text. */
const literal: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('0', '-0', '2147483647', '2147483648', '-2147483649', '99999999999999999999999', '1e400', '-1e-400', '0x10', '01', '1.', '.5', 'NaN', 'Infinity'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  awkwardString.map((s) => JSON.stringify(s)),
  forgedCursor.map((s) => JSON.stringify(s)),
  awkwardString.map((s) => `"""${s}"""`),
  fc.constantFrom('null', 'true', 'false', 'LAND', 'SOUTH', 'GOVERNMENT', 'PROVINCIAL_CENTRE', 'NOT_A_VALUE', 'null_', '$undeclared', '"2020-01-01"', '"2020-13-45"', '"99999-01-01"'),
  fc.constantFrom('[]', '[1, "a", null]', '{}', '{ a: 1 }', '{ code: "TH-80" }', '[[["TH-80"]]]', '{ __proto__: { polluted: true } }'),
);

/** Where a literal goes: each a field of the schema with one argument left to fill. */
const ARGUMENT_SLOTS = [
  'province(code: $) { nameEn }',
  'provinces(region: $) { code }',
  'initiatives(first: $) { totalCount }',
  'initiatives(first: 2, after: $) { nodes { id } }',
  'initiatives(theme: $, first: 2) { totalCount }',
  'initiatives(activeFrom: $, first: 2) { totalCount }',
  'initiatives(search: $, first: 2) { totalCount }',
  'initiatives(actorId: $, first: 2) { totalCount }',
  'initiative(id: $) { id title }',
  'actor(id: $) { id name }',
  'neighbourhood(actorId: $) { truncated }',
  'neighbourhood(actorId: "gov_th80_centre", depth: $, limit: 5) { truncated }',
  'neighbourhood(actorId: "gov_th80_centre", linkTypes: $, limit: 5) { truncated }',
  'shortestPath(fromId: "peo_th80_centre", toId: $) { hops }',
  'shortestPath(fromId: "peo_th80_centre", toId: "peo_th80_networks", maxHops: $) { hops }',
  'collaborators(actorId: $, first: 2) { sharedInitiatives }',
  'provinceNetwork(provinceCode: $, top: 2) { nodeCount }',
  'provinceNetwork(provinceCode: "TH-80", top: $) { nodeCount }',
  'governmentCentres(provinceCode: $, first: 2) { totalCount }',
  'peopleOrganizations(kind: $, first: 2) { totalCount }',
  'privatePartners(search: $, first: 2) { totalCount }',
  'peopleOrganization(id: $) { id }',
  'officialOrder(id: $) { id }',
  'province(code: "TH-80") { initiatives(first: 2, after: $) { nodes { id } } }',
  'province(code: "TH-80") { peopleOrganizations(first: $) { totalCount } }',
  'initiativeStats(provinceCode: $) { total }',
];

function fragmentBomb(k: number, onType: 'Query' | 'Province'): string {
  let fragments = onType === 'Query' ? 'fragment F0 on Query { __typename }' : 'fragment F0 on Province { code }';
  for (const i of range(k)) fragments += ` fragment F${i + 1} on ${onType} { ...F${i} ...F${i} }`;
  return onType === 'Query' ? `{ ...F${k} } ${fragments}` : `{ provinces { ...F${k} } } ${fragments}`;
}

/** Malformed, oversized and hostile GraphQL documents. */
export function documentArb(seeds: string[]): fc.Arbitrary<{ family: string; doc: string }> {
  const tag = (family: string) => (doc: string) => ({ family, doc });
  return fc.oneof(
    // Noise.
    fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: awkwardChar, maxLength: 60 })).map(tag('random text')),
    // Real operations, damaged.
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { minLength: 1, maxLength: 6 })).map(([s, m]) => mutate(s, m)).map(tag('mutated example')) },
    // Deep nesting of every kind.
    fc
      .tuple(fc.integer({ min: 1, max: 1_600 }), fc.constantFrom('field', 'schema-valid', 'list', 'object', 'inline', 'braces', 'parens'))
      .map(([d, kind]) => {
        switch (kind) {
          case 'field':
            return `{ ${'provinces { '.repeat(d)}code${' }'.repeat(d)} }`;
          case 'schema-valid': {
            const n = Math.min(d, 40);
            return `{ province(code: "TH-80") { ${'initiatives(first: 1) { nodes { provinces { '.repeat(n)}code${' } } }'.repeat(n)} } }`;
          }
          case 'list':
            return `{ neighbourhood(actorId: "gov_th80_centre", linkTypes: ${'['.repeat(d)}LINK${']'.repeat(d)}) { truncated } }`;
          case 'object':
            return `{ initiatives(activeFrom: ${'{ a: '.repeat(d)}1${' }'.repeat(d)}) { totalCount } }`;
          case 'inline':
            return `{ ${'... on Query { '.repeat(d)}__typename${' }'.repeat(d)} }`;
          case 'braces':
            return '{'.repeat(d) + '}'.repeat(Math.floor(d / 2));
          default:
            return `{ province${'('.repeat(d)} }`;
        }
      })
      .map(tag('deep nesting')),
    // Many aliases, some named like Object.prototype's members.
    fc
      .tuple(fc.integer({ min: 1, max: 150 }), fc.constantFrom('__typename', 'provinces { code }', 'province(code: "TH-80") { code }'), fc.array(identifier, { maxLength: 5 }))
      .map(([n, field, names]) => `{ ${[...names, ...range(n).map((i) => `a${i}`)].map((a) => `${a}: ${field}`).join(' ')} }`)
      .map(tag('aliases')),
    // Unknown fields and arguments.
    fc
      .tuple(identifier, identifier, identifier, literal)
      .map(([field, arg, sub, value]) => `{ ${field}(${arg}: ${value}) { ${sub} } province(code: "TH-80", ${arg}: ${value}) { nameEn ${sub} } }`)
      .map(tag('unknown names')),
    // Arguments of the wrong type, or hostile values of the right one.
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...ARGUMENT_SLOTS), literal).map(([slot, value]) => `{ ${slot.replace('$', value)} }`).map(tag('argument values')) },
    // Long strings, some over the body limit.
    fc
      .tuple(fc.integer({ min: 1_000, max: 260_000 }), fc.constantFrom('a', 'ก', '🙂', '\\u0000', '\\"'))
      .map(([n, unit]) => `{ initiatives(search: "${unit.repeat(Math.ceil(n / Buffer.byteLength(unit)))}") { totalCount } }`)
      .map(tag('long string')),
    // Fragments: cycles, bombs, unknown and unused ones, spreads on the wrong type.
    fc
      .oneof(
        fc.integer({ min: 1, max: 40 }).map((k) => fragmentBomb(k, 'Query')),
        fc.integer({ min: 1, max: 40 }).map((k) => fragmentBomb(k, 'Province')),
        fc.constantFrom(
          '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
          '{ ...A } fragment A on Query { ...A }',
          '{ ...Missing }',
          '{ provinces { code } } fragment Unused on Query { __typename }',
          '{ provinces { ...P } } fragment P on Initiative { id }',
          '{ provinces { ... on Initiative { id } } }',
          'fragment A on Query { __typename } fragment A on Query { __typename } { ...A }',
        ),
      )
      .map(tag('fragments')),
    // Directives, operations and introspection.
    fc
      .oneof(
        fc.integer({ min: 1, max: 120 }).map((n) => `{ provinces ${'@include(if: true) '.repeat(n)}{ code } }`),
        fc.tuple(identifier, literal).map(([name, value]) => `{ provinces @${name}(if: ${value}) { code } }`),
        fc.constantFrom(
          '{ provinces @skip(if: "yes") { code } }',
          '{ ... @defer { provinces { code } } }',
          '{ provinces @stream(initialCount: 1) { code } }',
          'mutation { provinces { code } }',
          'subscription { provinces { code } }',
          'query A { __typename } query B { __typename }',
          'query A { __typename } query A { provinces { code } }',
          'query ($a: ID!, $a: ID!) { province(code: $a) { code } }',
          'query ($a: ID! = 5) { province(code: $a) { code } }',
          'query ($a: Nope) { __typename }',
          'query ($a: [[[ID!]!]!]!) { __typename }',
          '{ __schema { types { name fields { name args { name type { name ofType { name ofType { name ofType { name } } } } } } } } }',
          '{ __type(name: "Province") { fields { name type { name } } } }',
          '{ __typename __typename __typename }',
          '{ provinces { code code: nameEn } }',
          '# only a comment',
          '\uFEFF{ __typename }',
          '{ __typename } trailing',
          'schema { query: Query }',
          'type Query { x: Int }',
          'extend type Query { x: Int }',
        ),
        fc.tuple(identifier, fc.string({ unit: 'binary', maxLength: 40 })).map(([name, text]) => `{ __type(name: ${JSON.stringify(name + text)}) { name } }`),
      )
      .map(tag('operations and directives')),
  );
}

/** A document as a client would send it: POSTed JSON, or GET with a preflight header. */
export function documentRequestArb(seeds: string[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(documentArb(seeds), fc.constantFrom('post', 'post', 'post', 'get'), fc.option(fc.oneof(identifier, awkwardString), { freq: 5 }))
    .map(([{ family, doc }, transport, operationName]) => {
      const label = `document: ${family}`;
      if (transport === 'get') {
        return printable({
          label,
          method: 'GET',
          path: `/graphql?query=${percentEncode(doc)}${operationName !== null ? `&operationName=${percentEncode(operationName)}` : ''}`,
          headers: [['apollo-require-preflight', 'true']],
        });
      }
      return printable({
        label,
        method: 'POST',
        path: '/graphql',
        headers: [['content-type', 'application/json']],
        body: JSON.stringify(operationName === null ? { query: doc } : { query: doc, operationName }),
      });
    });
}

// --- variables ------------------------------------------------------------

/** Operations that take variables, the kinds of value each expects. */
export const VARIABLE_OPERATIONS = [
  'query ($code: ID!) { province(code: $code) { code nameEn } }',
  'query ($provinceCode: ID) { governmentCentres(provinceCode: $provinceCode, first: 3) { totalCount nodes { id } } }',
  'query ($after: String, $first: Int) { initiatives(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }',
  'query ($after: String) { peopleOrganizations(first: 2, after: $after) { nodes { id } } privatePartners(first: 2, after: $after) { nodes { id } } }',
  'query ($after: String) { province(code: "TH-80") { initiatives(first: 2, after: $after) { nodes { id } } peopleOrganizations(first: 1, after: $after) { nodes { id } } } }',
  'query ($actorId: ID!) { collaborators(actorId: $actorId, first: 3) { sharedInitiatives actor { id } } }',
  'query ($actorId: ID!, $depth: Int, $linkTypes: [LinkType!]) { neighbourhood(actorId: $actorId, depth: $depth, linkTypes: $linkTypes, limit: 20) { truncated nodes { depth } } }',
  'query ($fromId: ID!, $toId: ID!, $maxHops: Int) { shortestPath(fromId: $fromId, toId: $toId, maxHops: $maxHops) { hops } }',
  'query ($id: ID!) { actor(id: $id) { __typename id name } initiative(id: $id) { id title } }',
  'query ($id: ID!) { peopleOrganization(id: $id) { id } governmentCentre(id: $id) { id } privatePartner(id: $id) { id } officialOrder(id: $id) { id } }',
  'query ($search: String) { peopleOrganizations(search: $search, first: 3) { totalCount } initiatives(search: $search, first: 3) { totalCount } }',
  'query ($search: String!) { governmentCentres(search: $search, first: 3) { totalCount } privatePartners(search: $search, first: 3) { totalCount } }',
  'query ($actorId: ID, $provinceCode: ID, $theme: Theme, $region: Region, $status: InitiativeStatus, $sector: Sector) { initiatives(actorId: $actorId, provinceCode: $provinceCode, theme: $theme, region: $region, status: $status, participantSector: $sector, first: 3) { totalCount } }',
  'query ($from: LocalDate, $to: LocalDate) { initiatives(activeFrom: $from, activeTo: $to, first: 3) { totalCount } }',
  'query ($provinceCode: ID!, $top: Int) { provinceNetwork(provinceCode: $provinceCode, top: $top) { nodeCount } }',
  'query ($region: Region) { provinces(region: $region) { code } peopleStats(region: $region) { total } }',
  'query ($if: Boolean!) { provinces @include(if: $if) { code } }',
];

export function declaredVariables(operation: string): string[] {
  return [...operation.matchAll(/\$(\w+)\s*:/g)].map((m) => m[1]!);
}

/** A JSON value as text: JSON.stringify cannot write an own `__proto__` key, nor nest 50,000 deep. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: awkwardString.map((s) => JSON.stringify(s)) },
  { weight: 3, arbitrary: forgedCursor.map((s) => JSON.stringify(s)) },
  { weight: 3, arbitrary: fc.constantFrom('null', 'true', 'false', '0', '-0', '1.5', '2147483648', '-2147483649', '1e308', '-1e308', '1e-320', '123456789012345678901234567890', '[]', '{}', '[null]', '["LAND", "LAND"]', '["SHARED_INITIATIVE"]', '"2020-01-01"') },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  fc.integer({ min: 1_000, max: 150_000 }).map((n) => JSON.stringify('x'.repeat(n))),
  fc.integer({ min: 1, max: 50_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 30_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.constantFrom(
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"__proto__": null, "toString": 1, "valueOf": "x", "hasOwnProperty": []}',
    '{"code": "TH-80", "__proto__": {"code": "TH-10"}}',
  ),
);

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

/** Operations with hostile variables: wrong types, forged ids and cursors, prototype keys, deep JSON. */
export function variablesRequestArb(operations: string[]): fc.Arbitrary<FuzzRequest & { operation: string; variablesJson: string }> {
  return fc
    .constantFrom(...operations)
    .chain((operation) => {
      const names = declaredVariables(operation);
      return fc.tuple(
        fc.constant(operation),
        fc.tuple(...names.map((name) => fc.option(hostileJsonText.map((json) => [name, json] as const), { freq: 6 }))),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), identifier), hostileJsonText), { maxLength: 3 }),
        fc.constantFrom('object', 'object', 'object', 'object', 'string', 'array', 'null'),
      );
    })
    .map(([operation, declared, extra, shape]) => {
      const pairs = [...declared.filter((p) => p !== null), ...extra].map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
      const object = `{${pairs.join(', ')}}`;
      const variablesJson = shape === 'object' ? object : shape === 'string' ? JSON.stringify(object) : shape === 'array' ? `[${object}]` : 'null';
      return printable({
        label: 'variables',
        method: 'POST',
        path: '/graphql',
        headers: [['content-type', 'application/json']] as [string, string][],
        body: `{"query": ${JSON.stringify(operation)}, "variables": ${variablesJson}}`,
        operation,
        variablesJson,
      });
    });
}

// --- HTTP -----------------------------------------------------------------

const headerValue = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'v'.repeat(n)),
);
const headerName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
  fc.constantFrom(
    'x-request-id', 'traceparent', 'tracestate', 'baggage', 'cookie', 'authorization', 'x-forwarded-for', 'x-forwarded-host', 'forwarded', 'host',
    'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'content-encoding', 'accept-encoding', 'accept-charset',
    'origin', 'referer', 'range', 'if-none-match', 'upgrade', 'te', '__proto__', 'constructor',
  ),
);

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=ebcdic', 'APPLICATION/JSON',
  'application/json;;;', 'application/jsonx', 'application/graphql', 'application/graphql-response+json', 'text/plain', 'text/plain; charset=utf-8',
  'multipart/form-data; boundary=----x', 'application/x-www-form-urlencoded', '', ';', '*/*', 'application/octet-stream', 'text/html',
];
const ACCEPTS = [
  'application/json', '*/*', 'text/html', 'multipart/mixed', 'multipart/mixed; deferSpec=20220824', 'application/graphql-response+json',
  'application/graphql-response+json;q=0.9, application/json;q=0.8', 'text/event-stream', '', ';;;', 'application/json;q=abc', ',,,,', 'image/png;q=1',
];

const queryString = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?', '?%', '?%zz', '?&&&==', '?query', '?query=', '?variables={}', '?query={__typename}&query={__typename}', '?__proto__[x]=1&constructor=2'),
  documentArb(BASE_OPERATIONS).map(({ doc }) => `?query=${percentEncode(doc)}`),
  fc.tuple(awkwardString, awkwardString).map(([a, b]) => `?query=${percentEncode('{ __typename }')}&variables=${percentEncode(a)}&extensions=${percentEncode(b)}`),
  fc.tuple(awkwardString, fc.string({ maxLength: 12 })).map(([a, d]) => `?actor=${percentEncode(a)}&depth=${percentEncode(d)}&limit=${percentEncode(d)}`),
  awkwardString.map((p) => `?province=${percentEncode(p)}`),
  fc.array(fc.tuple(awkwardString, awkwardString), { maxLength: 8 }).map((kv) => `?${kv.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}`),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => `?query=${'%7B'.repeat(Math.floor(n / 3))}`),
);

/** Any path a scanner might try. */
const pathArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('/graphql', '/') },
  fc.constantFrom(
    '/health', '/ready', '/metrics', '/export/network.gexf', '/export/network.graphml', '/export/nodes.csv', '/export/edges.csv', '/export/',
    '/graphql/', '/GRAPHQL', '//graphql', '/graphql/../health', '/%2e%2e/%2e%2e/etc/passwd', '/graphql%00', '/.env', '/favicon.ico',
    '*', 'http://evil.example/graphql', '/graphql#frag', '//%zz', '//a:b', '//[',
  ),
  fc.array(awkwardString.map(percentEncode), { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
);

const bodyArb: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  // Not JSON at all, or JSON cut short.
  fc.string({ maxLength: 100 }),
  fc.integer({ min: 1, max: 60 }).map((n) => JSON.stringify({ query: BASE_OPERATIONS[1], variables: { code: 'TH-80' } }).slice(0, n)),
  fc.constantFrom('{"query": "{__typename}"} trailing', '\uFEFF{"query": "{__typename}"}', "{'query': '{__typename}'}", '{"query": "{__typename}",}', '{query: "{__typename}"}'),
  // JSON that is not an object.
  fc.constantFrom('42', '-1e999', '1e999', 'null', 'true', '"{__typename}"', '[]', '[1, 2]', '[null]', '""'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  // Batches, which the gateway refuses.
  fc.array(fc.oneof(fc.constant({ query: '{ __typename }' }), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 50 }).map((batch) => JSON.stringify(batch)),
  // The right shape with the wrong parts.
  fc
    .record({ query: fc.oneof(fc.constant('{ __typename }'), fc.jsonValue({ maxDepth: 2 })), variables: fc.jsonValue({ maxDepth: 2 }), operationName: fc.jsonValue({ maxDepth: 1 }), extensions: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] })
    .map((o) => JSON.stringify(o)),
  fc.constantFrom(
    '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
    '{"query": "{__typename}", "extensions": {"persistedQuery": {"version": 2, "sha256Hash": "x"}}}',
    '{"__proto__": {"query": "{__typename}"}}',
    '{"constructor": {"prototype": {"polluted": true}}, "query": "{__typename}"}',
    '{"query": "{__typename}", "query": "{ nope }"}',
    '{"query": "{__typename}", "variables": {"__proto__": {"polluted": true}}}',
  ),
  // Deep JSON, raw bytes, and bodies just over the limit.
  fc.integer({ min: 1, max: 90_000 }).map((n) => `{"query": "{__typename}", "x": ${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: 200_001, max: 250_000 }).map((n) => JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(n) } })),
);

/** Requests that are wrong at the HTTP level: methods, paths, content types, bodies, headers. */
export const httpRequestArb: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.oneof(
      { weight: 4, arbitrary: fc.constant('POST') },
      fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'PURGE', 'MKCOL'),
      fc.stringMatching(/^[A-Z]{1,12}$/),
    ),
    path: pathArb,
    query: queryString,
    contentType: fc.option(fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue), { freq: 4 }),
    accept: fc.option(fc.oneof(fc.constantFrom(...ACCEPTS), headerValue), { freq: 2 }),
    preflight: fc.boolean(),
    junk: fc.array(fc.tuple(headerName, headerValue), { maxLength: 40 }),
    body: bodyArb,
  })
  .map(({ method, path, query, contentType, accept, preflight, junk, body }) => {
    const headers: [string, string][] = [];
    if (contentType !== null) headers.push(['content-type', contentType]);
    if (accept !== null) headers.push(['accept', accept]);
    if (preflight) headers.push(['apollo-require-preflight', 'true']);
    // node:http sets Host and Content-Length itself; a second Host is a 400 either way.
    headers.push(...junk.filter(([name]) => name !== 'host' && name !== 'content-length'));
    const withQuery = /^[/*]/.test(path) && path !== '*' ? path + query : path;
    return printable({ label: 'http', method, path: withQuery, headers, ...(body !== undefined && method !== 'HEAD' ? { body } : {}) });
  });

/** Bytes node:http would not send: broken request lines and headers, smuggling attempts, pipelining. */
export const rawRequestArb: fc.Arbitrary<{ label: string; bytes: Buffer }> = fc
  .oneof(
    fc.constantFrom(
      'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /health\r\n\r\n',
      'GET /health HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET  /health  HTTP/1.1\r\nHost: x\r\n\r\n',
      'G\x00T /health HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"query":1}',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\nConnection: close\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\nConnection: close\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"query":',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{"query": "{ __typename }"}',
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 999-nonsense\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\nConnection: close\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\nConnection: close\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\n folded: header\r\nConnection: close\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nNo-Colon-Here\r\nConnection: close\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n',
      'GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\nApollo-Require-Preflight: 1\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /gr\xffaph\x7fql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /graphql HTTP/1.1\nHost: x\nConnection: close\n\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
      '\r\n\r\n\r\n',
    ),
    fc.uint8Array({ minLength: 1, maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc
      .tuple(fc.stringMatching(/^[A-Z]{1,8}$/), fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }))
      .map(([method, target, header]) => `${method} /${target} HTTP/1.1\r\nHost: x\r\nX-Junk: ${header}\r\nConnection: close\r\n\r\n`),
    fc.integer({ min: 8_000, max: 40_000 }).map((n) => `GET /health HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(n)}\r\nConnection: close\r\n\r\n`),
    fc.integer({ min: 50, max: 300 }).map((n) => `GET /health HTTP/1.1\r\nHost: x\r\n${range(n).map((i) => `X-H${i}: ${i}\r\n`).join('')}Connection: close\r\n\r\n`),
  )
  .map((text) =>
    Object.defineProperty({ label: 'raw', bytes: Buffer.from(text, 'latin1') }, fc.toStringMethod, {
      value: () => `[raw] ${JSON.stringify(text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text)}`,
      enumerable: false,
    }),
  );
