import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createClient } from 'graphql-sse';
import { Role, type Viewer } from '@hub/server';
import { changeFeedSdl, startEmbeddedPostgres, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@hub/toolkit';
import { createTestDatabase, gatewayHeaders, startTestSubgraph, type TestSubgraph } from '@hub/toolkit/testing';
import { FACT, identityFor } from '@hub/domain';
import { people } from '@hub/people';
import { government } from '@hub/government';
import { partners } from '@hub/partners';
import { initiatives } from '@hub/initiatives';

// Each subgraph serves the committed changes of its audit trail as a GraphQL
// subscription over Server-Sent Events (graphql-sse), apart from its composed
// schema. Subscribed to here with graphql-sse's own client, as the gateway does,
// through the subgraph's real HTTP server on real PostgreSQL.

const admin = identityFor(FACT.nationalPeopleCentre, Role.ADMIN, ['people']);
const SLOW_CONSUMER_MAX_BEHIND = 20;
const MAX_FEEDS = 4;
// On a PostgreSQL server the feed must hear commits through NOTIFY: polling is made too slow to pass for it.
// The embedded database cannot deliver NOTIFY to another connection, so there the feed polls (and is tested so).
const onServer = Boolean(process.env.DATABASE_URL);

const ALL_FIELDS = /* GraphQL */ `
  subscription Changes($after: ID, $recordTypes: [String!], $provinceCode: ID) {
    changes(after: $after, recordTypes: $recordTypes, provinceCode: $provinceCode) {
      id at action recordType recordId provinceCodes user agency role before after requestId
    }
  }
`;
const IDS = /* GraphQL */ `
  subscription Changes($after: ID, $recordTypes: [String!], $provinceCode: ID) {
    changes(after: $after, recordTypes: $recordTypes, provinceCode: $provinceCode) { id recordId provinceCodes }
  }
`;

interface Result {
  data?: { changes?: Record<string, any> } | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
}

/** A subscription held open with graphql-sse's client: the results so far, and a way to wait for more. */
interface Feed {
  results: Result[];
  /** Resolves with the results once there are `count`, or fails after `withinMs`. */
  take(count: number, withinMs?: number): Promise<Result[]>;
  /** Resolves once the server has completed the subscription. */
  completed: Promise<void>;
  close(): void;
}

async function subscribe(url: string, query: string, variables: Record<string, unknown> = {}, viewer: Viewer = null): Promise<Feed> {
  const headers = await gatewayHeaders(viewer);
  let opened!: () => void;
  let failed!: (error: unknown) => void;
  const connected = new Promise<void>((resolve, reject) => ((opened = resolve), (failed = reject)));
  const client = createClient({ url, headers, retryAttempts: 0, on: { connected: () => opened() } });
  const results: Result[] = [];
  let arrived = () => {};
  const iterator = client.iterate<Record<string, any>>({ query, variables });
  const completed = (async () => {
    try {
      for await (const result of iterator) {
        results.push(result as Result);
        arrived();
      }
    } catch (error) {
      failed(error);
      throw error;
    }
    // A subscription refused with a GraphQL error completes without ever "connecting" to a live feed.
    opened();
  })();
  completed.catch(() => undefined);
  await connected;
  return {
    results,
    completed,
    async take(count, withinMs = 5_000) {
      const deadline = Date.now() + withinMs;
      while (results.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} results within ${withinMs} ms, got ${JSON.stringify(results)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          arrived = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return results.slice(0, count);
    },
    close: () => void iterator.return?.(),
  };
}

const CREATE = /* GraphQL */ `
  mutation ($input: CreatePeopleOrganizationInput!) { createPeopleOrganization(input: $input) { id } }
`;

/** Creates a people's organisation through the subgraph's own mutation, as its admin; returns its id. */
async function createOrganization(subgraph: TestSubgraph, name: string, provinceCode = 'TH-80'): Promise<string> {
  const answer = await subgraph.query(CREATE, { input: { name, kind: 'COMMUNITY_ORGANISATION', provinceCode } }, admin);
  expect(answer.errors).toBeUndefined();
  return answer.data.createPeopleOrganization.id;
}

/** Commits an audit entry straight to a subgraph's trail with its own connection, as any writer would. */
async function insertEntry(client: pg.Client, schema: string, recordId: string): Promise<string> {
  const { rows } = await client.query(
    `insert into "${schema}".audit_entry (action, record_type, record_id, "user", agency, role, after)
      values ('UPDATE', 'PeopleOrganization', $1, 'editor@test', $2, 'editor', '{}') returning id`,
    [recordId, FACT.nakhonPeopleCentre],
  );
  return rows[0].id;
}

async function connectTo(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('the people subgraph\'s change feed', () => {
  let subgraph: TestSubgraph;
  let databaseUrl: string;
  let stopped = false;
  beforeAll(async () => {
    // startTestSubgraph makes the database; the feed's own connections need its URL, which the ORM knows.
    subgraph = await startTestSubgraph(people, {
      changeFeed: { pollIntervalMs: onServer ? 60_000 : 100, maxBehind: SLOW_CONSUMER_MAX_BEHIND, maxBufferBytes: 64 * 1024, maxFeeds: MAX_FEEDS },
    });
    databaseUrl = subgraph.orm.config.get('clientUrl')!;
  });
  afterAll(async () => {
    if (!stopped) await subgraph?.stop();
  });

  it('delivers a committed write within a second, with who made it and its values to a signed-in subscriber', async () => {
    const feed = await subscribe(subgraph.url, ALL_FIELDS, {}, identityFor(FACT.nakhonPeopleCentre, Role.VIEWER));
    const started = Date.now();
    const id = await createOrganization(subgraph, 'กลุ่มออมทรัพย์ทดสอบ');
    const [event] = await feed.take(1, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    feed.close();
    const [entry] = await subgraph.trailOf(id);
    expect(event).toEqual({
      data: {
        changes: {
          id: entry!.id,
          at: entry!.at!.toISOString(),
          action: 'CREATE',
          recordType: 'PeopleOrganization',
          recordId: id,
          provinceCodes: ['TH-80'],
          user: admin.user,
          agency: admin.agency,
          role: 'admin',
          before: null,
          after: expect.objectContaining({ id, name: 'กลุ่มออมทรัพย์ทดสอบ', provinceCode: 'TH-80' }),
          requestId: entry!.requestId,
        },
      },
    });
  });

  it('tells an anonymous subscriber what changed, but not who changed it or its values', async () => {
    const feed = await subscribe(subgraph.url, ALL_FIELDS);
    const id = await createOrganization(subgraph, 'กลุ่มทดสอบนิรนาม');
    const [event] = await feed.take(1);
    feed.close();
    expect(event!.data!.changes).toMatchObject({ action: 'CREATE', recordId: id, user: null, agency: null, role: null, before: null, after: null, requestId: null });
    const refused = event!.errors!.map((error) => [error.path!.join('.'), error.extensions!.code]);
    expect(refused.sort()).toEqual(
      ['user', 'agency', 'role', 'before', 'after', 'requestId'].map((field) => [`changes.${field}`, 'UNAUTHENTICATED']).sort(),
    );
  });

  it('announces nothing for a write that rolls back', async () => {
    const feed = await subscribe(subgraph.url, IDS);
    const writer = await connectTo(databaseUrl);
    try {
      await writer.query('begin');
      await insertEntry(writer, 'people', 'peo_rolled_back');
      await writer.query('rollback');
    } finally {
      await writer.end();
    }
    // A change that commits afterwards arrives, and nothing before it.
    const id = await createOrganization(subgraph, 'กลุ่มหลังการยกเลิก');
    const [event] = await feed.take(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    feed.close();
    expect(feed.results).toEqual([{ data: { changes: { id: expect.any(String), recordId: id, provinceCodes: ['TH-80'] } } }]);
  });

  it('filters by record type and by province', async () => {
    const th80 = await subscribe(subgraph.url, IDS, { provinceCode: 'TH-80' });
    const memberships = await subscribe(subgraph.url, IDS, { recordTypes: ['Membership'] });
    const inBangkok = await createOrganization(subgraph, 'กลุ่มกรุงเทพ', 'TH-10');
    const inNakhon = await createOrganization(subgraph, 'กลุ่มนคร', 'TH-80');
    const [event] = await th80.take(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    th80.close();
    memberships.close();
    expect(event!.data!.changes!.recordId).toBe(inNakhon);
    expect(th80.results).toHaveLength(1);
    expect(memberships.results).toEqual([]);
    expect(inBangkok).not.toBe(inNakhon);
  });

  it('replays the changes missed while disconnected, exactly once, then goes on live', async () => {
    const first = await subscribe(subgraph.url, IDS);
    const a = await createOrganization(subgraph, 'ก่อนหลุด');
    const [seen] = await first.take(1);
    first.close();
    const missed = [await createOrganization(subgraph, 'ระหว่างหลุด 1'), await createOrganization(subgraph, 'ระหว่างหลุด 2')];

    const resumed = await subscribe(subgraph.url, IDS, { after: seen!.data!.changes!.id });
    const live = await createOrganization(subgraph, 'หลังต่อใหม่');
    await resumed.take(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    resumed.close();
    expect(seen!.data!.changes!.recordId).toBe(a);
    expect(resumed.results.map((r) => r.data!.changes!.recordId)).toEqual([...missed, live]);
  });

  it('misses nothing and repeats nothing when it resumes while changes are being written', async () => {
    const start = await subscribe(subgraph.url, IDS);
    await createOrganization(subgraph, 'จุดเริ่ม');
    const [mark] = await start.take(1);
    start.close();
    const written: string[] = [];
    const writing = (async () => {
      for (let i = 0; i < 30; i++) written.push(await createOrganization(subgraph, `กลุ่มพร้อมกัน ${i}`));
    })();
    // Resume part-way through the writes: the replay and the live changes meet while both move.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const resumed = await subscribe(subgraph.url, IDS, { after: mark!.data!.changes!.id });
    await writing;
    await resumed.take(30, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    resumed.close();
    expect(resumed.results.map((r) => r.data!.changes!.recordId)).toEqual(written);
  });

  it('serves `latestChangeId`, from which a resume gets exactly what commits next; "chg_000000000000" replays the whole trail', async () => {
    const latest = await subscribe(subgraph.url, '{ latestChangeId }');
    await latest.completed;
    const { latestChangeId } = latest.results[0]!.data as unknown as { latestChangeId: string };
    const next = await createOrganization(subgraph, 'หลังจุดล่าสุด');
    const resumed = await subscribe(subgraph.url, IDS, { after: latestChangeId });
    const [event] = await resumed.take(1);
    resumed.close();
    expect(event!.data!.changes!.recordId).toBe(next);

    const whole = await subscribe(subgraph.url, IDS, { after: 'chg_000000000000' });
    const total = await subgraph.auditEntries();
    await whole.take(total);
    whole.close();
    const ids = whole.results.map((r) => r.data!.changes!.id);
    expect(new Set(ids).size).toBe(total);
    expect(ids.at(-1)).toBe(event!.data!.changes!.id);
  });

  it.skipIf(!onServer)('never skips a change that commits after a later one: entries wait for older transactions', async () => {
    const [older, newer] = [await connectTo(databaseUrl), await connectTo(databaseUrl)];
    try {
      // `older` starts first, `newer` takes the smaller seq; then each commits in the other order.
      await older.query('begin');
      await older.query('select pg_current_xact_id()');
      await newer.query('begin');
      await newer.query('select pg_current_xact_id()');
      const smallerSeq = await insertEntry(newer, 'people', 'peo_newer_tx');
      const largerSeq = await insertEntry(older, 'people', 'peo_older_tx');
      expect(smallerSeq < largerSeq).toBe(true);

      // The transaction with the larger seq commits first and is sent...
      const live = await subscribe(subgraph.url, IDS);
      await older.query('commit');
      const [first] = await live.take(1);
      expect(first!.data!.changes!.id).toBe(largerSeq);
      live.close();

      // ...and a reader that resumes after it still gets the smaller seq once that commits.
      await newer.query('commit');
      const resumed = await subscribe(subgraph.url, IDS, { after: largerSeq });
      const [second] = await resumed.take(1);
      resumed.close();
      expect(second!.data!.changes!.id).toBe(smallerSeq);

      // An entry committed behind a transaction still running is held until that one ends.
      const blocker = await connectTo(databaseUrl);
      try {
        await blocker.query('begin');
        await blocker.query('select pg_current_xact_id()');
        const held = await subscribe(subgraph.url, IDS);
        const behind = await insertEntry(newer, 'people', 'peo_behind');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(held.results).toEqual([]);
        await blocker.query('rollback');
        const [released] = await held.take(1);
        held.close();
        expect(released!.data!.changes!.id).toBe(behind);
      } finally {
        await blocker.end();
      }
    } finally {
      await older.end();
      await newer.end();
    }
  });

  it('refuses a bad request with a clear error: a bad or unknown `after`, an unknown record type, a bad province', async () => {
    const refusals = [
      [{ after: 'yesterday' }, 'after must be a change id'],
      [{ after: 'chg_999999999999' }, 'has no change "chg_999999999999"'],
      [{ recordTypes: ['Province'] }, 'No records of type "Province"'],
      [{ provinceCode: 'Nakhon' }, 'provinceCode must be an ISO 3166-2 code'],
    ] as const;
    for (const [variables, message] of refusals) {
      const feed = await subscribe(subgraph.url, IDS, variables);
      await feed.completed;
      expect(feed.results).toEqual([{ errors: [expect.objectContaining({ message: expect.stringContaining(message), extensions: { code: 'BAD_USER_INPUT', argument: Object.keys(variables)[0] } })] }]);
    }
  });

  it('refuses a request it cannot read with BAD_REQUEST, before any stream opens', async () => {
    for (const body of ['{ "query": "subscription { changes {" }', '{ not json']) {
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(await gatewayHeaders()) },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('answers only the gateway: a subscription without its signed identity is refused before any stream opens', async () => {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: IDS }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errors: [{ message: expect.stringContaining('answers only the hub\'s gateway'), extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('leaves a request that also accepts JSON to the federated schema, as before', async () => {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { accept: 'application/graphql-response+json, application/json, text/event-stream', 'content-type': 'application/json', ...(await gatewayHeaders()) },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const { data } = (await response.json()) as { data: { _service: { sdl: string } } };
    expect(data._service.sdl).toContain('type PeopleOrganization');
    expect(data._service.sdl).not.toContain('latestChangeId');
  });

  it(`keeps at most ${MAX_FEEDS} feeds open, refusing the next with TOO_MANY_FEEDS`, async () => {
    const open = await Promise.all(Array.from({ length: MAX_FEEDS }, () => subscribe(subgraph.url, IDS)));
    const refused = await fetch(subgraph.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(await gatewayHeaders()) },
      body: JSON.stringify({ query: IDS }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({ errors: [{ message: expect.stringContaining(`at most ${MAX_FEEDS} change feeds`), extensions: { code: 'TOO_MANY_FEEDS' } }] });
    open[0]!.close();
    await open[0]!.completed.catch(() => undefined);
    // The server sees the client go a moment later.
    let reopened: Feed | undefined;
    for (let tries = 0; !reopened && tries < 50; tries++) {
      reopened = await subscribe(subgraph.url, IDS).catch(() => undefined);
      if (!reopened) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(reopened).toBeDefined();
    for (const feed of [...open.slice(1), reopened!]) feed.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('cuts off a subscriber too slow to keep up, with the reason, rather than buffering without bound', async () => {
    // A client that sends its request and then reads nothing: its connection's buffers fill up.
    const trust = Object.entries(await gatewayHeaders(admin)).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const socket = connect(Number(new URL(subgraph.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const query = encodeURIComponent('subscription { changes { id after } }');
    socket.write(
      `GET /graphql?query=${query} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n${trust}connection: close\r\n\r\n`,
    );
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Far more than the connection holds: 600 changes of 50 kB each, in one transaction.
    const writer = await connectTo(databaseUrl);
    try {
      await writer.query(
        `insert into people.audit_entry (action, record_type, record_id, "user", agency, role, after)
          select 'UPDATE', 'PeopleOrganization', 'peo_bulk_' || n, 'editor@test', $1, 'editor', jsonb_build_object('note', repeat('x', 50000))
          from generate_series(1, 600) n`,
        [FACT.nakhonPeopleCentre],
      );
    } finally {
      await writer.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Reading again, the client finds the events that fit, then the reason, and the end of the stream.
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.resume();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const text = Buffer.concat(received).toString('utf8');
    const events = text.match(/event: next\n/g)!.length;
    expect(events).toBeLessThan(600);
    expect(text).toContain('"code":"SLOW_CONSUMER"');
    expect(text).toContain(`fell more than ${SLOW_CONSUMER_MAX_BEHIND} changes behind`);
    expect(text).toMatch(/event: complete\n/);
  }, 60_000);

  it('prints its schema as docs/change-feed.md shows it', async () => {
    const doc = await readFile(new URL('../docs/change-feed.md', import.meta.url), 'utf8');
    const shown = /```graphql\n(# The feed schema[^\n]*\n)([\s\S]*?)```/.exec(doc);
    expect(shown, 'docs/change-feed.md shows the feed schema in a ```graphql block starting "# The feed schema"').not.toBeNull();
    expect(shown![2]!.trim()).toBe((await changeFeedSdl()).trim());
  });

  // Last: it stops the subgraph.
  it('ends every open feed cleanly when the subgraph stops', async () => {
    const feeds = [await subscribe(subgraph.url, IDS), await subscribe(subgraph.url, IDS, {}, admin)];
    const started = Date.now();
    stopped = true;
    await subgraph.stop();
    await Promise.all(feeds.map((feed) => feed.completed));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('every subgraph serves its own feed', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const running: RunningSubgraph[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const subgraph of running) await subgraph.stop();
    await database?.drop();
  });

  it.each([government, partners, initiatives] as SubgraphDefinition[])('$name announces each committed entry of its trail', async (definition) => {
    const subgraph = await startSubgraph(definition, { databaseUrl: database.url, port: 0, changeFeed: { pollIntervalMs: onServer ? 60_000 : 100 } });
    running.push(subgraph);
    const feed = await subscribe(subgraph.url, IDS);
    const writer = await connectTo(database.url);
    try {
      const id = await insertEntry(writer, definition.name, `${definition.name}_record`);
      const [event] = await feed.take(1, 1_000);
      expect(event).toEqual({ data: { changes: { id, recordId: `${definition.name}_record`, provinceCodes: [] } } });
    } finally {
      feed.close();
      await writer.end();
    }
  });
});

describe('on the embedded database, where NOTIFY does not reach another connection', () => {
  it('polls the trail instead, and still delivers each committed change', async () => {
    const embedded = await startEmbeddedPostgres();
    const subgraph = await startSubgraph(people, { databaseUrl: embedded.url, port: 0, seed: true });
    try {
      const feed = await subscribe(subgraph.url, IDS);
      const answer = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayHeaders(admin)) },
        body: JSON.stringify({ query: CREATE, variables: { input: { name: 'กลุ่มบนฐานข้อมูลฝัง', kind: 'COMMUNITY_ORGANISATION', provinceCode: 'TH-80' } } }),
      });
      const { data } = (await answer.json()) as { data: { createPeopleOrganization: { id: string } } };
      const [event] = await feed.take(1, 2_000);
      feed.close();
      expect(event!.data!.changes).toMatchObject({ recordId: data.createPeopleOrganization.id, provinceCodes: ['TH-80'] });
    } finally {
      await subgraph.stop();
      await embedded.stop();
    }
  });
});
