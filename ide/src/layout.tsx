import { useEffect, useLayoutEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { createPortal } from 'react-dom';
import { text, type Lang } from './i18n';

/*
 * The IDE's layout beside GraphiQL: where the network view sits (beside the
 * response while the window leaves the response readable, else under a tab in
 * its place), its drag handle, keyboard control of GraphiQL's own drag bars,
 * and the sizes an analyst chose, kept in localStorage.
 */

// What an analyst sized, collapsed or maximised stays so on the next visit.

const LAYOUT_KEY = 'hub-ide-layout';

/** The response stays at least this wide beside the network view: a JSON line with a Thai name still reads. */
const MIN_RESPONSE = 360;
/** The response's width that the network panel's default width leaves it, where the window allows. */
const ROOMY_RESPONSE = 440;
/**
 * Narrower than this, the network view's bar, its filters column and its
 * drawing are cramped: it shares the response's place instead.
 */
const MIN_NETWORK = 480;
/** The drag handle between GraphiQL and the network panel. */
const HANDLE = 12;
/** How far past MIN_NETWORK the room must change before the network view moves beside or under the response tab. */
const HYSTERESIS = 16;

/** GraphiQL's own drag bars keep their sizes under these names (first pane's flex over the second's). */
const GRAPHIQL_PANES = ['docExplorerFlex', 'editorFlex', 'secondaryEditorFlex'] as const;
type GraphiQLPane = (typeof GRAPHIQL_PANES)[number];

export interface Layout {
  /** The network panel's width beside GraphiQL in px; null until dragged: then it takes what the response can spare. */
  networkWidth: number | null;
  /** The network panel folded to a strip at the window's edge (it keeps its drawing). */
  networkCollapsed: boolean;
  /** The network view over the whole window. */
  networkMaximized: boolean;
  /** Which of the two shows where the network view shares the response's place (narrow windows). */
  shared: 'response' | 'network';
  /** GraphiQL's pane sizes: a positive ratio, or which of the two is hidden. */
  panes: Partial<Record<GraphiQLPane, string>>;
}

const DEFAULT_LAYOUT: Layout = { networkWidth: null, networkCollapsed: false, networkMaximized: false, shared: 'network', panes: {} };

/** The stored layout, keeping only the values that make sense: a bad or old entry falls back to the default. */
function sanitiseLayout(raw: unknown): Layout {
  const stored = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const width = stored.networkWidth;
  const panes: Layout['panes'] = {};
  const storedPanes = stored.panes && typeof stored.panes === 'object' ? (stored.panes as Record<string, unknown>) : {};
  for (const pane of GRAPHIQL_PANES) {
    const value = storedPanes[pane];
    if (typeof value === 'string' && paneValue(value)) panes[pane] = value;
  }
  return {
    networkWidth:
      typeof width === 'number' && Number.isFinite(width) && width >= MIN_NETWORK - HYSTERESIS && width <= 10_000
        ? Math.round(width)
        : null,
    networkCollapsed: stored.networkCollapsed === true,
    networkMaximized: stored.networkMaximized === true,
    shared: stored.shared === 'response' ? 'response' : 'network',
    panes,
  };
}

/** A size GraphiQL can take back: a ratio within reason, or one of its two "hidden" markers. */
function paneValue(value: string): boolean {
  if (value === 'hide-first' || value === 'hide-second') return true;
  const ratio = Number(value);
  return /^\d*\.?\d+(e-?\d+)?$/.test(value) && ratio >= 0.02 && ratio <= 50;
}

function loadLayout(): Layout {
  try {
    return sanitiseLayout(JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? 'null'));
  } catch {
    return { ...DEFAULT_LAYOUT, panes: {} };
  }
}

let layout = loadLayout();

/** The layout as last saved (or as the page found it). */
export function savedLayout(): Layout {
  return layout;
}

export function saveLayout(change: Partial<Layout>): void {
  layout = { ...layout, ...change };
  try {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Private windows may refuse storage; the layout then lasts for this page only.
  }
}

/**
 * GraphiQL's storage: its pane sizes go into the hub's layout entry, everything
 * else (tabs, queries, headers) where GraphiQL keeps it.
 */
