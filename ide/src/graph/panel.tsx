import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import Sigma from 'sigma';
import type { NodeDisplayData, PartialButFor } from 'sigma/types';
import type { Settings } from 'sigma/settings';
import { toBlob } from '@sigma/export-image';
import { INITIATIVE_COLOUR, SECTOR_COLOURS } from '@hub/domain/network-files';
import { runGraphQL, type Headers } from '../fetcher';
import { LangContext, term, text, useText, type Lang, type TextKey } from '../i18n';
import {
  applySizes,
  BETWEENNESS_LIMIT,
  communityColour,
  computeBetweenness,
  degreeOf,
  describeView,
  detectCommunities,
  edgeShown,
  facets,
  noneHidden,
  searchNodes,
  shownNodes,
  wrapLabel,
  type Community,
  type FacetName,
  type SizeBy,
  type View,
} from './analysis';
import { toGexf, toSvg, type Shown } from './exports';
import { emptyNetwork, extractNetwork, mergeEvent, type Network } from './extract';
import { Layout, type LayoutState } from './layout';
import { liveState, onLiveData, useLive } from './live';
import { dropAdded, newGraph, relabel, syncGraph, type Added, type EdgeAttributes, type NetworkGraph, type NodeAttributes } from './model';
import { EDGE_STYLES, FADED_COLOUR, FONT, LIVE_COLOUR, nodeColour, PROVINCE_COLOUR } from './style';
import './graph.css';

declare global {
  interface Window {
    /** The network view, while it is open: for browser tests, the bench and the console. */
    __hubNetwork?: {
      graph: NetworkGraph;
      sigma: Sigma<NodeAttributes, EdgeAttributes>;
      layout: LayoutState;
      firstFrameAt: number | null;
      select(id: string): void;
    };
  }
}

const ACTOR_NAMES = `__typename id name sector ... on PeopleOrganization { nameEn } ... on GovernmentCentre { nameEn } ... on PrivatePartner { nameEn }`;

/** How many actors one expansion brings at most: the count asked for first uses the same bound. */
const EXPAND_LIMIT = 100;

// One hop out of an actor: the same neighbourhood query the API offers analysts.
const NEIGHBOURS = /* GraphQL */ `
  query HubGraphNeighbours($id: ID!) {
    neighbourhood(actorId: $id, depth: 1, limit: ${EXPAND_LIMIT}) {
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
      id title titleEn themes
      participants(first: ${EXPAND_LIMIT}) { nodes { role lead actor { ${ACTOR_NAMES} } } }
    }
  }
`;

// Before an expansion, only who the neighbours are (ids, no names, no edges): cheap, and enough to say how many are new.
const NEIGHBOUR_IDS = /* GraphQL */ `
  query HubGraphNeighbourIds($id: ID!) {
    neighbourhood(actorId: $id, depth: 1, limit: ${EXPAND_LIMIT}) { nodes { actor { id } } }
  }
`;
const PARTICIPANT_IDS = /* GraphQL */ `
  query HubGraphParticipantIds($id: ID!) {
    initiative(id: $id) { participants(first: ${EXPAND_LIMIT}) { nodes { actor { id } } } }
  }
`;

