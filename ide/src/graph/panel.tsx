import { useContext, useEffect, useRef, useState } from 'react';
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { INITIATIVE_COLOUR, SECTOR_COLOURS, sectorColour, writeGexf, type Attribute, type EdgeKind } from '@hub/domain/network-files';
import { runGraphQL, type Headers } from '../fetcher';
import { LangContext, term, text, useText, type Lang, type TextKey } from '../i18n';
import { emptyNetwork, extractNetwork, mergeEvent, type EdgeData, type Network } from './extract';
import { liveState, onLiveData, useLive } from './live';
import { EDGE_STYLES, FONT, graphStyle } from './style';

cytoscape.use(fcose);

declare global {
  interface Window {
    /** The graph view's cytoscape instance, for browser tests and the console. */
    __hubGraph?: Core;
  }
}

const ACTOR_NAMES = `__typename id name sector ... on PeopleOrganization { nameEn } ... on GovernmentCentre { nameEn } ... on PrivatePartner { nameEn }`;

// One hop out of an actor: the same neighbourhood query the API offers analysts.
const NEIGHBOURS = /* GraphQL */ `
  query HubGraphNeighbours($id: ID!) {
    neighbourhood(actorId: $id, depth: 1, limit: 100) {
      nodes { actor { ${ACTOR_NAMES} } }
      links(first: 1000) { id type sourceId targetId }
      sharedInitiatives(first: 1000) { initiativeId initiative { id title } memberIds }
    }
  }
`;

// An initiative's neighbours are its participants, each with its role.
const PARTICIPANTS = /* GraphQL */ `
  query HubGraphParticipants($id: ID!) {
    initiative(id: $id) {
      id title titleEn
      participants(first: 100) { nodes { role lead actor { ${ACTOR_NAMES} } } }
    }
  }
`;

// English names for actors the answer named only in Thai, many at once through aliases.
const NAMES_AT_ONCE = 20;
const namesQuery = (count: number) => /* GraphQL */ `
  query HubGraphNames(${Array.from({ length: count }, (_, i) => `$i${i}: ID!`).join(', ')}) {
    ${Array.from({ length: count }, (_, i) => `a${i}: actor(id: $i${i}) { ${ACTOR_NAMES} }`).join('\n    ')}
  }
`;

/** How long a node an event added or renamed stays marked. */
const LIVE_MARK_MS = 4000;

function toElements(network: Network): ElementDefinition[] {
  const nodes: ElementDefinition[] = [...network.nodes.values()].map((data) => ({ group: 'nodes', data: { ...data } }));
  const edges: ElementDefinition[] = [...network.edges.values()]
    // An edge whose end the answer never described (an initiative asked without its title) is left out.
    .filter((edge) => network.nodes.has(edge.source) && network.nodes.has(edge.target))
    .map((data) => ({ group: 'edges', data: { ...data } }));
  return [...nodes, ...edges];
}

/** Edge labels (shown when an edge is selected) in both languages. */
function labelEdges(cy: Core) {
  cy.edges().forEach((edge) => {
    const label = edge.data('label') as string | undefined;
    for (const lang of ['th', 'en'] as const) {
      edge.data(lang, label ? `${term(lang, edge.data('type'))}: ${label}` : term(lang, edge.data('type')));
    }
  });
}

