import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiUndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { LinkType } from '@hub/initiatives';
import { createInitiative, createLink, createParticipation, createPrivatePartner } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { hasNetworkx, NO_NETWORKX, readCsv, readWithNetworkx } from './support/network-readers.js';

// The exports are read back with the parsers analysts use: networkx (Python)
// for GEXF and GraphML, graphology-gexf for GEXF in JavaScript, and Python's
// csv module for the CSV tables. Every expectation comes from the API's own
// answer to the same question.

interface Edge {
  ends: string[];
  kind: string;
  type: string;
  label: string;
  recordId: string;
}

/** What the API says joins the actors, as the edges an export must hold: one per link, one per pair of each shared initiative. */
function edgesOf(network: any): Edge[] {
  const edges: Edge[] = network.links.map((link: any) => ({
    ends: [link.sourceId, link.targetId].sort(),
    kind: 'LINK',
    type: link.type,
    label: link.type,
    recordId: link.id,
  }));
  for (const shared of network.sharedInitiatives) {
    shared.memberIds.forEach((source: string, i: number) => {
      for (const target of shared.memberIds.slice(i + 1)) {
        edges.push({ ends: [source, target].sort(), kind: 'SHARED_INITIATIVE', type: 'SHARED_INITIATIVE', label: shared.initiative.title, recordId: shared.initiativeId });
      }
    });
  }
  return sorted(edges);
}

const sorted = (edges: Edge[]) => edges.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
const ACTOR = 'actor { id name sector ... on PeopleOrganization { nameEn } ... on GovernmentCentre { nameEn } ... on PrivatePartner { nameEn } }';
const JOINS = 'links(first: 5000) { id type sourceId targetId } sharedInitiatives(first: 5000) { initiativeId memberIds initiative { title } }';