/** The API's largest neighbourhood (NEIGHBOURHOOD.limit.max) and page of links (NEIGHBOURHOOD.first.max). */
const MOST_ACTORS = 1000;
const MOST_EDGES = 5000;
const LOAD_MORE = /* GraphQL */ `
  query HubGraphLoadMore($id: ID!, $depth: Int!, $limit: Int!) {
    neighbourhood(actorId: $id, depth: $depth, limit: $limit) {
      truncated
      nodes { depth actor { ${ACTOR_NAMES} } }
      links(first: ${MOST_EDGES}) { id type sourceId targetId }
      sharedInitiatives(first: ${MOST_EDGES}) { initiativeId initiative { id title } memberIds }
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

const LARGE_EDGES = 20_000;

/** How long a node an event added or renamed stays marked. */
const LIVE_MARK_MS = 4000;

const isActor = (id: string) => /^(peo|gov|prt)_/.test(id);
const isInitiative = (id: string) => id.startsWith('ini_');

/** Labels wrapped at word boundaries, kept per label: wrapping is measured text, too slow to redo each frame. */
const wrapped = new Map<string, string[]>();
const LABEL_WIDTH = 170;

/** Sigma's label drawing, with long labels on several lines broken between words, over a white halo. */
function drawLabel(
  context: CanvasRenderingContext2D,
  data: PartialButFor<NodeDisplayData, 'x' | 'y' | 'size' | 'label' | 'color'>,
  settings: Settings<NodeAttributes, EdgeAttributes>,
) {
  if (!data.label) return;
  const size = settings.labelSize;
  context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
  let lines = wrapped.get(data.label);
  if (!lines) {
    lines = wrapLabel(data.label, LABEL_WIDTH, (line) => context.measureText(line).width);
    wrapped.set(data.label, lines);
  }
  const x = data.x + data.size + 3;
  const lineHeight = size * 1.25;
  let y = data.y + size / 3 - ((lines.length - 1) * lineHeight) / 2;
  context.lineJoin = 'round';
  context.lineWidth = 3;
  context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  context.fillStyle = '#212121';
  for (const line of lines) {
    context.strokeText(line, x, y);
    context.fillText(line, x, y);
    y += lineHeight;
  }
}

/** The files written from the model, beside the PNG that sigma draws: what each is called and how it is written. */
const FILE_EXPORTS = [
  { format: 'svg', file: 'hub-network.svg', type: 'image/svg+xml', write: toSvg },
  { format: 'gexf', file: 'hub-network.gexf', type: 'application/gexf+xml', write: toGexf },
] as const;

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What the reducers read on each frame: the view's choices, and what they make visible. */
interface Drawn extends View {
  shown: Set<string>;
  hovered: string | null;
  hoveredNeighbours: Set<string>;
  selected: string | null;
  found: Set<string>;
}

/** What the "Expand" button will add, asked for when a node is selected. */
type Preview = { node: string; count: number | null; error?: string };

type Status = { key: TextKey; count?: number; detail?: string } | null;

export interface GraphPanelProps {
  /** The result pane's text: the JSON answer of the last run. */
  response: string | null;
  /** The headers that answer was fetched with: neighbours are fetched with the same ones. */
  headers: Headers;
  onClose: () => void;
  maximized?: boolean;
  onToggleMaximize?: () => void;
}

/** The network view: the current result drawn as a network to analyse, which grows when nodes are expanded. */
export function GraphPanel({ response, headers, onClose, maximized, onToggleMaximize }: GraphPanelProps) {
  const lang = useContext(LangContext);
  const t = useText();
  const container = useRef<HTMLDivElement>(null);
  const graph = useMemo(newGraph, []);
  const sigmaRef = useRef<Sigma<NodeAttributes, EdgeAttributes> | null>(null);
  const layoutRef = useRef<Layout | null>(null);
  const network = useRef<Network>(emptyNetwork());
  const headersRef = useRef(headers);
  headersRef.current = headers;
  const langRef = useRef(lang);
  langRef.current = lang;
  const drawn = useRef<Drawn>({
    hidden: noneHidden(),
    sharedEdges: true,
    ego: null,
    shown: new Set(),
    hovered: null,
    hoveredNeighbours: new Set(),
    selected: null,
    found: new Set(),
  });
  // Re-renders the controls after the model changed (counts, facets, the node panel).
  const [revision, setRevision] = useState(0);
  const bump = () => setRevision((r) => r + 1);
  const [status, setStatus] = useState<Status>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [view, setViewState] = useState<View>({
    hidden: noneHidden(),
    sharedEdges: true,
    ego: null,
  });
  // The view as sigma's events and the subscription's listener see it: they are bound once, when the panel opens.
  const viewRef = useRef(view);
  const setView = (next: View) => {
    viewRef.current = next;
    setViewState(next);
  };
  const [sizeBy, setSizeBy] = useState<SizeBy>('degree');
  const [communities, setCommunities] = useState<{
    list: Community[];
    modularity: number;
  } | null>(null);
  const [search, setSearch] = useState('');
  const [expansions, setExpansions] = useState<{ node: string; added: Added }[]>([]);
  const [layoutRunning, setLayoutRunning] = useState(false);
  const live = useLive();
  const sizeByRef = useRef(sizeBy);
  sizeByRef.current = sizeBy;
  const communitiesRef = useRef(communities);
  communitiesRef.current = communities;

  /** Recomputes what the view shows and redraws. */
  const redraw = (next: View = viewRef.current) => {
    Object.assign(drawn.current, next, { shown: shownNodes(graph, next) });
    sigmaRef.current?.refresh();
  };

  /** Past this many edges they are hidden while the camera moves, as Gephi Lite does: panning and zooming stay fluid without a fast GPU. */
  const hideEdgesWhileMoving = () => sigmaRef.current?.setSetting('hideEdgesOnMove', graph.size > LARGE_EDGES);

  /** Sizes and colours after the model changed: by the chosen measure, and by community while colouring by it. */
  const restyle = () => {
    if (sizeByRef.current === 'betweenness' && !computeBetweenness(graph, (node) => drawn.current.shown.has(node) || !drawn.current.shown.size)) {
      setSizeBy('degree');
      sizeByRef.current = 'degree';
      setStatus({ key: 'betweennessRefused' });
    }
    applySizes(graph, sizeByRef.current);
    const byCommunity = communitiesRef.current !== null;
    graph.updateEachNodeAttributes(
      (_, a) => ({
        ...a,
        color: byCommunity ? communityColour(a.community) : nodeColour(a),
      }),
      { attributes: ['color'] },
    );
  };

  /** Selects a node; from a search result or the console, `centre` brings it to the middle too (a clicked node is in view already). */
  const select = (id: string | null, centre = false) => {
    drawn.current.selected = id;
    setSelected(id);
    setPreview(null);
    sigmaRef.current?.refresh({ skipIndexation: true });
    if (id && graph.hasNode(id)) {
      const display = sigmaRef.current?.getNodeDisplayData(id);
      const camera = sigmaRef.current?.getCamera();
      if (centre && display && camera) void camera.animate({ x: display.x, y: display.y, ratio: Math.min(camera.ratio, 0.6) }, { duration: 400 });
      void countNeighbours(id);
    }
  };

  /** Asks the API who the node's neighbours are (ids only) to say how many an expansion would add. */
  const countNeighbours = async (id: string) => {
    const query = isInitiative(id) ? PARTICIPANT_IDS : isActor(id) ? NEIGHBOUR_IDS : undefined;
    if (!query) return;
    setPreview({ node: id, count: null });
    try {
      const result = await runGraphQL({ query, variables: { id } }, headersRef.current);
      if (!result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
      const ids = new Set<string>();
      const collect = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(collect);
        else if (value && typeof value === 'object') {
          const o = value as Record<string, unknown>;
          if (typeof o.id === 'string' && isActor(o.id)) ids.add(o.id);
          Object.values(o).forEach(collect);
        }
      };
      collect(result.data);
      const count = [...ids].filter((other) => other !== id && !graph.hasNode(other)).length;
      setPreview((current) => (current?.node === id ? { node: id, count } : current));
    } catch (error) {
      setPreview((current) => (current?.node === id ? { node: id, count: null, error: (error as Error).message } : current));
    }
  };

  /** Fetches a node's neighbours and adds the new ones beside it; the stack keeps what was added, to undo. */
  const expand = async (id: string) => {
    const query = isInitiative(id) ? PARTICIPANTS : isActor(id) ? NEIGHBOURS : undefined;
    if (!query) return setStatus({ key: 'notExpandable' });
    setStatus({ key: 'loading' });
    try {
      const result = await runGraphQL({ query, variables: { id } }, headersRef.current);
      if (!result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
      extractNetwork(result.data, network.current);
      const at = graph.hasNode(id)
        ? {
            x: graph.getNodeAttribute(id, 'x'),
            y: graph.getNodeAttribute(id, 'y'),
          }
        : undefined;
      const added = syncGraph(graph, network.current, langRef.current, at);
      if (graph.hasNode(id)) graph.setNodeAttribute(id, 'expanded', true);
      if (added.nodes.length || added.edges.length) setExpansions((stack) => [...stack, { node: id, added }]);
      setStatus(added.nodes.length ? { key: 'added', count: added.nodes.length } : { key: 'noNeighbours' });
      afterChange(added.nodes.length > 0);
      if (drawn.current.selected === id) void countNeighbours(id);
    } catch (error) {
      setStatus({ key: 'failed', detail: (error as Error).message });
    }
  };

  const undo = () => {
    const last = expansions.at(-1);
    if (!last) return;
    setExpansions((stack) => stack.slice(0, -1));
    // The layout's worker starts afresh on every node or edge dropped, and sigma indexes the whole graph again:
    // stop the one, and let the other look away while the expansion's nodes and edges go, then index once.
    layoutRef.current?.stop();
    const sigma = sigmaRef.current;
    sigma?.setGraph(newGraph());
    try {
      dropAdded(graph, network.current, last.added);
    } finally {
      sigma?.setGraph(graph);
    }
    if (graph.hasNode(last.node)) graph.setNodeAttribute(last.node, 'expanded', false);
    if (drawn.current.selected && !graph.hasNode(drawn.current.selected)) select(null);
    afterChange(false);
  };

  /** After the model changed: restyle, refilter, redraw, and let the layout adapt to new nodes. */
  const afterChange = (relayout: boolean) => {
    hideEdgesWhileMoving();
    redraw();
    restyle();
    redraw();
    bump();
    if (relayout) layoutRef.current?.start();
  };

  /** Asks the neighbourhood again with a larger limit (twice the actors, up to the API's bound). */
  const loadMore = async () => {
    const centre = network.current.centre;
    if (!centre) return setStatus({ key: 'noCentre' });
    const limit = Math.min(MOST_ACTORS, Math.max(centre.nodes * 2, 200));
    if (centre.nodes >= MOST_ACTORS) return setStatus({ key: 'atBound' });
    setStatus({ key: 'loading' });
    try {
      const result = await runGraphQL(
        {
          query: LOAD_MORE,
          variables: { id: centre.id, depth: centre.depth, limit },
        },
        headersRef.current,
      );
      if (!result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
      network.current.truncated = false;
      network.current.centre = undefined;
      extractNetwork(result.data, network.current);
      const added = syncGraph(graph, network.current, langRef.current);
      setStatus({ key: 'added', count: added.nodes.length });
      afterChange(added.nodes.length > 0);
    } catch (error) {
      setStatus({ key: 'failed', detail: (error as Error).message });
    }
  };

  /** Asks for the English names the answer left out, so English labels are not Thai ones. */
  const fillEnglishNames = async () => {
    const ids = [...network.current.nodes.values()].filter((node) => node.kind === 'actor' && !node.enKnown).map((node) => node.id);
    const asked = network.current;
    for (let start = 0; start < ids.length; start += NAMES_AT_ONCE) {
      const chunk = ids.slice(start, start + NAMES_AT_ONCE);
      const variables = Object.fromEntries(chunk.map((id, i) => [`i${i}`, id]));
      const result = await runGraphQL({ query: namesQuery(chunk.length), variables }, headersRef.current).catch(() => undefined);
      // A drawing replaced meanwhile keeps its own names.
      if (!result?.data || network.current !== asked || !sigmaRef.current) return;
      extractNetwork(result.data, network.current);
      syncGraph(graph, network.current, langRef.current);
      bump();
    }
  };

  useEffect(() => {
    const sigma = new Sigma<NodeAttributes, EdgeAttributes>(graph, container.current!, {
      allowInvalidContainer: true,
      labelFont: FONT,
      labelSize: 12,
      labelWeight: '400',
      // Labels by importance (size) and zoom: one label per grid cell, the largest node's, more as the camera zooms in.
      labelDensity: 0.6,
      labelGridCellSize: 110,
      labelRenderedSizeThreshold: 6,
      defaultDrawNodeLabel: drawLabel,
      zIndex: true,
      minCameraRatio: 0.02,
      maxCameraRatio: 8,
      nodeReducer: (node, data) => {
        const d = drawn.current;
        const result: Partial<NodeDisplayData> = { ...data };
        if (!d.shown.has(node)) return { ...result, hidden: true };
        if (d.hovered && node !== d.hovered && !d.hoveredNeighbours.has(node)) {
          return { ...result, color: FADED_COLOUR, label: '', zIndex: 0 };
        }
        if (d.hovered) Object.assign(result, { zIndex: 1, forceLabel: true });
        if (data.liveChanged)
          Object.assign(result, {
            highlighted: true,
            forceLabel: true,
            zIndex: 2,
            color: LIVE_COLOUR,
          });
        if (d.found.has(node)) Object.assign(result, { highlighted: true, zIndex: 2 });
        if (node === d.selected)
          Object.assign(result, {
            highlighted: true,
            forceLabel: true,
            zIndex: 3,
          });
        return result;
      },
      edgeReducer: (edge, data) => {
        const d = drawn.current;
        const [source, target] = graph.extremities(edge);
        if (!d.shown.has(source) || !d.shown.has(target) || !edgeShown(graph, edge, d)) return { ...data, hidden: true };
        if (d.hovered && source !== d.hovered && target !== d.hovered) return { ...data, color: FADED_COLOUR, zIndex: 0 };
        if (d.hovered || (d.selected && (source === d.selected || target === d.selected))) return { ...data, size: data.size + 1, zIndex: 1 };
        return data;
      },
    });
    sigmaRef.current = sigma;
    const layout = new Layout(graph, () => setLayoutRunning(layout.state.running));
    layoutRef.current = layout;
    const hub: NonNullable<Window['__hubNetwork']> = {
      graph,
      sigma,
      layout: layout.state,
      firstFrameAt: null,
      select: (id) => select(id, true),
    };
    window.__hubNetwork = hub;
    const firstFrame = () => {
      if (hub.firstFrameAt === null && graph.order > 0) hub.firstFrameAt = performance.now();
    };
    sigma.on('afterRender', firstFrame);
    sigma.on('clickNode', ({ node }) => select(node));
    sigma.on('doubleClickNode', (event) => {
      event.preventSigmaDefault();
      void expand(event.node);
    });
    sigma.on('clickStage', () => select(null));
    sigma.on('enterNode', ({ node }) => {
      Object.assign(drawn.current, {
        hovered: node,
        hoveredNeighbours: new Set(graph.neighbors(node)),
      });
      sigma.refresh({ skipIndexation: true });
    });
    sigma.on('leaveNode', () => {
      Object.assign(drawn.current, {
        hovered: null,
        hoveredNeighbours: new Set(),
      });
      sigma.refresh({ skipIndexation: true });
    });
    // Canvas text cannot wait for a web font: measure and draw again once the Thai font has loaded.
    void document.fonts?.load(`12px ${FONT}`, 'ก').then(() => {
      wrapped.clear();
      sigma.refresh();
    });
    // sigma's resize clears the canvas; draw again at once (the legend or a panel opening resizes it).
    const resize = new ResizeObserver(() => {
      sigma.resize();
      sigma.refresh();
    });
    resize.observe(container.current!);
    return () => {
      resize.disconnect();
      layout.stop();
      sigma.kill();
      sigmaRef.current = null;
      if (window.__hubNetwork === hub) delete window.__hubNetwork;
    };
  }, []);

  // Each event of a followed subscription is merged as it arrives: its records added, or relabelled where drawn already.
  useEffect(
    () =>
      onLiveData((data) => {
        if (!sigmaRef.current) return;
        const changed = mergeEvent(data, network.current);
        const added = syncGraph(graph, network.current, langRef.current);
        for (const id of changed) if (graph.hasNode(id)) graph.setNodeAttribute(id, 'liveChanged', true);
        setTimeout(() => {
          for (const id of changed) if (graph.hasNode(id)) graph.setNodeAttribute(id, 'liveChanged', false);
        }, LIVE_MARK_MS);
        afterChange(added.nodes.length > 0);
      }),
    [],
  );

  // A new result replaces the drawing. A run that has just started (an empty
  // pane) leaves it until its answer comes, and while a subscription is
  // followed the pane shows only its latest event: its events are merged above.
  const drawnOnce = useRef(false);
  useEffect(() => {
    if (drawnOnce.current && (response === '' || liveState().following)) return;
    drawnOnce.current = true;
    let data: unknown;
    try {
      data = response ? JSON.parse(response).data : undefined;
    } catch {
      data = undefined; // The pane holds a half-streamed answer or an error text.
    }
    layoutRef.current?.stop();
    network.current = extractNetwork(data);
    graph.clear();
    syncGraph(graph, network.current, langRef.current);
    const fresh: View = { hidden: noneHidden(), sharedEdges: true, ego: null };
    setView(fresh);
    setExpansions([]);
    setCommunities(null);
    communitiesRef.current = null;
    setStatus(null);
    select(null);
    drawn.current.found = new Set();
    setSearch('');
    hideEdgesWhileMoving();
    redraw(fresh);
    restyle();
    bump();
    sigmaRef.current?.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    layoutRef.current?.start();
  }, [response]);

  useEffect(() => {
    relabel(graph, lang);
    wrapped.clear();
    if (lang === 'en') void fillEnglishNames();
  }, [lang, response]);

  const changeView = (next: View) => {
    setView(next);
    redraw(next);
    if (communitiesRef.current || sizeByRef.current === 'betweenness') {
      // Communities and betweenness are of what is shown: computed again for the new selection.
      if (communitiesRef.current) toggleCommunities(true, next);
      restyle();
      sigmaRef.current?.refresh();
    }
  };

  const toggleCommunities = (on: boolean, forView: View = view) => {
    const shown = on ? shownNodes(graph, forView) : null;
    // Off, communities are forgotten: an export then carries none.
    if (!on) graph.forEachNode((node) => graph.removeNodeAttribute(node, 'community'));
    const next = shown ? detectCommunities(graph, (node) => shown.has(node)) : null;
    const list = next && {
      list: next.communities,
      modularity: next.modularity,
    };
    setCommunities(list);
    communitiesRef.current = list;
    restyle();
    sigmaRef.current?.refresh();
  };

  const changeSizeBy = (by: SizeBy) => {
    setSizeBy(by);
    sizeByRef.current = by;
    setStatus(null);
    if (by !== 'betweenness') graph.forEachNode((node) => graph.removeNodeAttribute(node, 'betweenness'));
    restyle();
    sigmaRef.current?.refresh();
  };

  const toggleFacet = (facet: FacetName, value: string, shown: boolean) => {
    const hidden = { ...view.hidden, [facet]: new Set(view.hidden[facet]) };
    if (shown) hidden[facet].delete(value);
    else hidden[facet].add(value);
    changeView({ ...view, hidden });
  };

  const results = useMemo(() => searchNodes(graph, search), [search, revision]);
  useEffect(() => {
    drawn.current.found = new Set(search.trim() ? results : []);
    sigmaRef.current?.refresh({ skipIndexation: true });
  }, [results]);

  const shownForExport = (): Shown => ({
    nodes: drawn.current.shown,
    edges: (edge) => edgeShown(graph, edge, viewRef.current),
    filters: describeView(view),
  });

  const exportPng = async () => {
    const sigma = sigmaRef.current;
    if (!sigma) return;
    download(
      'hub-network.png',
      await toBlob(sigma as unknown as Sigma, {
        format: 'png',
        backgroundColor: '#ffffff',
        fileName: 'hub-network',
      }),
    );
  };

  const facetCounts = useMemo(() => facets(graph), [revision]);
  // The legend names only the relations drawn.
  const relations = useMemo(() => new Set(graph.mapEdges((_, a) => (a.path ? 'path' : a.relation))), [revision]);
  const selectedNode = selected && graph.hasNode(selected) ? graph.getNodeAttributes(selected) : null;
  const counts = {
    nodes: graph.order,
    edges: graph.size,
    shown: drawn.current.shown.size,
  };

  return (
    <section className={`hub-graph${maximized ? ' hub-graph-maximized' : ''}`} aria-label={t('graph')} data-testid="graph-panel">
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
        {layoutRunning && <span className="hub-graph-running">{t('layoutRunning')}</span>}
        <span className="hub-graph-spacer" />
        <button type="button" data-testid="graph-fit" onClick={() => sigmaRef.current?.getCamera().animatedReset()}>
          {t('fit')}
        </button>
        <button type="button" data-testid="graph-relayout" onClick={() => layoutRef.current?.start()}>
          {t('relayout')}
        </button>
        <button type="button" data-testid="graph-undo" disabled={!expansions.length} onClick={undo}>
          {t('undo')}
          {expansions.length ? ` (${expansions.length})` : ''}
        </button>
        <button type="button" data-testid="graph-export-png" onClick={() => void exportPng()}>
          {t('png')}
        </button>
        {FILE_EXPORTS.map(({ format, file, type, write }) => (
          <button
            key={format}
            type="button"
            data-testid={`graph-export-${format}`}
            onClick={() => download(file, new Blob([write(graph, shownForExport(), lang)], { type }))}
          >
            {t(format)}
          </button>
        ))}
        {onToggleMaximize && (
          <button type="button" data-testid="graph-maximize" aria-pressed={!!maximized} onClick={onToggleMaximize}>
            {maximized ? '⤡' : '⤢'}
          </button>
        )}
        <button type="button" onClick={onClose} aria-label={t('close')}>
          ✕
        </button>
      </header>
      {network.current.truncated && (
        <div className="hub-graph-truncated" data-testid="graph-truncated" role="status">
          {t('truncated')}{' '}
          <button type="button" data-testid="graph-load-more" onClick={() => void loadMore()} disabled={!network.current.centre}>
            {t('loadMore')}
          </button>
          {!network.current.centre && ` (${t('noCentre')})`}
        </div>
      )}
      <div className="hub-graph-tools">
        <div className="hub-graph-search">
          <input
            type="search"
            data-testid="graph-search"
            placeholder={t('search')}
            aria-label={t('search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {search.trim() && (
            <ul className="hub-graph-results">
              {results.length === 0 && <li>{t('noMatch')}</li>}
              {results.map((id) => (
                <li key={id}>
                  <button type="button" data-testid="graph-search-result" data-node={id} onClick={() => select(id, true)}>
                    {graph.getNodeAttribute(id, 'label')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <label>
          <input type="checkbox" data-testid="graph-communities" checked={communities !== null} onChange={(e) => toggleCommunities(e.target.checked)} />
          {t('communities')}
        </label>
        <label>
          {t('sizeBy')}{' '}
          <select data-testid="graph-size-by" value={sizeBy} onChange={(e) => changeSizeBy(e.target.value as SizeBy)}>
            <option value="degree">{t('sizeDegree')}</option>
            <option value="betweenness" title={`≤ ${BETWEENNESS_LIMIT.nodes} / ${BETWEENNESS_LIMIT.edges}`}>
              {t('sizeBetweenness')}
            </option>
            <option value="none">{t('sizeNone')}</option>
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="graph-shared-edges"
            checked={view.sharedEdges}
            onChange={(e) => changeView({ ...view, sharedEdges: e.target.checked })}
          />
          {t('sharedEdges')}
        </label>
        <Facet name="sector" title={t('filterSector')} counts={facetCounts.sector} view={view} lang={lang} onToggle={toggleFacet} />
        <Facet name="role" title={t('filterRole')} counts={facetCounts.role} view={view} lang={lang} onToggle={toggleFacet} />
        <Facet name="link" title={t('filterLink')} counts={facetCounts.link} view={view} lang={lang} onToggle={toggleFacet} />
        <Facet name="province" title={t('filterProvince')} counts={facetCounts.province} view={view} lang={lang} onToggle={toggleFacet} />
        <Facet name="theme" title={t('filterTheme')} counts={facetCounts.theme} view={view} lang={lang} onToggle={toggleFacet} />
      </div>
      <div className="hub-graph-body">
        <div className="hub-graph-canvas" ref={container} />
        {selected && selectedNode && (
          <aside className="hub-graph-node" data-testid="graph-node-panel">
            <button type="button" className="hub-graph-node-close" data-testid="graph-node-close" aria-label={t('close')} onClick={() => select(null)}>
              ✕
            </button>
            <h3>{selectedNode.label}</h3>
            <code>{selected}</code>
            <dl>
              <dt>{t('degree')}</dt>
              <dd data-testid="graph-node-degree">{degreeOf(graph, selected)}</dd>
              {selectedNode.community !== undefined && communities && (
                <>
                  <dt>{t('community')}</dt>
                  <dd>{selectedNode.community + 1}</dd>
                </>
              )}
              {selectedNode.betweenness !== undefined && sizeBy === 'betweenness' && (
                <>
                  <dt>{t('sizeBetweenness')}</dt>
                  <dd>{selectedNode.betweenness.toFixed(4)}</dd>
                </>
              )}
              {Object.entries(selectedNode.fields).map(([key, value]) => (
                <FieldRow key={key} name={key} value={value} lang={lang} />
              ))}
            </dl>
            {(isActor(selected) || isInitiative(selected)) && (
              <button type="button" data-testid="graph-expand" title={t('expandHint')} onClick={() => void expand(selected)}>
                {t('expand')}{' '}
                {preview?.node === selected ? (preview.count === null ? (preview.error ? '(?)' : `(${t('expandCounting')})`) : `(+${preview.count})`) : ''}
              </button>
            )}
            <div className="hub-graph-ego">
              <label>
                <input
                  type="checkbox"
                  data-testid="graph-ego"
                  checked={view.ego?.node === selected}
                  onChange={(e) =>
                    changeView({
                      ...view,
                      ego: e.target.checked ? { node: selected, depth: view.ego?.depth ?? 1 } : null,
                    })
                  }
                />
                {t('ego')}
              </label>
              <select
                data-testid="graph-ego-depth"
                aria-label={t('hops')}
                value={view.ego?.depth ?? 1}
                onChange={(e) =>
                  changeView({
                    ...view,
                    ego: {
                      node: selected,
                      depth: Number(e.target.value) as 1 | 2,
                    },
                  })
                }
              >
                <option value={1}>1 {t('hops')}</option>
                <option value={2}>2 {t('hops')}</option>
              </select>
            </div>
          </aside>
        )}
      </div>
      {counts.nodes === 0 && <p className="hub-graph-empty">{t('graphHint')}</p>}
      <footer className="hub-graph-foot">
        <Legend lang={lang} communities={communities} relations={relations} />
        <div className="hub-graph-status" role="status">
          {counts.shown < counts.nodes && `${counts.shown} / ${counts.nodes} ${t('nodes')} · `}
          {status && (status.count !== undefined ? `+${status.count} ` : '') + t(status.key) + (status.detail ? `: ${status.detail}` : '')}
        </div>
      </footer>
    </section>
  );
}

function FieldRow({ name, value, lang }: { name: string; value: string | number | boolean; lang: Lang }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{typeof value === 'string' ? term(lang, value) : typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(4) : String(value)}</dd>
    </>
  );
}

/** One facet's values, each a checkbox (ticked: shown) with how many nodes or edges of the answer have it. Absent when the answer has none. */
function Facet(props: {
  name: FacetName;
  title: string;
  counts: Map<string, number>;
  view: View;
  lang: Lang;
  onToggle(facet: FacetName, value: string, shown: boolean): void;
}) {
  const { name, title, counts, view, lang, onToggle } = props;
  if (counts.size === 0) return null;
  const sectorWord: Record<string, TextKey> = {
    PEOPLE: 'people',
    GOVERNMENT: 'government',
    PRIVATE: 'private',
  };
  return (
    <fieldset className="hub-graph-facet">
      <legend>{title}</legend>
      {[...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([value, count]) => (
          <label key={value}>
            <input
              type="checkbox"
              data-testid={`graph-filter-${name}-${value}`}
              checked={!view.hidden[name].has(value)}
              onChange={(e) => onToggle(name, value, e.target.checked)}
            />
            {name === 'sector' && sectorWord[value] ? text(lang, sectorWord[value]) : term(lang, value)} <span className="count">({count})</span>
          </label>
        ))}
    </fieldset>
  );
}

function Legend({ lang, communities, relations }: { lang: Lang; communities: { list: Community[]; modularity: number } | null; relations: Set<string> }) {
  if (communities) {
    const shown = communities.list.slice(0, 12);
    const rest = communities.list.slice(12).reduce((sum, c) => sum + c.size, 0);
    return (
      <ul className="hub-graph-legend" data-testid="graph-community-legend">
        {shown.map((c) => (
          <li key={c.id}>
            <span className="dot" style={{ background: c.colour }} />
            {text(lang, 'community')} {c.id + 1} ({c.size})
          </li>
        ))}
        {rest > 0 && (
          <li>
            <span className="dot" style={{ background: communityColour(undefined) }} />… ({rest})
          </li>
        )}
        <li>
          {text(lang, 'modularity')} {communities.modularity.toFixed(3)}
        </li>
      </ul>
    );
  }
  const kinds = [
    ['people', SECTOR_COLOURS.PEOPLE],
    ['government', SECTOR_COLOURS.GOVERNMENT],
    ['private', SECTOR_COLOURS.PRIVATE],
    ['initiative', INITIATIVE_COLOUR],
    ['province', PROVINCE_COLOUR],
  ] as const;
  return (
    <ul className="hub-graph-legend">
      {kinds.map(([key, colour]) => (
        <li key={key}>
          <span className="dot" style={{ background: colour }} />
          {text(lang, key)}
        </li>
      ))}
      {Object.entries(EDGE_STYLES)
        .filter(([type]) => relations.has(type))
        .map(([type, { colour, style }]) => (
          <li key={type}>
            <span className="line" style={{ borderTop: `2px ${style} ${colour}` }} />
            {term(lang, type)}
          </li>
        ))}
      {relations.has('path') && (
        <li>
          <span className="line path" />
          {text(lang, 'path')}
        </li>
      )}
    </ul>
  );
}