function layout(cy: Core, randomize: boolean) {
  cy.layout({
    name: 'fcose',
    quality: 'default',
    randomize,
    animate: !randomize,
    animationDuration: 400,
    nodeRepulsion: () => 8000,
    idealEdgeLength: () => 70,
    packComponents: true,
    nodeDimensionsIncludeLabels: true,
  } as cytoscape.LayoutOptions).run();
}

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What a drawn node has in the file besides its label (in the UI's language): both names, and what it is. */
const DRAWN_NODE_ATTRIBUTES: Attribute[] = [
  { name: 'labelTh', type: 'string' },
  { name: 'labelEn', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'sector', type: 'string' },
];

/** The view's edge kinds as files name them, the same as the gateway's exports. */
const EDGE_KINDS: Record<EdgeData['kind'], EdgeKind> = {
  link: 'LINK',
  shared: 'SHARED_INITIATIVE',
  joined: 'JOINED',
  participation: 'PARTICIPATION',
};

/** The drawn network as GEXF for Gephi and networkx: as it is on screen, with labels in both languages, sectors, colours, sizes and positions. */
function toGexf(cy: Core, lang: Lang): string {
  return writeGexf({
    description: `The network drawn in the anti-poverty federation hub's IDE: ${cy.nodes().length} nodes and ${cy.edges().length} edges, placed as on screen.`,
    truncated: false,
    nodeAttributes: DRAWN_NODE_ATTRIBUTES,
    nodes: cy.nodes().map((node) => {
      const { x, y } = node.position();
      const initiative = node.data('kind') === 'initiative';
      return {
        id: node.id(),
        label: node.data(lang),
        attributes: { labelTh: node.data('th'), labelEn: node.data('en'), kind: initiative ? 'INITIATIVE' : 'ACTOR', sector: node.data('sector') },
        colour: initiative ? INITIATIVE_COLOUR : sectorColour(node.data('sector')),
        x,
        y: -y, // GEXF's y axis points up, the screen's down.
        size: node.width() / 2,
      };
    }),
    edges: cy.edges().map((edge) => ({
      id: edge.id(),
      source: edge.source().id(),
      target: edge.target().id(),
      kind: EDGE_KINDS[edge.data('kind') as EdgeData['kind']],
      type: edge.data('type'),
      label: edge.data(lang),
    })),
  });
}

export interface GraphPanelProps {
  /** The result pane's text: the JSON answer of the last run. */
  response: string | null;
  /** The headers that answer was fetched with: neighbours are fetched with the same ones. */
  headers: Headers;
  onClose: () => void;
}

/** The graph view: the current result drawn as a network that grows when a node is clicked. */
export function GraphPanel({ response, headers, onClose }: GraphPanelProps) {
  const lang = useContext(LangContext);
  const t = useText();
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const network = useRef<Network>(emptyNetwork());
  const headersRef = useRef(headers);
  headersRef.current = headers;
  const langRef = useRef(lang);
  langRef.current = lang;
  const [counts, setCounts] = useState({ nodes: 0, edges: 0 });
  // What the last click did, kept as words to look up so that it follows the language switch.
  const [status, setStatus] = useState<{ key: TextKey; count?: number; detail?: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const live = useLive();

  const refreshCounts = (cy: Core) => setCounts({ nodes: cy.nodes().length, edges: cy.edges().length });

  /** Fetches a node's neighbours and adds the new ones around it. */
  const expand = async (node: NodeSingular) => {
    const cy = cyRef.current!;
    const id = node.id();
    const query = id.startsWith('ini_') ? PARTICIPANTS : /^(peo|gov|prt)_/.test(id) ? NEIGHBOURS : undefined;
    if (!query) return setStatus({ key: 'notExpandable' });
    setStatus({ key: 'loading' });
    try {
      const result = await runGraphQL({ query, variables: { id } }, headersRef.current);
      if (!result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
      const added = merge(cy, result.data, node.position());
      node.addClass('expanded');
      setStatus(added ? { key: 'added', count: added } : { key: 'noNeighbours' });
      if (added) layout(cy, false);
    } catch (error) {
      setStatus({ key: 'failed', detail: (error as Error).message });
    }
  };

  /** Adds an answer's nodes and edges to the drawing (new nodes start at `at`); says how many nodes are new. */
  const merge = (cy: Core, data: unknown, at?: { x: number; y: number }) => {
    extractNetwork(data, network.current);
    return draw(cy, at);
  };

  /** Brings the drawing up to the network: new elements added (new nodes at `at`), the others relabelled; says how many nodes are new. */
  const draw = (cy: Core, at?: { x: number; y: number }) => {
    const before = cy.nodes().length;
    cy.batch(() => {
      for (const element of toElements(network.current)) {
        const existing = cy.getElementById(element.data.id!);
        if (existing.nonempty()) existing.data(element.data);
        else cy.add(element.group === 'nodes' && at ? { ...element, position: { ...at } } : element);
      }
    });
    labelEdges(cy);
    refreshCounts(cy);
    return cy.nodes().length - before;
  };

  /** Asks for the English names the answer left out, so English labels are not Thai ones. */
  const fillEnglishNames = async (cy: Core) => {
    const ids = cy.nodes('[kind = "actor"][!enKnown]').map((node) => node.id());
    for (let start = 0; start < ids.length; start += NAMES_AT_ONCE) {
      const chunk = ids.slice(start, start + NAMES_AT_ONCE);
      const variables = Object.fromEntries(chunk.map((id, i) => [`i${i}`, id]));
      const result = await runGraphQL({ query: namesQuery(chunk.length), variables }, headersRef.current).catch(() => undefined);
      // A drawing replaced meanwhile keeps its own names.
      if (!result?.data || cy.destroyed() || cyRef.current !== cy) return;
      merge(cy, result.data);
    }
  };

  useEffect(() => {
    const cy = cytoscape({ container: container.current, style: graphStyle(langRef.current), maxZoom: 4 });
    cyRef.current = cy;
    window.__hubGraph = cy;
    cy.on('tap', 'node', (event) => {
      const node = event.target as NodeSingular;
      setSelected(node.id());
      void expand(node);
    });
    // Canvas text cannot wait for a web font: redraw once the Thai font has loaded.
    void document.fonts?.load(`12px ${FONT}`, 'ก').then(() => cy.style().update());
    const resize = new ResizeObserver(() => cy.resize());
    resize.observe(container.current!);
    return () => {
      resize.disconnect();
      cy.destroy();
      if (window.__hubGraph === cy) delete window.__hubGraph;
    };
  }, []);

  // Each event of a followed subscription is merged as it arrives: its records added, or relabelled where drawn already.
  useEffect(
    () =>
      onLiveData((data) => {
        const cy = cyRef.current;
        if (!cy || cy.destroyed()) return;
        const changed = mergeEvent(data, network.current);
        const { x1, y1, w, h } = cy.extent();
        const added = draw(cy, { x: x1 + w / 2, y: y1 + h / 2 });
        const touched = cy.nodes().filter((node) => changed.includes(node.id()));
        touched.addClass('live-changed');
        setTimeout(() => !cy.destroyed() && touched.removeClass('live-changed'), LIVE_MARK_MS);
        if (added) layout(cy, cy.nodes().length === added);
      }),
    [],
  );

  // A new result replaces the drawing. A run that has just started (an empty
  // pane) leaves it until its answer comes, and while a subscription is
  // followed the pane shows only its latest event: its events are merged above.
  const drawnOnce = useRef(false);
  useEffect(() => {
    const cy = cyRef.current!;
    if (drawnOnce.current && (response === '' || liveState().following)) return;
    drawnOnce.current = true;
    let data: unknown;
    try {
      data = response ? JSON.parse(response).data : undefined;
    } catch {
      data = undefined; // The pane holds a half-streamed answer or an error text.
    }
    network.current = extractNetwork(data);
    cy.elements().remove();
    cy.add(toElements(network.current));
    labelEdges(cy);
    refreshCounts(cy);
    setStatus(null);
    setSelected(null);
    if (cy.nodes().length) layout(cy, true);
  }, [response]);

  useEffect(() => {
    const cy = cyRef.current!;
    cy.style(graphStyle(lang));
    if (lang === 'en') void fillEnglishNames(cy);
  }, [lang, response]);

  return (
    <section className="hub-graph" aria-label={t('graph')} data-testid="graph-panel">
      <header className="hub-graph-bar">
        <strong>{t('graph')}</strong>
        <span data-testid="graph-counts">
          {counts.nodes} {t('nodes')} · {counts.edges} {t('edges')}
        </span>
        {live.following && (
          <span className="hub-graph-live" data-testid="graph-live" title={t('liveHint')}>
            {t('live')} · {live.events} {t('events')}
          </span>
        )}
        <span className="hub-graph-spacer" />
        <button type="button" onClick={() => cyRef.current?.fit(undefined, 30)}>{t('fit')}</button>
        <button type="button" onClick={() => cyRef.current && layout(cyRef.current, true)}>{t('relayout')}</button>
        <button
          type="button"
          onClick={() => cyRef.current && download('hub-network.png', cyRef.current.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }))}
        >
          {t('png')}
        </button>
        <button
          type="button"
          onClick={() => cyRef.current && download('hub-network.gexf', new Blob([toGexf(cyRef.current, lang)], { type: 'application/gexf+xml' }))}
        >
          {t('gexf')}
        </button>
        <button type="button" onClick={onClose} aria-label={t('close')}>
          ✕
        </button>
      </header>
      <div className="hub-graph-canvas" ref={container} />
      {counts.nodes === 0 && <p className="hub-graph-empty">{t('graphHint')}</p>}
      <footer className="hub-graph-foot">
        <Legend lang={lang} />
        <div className="hub-graph-status" role="status">
          {selected && cyRef.current?.getElementById(selected).nonempty() && (
            <span>
              {cyRef.current.getElementById(selected).data(lang)} <code>{selected}</code>{' '}
            </span>
          )}
          {status && (status.count ? `+${status.count} ` : '') + t(status.key) + (status.detail ? `: ${status.detail}` : '')}
        </div>
      </footer>
    </section>
  );
}

function Legend({ lang }: { lang: Lang }) {
  const sectors = [
    ['people', SECTOR_COLOURS.PEOPLE],
    ['government', SECTOR_COLOURS.GOVERNMENT],
    ['private', SECTOR_COLOURS.PRIVATE],
    ['initiative', INITIATIVE_COLOUR],
  ] as const;
  return (
    <ul className="hub-graph-legend">
      {sectors.map(([key, colour]) => (
        <li key={key}>
          <span className="dot" style={{ background: colour }} />
          {text(lang, key)}
        </li>
      ))}
      {Object.entries(EDGE_STYLES)
        .filter(([type]) => type !== 'LINK' && type !== 'JOINED')
        .map(([type, { colour, style }]) => (
          <li key={type}>
            <span className="line" style={{ borderTop: `2px ${style} ${colour}` }} />
            {term(lang, type)}
          </li>
        ))}
      <li>
        <span className="line path" />
        {text(lang, 'path')}
      </li>
    </ul>
  );
}