describe('network exports for Gephi, Kumu and networkx, from the gateway', () => {
  let hub: TestHub;
  let base: string;
  /** A partner whose names need quoting in CSV: commas and double quotes, in Thai and English. */
  let partnerId: string;
  /** The API's answers the exports are checked against. */
  let neighbourhood: any;
  let province: any;

  const get = (path: string) => fetch(base + path);
  const text = async (path: string) => {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    hub = await startTestHub();
    base = new URL('/export/', hub.gatewayUrl).href;

    // In TH-80, the partner funds the provincial government centre and works with it on an initiative:
    // two edges between the same two actors, which the files must keep apart.
    const partner = await createPrivatePartner(hub.em('partners'), { name: 'บริษัท "ข้าวดี", จำกัด', nameEn: 'Khao Dee, "Good Rice" Co.' });
    partnerId = partner.id;
    const em = hub.em('initiatives');
    const rice = await createInitiative(em, { title: 'โครงการ "ข้าวดี", เมืองคอน', provinceCodes: ['TH-80'] });
    await createParticipation(em, { initiativeId: rice.id, actorId: partner.id });
    await createParticipation(em, { initiativeId: rice.id, actorId: 'gov_th80_centre' });
    await createLink(em, { sourceId: partner.id, targetId: 'gov_th80_centre', type: LinkType.FUNDING });

    // In TH-50, two partners and nothing between them to bridge: every betweenness is 0.
    const pair = await createInitiative(em, { title: 'โครงการคู่', provinceCodes: ['TH-50'] });
    for (const name of ['บริษัท หนึ่ง จำกัด', 'บริษัท สอง จำกัด']) {
      await createParticipation(em, { initiativeId: pair.id, actorId: (await createPrivatePartner(hub.em('partners'), { name })).id });
    }

    // In TH-96, one initiative of 101 partners: 5,050 pairs, more edges than an export holds.
    const crowd = await createInitiative(em, { title: 'โครงการใหญ่', provinceCodes: ['TH-96'] });
    for (let i = 0; i < 101; i++) {
      await createParticipation(em, { initiativeId: crowd.id, actorId: (await createPrivatePartner(hub.em('partners'), { name: `ห้างหุ้นส่วน ${i}` })).id });
    }

    const near = await hub.query(`{ neighbourhood(actorId: "gov_th80_centre", depth: 2) { truncated linkCount sharedInitiativeCount nodes { depth ${ACTOR} } ${JOINS} } }`);
    expect(near.errors).toBeUndefined();
    neighbourhood = near.data.neighbourhood;
    const whole = await hub.query(
      `{ provinceNetwork(provinceCode: "TH-80") { edgeCount linkCount sharedInitiativeCount nodes { degree betweenness ${ACTOR} } pairs { source { id } target { id } } ${JOINS} } }`,
    );
    expect(whole.errors).toBeUndefined();
    province = whole.data.provinceNetwork;
    expect(neighbourhood.truncated).toBe(false);
    expect(neighbourhood.nodes.length).toBeGreaterThan(2);
    expect(edgesOf(neighbourhood).map((e) => e.kind)).toEqual(expect.arrayContaining(['LINK', 'SHARED_INITIATIVE']));
  });
  afterAll(() => hub?.stop());

  it("gives a province's links and shared initiatives, which make exactly its pairs", () => {
    expect(province.linkCount).toBe(province.links.length);
    expect(province.sharedInitiativeCount).toBe(province.sharedInitiatives.length);
    const fromJoins = new Set(edgesOf(province).map((e) => e.ends.join(' ')));
    const pairs = province.pairs.map((p: any) => [p.source.id, p.target.id].sort().join(' '));
    expect([...fromJoins].sort()).toEqual(pairs.sort());
    expect(pairs).toHaveLength(province.edgeCount);
    expect(edgesOf(province)).toContainEqual({ ends: [partnerId, 'gov_th80_centre'].sort(), kind: 'LINK', type: 'FUNDING', label: 'FUNDING', recordId: expect.stringMatching(/^lnk_/) });
  });

  it("exports an actor's neighbourhood as GEXF that graphology reads with its labels, edge types, colours and positions", async () => {
    const response = await get('network.gexf?actor=gov_th80_centre&depth=2');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gexf+xml; charset=utf-8');
    const gexf = await response.text();
    expect(gexf).toContain('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">');

    const graph = parseGexf(MultiUndirectedGraph, gexf);
    expect(graph.getAttributes()).toMatchObject({ keywords: 'complete', description: expect.stringMatching(/gov_th80_centre.*Complete\.$/) });
    expect(
      graph.mapNodes((id, a) => ({ id, label: a.label, labelEn: a.labelEn, sector: a.sector, depth: a.depth })).sort((x, y) => x.id.localeCompare(y.id)),
    ).toEqual(
      neighbourhood.nodes
        .map((n: any) => ({ id: n.actor.id, label: n.actor.name, labelEn: n.actor.nameEn ?? undefined, sector: n.actor.sector, depth: n.depth }))
        .sort((x: any, y: any) => x.id.localeCompare(y.id)),
    );
    expect(sorted(graph.mapEdges((_, a, source, target) => ({ ends: [source, target].sort(), kind: a.kind, type: a.type, label: a.label, recordId: a.recordId })))).toEqual(
      edgesOf(neighbourhood),
    );
    // The sector colours of the IDE's legend, and the centre in the middle of the rings.
    expect(graph.getNodeAttribute('gov_th80_centre', 'color')).toBe('rgb(21,101,192)');
    expect(graph.getNodeAttributes('gov_th80_centre')).toMatchObject({ x: 0, y: 0 });
    const far = graph.filterNodes((_, a) => a.depth === 2);
    for (const node of far) expect(Math.hypot(graph.getNodeAttribute(node, 'x'), graph.getNodeAttribute(node, 'y'))).toBeGreaterThan(0);
  });

  it(`reads the neighbourhood's GEXF and GraphML in networkx with their types, labels, colours, positions and completeness${NO_NETWORKX}`, async () => {
    if (!hasNetworkx) return;
    const expectedEdges = edgesOf(neighbourhood).map(({ ends, kind, type, label, recordId }) => [
      ...ends,
      { kind: ['str', kind], type: ['str', type], recordId: ['str', recordId], label: ['str', label] },
    ]);
    const centre = neighbourhood.nodes[0].actor;

    const gexf = readWithNetworkx('gexf', await text('network.gexf?actor=gov_th80_centre&depth=2'));
    expect(Object.keys(gexf.nodes).sort()).toEqual(neighbourhood.nodes.map((n: any) => n.actor.id).sort());
    expect(gexf.nodes.gov_th80_centre).toEqual({
      label: ['str', centre.name],
      labelEn: ['str', centre.nameEn],
      sector: ['str', 'GOVERNMENT'],
      depth: ['int', 0],
      viz: ['dict', { color: { r: 21, g: 101, b: 192, a: 1 }, position: { x: 0, y: 0, z: 0 } }],
    });
    expect(gexf.edges.map(([u, v, d]: any) => [u, v, { kind: d.kind, type: d.type, recordId: d.recordId, label: d.label }]).sort()).toEqual(expectedEdges.sort());

    const graphml = readWithNetworkx('graphml', await text('network.graphml?actor=gov_th80_centre&depth=2'));
    expect(graphml.graph).toMatchObject({ truncated: ['bool', false], description: ['str', expect.stringMatching(/^Who works with gov_th80_centre, .*Complete\.$/)] });
    expect(graphml.nodes.gov_th80_centre).toEqual({ label: ['str', centre.name], labelEn: ['str', centre.nameEn], sector: ['str', 'GOVERNMENT'], depth: ['int', 0] });
    expect(graphml.edges.map(([u, v, d]: any) => [u, v, { kind: d.kind, type: d.type, recordId: d.recordId, label: d.label }]).sort()).toEqual(expectedEdges.sort());
  });

  it("exports a province's network with each actor's centrality, and what joins them by type and title", async () => {
    const gexf = await text('network.gexf?province=TH-80');
    const graph = parseGexf(MultiUndirectedGraph, gexf);
    expect(graph.order).toBe(province.nodes.length);
    for (const node of province.nodes) {
      expect(graph.getNodeAttributes(node.actor.id)).toMatchObject({ label: node.actor.name, degree: node.degree, betweenness: node.betweenness });
    }
    expect(sorted(graph.mapEdges((_, a, source, target) => ({ ends: [source, target].sort(), kind: a.kind, type: a.type, label: a.label, recordId: a.recordId })))).toEqual(
      edgesOf(province),
    );
    // Two edges for the partner and the centre, told apart: the funding link and the initiative's title.
    expect(graph.edges(partnerId, 'gov_th80_centre').map((e) => graph.getEdgeAttribute(e, 'label')).sort()).toEqual(['FUNDING', 'โครงการ "ข้าวดี", เมืองคอน']);
    expect(new Set(graph.mapEdges((_, _a, s, t) => [s, t].sort().join(' '))).size).toBe(province.edgeCount);
  });

  it(`declares betweenness a double even when every value is 0, as networkx reads it${NO_NETWORKX}`, async () => {
    const answer = await hub.query('{ provinceNetwork(provinceCode: "TH-50") { nodes { betweenness actor { id } } } }');
    const nodes = answer.data.provinceNetwork.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    expect(nodes.every((n: any) => n.betweenness === 0)).toBe(true);

    const gexf = await text('network.gexf?province=TH-50');
    expect(gexf).toContain('<attribute id="betweenness" title="betweenness" type="double"/>');
    const graphml = await text('network.graphml?province=TH-50');
    expect(graphml).toContain('attr.name="betweenness" attr.type="double"');
    if (!hasNetworkx) return;
    for (const read of [readWithNetworkx('gexf', gexf), readWithNetworkx('graphml', graphml)]) {
      expect(Object.values(read.nodes).map((d: any) => d.betweenness)).toEqual(nodes.map(() => ['float', 0]));
      expect(Object.values(read.nodes).map((d: any) => d.degree[0])).toEqual(nodes.map(() => 'int'));
    }
  });

  it('exports node and edge tables that a CSV parser reads back exactly, quoted Thai names with commas included', async () => {
    const nodes = readCsv(await text('nodes.csv?province=TH-80'));
    expect(nodes).toEqual(
      province.nodes.map((n: any) => ({
        Id: n.actor.id,
        Label: n.actor.name,
        labelEn: n.actor.nameEn ?? '',
        sector: n.actor.sector,
        degree: String(n.degree),
        betweenness: String(n.betweenness),
      })),
    );
    expect(nodes.find((n) => n.Id === partnerId)).toMatchObject({ Label: 'บริษัท "ข้าวดี", จำกัด', labelEn: 'Khao Dee, "Good Rice" Co.' });

    const edges = readCsv(await text('edges.csv?province=TH-80'));
    expect(Object.keys(edges[0]!)).toEqual(['Source', 'Target', 'Type', 'Kind', 'Relation', 'Label', 'Id', 'RecordId']);
    expect(new Set(edges.map((e) => e.Id)).size).toBe(edges.length);
    expect(edges.every((e) => e.Type === 'Undirected')).toBe(true);
    expect(sorted(edges.map((e) => ({ ends: [e.Source!, e.Target!].sort(), kind: e.Kind!, type: e.Relation!, label: e.Label!, recordId: e.RecordId! })))).toEqual(
      edgesOf(province),
    );
  });

  it('says in every file and in its headers when the limit cut a neighbourhood', async () => {
    const answer = await hub.query(`{ neighbourhood(actorId: "gov_th80_centre", depth: 2, limit: 2) { truncated nodes { actor { id } } } }`);
    expect(answer.data.neighbourhood.truncated).toBe(true);
    const query = 'actor=gov_th80_centre&depth=2&limit=2';
    const files: Record<string, string> = {};
    for (const format of ['network.gexf', 'network.graphml', 'nodes.csv', 'edges.csv']) {
      const response = await get(`${format}?${query}`);
      expect(response.status).toBe(200);
      files[format] = await response.text();
      expect(response.headers.get('x-hub-truncated'), format).toBe('true');
      expect(response.headers.get('x-hub-node-count'), format).toBe('2');
      expect(Number(response.headers.get('x-hub-edge-count')), format).toBe(readCsv(await text(`edges.csv?${query}`)).length);
    }
    const graph = parseGexf(MultiUndirectedGraph, files['network.gexf']!);
    expect(graph.getAttributes()).toMatchObject({ keywords: 'truncated', description: expect.stringMatching(/Truncated: the neighbourhood has more actors than its limit/) });
    expect(graph.order).toBe(2);
    expect(readCsv(files['nodes.csv']!).map((n) => n.Id)).toEqual(answer.data.neighbourhood.nodes.map((n: any) => n.actor.id));
    if (hasNetworkx) expect(readWithNetworkx('graphml', files['network.graphml']!).graph.truncated).toEqual(['bool', true]);

    const whole = await get('nodes.csv?actor=gov_th80_centre&depth=2');
    expect(whole.headers.get('x-hub-truncated')).toBe('false');
    expect(whole.headers.get('x-hub-node-count')).toBe(String(neighbourhood.nodes.length));
  });

  it('stops at 5,000 edges and says so, when a province has more', async () => {
    const answer = await hub.query('{ provinceNetwork(provinceCode: "TH-96") { nodeCount edgeCount } }');
    expect(answer.data.provinceNetwork).toEqual({ nodeCount: 101, edgeCount: 5050 });
    const response = await get('network.graphml?province=TH-96');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-hub-truncated')).toBe('true');
    expect(response.headers.get('x-hub-edge-count')).toBe('5000');
    const graphml = await response.text();
    expect(graphml.match(/<edge /g)).toHaveLength(5000);
    expect(graphml).toMatch(/<data key="g_truncated">true<\/data>/);
    expect(graphml).toMatch(/Truncated: edges stop at 5,000\./);
  });

  it('answers 404 with a coded message for a province or an actor that does not exist', async () => {
    for (const [path, message] of [
      ['network.gexf?province=TH-99', 'No province has the code "TH-99".'],
      ['nodes.csv?province=TH-99', 'No province has the code "TH-99".'],
      ['network.graphml?actor=gov_nobody', 'No actor has the id "gov_nobody".'],
      ['edges.csv?actor=prt_nobody&depth=1', 'No actor has the id "prt_nobody".'],
    ]) {
      const response = await get(path!);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json(), path).toEqual({ errors: [{ message, extensions: { code: 'NOT_FOUND' } }] });
    }
  });

  it('refuses unclear or invalid requests with 400 and a coded error', async () => {
    for (const path of [
      'network.gexf',
      'network.gexf?actor=gov_th80_centre&province=TH-80',
      'nodes.csv?actor=nobody',
      'edges.csv?actor=gov_th80_centre&depth=9',
      'edges.csv?actor=gov_th80_centre&depth=two',
      'network.graphml?province=80',
      'network.graphml?province=TH-80&depth=2',
      'network.gexf?actor=gov_th80_centre&dept=2',
      'network.gexf?actor=gov_th80_centre&actor=gov_th50_centre',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions.code, path).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message, path).toMatch(/\w/);
    }
  });

  // Last: it stops a subgraph.
  it("refuses an export rather than leave out the actors of an owner that cannot answer", async () => {
    await hub.subgraphs.find((s) => s.name === 'partners')!.stop();
    const response = await get('edges.csv?province=TH-80');
    expect(response.status).toBe(502);
    const body = (await response.json()) as any;
    expect(body.errors[0].message).toMatch(/^The export would be incomplete: /);
    expect(body.errors[0].extensions.code).toMatch(/^[A-Z_]+$/);
  });
});
