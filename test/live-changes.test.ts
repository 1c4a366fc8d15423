import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { readFile } from 'node:fs/promises';
import type { FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACT, identityFor } from '@hub/domain';
import { Role, type Served } from '@hub/server';
import { gatewayHeaders, graphql } from '@hub/toolkit/testing';
import { ChangesEnded, LiveChanges } from '@hub/search';
import { createGateway, serveGateway } from '@hub/gateway';
import { tokenFromArgs } from '../scripts/src/token.js';
import { deadUrl } from './support/dead-url.js';
import { startHiveGateway, type RunningHiveGateway } from './support/hive.js';
import { startTestHub, type TestHub } from './support/hub.js';

// The public `Subscription.changes` through the hub's gateway: the search
// subgraph merges the four owners' change feeds, and the gateway resolves
// each change's record through the graph under the subscriber's identity.
// Real clients: graphql-sse's (SSE) and Apollo Client 4's HttpLink
// (multipart), and Hive Gateway over the committed supergraph.

/** How soon a committed change must reach a subscriber. */
const WITHIN_MS = 1_000;

const CHANGES = /* GraphQL */ `
  subscription Changes($after: String, $province: ID, $subgraph: String, $recordType: String) {
    changes(after: $after, province: $province, subgraph: $subgraph, recordType: $recordType) {
      action
      subgraph
      recordType
      recordId
      at
      cursor
      user
      agency
      before
      after
      record {
        __typename
        ... on PeopleOrganization { id nameEn contact { email } history { totalCount } }
        ... on PrivatePartner { id name province { code } }
      }
    }
  }
`;

const CENTRE_VERSION = /* GraphQL */ `query { peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { version } }`;
const RENAME_CENTRE = /* GraphQL */ `
  mutation Rename($version: Int!, $nameEn: String!) {
    updatePeopleOrganization(id: "${FACT.nakhonPeopleCentre}", expectedVersion: $version, input: { nameEn: $nameEn }) { version }
  }
`;
const REGISTER_PARTNER = /* GraphQL */ `
  mutation Register($name: String!) { createPrivatePartner(input: { name: $name, kind: COMPANY, provinceCode: "TH-80" }) { id } }
`;

const EXAMPLE = new URL('../examples/live-changes.graphql', import.meta.url);

type Event = FormattedExecutionResult<{ changes: Record<string, any> }>;

/** A subscriber's stream: every event it received so far, and a wait for the next that passes `match`. */
interface Subscriber {
  events: Event[];
  next(match: (event: Event) => boolean, withinMs?: number): Promise<{ event: Event; receivedAt: number }>;
  close(): void;
}

