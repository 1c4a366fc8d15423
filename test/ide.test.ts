import { readFile } from 'node:fs/promises';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { MultiUndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { FACT } from '@hub/domain';
import { LinkType } from '@hub/initiatives';
import { graphql } from '@hub/toolkit/testing';
import { tokenFromArgs } from '../scripts/src/token.js';
import { ideRoute } from '../gateway/src/ide.js';
import { createLink, createPrivatePartner } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { ARTIFACTS, chromiumOrWarn, gatewayOnlyContext, IDE_DIR, launchChromium, patiently, ROOT, takeBrowserTurn } from './support/ide-browser.js';
import { hasNetworkx, NO_NETWORKX, readWithNetworkx } from './support/network-readers.js';

const haveChromium = chromiumOrWarn('test/ide.test.ts');

let hub: TestHub;
let origin: string;

beforeAll(async () => {
  hub = await startTestHub();
  origin = new URL(hub.gatewayUrl).origin;
  // Nakhon's community networks get a funder, who has a partner of its own: three
  // hops from the provincial centre, one more than the two the example asks for.
  const coop = await createPrivatePartner(hub.em('partners'), {
    id: 'prt_test_ide_coop',
    name: 'สหกรณ์ทดสอบเมืองคอน',
    nameEn: 'Nakhon Test Cooperative',
    provinceCode: 'TH-80',
  });
  const fund = await createPrivatePartner(hub.em('partners'), {
    id: 'prt_test_ide_fund',
    name: 'มูลนิธิทดสอบ',
    nameEn: 'Test Foundation',
    provinceCode: 'TH-80',
  });
  await createLink(hub.em('initiatives'), { type: LinkType.FUNDING, sourceId: coop.id, targetId: 'peo_th80_networks' });
  await createLink(hub.em('initiatives'), { type: LinkType.COORDINATION, sourceId: fund.id, targetId: coop.id });
});

afterAll(() => hub?.stop());

describe("the analysts' IDE, served by the gateway", () => {
  const page = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, origin), { headers: { accept: 'text/html,application/xhtml+xml', ...headers } });

  it('opens the IDE page for a browser at /graphql, with a CSP that allows only its own assets', async () => {
    const response = await page('/graphql');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await response.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/ide\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('leaves GET with a query string and POST to GraphQL, and the Apollo landing page is gone', async () => {
    const get = await page('/graphql?query=%7B__typename%7D', { accept: 'application/json', 'apollo-require-preflight': 'true' });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    expect(await hub.query('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    expect(await (await page('/graphql')).text()).not.toContain('apollographql.com');
  });

  it('serves hashed assets with their types, long cache lifetimes and gzip, and nothing else', async () => {
    const html = await (await page('/graphql')).text();
    const script = /src="(\/ide\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const style = /href="(\/ide\/assets\/[^"]+\.css)"/.exec(html)![1]!;
    const js = await fetch(new URL(script, origin));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(new URL(style, origin))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const font = readdirSync(join(IDE_DIR, 'dist', 'assets')).find((name) => /^noto-sans-thai-thai-400.*\.woff2$/.test(name));
    expect((await fetch(new URL(`/ide/assets/${font}`, origin))).headers.get('content-type')).toBe('font/woff2');

    for (const path of [
      '/ide/assets/nothing-here.js',
      '/ide/assets/..%2F..%2Fpackage.json',
      '/ide/assets/%2e%2e%2findex.html',
      '/ide/assets/.%2e/index.html',
      '/ide/index.html',
      '/ide/assets/',
    ]) {
      const response = await fetch(new URL(path, origin));
      expect(response.status, path).toBe(404);
    }
  });

  it('says to run npm run build when the IDE is not built, instead of failing', async () => {
    const route = ideRoute(join(ROOT, 'test', 'ARTIFACTS', 'no-such-ide-build'));
    const server: Server = createServer(async (request, response) => {
      if (!(await route(request, response, new URL(request.url!, 'http://localhost')))) response.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
      expect((await fetch(`http://127.0.0.1:${port}/ide/assets/index.js`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!haveChromium)("the analysts' IDE in Chromium", () => {
  let browser: Browser;
  let tab: Page;
  const requests: string[] = [];
  const cspViolations: string[] = [];

  let endTurn: (() => void) | undefined;

  beforeAll(async () => {
    endTurn = await takeBrowserTurn();
    browser = await launchChromium();
    // As with the network cut off: anything not from the gateway is refused (and recorded).
    const context = await gatewayOnlyContext(browser, origin, { width: 1600, height: 900 });
    tab = await context.newPage();
    tab.on('request', (request) => requests.push(request.url()));
    tab.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    endTurn?.();
  });

  /** The network view's nodes, read from its graphology model. */
  const nodes = () =>
    tab.evaluate(() =>
      window
        .__hubNetwork!.graph.mapNodes((id, a) => ({ id, th: a.th as string, sector: a.sector as string | undefined }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );

  /** Waits for ForceAtlas2 to settle (or reach its cap): positions stay put after. */
  const settled = () => expect.poll(() => tab.evaluate(() => window.__hubNetwork!.layout.running), patiently).toBe(false);

  /** Clicks a node where sigma draws it, once the layout has stopped moving it: that selects it. */
  const clickNode = async (id: string) => {
    // The selected node's panel floats over the drawing: closed first, so that it hides no node.
    const close = tab.locator('[data-testid="graph-node-close"]');
    if (await close.count()) await close.click();
    await settled();
    // The whole drawing in view: a node found by search was brought to the middle, zoomed in.
    await tab.evaluate(() => window.__hubNetwork!.sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }));
    // A click that sigma took for the start of a drag, or that came while the panel was still resizing, is clicked again.
    const panel = tab.locator('[data-testid="graph-node-panel"] code');
    for (let attempt = 1; ; attempt++) {
      const point = await tab.evaluate((id) => {
        const { graph, sigma } = window.__hubNetwork!;
        const box = sigma.getContainer().getBoundingClientRect();
        const { x, y } = sigma.graphToViewport(graph.getNodeAttributes(id) as { x: number; y: number });
        return { x: box.left + x, y: box.top + y };
      }, id);
      await tab.mouse.click(point.x, point.y);
      const chosen = await expect
        .poll(async () => ((await panel.count()) ? panel.innerText() : null), { timeout: 5_000 })
        .toBe(id)
        .then(() => true)
        .catch((error) => {
          if (attempt === 3) throw error;
          return false;
        });
      if (chosen) return;
    }
  };

  /** Selects a node by clicking it, and expands it once the API has said how many neighbours that adds. */
  const expandNode = async (id: string) => {
    await clickNode(id);
    const expand = tab.locator('[data-testid="graph-expand"]');
    await expect.poll(() => expand.innerText(), patiently).toMatch(/\(\+\d+\)/);
    const adds = Number(/\(\+(\d+)\)/.exec(await expand.innerText())![1]);
    await expand.click();
    return adds;
  };

  it('loads GraphiQL with the examples from the gateway alone, under its CSP', { timeout: 120_000 }, async () => {
    const response = await tab.goto(hub.gatewayUrl);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
    await tab.locator('.graphiql-container').waitFor();
    await tab.locator('[data-example="neighbourhood"]').waitFor();
    expect(await tab.locator('[data-example]').count()).toBe(readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.graphql')).length);
    // The explorer, the docs and the header editor are all there.
    await expect(tab.getByRole('button', { name: /Show GraphiQL Explorer/i }).count()).resolves.toBe(1);
    await expect(tab.getByRole('button', { name: /Show Documentation Explorer/i }).count()).resolves.toBe(1);
    await expect(tab.getByRole('button', { name: 'Headers' }).count()).resolves.toBe(1);
  });

  it("picks and runs the example about who Nakhon Si Thammarat's provincial centre works with", { timeout: 120_000 }, async () => {
    // Monaco draws spaces as no-break spaces, and wraps long lines where the pane is narrow: compared without them.
    const squeeze = (text: string) => text.replace(/[\s\u00a0]+/g, '');
    const text = async (selector: string) => squeeze(await tab.locator(selector).innerText());
    await tab.locator('[data-example="who-works-with-whom"]').click();
    await expect.poll(() => text('.graphiql-query-editor .view-lines'), patiently).toContain(squeeze('query WhoWorksWithWhom($id: ID! = "gov_th80_centre")'));
    // The tab takes the operation's name once GraphiQL has parsed it; running before would send the old name.
    await expect.poll(() => tab.locator('.graphiql-tab-active').innerText(), patiently).toContain('WhoWorksWithWhom');
    await tab.locator('.graphiql-execute-button').click();
    await expect.poll(() => text('.graphiql-response .view-lines'), patiently).toContain(squeeze('"id": "gov_th80_centre"'));
    expect(await text('.graphiql-response .view-lines')).toContain(squeeze('"__typename": "GovernmentCentre"'));
  });

  it('draws the answer as a network, labelled in Thai and coloured by sector', { timeout: 120_000 }, async () => {
    await tab.locator('[data-testid="graph-toggle"]').click();
    await tab.locator('[data-testid="graph-panel"]').waitFor();
    await expect.poll(async () => (await nodes()).length, patiently).toBe(4);
    // The centre, its link, and the initiative it takes part in with everyone else taking part.
    expect(await nodes()).toEqual([
      { id: 'gov_th80_centre', th: expect.stringContaining('นครศรีธรรมราช'), sector: 'GOVERNMENT' },
      { id: 'peo_th80_centre', th: expect.stringContaining('นครศรีธรรมราช'), sector: 'PEOPLE' },
      { id: 'peo_th80_networks', th: 'ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช', sector: 'PEOPLE' },
      { id: 'title:โครงการจัดการความรู้แก้จนเมืองคอน', th: 'โครงการจัดการความรู้แก้จนเมืองคอน', sector: undefined },
    ]);
    const edgeTypes = await tab.evaluate(() => window.__hubNetwork!.graph.mapEdges((_, a) => a.relation as string).sort());
    expect(edgeTypes).toEqual(['COORDINATION', 'IMPLEMENTING', 'IMPLEMENTING']);
    expect(await tab.evaluate(() => document.fonts.check('12px "Noto Sans Thai"', 'ก'))).toBe(true);
    // Sigma has drawn a frame, and ForceAtlas2 ran in its worker until the drawing settled.
    await settled();
    const timing = await tab.evaluate(() => ({ firstFrameAt: window.__hubNetwork!.firstFrameAt, ...window.__hubNetwork!.layout }));
    expect(timing.firstFrameAt).toBeGreaterThan(0);
    expect(timing.settledAt).toBeGreaterThanOrEqual(timing.startedAt);
  });

  it('grows when a node is expanded: it says how many neighbours that adds, they come from the API, and undo takes them back', { timeout: 120_000 }, async () => {
    // The networks' neighbours: its funder (a test fixture), joined by a FUNDING link: one new node, counted before it is fetched.
    expect(await expandNode('peo_th80_networks')).toBe(1);
    await expect.poll(async () => (await nodes()).map((node) => node.id), patiently).toContain('prt_test_ide_coop');
    expect(await nodes()).toHaveLength(5);
    expect(await tab.evaluate(() => window.__hubNetwork!.graph.filterEdges((_, a) => a.relation === 'FUNDING').length)).toBe(1);
    await expect.poll(() => tab.locator('[data-testid="graph-counts"]').innerText(), patiently).toMatch(/^5 /);
    // The side panel says the selected node's degree in the drawing: how many others it is joined to, the funder now among them.
    const degree = await tab.evaluate(() => window.__hubNetwork!.graph.neighbors('peo_th80_networks').length);
    expect(await tab.evaluate(() => window.__hubNetwork!.graph.neighbors('peo_th80_networks'))).toContain('prt_test_ide_coop');
    await expect.poll(() => tab.locator('[data-testid="graph-node-degree"]').innerText(), patiently).toBe(String(degree));

    // And again, from the funder: its own partner, three hops from the provincial centre.
    expect(await expandNode('prt_test_ide_coop')).toBe(1);
    await expect.poll(async () => (await nodes()).map((node) => node.id), patiently).toContain('prt_test_ide_fund');

    // Undo takes the last expansion back, and the expansion brings it again.
    await tab.locator('[data-testid="graph-undo"]').click();
    await expect.poll(async () => (await nodes()).map((node) => node.id), patiently).not.toContain('prt_test_ide_fund');
    expect(await nodes()).toHaveLength(5);
    expect(await expandNode('prt_test_ide_coop')).toBe(1);
    await expect.poll(async () => (await nodes()).map((node) => node.id), patiently).toContain('prt_test_ide_fund');
  });

  it('analyses what it drew: communities, centrality, filters with counts, search and focus', { timeout: 120_000 }, async () => {
    const shown = () =>
      tab.evaluate(() => {
        const { graph, sigma } = window.__hubNetwork!;
        return graph.filterNodes((node) => !sigma.getNodeDisplayData(node)?.hidden).sort();
      });
    await settled();
    // Communities: every node gets one, and the legend lists them.
    await tab.locator('[data-testid="graph-communities"]').check();
    await expect.poll(() => tab.evaluate(() => window.__hubNetwork!.graph.filterNodes((_, a) => typeof a.community === 'number').length), patiently).toBe(6);
    await tab.locator('[data-testid="graph-community-legend"]').waitFor();
    // Betweenness: the funder sits between the networks and its own partner.
    await tab.locator('[data-testid="graph-size-by"]').selectOption('betweenness');
    const betweenness = (id: string) => tab.evaluate((id) => window.__hubNetwork!.graph.getNodeAttribute(id, 'betweenness') as number, id);
    await expect.poll(() => betweenness('prt_test_ide_coop'), patiently).toBeGreaterThan(0);
    expect(await betweenness('prt_test_ide_fund')).toBe(0);

    // A sector filter says how many nodes it holds, and hides them without moving the others.
    const privateSector = tab.locator('[data-testid="graph-filter-sector-PRIVATE"]');
    expect(await privateSector.locator('xpath=..').innerText()).toContain('(2)');
    const before = await tab.evaluate(() => window.__hubNetwork!.graph.getNodeAttributes('gov_th80_centre'));
    await privateSector.uncheck();
    await expect.poll(shown, patiently).not.toContain('prt_test_ide_coop');
    expect(await shown()).toHaveLength(4);
    const after = await tab.evaluate(() => window.__hubNetwork!.graph.getNodeAttributes('gov_th80_centre'));
    expect([after.x, after.y]).toEqual([before.x, before.y]);
    await privateSector.check();
    await expect.poll(async () => (await shown()).length, patiently).toBe(6);

    // Search in Thai, at a word's start inside the label: the result selects the node.
    await tab.locator('[data-testid="graph-search"]').fill('มูลนิธิ');
    await tab.locator('[data-testid="graph-search-result"]').first().click();
    await expect.poll(() => tab.locator('[data-testid="graph-node-panel"] code').innerText(), patiently).toBe('prt_test_ide_fund');
    await tab.locator('[data-testid="graph-search"]').fill('');

    // Focus: only the node and its neighbours.
    await tab.locator('[data-testid="graph-ego"]').check();
    await expect.poll(shown, patiently).toEqual(['prt_test_ide_coop', 'prt_test_ide_fund']);
    await tab.locator('[data-testid="graph-ego"]').uncheck();
    await expect.poll(async () => (await shown()).length, patiently).toBe(6);
    await tab.locator('[data-testid="graph-communities"]').uncheck();
    await tab.locator('[data-testid="graph-size-by"]').selectOption('degree');
  });

  it('switches the labels to English', { timeout: 60_000 }, async () => {
    await tab.getByRole('button', { name: 'EN', exact: true }).click();
    const label = (id: string) => tab.evaluate((id) => window.__hubNetwork!.graph.getNodeAttribute(id, 'label') as string, id);
    await expect.poll(() => label('prt_test_ide_fund'), patiently).toBe('Test Foundation');
    // The example asked for Thai names only: the English ones are fetched for the switch.
    await expect.poll(() => label('gov_th80_centre'), patiently).toBe('Nakhon Si Thammarat Provincial Operations Centre for the Fight to Overcome Poverty');
    await expect(tab.locator('[data-testid="graph-panel"]').innerText()).resolves.toContain('Network view');
    mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: join(ARTIFACTS, 'ide.png') });
  });

  it('saves the picture as PNG and SVG and the network as GEXF', { timeout: 60_000 }, async () => {
    const save = async (label: string) => {
      const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('button', { name: label }).click()]);
      return { name: download.suggestedFilename(), body: await readFile((await download.path())!) };
    };
    const png = await save('Save PNG');
    expect(png.name).toBe('hub-network.png');
    expect(png.body.subarray(1, 4).toString()).toBe('PNG');
    const gexf = await save('Export GEXF');
    expect(gexf.name).toBe('hub-network.gexf');
    const graph = parseGexf(MultiUndirectedGraph, gexf.body.toString('utf8'));
    expect(graph.order).toBe(6);
    expect(graph.getNodeAttribute('prt_test_ide_fund', 'labelTh')).toBe('มูลนิธิทดสอบ');
    expect(graph.getNodeAttribute('prt_test_ide_fund', 'sector')).toBe('PRIVATE');
    const svg = await save('Save SVG');
    expect(svg.name).toBe('hub-network.svg');
    // Well-formed SVG, as the browser's own XML parser reads it, with a circle per node and the labels.
    const read = await tab.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, circles: doc.querySelectorAll('circle').length, text: doc.documentElement.textContent };
    }, svg.body.toString('utf8'));
    expect(read.error).toBeNull();
    expect(read.circles).toBe(6);
    expect(read.text).toContain('Test Foundation');
  });

  it(`exports GEXF that networkx reads as drawn: labels, colours, positions, sizes and edge kinds${NO_NETWORKX}`, { timeout: 60_000 }, async () => {
    if (!hasNetworkx) return;
    await settled();
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('button', { name: 'Export GEXF' }).click()]);
    const read = readWithNetworkx('gexf', await readFile((await download.path())!, 'utf8'));
    // What the view holds and shows, read from its model: the colour sigma paints, where and how big it draws.
    const drawn = await tab.evaluate(() => {
      const { graph } = window.__hubNetwork!;
      return {
        nodes: graph.mapNodes((id, a) => ({
          id,
          data: a as Record<string, string>,
          degree: graph.neighbors(id).length,
          colour: a.color as string,
          position: { x: a.x as number, y: a.y as number },
          size: a.size as number,
        })),
        edges: graph.mapEdges((_, a, source, target) => ({ ends: [source, target].sort(), data: { ...a, type: a.relation } as Record<string, string> })),
      };
    });
    const rgb = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return { r, g, b, a: 1 };
    };
    expect(Object.keys(read.nodes).sort()).toEqual(drawn.nodes.map((node) => node.id).sort());
    for (const node of drawn.nodes) {
      expect(read.nodes[node.id], node.id).toEqual({
        // The English labels the IDE shows now, and both languages.
        label: ['str', node.data.en],
        labelTh: ['str', node.data.th],
        labelEn: ['str', node.data.en],
        kind: ['str', node.data.kind!.toUpperCase()],
        ...(node.data.sector ? { sector: ['str', node.data.sector] } : {}),
        ...(node.data.province ? { province: ['str', node.data.province] } : {}),
        degree: ['int', node.degree],
        // The model's y axis points up, as GEXF's does.
        viz: ['dict', { color: rgb(node.colour), position: { x: node.position.x, y: node.position.y, z: 0 }, size: node.size }],
      });
    }
    const KINDS: Record<string, string> = { link: 'LINK', shared: 'SHARED_INITIATIVE', joined: 'JOINED', participation: 'PARTICIPATION' };
    const edges = (list: string[][]) => list.sort((x, y) => x.join().localeCompare(y.join()));
    expect(edges(read.edges.map(([u, v, d]) => [u, v, d.kind![1], d.type![1], d.label![1]]))).toEqual(
      edges(drawn.edges.map(({ ends, data }) => [ends[0]!, ends[1]!, KINDS[data.kind!]!, data.type!, data.en!])),
    );
    // The example's participations, and the links and shared initiatives the clicks brought.
    expect(new Set(read.edges.map(([, , d]) => d.kind![1]))).toEqual(new Set(['LINK', 'PARTICIPATION', 'SHARED_INITIATIVE']));
  });

  it('runs the live example over SSE: each change shows in the response pane, and the network view adds and relabels its record until stopped', { timeout: 120_000 }, async () => {
    const editor = { authorization: `Bearer ${await tokenFromArgs(['--agency', FACT.nakhonPeopleCentre, '--role', 'editor'])}` };
    /** Changes Nakhon's people's centre through the gateway, as its own editor. */
    const updateCentre = async (input: Record<string, string>) => {
      const read = await hub.query(`query { peopleOrganization(id: "${FACT.nakhonPeopleCentre}") { version } }`);
      const answer = await graphql(
        hub.gatewayUrl,
        'mutation ($version: Int!, $input: UpdatePeopleOrganizationInput!) { updatePeopleOrganization(id: "peo_th80_centre", expectedVersion: $version, input: $input) { version } }',
        { version: read.data.peopleOrganization.version, input },
        editor,
      );
      expect(answer.errors).toBeUndefined();
    };
    // The response pane's text without its spaces: beside the network view it wraps long lines wherever they break.
    const squeeze = (text: string) => text.replace(/[\s\u00a0]+/g, '');
    const response = async () => squeeze(await tab.locator('.graphiql-response .view-lines').innerText());
    const thaiLabel = () =>
      tab.evaluate((id) => (window.__hubNetwork!.graph.hasNode(id) ? (window.__hubNetwork!.graph.getNodeAttribute(id, 'th') as string) : undefined), FACT.nakhonPeopleCentre);
    const live = tab.locator('[data-testid="graph-live"]');

    const example = tab.locator('[data-example="live-changes"]');
    expect(await example.innerText()).toContain('changes in Nakhon Si Thammarat');
    await example.click();
    await expect.poll(() => tab.locator('.graphiql-tab-active').innerText(), patiently).toContain('LiveChanges');
    await tab.locator('.graphiql-execute-button').click();
    await live.waitFor();
    // The example opened in a tab of its own, with no answer: the view starts empty and grows with the events.
    await expect.poll(async () => (await nodes()).length, patiently).toBe(0);

    // The stream is open before its upstream feeds listen: a write made too early is not an event, so write until one arrives.
    for (let attempt = 1; !(await nodes()).some((node) => node.id === FACT.nakhonPeopleCentre); attempt++) {
      await updateCentre({ nameEn: `Nakhon Si Thammarat Provincial People's Centre (${attempt})` });
      await expect
        .poll(async () => (await nodes()).map((node) => node.id), { timeout: 5_000 })
        .toContain(FACT.nakhonPeopleCentre)
        .catch((error) => {
          if (attempt === 3) throw error;
        });
    }
    expect(await response()).toContain(squeeze(`"recordId": "${FACT.nakhonPeopleCentre}"`));
    expect(await response()).toContain(squeeze('"action": "UPDATE"'));
    expect(await thaiLabel()).toContain('นครศรีธรรมราช');
    const eventsSoFar = Number(/(\d+)/.exec(await live.innerText())![1]);
    expect(eventsSoFar).toBeGreaterThanOrEqual(1);

    // A rename arrives as the next event: the node drawn already takes the new name, marked as just changed.
    const renamed = `ศูนย์ประสานงานขบวนองค์กรชุมชนเมืองคอน ${Date.now() % 10_000}`;
    await updateCentre({ name: renamed });
    await expect.poll(response, patiently).toContain(squeeze(renamed));
    await expect.poll(thaiLabel, patiently).toBe(renamed);
    expect(await tab.evaluate((id) => window.__hubNetwork!.graph.getNodeAttribute(id, 'liveChanged'), FACT.nakhonPeopleCentre)).toBe(true);
    await expect.poll(() => live.innerText(), patiently).toContain(`${eventsSoFar + 1} events`);
    expect(await tab.evaluate(() => window.__hubNetwork!.graph.order)).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: join(ARTIFACTS, 'ide-live.png') });

    // Stopping the subscription stops following: a later change is not drawn.
    await tab.locator('.graphiql-execute-button').click();
    await live.waitFor({ state: 'detached' });
    await updateCentre({ name: `${renamed} (หลังหยุด)` });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await thaiLabel()).toBe(renamed);
    expect(await response()).not.toContain('หลังหยุด');

    // The example says what it does in Thai too, in the Thai UI.
    await tab.getByRole('button', { name: 'ไทย', exact: true }).click();
    await expect.poll(() => example.innerText(), patiently).toContain('ความเปลี่ยนแปลงในจังหวัดนครศรีธรรมราช');
    expect(await example.innerText()).not.toContain('changes in Nakhon Si Thammarat');
  });

  it('sent no request anywhere but the gateway, and broke no CSP rule', () => {
    expect(requests.length).toBeGreaterThan(5);
    const elsewhere = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
    expect(elsewhere).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