export const graphiqlStorage = {
  getItem(key: string): string | null {
    const pane = paneKey(key);
    if (pane) return layout.panes[pane] ?? null;
    return localStorage.getItem(key);
  },
  setItem(key: string, value: string): void {
    const pane = paneKey(key);
    if (!pane) return localStorage.setItem(key, value);
    if (paneValue(value)) saveLayout({ panes: { ...layout.panes, [pane]: value } });
  },
  removeItem(key: string): void {
    const pane = paneKey(key);
    if (!pane) return localStorage.removeItem(key);
    const { [pane]: _removed, ...panes } = layout.panes;
    saveLayout({ panes });
  },
  get length() {
    return Object.keys(localStorage).filter((key) => key.startsWith('graphiql:')).length;
  },
  clear(): void {
    for (const key of Object.keys(localStorage)) if (key.startsWith('graphiql:')) localStorage.removeItem(key);
  },
};

function paneKey(key: string): GraphiQLPane | undefined {
  return GRAPHIQL_PANES.find((pane) => key === `graphiql:${pane}`);
}

const visible = (element: Element | null): element is HTMLElement =>
  element instanceof HTMLElement && element.style.position !== 'absolute' && element.offsetWidth > 0;

/** An element's content width: what flex shares out; its paddings and borders stay as they are. */
function contentWidth(element: HTMLElement): number {
  const style = getComputedStyle(element);
  const edges = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'] as const;
  return element.offsetWidth - edges.reduce((sum, edge) => sum + (parseFloat(style[edge]) || 0), 0);
}

/**
 * How wide the main column must be for the response pane to be `response` px
 * wide, with GraphiQL's panes in their present proportions. Flex shares the
 * panes' content widths by their ratios after the fixed parts (the sidebar,
 * drag bars, paddings and margins), so the response's width is linear in the
 * column's.
 */
function mainWidthFor(response: number): number | null {
  const main = document.querySelector<HTMLElement>('.hub-ide-main');
  const sessions = document.querySelector<HTMLElement>('.graphiql-sessions');
  const pane = document.querySelector<HTMLElement>('.graphiql-response');
  const row = pane?.parentElement;
  if (!main || !sessions || !pane || !row || pane.offsetWidth === 0) return null;
  // The plugin pane (examples, explorer, docs) scales with the column unless it is at its minimum width.
  const plugin = document.querySelector('.graphiql-plugin');
  const pluginShare = visible(plugin) && plugin.offsetWidth > 201 ? contentWidth(plugin) : 0;
  const sessionsShare = contentWidth(sessions);
  const fixedMain = main.offsetWidth - sessionsShare - pluginShare;
  const rowPadding = sessionsShare - row.offsetWidth;
  const editor = row.firstElementChild;
  const editorShare = visible(editor) && editor !== pane ? contentWidth(editor) : 0;
  const responseShare = contentWidth(pane);
  const fixedRow = row.offsetWidth - editorShare - responseShare;
  const wanted = response - (pane.offsetWidth - responseShare);
  const rowFor = (wanted * (responseShare + editorShare)) / responseShare + fixedRow;
  return Math.ceil(fixedMain + ((rowFor + rowPadding) * (sessionsShare + pluginShare)) / sessionsShare);
}

type Placement = 'beside' | 'shared';

interface NetworkRoom {
  placement: Placement;
  /** The widest the network panel may be beside GraphiQL: the response keeps MIN_RESPONSE. */
  room: number;
  /** As wide as it may be by default: the response keeps ROOMY_RESPONSE. */
  roomy: number;
}

/**
 * Where the network view goes and how wide it may be: beside GraphiQL when the
 * window leaves room for it and a readable response, otherwise in the
 * response's place, a tab away from it.
 */
