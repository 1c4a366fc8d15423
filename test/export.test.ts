import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiUndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { startTestHub, type TestHub } from './support/hub.js';

describe('network exports for Gephi and Kumu, from the gateway', () => {
  let hub: TestHub;
  let base: string;
  let expected: { nodes: string[]; edges: number };

  beforeAll(async () => {
    hub = await startTestHub();
    base = new URL('/export/', hub.gatewayUrl).href;
    const answer = await hub.query(`{ neighbourhood(actorId: "gov_th80_centre", depth: 2) { nodes { actor { id } } edges { kind } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.neighbourhood.nodes.length).toBeGreaterThan(2);
    expect(answer.data.neighbourhood.edges.length).toBeGreaterThan(1);
    expected = {
      nodes: answer.data.neighbourhood.nodes.map((n: any) => n.actor.id).sort(),
      edges: answer.data.neighbourhood.edges.length,
    };
  });
  afterAll(() => hub?.stop());

  const get = (path: string) => fetch(base + path);

  it("exports an actor's neighbourhood as GEXF with the owners' names as labels", async () => {
    const response = await get('network.gexf?actor=gov_th80_centre&depth=2');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('gexf');
    const graph = parseGexf(MultiUndirectedGraph, await response.text());
    expect(graph.nodes().sort()).toEqual(expected.nodes);
    expect(graph.size).toBe(expected.edges);
    expect(graph.getNodeAttribute('peo_th80_networks', 'label')).toBe('ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช');
    expect(graph.getNodeAttribute('peo_th80_networks', 'sector')).toBe('PEOPLE');
  });

  it('exports the same network as GraphML and as node and edge CSV', async () => {
    const graphml = await (await get('network.graphml?actor=gov_th80_centre&depth=2')).text();
    expect(graphml.match(/<node /g)).toHaveLength(expected.nodes.length);
    expect(graphml.match(/<edge /g)).toHaveLength(expected.edges);

    const nodes = (await (await get('nodes.csv?actor=gov_th80_centre&depth=2')).text()).trim().split('\r\n');
    expect(nodes[0]).toBe('"Id","Label","labelEn","sector","depth"');
    expect(nodes.slice(1).map((line) => JSON.parse(line.split(',')[0]!)).sort()).toEqual(expected.nodes);
    const edges = (await (await get('edges.csv?actor=gov_th80_centre&depth=2')).text()).trim().split('\r\n');
    expect(edges[0]).toBe('"Source","Target","Type","Kind","Relation","Label"');
    expect(edges).toHaveLength(expected.edges + 1);
  });

  it("exports a province's network with each actor's centrality", async () => {
    const answer = await hub.query(`{ provinceNetwork(provinceCode: "TH-80") { nodeCount edgeCount } }`);
    const graph = parseGexf(MultiUndirectedGraph, await (await get('network.gexf?province=TH-80')).text());
    expect(graph.order).toBe(answer.data.provinceNetwork.nodeCount);
    expect(graph.size).toBe(answer.data.provinceNetwork.edgeCount);
    expect(graph.getNodeAttribute('gov_th80_centre', 'degree')).toBe(1);
  });

  it('refuses unclear or invalid requests with 400 and a coded error', async () => {
    for (const path of ['network.gexf', 'network.gexf?actor=gov_th80_centre&province=TH-80', 'nodes.csv?actor=nobody', 'edges.csv?actor=gov_th80_centre&depth=9', 'network.graphml?province=80']) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code, path).toBe('BAD_USER_INPUT');
    }
  });
});
