import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import type { NetworkGraph } from './model';

/**
 * ForceAtlas2 in a web worker (the page stays responsive while it runs),
 * stopped once the drawing has settled: when the nodes' average move between
 * two looks falls below a small share of the drawing's extent, or after a cap,
 * whichever comes first. It starts from the positions the nodes have: a new
 * answer's are random, an expansion's sit beside their neighbours, so a
 * re-run only adjusts what is drawn.
 */

/** What tests and the bench read (window.__hubNetwork.layout); times from performance.now(). */
export interface LayoutState {
  startedAt: number;
  settledAt: number | null;
  running: boolean;
}

/** How often the drawing is looked at to see whether it has settled. */
const LOOK_EVERY_MS = 200;
/** Settled: the average node moved less than this share of the drawing's extent since the last look. */
const SETTLED_SHARE = 0.0015;
/** A run never goes on longer than this, whatever the graph. */
const CAP_MS = 5000;
/** Nor stops before this: the worker needs a moment to start. */
const AT_LEAST_MS = 400;

export class Layout {
  readonly state: LayoutState = {
    startedAt: 0,
    settledAt: null,
    running: false,
  };
  private worker: FA2Layout | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly graph: NetworkGraph,
    /** Told when a run starts or settles, to redraw the controls. */
    private readonly onChange: () => void,
  ) {}

  /** Runs ForceAtlas2 from where the nodes are until the drawing settles. */
  start() {
    this.stop();
    if (this.graph.order === 0) return;
    // Settings for the graph's size: Barnes-Hut's approximation past a couple of thousand nodes, as the library infers.
    const settings = {
      ...forceAtlas2.inferSettings(this.graph),
      barnesHutOptimize: this.graph.order > 1000,
      adjustSizes: false,
    };
    this.worker = new FA2Layout(this.graph, { settings, getEdgeWeight: null });
    this.worker.start();
    Object.assign(this.state, {
      startedAt: performance.now(),
      settledAt: null,
      running: true,
    });
    let last = this.positions();
    this.timer = setInterval(() => {
      const now = this.positions();
      const elapsed = performance.now() - this.state.startedAt;
      if (elapsed >= CAP_MS || (elapsed >= AT_LEAST_MS && averageMove(last, now) < SETTLED_SHARE * extent(now))) this.settle();
      last = now;
    }, LOOK_EVERY_MS);
    this.onChange();
  }

  /** Stops a run, e.g. before the graph is replaced; a settled run keeps its settledAt. */
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.worker?.kill();
    this.worker = null;
    if (this.state.running) {
      this.state.running = false;
      this.onChange();
    }
  }

  private settle() {
    this.state.settledAt = performance.now();
    this.stop();
  }

  private positions(): Float64Array {
    const xy = new Float64Array(this.graph.order * 2);
    let i = 0;
    this.graph.forEachNode((_, { x, y }) => {
      xy[i++] = x;
      xy[i++] = y;
    });
    return xy;
  }
}

function averageMove(before: Float64Array, after: Float64Array): number {
  // Nodes added or dropped meanwhile: look again next time.
  if (before.length !== after.length || after.length === 0) return Infinity;
  let sum = 0;
  for (let i = 0; i < after.length; i += 2) sum += Math.hypot(after[i]! - before[i]!, after[i + 1]! - before[i + 1]!);
  return sum / (after.length / 2);
}

function extent(xy: Float64Array): number {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]!);
    maxX = Math.max(maxX, xy[i]!);
    minY = Math.min(minY, xy[i + 1]!);
    maxY = Math.max(maxY, xy[i + 1]!);
  }
  return Math.max(1, Math.hypot(maxX - minX, maxY - minY));
}