function subscriber(start: (push: (event: Event) => void, fail: (error: unknown) => void) => () => void): Subscriber {
  const events: Event[] = [];
  const arrivals: number[] = [];
  let failure: unknown;
  const stop = start(
    (event) => {
      events.push(event);
      arrivals.push(performance.now());
    },
    (error) => (failure = error),
  );
  let seen = 0;
  return {
    events,
    async next(match, withinMs = 10_000) {
      const until = Date.now() + withinMs;
      for (;;) {
        if (failure) throw failure;
        for (; seen < events.length; seen++) {
          if (match(events[seen]!)) return { event: events[seen]!, receivedAt: arrivals[seen++]! };
        }
        if (Date.now() > until) throw new Error(`no matching event within ${withinMs} ms; got ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: stop,
  };
}

/** A subscriber over GraphQL over SSE, with graphql-sse's own client. */
function sseSubscriber(url: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, query = CHANGES): Subscriber {
  return subscriber((push, fail) =>
    createClient({ url, headers, retryAttempts: 0, fetchFn: fetch }).subscribe(
      { query, variables },
      { next: (event) => push(event as Event), error: fail, complete: () => {} },
    ),
  );
}

/** A subscriber over Apollo's multipart HTTP subscriptions, with Apollo Client 4's HttpLink. */
function apolloSubscriber(url: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Subscriber {
  return subscriber((push, fail) => {
    const client = new ApolloClient({ link: new HttpLink({ uri: url, headers }), cache: new InMemoryCache() });
    const subscription = client.subscribe({ query: gql(CHANGES), variables, errorPolicy: 'all' }).subscribe({
      next: (result) => push({ data: result.data as Event['data'], ...(result.error ? { errors: [{ message: result.error.message }] } : {}) }),
      error: fail,
    });
    return () => subscription.unsubscribe();
  });
}

const isChangeTo = (recordId: string) => (event: Event) => event.data?.changes.recordId === recordId;

describe('Subscription.changes through the gateway', () => {
  let hub: TestHub;
  let hive: RunningHiveGateway;
  let editorToken: string;
  /** A second gateway replica over the same subgraphs, which no subscriber of the first one talks to. */
  let secondGateway: Served;
  const open: Subscriber[] = [];
  const subgraphUrl = (name: string) => hub.subgraphs.find((s) => s.name === name)!.url;

  beforeAll(async () => {
    hub = await startTestHub();
    hive = await startHiveGateway(Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])));
    editorToken = await tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'editor']);
    secondGateway = await serveGateway(
      createGateway({
        supergraph: { path: new URL('../schema/supergraph.graphql', import.meta.url).pathname, watch: false },
        subgraphUrls: Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])),
        log: () => {},
      }),
      { port: 0 },
    );
  }, 120_000);

  afterAll(async () => {
    for (const stream of open) stream.close();
    await hive?.stop();
    await secondGateway?.close();
    await hub?.stop();
  });

  const subscribe = (make: typeof sseSubscriber, url: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const stream = make(url, variables, headers);
    open.push(stream);
    return stream;
  };

  /** Waits until a subscription's upstream streams are open: a write made then reaches it. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

  async function renameCentre(nameEn: string, how: 'gateway' | 'second gateway' | 'subgraph'): Promise<number> {
    const { version } = (await hub.query(CENTRE_VERSION)).data.peopleOrganization;
    const bearer = { authorization: `Bearer ${editorToken}` };
    const answer =
      how === 'subgraph'
        ? await graphql(subgraphUrl('people'), RENAME_CENTRE, { version, nameEn }, await gatewayHeaders(identityFor(FACT.nakhonPeopleCentre, Role.EDITOR)))
        : await graphql(how === 'gateway' ? hub.gatewayUrl : secondGateway.url, RENAME_CENTRE, { version, nameEn }, bearer);
    expect(answer.errors).toBeUndefined();
    return performance.now();
  }

  it('delivers a mutation made through the gateway within a second, on graphql-sse and on Apollo Client, its record resolved through the graph', async () => {
    const auth = { authorization: `Bearer ${editorToken}` };
    const sse = subscribe(sseSubscriber, hub.gatewayUrl, { province: 'TH-80' }, auth);
    const apollo = subscribe(apolloSubscriber, hub.gatewayUrl, { province: 'TH-80' }, auth);
    await settle();

    const nameEn = `Live through the gateway ${Date.now()}`;
    const committedAt = await renameCentre(nameEn, 'gateway');
    for (const stream of [sse, apollo]) {
      const { event, receivedAt } = await stream.next(isChangeTo(FACT.nakhonPeopleCentre));
      expect(receivedAt - committedAt).toBeLessThan(WITHIN_MS);
      expect(event.errors).toBeUndefined();
      expect(event.data!.changes).toMatchObject({
        action: 'UPDATE',
        subgraph: 'people',
        recordType: 'PeopleOrganization',
        recordId: FACT.nakhonPeopleCentre,
        user: expect.any(String),
        agency: FACT.nakhonPeopleCentre,
        before: expect.objectContaining({ id: FACT.nakhonPeopleCentre }),
        cursor: expect.any(String),
        // From the people subgraph, through the graph, under the subscriber's token.
        record: { __typename: 'PeopleOrganization', id: FACT.nakhonPeopleCentre, nameEn, history: { totalCount: expect.any(Number) } },
      });
      expect(Date.parse(event.data!.changes.at)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('delivers a mutation made through a second gateway replica within a second', async () => {
    const sse = subscribe(sseSubscriber, hub.gatewayUrl, { province: 'TH-80' }, { authorization: `Bearer ${editorToken}` });
    await settle();

    const nameEn = `Live through another replica ${Date.now()}`;
    const committedAt = await renameCentre(nameEn, 'second gateway');
    const { event, receivedAt } = await sse.next(isChangeTo(FACT.nakhonPeopleCentre));
    expect(receivedAt - committedAt).toBeLessThan(WITHIN_MS);
    expect(event.data!.changes).toMatchObject({ action: 'UPDATE', subgraph: 'people', record: { id: FACT.nakhonPeopleCentre, nameEn } });
  });

  it('delivers a write made straight to a subgraph with a valid identity within a second, on both clients', async () => {
    const sse = subscribe(sseSubscriber, hub.gatewayUrl, { subgraph: 'partners' });
    const apollo = subscribe(apolloSubscriber, hub.gatewayUrl, { subgraph: 'partners' });
    await settle();

    const name = `Live straight at the subgraph ${Date.now()}`;
    const admin = identityFor(FACT.nationalGovernmentCentre, Role.ADMIN, ['partners']);
    const answer = await graphql(subgraphUrl('partners'), REGISTER_PARTNER, { name }, await gatewayHeaders(admin));
    expect(answer.errors).toBeUndefined();
    const committedAt = performance.now();
    const id = answer.data.createPrivatePartner.id as string;
    for (const stream of [sse, apollo]) {
      const { event, receivedAt } = await stream.next(isChangeTo(id));
      expect(receivedAt - committedAt).toBeLessThan(WITHIN_MS);
      expect(event.data!.changes).toMatchObject({ action: 'CREATE', subgraph: 'partners', record: { __typename: 'PrivatePartner', id, name, province: { code: 'TH-80' } } });
      // Only the partners subgraph's changes reach this subscriber.
      expect(stream.events.every((e) => e.data?.changes.subgraph === 'partners')).toBe(true);
    }
  });

  it('resumes with `after`: a reconnect gets every change it missed, each exactly once, then goes on live', async () => {
    const auth = { authorization: `Bearer ${editorToken}` };
    const first = subscribe(sseSubscriber, hub.gatewayUrl, { subgraph: 'people', recordType: 'PeopleOrganization' }, auth);
    await settle();
    await renameCentre(`Before the break ${Date.now()}`, 'gateway');
    const { event: last } = await first.next(isChangeTo(FACT.nakhonPeopleCentre));
    first.close();

    const missed = [`Missed one ${Date.now()}`, `Missed two ${Date.now()}`];
    for (const nameEn of missed) await renameCentre(nameEn, 'subgraph');

    const resumed = subscribe(sseSubscriber, hub.gatewayUrl, { subgraph: 'people', recordType: 'PeopleOrganization', after: last.data!.changes.cursor }, auth);
    // Each change with its own values (`record` is the record as it stands now, resolved as the event is sent).
    for (const nameEn of missed) {
      const { event } = await resumed.next(isChangeTo(FACT.nakhonPeopleCentre));
      expect(event.data!.changes.after.nameEn).toBe(nameEn);
    }
    const live = `After the reconnect ${Date.now()}`;
    await renameCentre(live, 'gateway');
    await resumed.next((event) => event.data?.changes.after?.nameEn === live);
    // Nothing twice: the two missed changes and the live one, in order, and no other.
    const names = resumed.events.map((event) => event.data!.changes.after.nameEn);
    expect(names).toEqual([...missed, live]);
    expect(new Set(resumed.events.map((event) => event.data!.changes.cursor)).size).toBe(3);
  });

  it('resumes after a long gap, replayed at the pace the gateway resolves events: every missed change, once, in order', async () => {
    const auth = { authorization: `Bearer ${editorToken}` };
    const first = subscribe(sseSubscriber, hub.gatewayUrl, { subgraph: 'people', recordType: 'PeopleOrganization' }, auth);
    await settle();
    await renameCentre(`Before the long break ${Date.now()}`, 'gateway');
    const { event: last } = await first.next(isChangeTo(FACT.nakhonPeopleCentre));
    first.close();

    // More than a replay's first burst (50): the rest comes paced, and still arrives whole and in order.
    const missed = Array.from({ length: 120 }, (_, i) => `Gap ${i} ${Date.now()}`);
    for (const nameEn of missed) await renameCentre(nameEn, 'subgraph');

    const resumed = subscribe(sseSubscriber, hub.gatewayUrl, { subgraph: 'people', recordType: 'PeopleOrganization', after: last.data!.changes.cursor }, auth);
    await resumed.next((event) => event.data?.changes.after?.nameEn === missed.at(-1) || Boolean(event.errors), 20_000);
    expect(resumed.events.flatMap((event) => event.errors ?? [])).toEqual([]);
    expect(resumed.events.map((event) => event.data!.changes.after.nameEn)).toEqual(missed);
  }, 60_000);

  it('gives an anonymous subscriber no private field: who, the values, contact details and history are null with UNAUTHENTICATED', async () => {
    const anonymous = subscribe(sseSubscriber, hub.gatewayUrl, { province: 'TH-80', subgraph: 'people' });
    await settle();
    await renameCentre(`Seen anonymously ${Date.now()}`, 'gateway');
    const { event } = await anonymous.next(isChangeTo(FACT.nakhonPeopleCentre));
    expect(event.data!.changes).toMatchObject({
      action: 'UPDATE',
      user: null,
      agency: null,
      before: null,
      record: { __typename: 'PeopleOrganization', id: FACT.nakhonPeopleCentre, contact: null, history: null },
    });
    const refused = (event.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code]);
    expect(refused).toEqual(
      expect.arrayContaining([
        ['changes.user', 'UNAUTHENTICATED'],
        ['changes.agency', 'UNAUTHENTICATED'],
        ['changes.before', 'UNAUTHENTICATED'],
        ['changes.record.contact', 'UNAUTHENTICATED'],
        ['changes.record.history', 'UNAUTHENTICATED'],
      ]),
    );
  });

  it("keeps `history` whole: an owner's audit entry names its subgraph and its record, and has no cursor", async () => {
    await renameCentre(`In the history ${Date.now()}`, 'gateway');
    const answer = await graphql(
      hub.gatewayUrl,
      `{ peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { history(first: 2) { nodes { subgraph id action user cursor record { __typename ... on PeopleOrganization { id name } } } } } }`,
      {},
      { authorization: `Bearer ${editorToken}` },
    );
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.peopleOrganization.history.nodes as Record<string, any>[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node).toMatchObject({ subgraph: 'people', id: expect.stringMatching(/^chg_\d{12}$/), user: expect.any(String), cursor: null });
      expect(node.record).toEqual({ __typename: 'PeopleOrganization', id: FACT.nakhonPeopleCentre, name: expect.any(String) });
    }
  });

  it('refuses a cursor or a filter it cannot read with BAD_USER_INPUT', async () => {
    for (const variables of [{ after: 'not-a-cursor' }, { after: Buffer.from('{"people":"x"}').toString('base64url') }, { subgraph: 'nobody' }, { province: 'Bangkok' }]) {
      const stream = subscribe(sseSubscriber, hub.gatewayUrl, variables);
      const { event } = await stream.next(() => true);
      expect(event.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('examples/live-changes.graphql, with its default variables, gets a change in Nakhon Si Thammarat with its record', async () => {
    const stream = sseSubscriber(hub.gatewayUrl, {}, {}, await readFile(EXAMPLE, 'utf8'));
    open.push(stream);
    await settle();
    const name = `A partner in Nakhon ${Date.now()}`;
    const admin = identityFor(FACT.nationalGovernmentCentre, Role.ADMIN, ['partners']);
    const answer = await graphql(hub.gatewayUrl, REGISTER_PARTNER, { name }, { authorization: `Bearer ${await tokenFromArgs(['--agency', admin.agency, '--role', 'admin', '--subgraphs', 'partners'])}` });
    expect(answer.errors).toBeUndefined();
    const { event } = await stream.next(isChangeTo(answer.data.createPrivatePartner.id));
    expect(event.errors).toBeUndefined();
    expect(event.data!.changes).toMatchObject({ action: 'CREATE', subgraph: 'partners', record: { __typename: 'PrivatePartner', name, sector: 'PRIVATE' } });
  });

  it("follows each owner's feed once for all its subscribers, not once per subscriber", async () => {
    const search = new URL(subgraphUrl('search')).origin;
    const owners = new Set(hub.subgraphs.filter((s) => s.name !== 'search').map((s) => new URL(s.url).origin));
    const streamsTo = new Map<string, number>();
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const accept = new Headers(input instanceof Request ? input.headers : init?.headers).get('accept');
      if ((owners.has(url.origin) || url.origin === search) && accept === 'text/event-stream') streamsTo.set(url.origin, (streamsTo.get(url.origin) ?? 0) + 1);
      return realFetch(input, init);
    };
    try {
      const streams = ['people', 'government', 'partners', 'initiatives', null, null].map((subgraph) =>
        subscribe(sseSubscriber, hub.gatewayUrl, subgraph ? { subgraph } : { province: 'TH-80' }),
      );
      await settle();
      await renameCentre(`Seen by six ${Date.now()}`, 'gateway');
      for (const stream of [streams[0]!, streams[4]!, streams[5]!]) await stream.next(isChangeTo(FACT.nakhonPeopleCentre));
    } finally {
      globalThis.fetch = realFetch;
    }
    // Six subscribers: six streams from the gateway to the search subgraph, and at most one from it to each owner (none once the shared ones are open).
    expect(streamsTo.get(search)).toBe(6);
    expect([...owners].map((owner) => streamsTo.get(owner) ?? 0).every((count) => count <= 1)).toBe(true);
  });

  it('goes on without an owner whose feed cannot be reached, and refuses only a subscription to that owner alone', async () => {
    const live = new LiveChanges({ ...Object.fromEntries(hub.subgraphs.map((s) => [s.name, s.url])), partners: await deadUrl() });
    try {
      await expect(live.subscribe(undefined, { subgraph: 'partners' })).rejects.toMatchObject({
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'partners' },
      });
      const stream = await live.subscribe(undefined, {});
      await renameCentre(`Without partners ${Date.now()}`, 'gateway');
      const { value } = await stream.next();
      expect(value).not.toBeInstanceOf(ChangesEnded);
      expect(value).toMatchObject({ subgraph: 'people', recordId: FACT.nakhonPeopleCentre, cursor: expect.any(String) });
      await stream.return!();
    } finally {
      await live.close();
    }
  });

  it('is standard federation: Hive Gateway over schema/supergraph.graphql delivers the same events over SSE', async () => {
    const hiveStream = subscribe(sseSubscriber, hive.url, { province: 'TH-80', subgraph: 'people' });
    const hubStream = subscribe(sseSubscriber, hub.gatewayUrl, { province: 'TH-80', subgraph: 'people' });
    await settle();
    const nameEn = `Seen through Hive ${Date.now()}`;
    const committedAt = await renameCentre(nameEn, 'gateway');
    const [throughHive, throughHub] = await Promise.all([hiveStream, hubStream].map((stream) => stream.next(isChangeTo(FACT.nakhonPeopleCentre))));
    expect(throughHive!.receivedAt - committedAt).toBeLessThan(WITHIN_MS);
    expect(throughHive!.event.data).toEqual(throughHub!.event.data);
    expect(throughHive!.event.data!.changes.record.nameEn).toBe(nameEn);
  });
});