export function useNetworkRoom(open: boolean): NetworkRoom {
  const [state, setState] = useState<NetworkRoom>({ placement: 'beside', room: Infinity, roomy: Infinity });
  useLayoutEffect(() => {
    if (!open) return;
    const measure = () => {
      const needed = mainWidthFor(MIN_RESPONSE);
      if (needed === null) return;
      const room = Math.floor(window.innerWidth - needed - HANDLE);
      const roomy = Math.floor(window.innerWidth - (mainWidthFor(ROOMY_RESPONSE) ?? needed) - HANDLE);
      setState((old) => {
        // A margin either way, so that a pixel's rounding cannot make it flip back and forth.
        const placement: Placement = room >= MIN_NETWORK + (old.placement === 'beside' ? -HYSTERESIS : HYSTERESIS) ? 'beside' : 'shared';
        return old.placement === placement && Math.abs(old.room - room) < 4 && Math.abs(old.roomy - roomy) < 4
          ? old
          : { placement, room, roomy };
      });
    };
    measure();
    // GraphiQL's own drag bars change the proportions; the window changes the room.
    const observer = new ResizeObserver(measure);
    for (const selector of ['.graphiql-response', '.graphiql-plugin', '.graphiql-sessions']) {
      const element = document.querySelector(selector);
      if (element) observer.observe(element);
    }
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [open]);
  return state;
}

/**
 * The network panel's width beside GraphiQL: as dragged, or by default two
 * fifths of the window unless that leaves the response less than roomy; never
 * more than leaves it readable.
 */
export function networkWidthWithin(width: number | null, { room, roomy }: NetworkRoom): number {
  const wanted = width ?? Math.min(Math.round(window.innerWidth * 0.4), roomy);
  return Math.max(narrowest(room), Math.min(wanted, room));
}

/** The narrowest the panel gets beside GraphiQL: MIN_NETWORK, or a little less while the room is within the margin. */
function narrowest(room: number): number {
  return Math.min(MIN_NETWORK, Math.max(room, MIN_NETWORK - HYSTERESIS));
}

/** The drag handle on the network panel's edge: pointer, or arrow keys when focused; its button folds the panel away. */
export function NetworkHandle({
  width,
  space,
  collapsed,
  lang,
  onResize,
  onCollapse,
}: {
  width: number;
  space: NetworkRoom;
  collapsed: boolean;
  lang: Lang;
  onResize(width: number, done: boolean): void;
  onCollapse(collapsed: boolean): void;
}) {
  const { room } = space;
  const within = (value: number) => Math.round(Math.max(narrowest(room), Math.min(value, room)));
  const startDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (collapsed || event.button !== 0 || event.target !== event.currentTarget) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const widthAt = (x: number) => within(window.innerWidth - x - HANDLE / 2);
    const move = (moved: globalThis.PointerEvent) => onResize(widthAt(moved.clientX), false);
    const stop = (ended: globalThis.PointerEvent) => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
      onResize(widthAt(ended.clientX), true);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  };
  const keys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const step = event.shiftKey ? 120 : 24;
    // The handle moves with the arrow: left widens the network panel.
    const next = { ArrowLeft: width + step, ArrowRight: width - step, Home: room, End: narrowest(room) }[event.key];
    if (event.key === 'Enter') onCollapse(!collapsed);
    else if (next !== undefined && !collapsed) onResize(within(next), true);
    else return;
    event.preventDefault();
  };
  return (
    <div
      className="hub-network-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={text(lang, 'resizeNetwork')}
      aria-valuemin={narrowest(room)}
      aria-valuemax={Math.max(narrowest(room), Math.floor(room))}
      aria-valuenow={width}
      tabIndex={0}
      data-testid="network-handle"
      onPointerDown={startDrag}
      onKeyDown={keys}
      onDoubleClick={(event) => event.target === event.currentTarget && onResize(networkWidthWithin(null, space), true)}
    >
      <button
        type="button"
        className="hub-network-collapse"
        data-testid="network-collapse"
        aria-expanded={!collapsed}
        aria-label={text(lang, collapsed ? 'expandNetwork' : 'collapseNetwork')}
        title={text(lang, collapsed ? 'expandNetwork' : 'collapseNetwork')}
        onClick={() => onCollapse(!collapsed)}
      >
        {collapsed ? '‹' : '›'}
      </button>
    </div>
  );
}

/** Where the network view shares the response's place: a tab strip at the top of GraphiQL's response pane. */
export function SharedTabs({ shared, lang, onChange }: { shared: Layout['shared']; lang: Lang; onChange(shared: Layout['shared']): void }) {
  const [pane, setPane] = useState<HTMLElement | null>(null);
  useEffect(() => setPane(document.querySelector<HTMLElement>('.graphiql-response')), []);
  if (!pane) return null;
  const tab = (id: Layout['shared'], label: string) => (
    <button type="button" role="tab" aria-selected={shared === id} data-testid={`pane-tab-${id}`} onClick={() => onChange(id)}>
      {label}
    </button>
  );
  return createPortal(
    <div className="hub-response-tabs" role="tablist" aria-label={text(lang, 'responseOrNetwork')}>
      {tab('response', text(lang, 'response'))}
      {tab('network', text(lang, 'graph'))}
    </div>,
    pane,
  );
}

/** The response pane's area below its tab strip, followed as GraphiQL's panes and the window change. */
export function useResponseArea(active: boolean): DOMRect | null {
  const [area, setArea] = useState<DOMRect | null>(null);
  useLayoutEffect(() => {
    if (!active) return setArea(null);
    const pane = document.querySelector<HTMLElement>('.graphiql-response');
    if (!pane) return;
    const measure = () => {
      const box = pane.getBoundingClientRect();
      const strip = pane.querySelector('.hub-response-tabs')?.getBoundingClientRect();
      const top = strip ? strip.bottom : box.top;
      setArea(new DOMRect(box.left, top, box.width, box.bottom - top));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(pane);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [active]);
  return area;
}

/**
 * GraphiQL's drag bars answer the mouse only: this makes them separators that
 * take focus and arrow keys too, and names the response pane for tests.
 */
export function useKeyboardDragBars(lang: Lang) {
  useEffect(() => {
    const describe = () => {
      document.querySelector('.graphiql-response')?.setAttribute('data-testid', 'pane-response');
      for (const bar of document.querySelectorAll<HTMLElement>('.graphiql-horizontal-drag-bar')) {
        const first = bar.previousElementSibling;
        const second = bar.nextElementSibling;
        if (!(first instanceof HTMLElement) || !(second instanceof HTMLElement)) continue;
        const pane: GraphiQLPane = first.classList.contains('graphiql-plugin') ? 'docExplorerFlex' : 'editorFlex';
        const share = Math.round((100 * first.offsetWidth) / Math.max(1, first.offsetWidth + second.offsetWidth));
        bar.setAttribute('role', 'separator');
        bar.setAttribute('aria-orientation', 'vertical');
        bar.setAttribute('aria-label', text(lang, pane === 'editorFlex' ? 'resizeEditor' : 'resizeSidebar'));
        bar.setAttribute('aria-valuemin', '0');
        bar.setAttribute('aria-valuemax', '100');
        bar.setAttribute('aria-valuenow', String(share));
        bar.tabIndex = 0;
        bar.dataset.pane = pane;
      }
    };
    const keys = (event: globalThis.KeyboardEvent) => {
      const bar = event.target;
      if (!(bar instanceof HTMLElement) || !bar.classList.contains('graphiql-horizontal-drag-bar')) return;
      const first = bar.previousElementSibling as HTMLElement | null;
      const second = bar.nextElementSibling as HTMLElement | null;
      const step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
      if (!first || !second || !step || !visible(first) || !visible(second)) return;
      event.preventDefault();
      const move = step * (event.shiftKey ? 120 : 24);
      const firstWidth = Math.max(100, first.offsetWidth + move);
      const secondWidth = Math.max(100, second.offsetWidth - move);
      const ratio = String(firstWidth / secondWidth);
      // As GraphiQL's own drag does: the first pane's flex, relative to the second's 1.
      first.style.flex = ratio;
      graphiqlStorage.setItem(`graphiql:${bar.dataset.pane}`, ratio);
      describe();
    };
    // Bars come and go with the plugin pane (and GraphiQL renders after Monaco has loaded); sizes change with every drag.
    let frame = 0;
    const soon = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(describe);
    };
    soon();
    const observer = new MutationObserver(soon);
    observer.observe(document.body, { childList: true, subtree: true });
    document.addEventListener('keydown', keys);
    document.addEventListener('mouseup', soon);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      document.removeEventListener('keydown', keys);
      document.removeEventListener('mouseup', soon);
    };
  }, [lang]);
}
