import './peers/quiet.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { demoFields, demoRows, planDemo } from '@hub/scripts/demo';
import { startHub, type RunningHub } from '@hub/scripts/hub';
import { DemoLinkType, type DemoPlan, type DemoTable } from '@hub/domain';
import { createTestDatabase } from '@hub/toolkit/testing';
import { chromiumPath, launchChromium, pasteOperation } from './ide-page.js';
import { argument, numberArgument, runInterruptibly } from './peers/command.js';
import { BENCH_DIR, bounded, keepAndReport, machine, type Machine, readLoadAtStart, resultsPath } from './peers/record.js';

/**
 * `npm run bench:ide [-- --sizes 1000,5000 --rounds 3 --pan 4 --quick --results <dir>]`:
 * the IDE's network view in Chromium, drawing neighbourhoods of 1,000 and
 * 5,000 actors with about ten edges for each.
 *
 * - the hub runs over a fresh database (DATABASE_URL's server, else
 *   embedded) with the source facts alone: its gateway serves the built IDE
 *   (ide/dist) and answers GraphiQL's introspection;
 * - the neighbourhood itself is a synthetic answer handed to the page in
 *   place of the gateway's (the API stops at 1,000 actors): the nearest
 *   actors of a provincial centre in the national demo plan (100,000 actors),
 *   breadth first, as the hub walks, with their demo names, every standing
 *   link among them and their shared initiatives in id order until the
 *   drawing has about ten edges per node. The degrees are the demo data's;
 * - each round opens a fresh page, opens the network view, runs the
 *   neighbourhood as an analyst does (pasted into the editor, run with the
 *   button) and reads window.__hubNetwork:
 *   first frame: from the page having the parsed answer (the fetch that
 *   brought it resolving) to the view's first frame with nodes in it;
 *   settled: ForceAtlas2's run, from its start until it stopped itself;
 *   pan FPS: the camera moved every animation frame for a few seconds, and
 *   the time between the view's frames meanwhile: its median frame and its
 *   slowest (with software WebGL, the GPU process's drawing bounds it: the
 *   view's own JavaScript takes a few ms a frame).
 *
 * Chromium here draws WebGL in software (SwiftShader) unless the machine has
 * a GPU it may use: figures from two machines do not compare. Prints a table
 * and the ratios of the largest graph to the smallest, writes
 * bench/results/ide-<date>.json. Figures are printed, never asserted.
 */

export interface IdeBenchOptions {
  /** Drawn actors per graph; 1,000 and 5,000 by default. */
  sizes?: number[];
  /** Fresh pages per size; 3 by default (1 with `quick`). */
  rounds?: number;
  /** Seconds of panning per round; 4 by default (2 with `quick`). */
  panSeconds?: number;
  /** One round, two seconds of panning: a look, not a measurement. */
  quick?: boolean;
  /** The browser window. */
  viewport?: { width: number; height: number };
  resultsDir?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface IdeRound {
  firstFrameMs: number;
  settledMs: number;
  /** Milliseconds between the view's frames while panning. */
  panFrameMs: number[];
}

export interface IdeGraphResult {
  nodes: number;
  /** Edges in the view's graph (a shared initiative is an edge per pair of its members, as drawn). */
  edges: number;
  answerBytes: number;
  rounds: IdeRound[];
}

export interface IdeBenchResult {
  version: 1;
  date: string;
  machine: Machine;
  settings: {
    sizes: number[];
    rounds: number;
    panSeconds: number;
    viewport: { width: number; height: number };
    canvas: { width: number; height: number } | null;
    browser: string;
    webgl: string;
    database: 'postgresql' | 'embedded';
  };
  graphs: IdeGraphResult[];
  report: string;
  file: string;
}

const IDE_BUILD = join(BENCH_DIR, '..', 'ide', 'dist', 'index.html');
/** The actor the neighbourhoods grow from: Nakhon Si Thammarat's provincial government centre, a seeded fact. */
const CENTRE = 'gov_th80_centre';
/** Drawn edges per node the answer aims for, as at depth 2 with shared initiatives paged. */
const EDGES_PER_NODE = 10;

/** The operation the page runs; the bench answers it in place of the gateway. */
const operation = (nodes: number) => /* GraphQL */ `query BenchNeighbourhood($actorId: ID! = "${CENTRE}") {
  neighbourhood(actorId: $actorId, depth: 3, limit: ${nodes}) {
    truncated
    linkCount
    sharedInitiativeCount
    nodes { depth actor { __typename id name sector } }
    links(first: 5000) { id type sourceId targetId }
    sharedInitiatives(first: 5000) { initiativeId initiative { title } memberIds }
  }
}
`;

// ---------------------------------------------------------------------------
// The synthetic answer

const TYPENAMES: Record<string, string> = { PEOPLE: 'PeopleOrganization', GOVERNMENT: 'GovernmentCentre', PRIVATE: 'PrivatePartner' };
const TABLES: Record<string, DemoTable> = { peo: 'people_organization', gov: 'government_centre', prt: 'private_partner' };

/** The national demo plan, walked from the centre: what a neighbourhood of any size holds. */
class DemoNetwork {
  private readonly plan: DemoPlan;
  private readonly codeOf = new Map<string, number>();
  /** Per actor code: its links (indices), and the initiatives it takes part in. */
  private readonly linksOf: number[][];
  private readonly initiativesOf: number[][];
  private readonly membersOf: number[][];

  constructor() {
    this.plan = planDemo(100_000);
    const plan = this.plan;
    const actors = plan.actorProvince.length;
    for (let code = 0; code < actors; code++) this.codeOf.set(plan.actorId(code), code);
    this.linksOf = Array.from({ length: actors }, () => []);
    for (let i = 0; i < plan.linkSource.length; i++) {
      this.linksOf[plan.linkSource[i]!]!.push(i);
      this.linksOf[plan.linkTarget[i]!]!.push(i);
    }
    this.initiativesOf = Array.from({ length: actors }, () => []);
    this.membersOf = Array.from({ length: plan.counts.initiative }, () => []);
    for (let i = 0; i < plan.participationActor.length; i++) {
      const [actor, initiative] = [plan.participationActor[i]!, plan.participationInitiative[i]!];
      this.initiativesOf[actor]!.push(initiative);
      this.membersOf[initiative]!.push(actor);
    }
  }

  /** A neighbourhood answer of `size` actors, nearest first then by id, with links and shared initiatives to about ten edges a node. */
  answer(size: number): string {
    const plan = this.plan;
    const centre = this.codeOf.get(CENTRE)!;
    const depth = new Map<number, number>([[centre, 0]]);
    const kept: number[] = [centre];
    for (let frontier = [centre], d = 1; kept.length < size && frontier.length; d++) {
      const next = new Set<number>();
      for (const actor of frontier) {
        for (const link of this.linksOf[actor]!) for (const other of [plan.linkSource[link]!, plan.linkTarget[link]!]) if (!depth.has(other)) next.add(other);
        for (const initiative of this.initiativesOf[actor]!) for (const other of this.membersOf[initiative]!) if (!depth.has(other)) next.add(other);
      }
      const level = [...next].sort((a, b) => plan.actorId(a).localeCompare(plan.actorId(b))).slice(0, size - kept.length);
      for (const actor of level) depth.set(actor, d);
      kept.push(...level);
      frontier = level;
    }
    const inside = new Set(kept);

    const links = new Set<number>();
    for (const actor of kept) for (const link of this.linksOf[actor]!) if (inside.has(plan.linkSource[link]!) && inside.has(plan.linkTarget[link]!)) links.add(link);
    const shared = new Map<number, number[]>();
    for (const actor of kept) for (const initiative of this.initiativesOf[actor]!) if (!shared.has(initiative)) shared.set(initiative, []);
    const sharedInitiatives: { initiativeId: string; initiative: { title: string }; memberIds: string[] }[] = [];
    let sharedTotal = 0;
    for (const initiative of [...shared.keys()].sort((a, b) => a - b)) {
      const members = [...new Set(this.membersOf[initiative]!.filter((actor) => inside.has(actor)))];
      if (members.length < 2) continue;
      sharedTotal++;
      // The view draws an edge for each pair of an initiative's members: the count stops where the drawing has enough.
      if (links.size + pairCount(sharedInitiatives) >= EDGES_PER_NODE * size) continue;
      const ids = members.map((actor) => plan.actorId(actor)).sort();
      sharedInitiatives.push({ initiativeId: plan.initiativeId(initiative), initiative: { title: `โครงการร่วมแก้จนสาธิต ${initiative + 1}` }, memberIds: ids });
    }

    const nodes = kept.map((actor) => {
      const id = plan.actorId(actor);
      const sector = plan.actorSector(actor);
      return { depth: depth.get(actor)!, actor: { __typename: TYPENAMES[sector], id, name: this.name(id), sector } };
    });
    const neighbourhood = {
      truncated: false,
      linkCount: links.size,
      sharedInitiativeCount: sharedTotal,
      nodes,
      links: [...links].slice(0, 5_000).map((link) => ({
        id: `lnk_demo_${String(link + 1).padStart(6, '0')}`,
        type: LINK_TYPES[plan.linkType[link]!]!,
        sourceId: plan.actorId(plan.linkSource[link]!),
        targetId: plan.actorId(plan.linkTarget[link]!),
      })),
      sharedInitiatives,
    };
    return JSON.stringify({ data: { neighbourhood } });
  }

  /** The actor's demo name (Thai), as the hub would answer it; seeded facts get a name of their kind. */
  private name(id: string): string {
    const demo = /^(peo|gov|prt)_demo_(\d+)$/.exec(id);
    if (!demo) return `ศูนย์ประสานงานจังหวัด (${id})`;
    const table = TABLES[demo[1]!]!;
    const row = Number(demo[2]) - 1;
    const [values] = [...demoRows(this.plan, table, row, row + 1)];
    return String(values![demoFields(table).indexOf('name')]);
  }
}

/** Link type names by their plan codes. */
const LINK_TYPES: string[] = Object.entries(DemoLinkType).reduce<string[]>((names, [name, code]) => ((names[code] = name), names), []);

function pairCount(initiatives: { memberIds: string[] }[]): number {
  return initiatives.reduce((sum, { memberIds: { length: k } }) => sum + (k * (k - 1)) / 2, 0);
}

// ---------------------------------------------------------------------------
// The page

declare global {
  interface Window {
    __benchAnswerAt?: number;
    __hubNetwork?: {
      graph: { order: number; size: number };
      sigma: {
        getCamera(): { getState(): { x: number; y: number; ratio: number; angle: number }; setState(state: Partial<{ x: number; y: number }>): void };
        on(event: 'afterRender', listener: () => void): void;
        off(event: 'afterRender', listener: () => void): void;
        getContainer(): HTMLElement;
      };
      layout: { startedAt: number; settledAt: number | null; running: boolean };
      firstFrameAt: number | null;
    };
  }
}

/** Notes when the page has the bench's answer parsed: the moment the view can have it. */
function markAnswer() {
  const fetchOriginal = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await fetchOriginal(input, init);
    if (typeof init?.body === 'string' && init.body.includes('BenchNeighbourhood')) {
      const json = response.json.bind(response);
      response.json = async () => {
        const value = await json();
        window.__benchAnswerAt = performance.now();
        return value;
      };
    }
    return response;
  };
}

/** Moves the camera every animation frame for `seconds`; the time between the view's frames meanwhile (ms). */
function pan(seconds: number): Promise<number[]> {
  const { sigma } = window.__hubNetwork!;
  const camera = sigma.getCamera();
  const from = camera.getState();
  const intervals: number[] = [];
  let last: number | null = null;
  const counted = () => {
    const now = performance.now();
    if (last !== null) intervals.push(now - last);
    last = now;
  };
  sigma.on('afterRender', counted);
  return new Promise((resolve) => {
    const started = performance.now();
    const step = (now: number) => {
      const t = (now - started) / 1000;
      // A slow circle, a fifth of the drawing wide: every frame shows the graph from elsewhere.
      camera.setState({ x: from.x + 0.1 * Math.sin(t * 1.5), y: from.y + 0.1 * Math.cos(t * 1.5) });
      if (now - started < seconds * 1000) requestAnimationFrame(step);
      else {
        sigma.off('afterRender', counted);
        resolve(intervals);
      }
    };
    requestAnimationFrame(step);
  });
}

async function measureRound(browser: Browser, gatewayUrl: string, size: number, answer: string, options: Required<Pick<IdeBenchOptions, 'panSeconds' | 'viewport'>>) {
  const context = await browser.newContext({ viewport: options.viewport, locale: 'th-TH' });
  try {
    const page: Page = await context.newPage();
    await page.addInitScript(markAnswer);
    await page.route('**/graphql', (route) => {
      const body = route.request().postData() ?? '';
      if (route.request().method() === 'POST' && body.includes('BenchNeighbourhood')) {
        return route.fulfill({ status: 200, contentType: 'application/graphql-response+json; charset=utf-8', body: answer });
      }
      return route.continue();
    });
    await page.goto(gatewayUrl);
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="graph-toggle"]').click();
    await page.locator('[data-testid="graph-panel"]').waitFor();
    // Wherever the layout puts it, the network view is shown (not the response, where they share a place).
    const networkTab = page.locator('[data-testid="pane-tab-network"]');
    if ((await networkTab.count()) && (await networkTab.isVisible())) await networkTab.click();
    await pasteOperation(page, operation(size));
    await page.waitForFunction(() => document.querySelector('.graphiql-tab-active')?.textContent?.includes('BenchNeighbourhood'), null, { timeout: 30_000 });
    await page.locator('.graphiql-execute-button').click();

    await page.waitForFunction((size) => window.__hubNetwork?.graph.order === size && window.__hubNetwork.firstFrameAt !== null, size, { timeout: 300_000, polling: 100 });
    await page.waitForFunction(() => window.__hubNetwork!.layout.settledAt !== null, null, { timeout: 300_000, polling: 100 });
    const times = await page.evaluate(() => {
      const hub = window.__hubNetwork!;
      const box = hub.sigma.getContainer().getBoundingClientRect();
      return {
        firstFrameMs: hub.firstFrameAt! - window.__benchAnswerAt!,
        settledMs: hub.layout.settledAt! - hub.layout.startedAt,
        edges: hub.graph.size,
        canvas: { width: Math.round(box.width), height: Math.round(box.height) },
      };
    });
    const panFrameMs = await page.evaluate(pan, options.panSeconds);
    return { round: { firstFrameMs: times.firstFrameMs, settledMs: times.settledMs, panFrameMs }, edges: times.edges, canvas: times.canvas };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// The report

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const slowest = (values: number[]) => Math.max(...values);
const whole = (n: number) => Math.round(n).toLocaleString('en');
const spread = (values: number[], digits = 0) => {
  const shown = (n: number) => (digits ? n.toFixed(digits) : whole(n));
  return values.length > 1 ? `${shown(median(values))} (${shown(Math.min(...values))}-${shown(Math.max(...values))})` : shown(values[0]!);
};

/** Frames per second of one frame interval picked from a round's (the slowest, the median); 0 when the view drew under two frames. */
const fpsOf = (frameMs: number[], pick: (values: number[]) => number) => (frameMs.length ? 1000 / pick(frameMs) : 0);

/** Per graph: the medians over rounds, with their range; pan FPS of each round's slowest frame and of its median frame. */
export function formatReport(graphs: IdeGraphResult[], settings: IdeBenchResult['settings']): string {
  const header = ['graph', 'answer KB', 'first frame ms', 'layout settled ms', 'pan FPS min', 'pan FPS median'];
  const figures = graphs.map((g) => ({
    first: g.rounds.map((r) => r.firstFrameMs),
    settled: g.rounds.map((r) => r.settledMs),
    fpsMin: g.rounds.map((r) => fpsOf(r.panFrameMs, slowest)),
    fpsMedian: g.rounds.map((r) => fpsOf(r.panFrameMs, median)),
  }));
  const rows = graphs.map((g, i) => [
    `${whole(g.nodes)} nodes, ${whole(g.edges)} edges`,
    whole(g.answerBytes / 1024),
    spread(figures[i]!.first),
    spread(figures[i]!.settled),
    spread(figures[i]!.fpsMin, 1),
    spread(figures[i]!.fpsMedian, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const ratios: string[] = [];
  const [least, most] = [0, graphs.length - 1];
  if (graphs.length > 1) {
    const ratio = (pick: (f: (typeof figures)[number]) => number[]) => `${(median(pick(figures[most]!)) / median(pick(figures[least]!))).toFixed(1)}x`;
    ratios.push(
      `${whole(graphs[most]!.nodes)} nodes over ${whole(graphs[least]!.nodes)} (${(graphs[most]!.nodes / graphs[least]!.nodes).toFixed(0)}x the nodes, ` +
        `${(graphs[most]!.edges / graphs[least]!.edges).toFixed(1)}x the edges): first frame ${ratio((f) => f.first)}, ` +
        `layout settled ${ratio((f) => f.settled)}, pan FPS median ${ratio((f) => f.fpsMedian)}, slowest frame ${ratio((f) => f.fpsMin)}`,
    );
  }
  const canvas = settings.canvas ? `${settings.canvas.width}×${settings.canvas.height} canvas` : 'canvas size unknown';
  return [
    `The network view in ${settings.browser} (${settings.webgl}), ${settings.viewport.width}×${settings.viewport.height} window, ${canvas}; ` +
      `${settings.rounds} round${settings.rounds === 1 ? '' : 's'} per graph, each a fresh page, ${settings.panSeconds} s of panning. ` +
      'Medians over rounds (min-max); first frame from the parsed answer in the page, layout from ForceAtlas2 starting to stopping itself.',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(ratios.length ? ['', ...ratios] : []),
  ].join('\n');
}

export async function runIdeBench(options: IdeBenchOptions = {}): Promise<IdeBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const quick = options.quick ?? false;
  const sizes = (options.sizes ?? [1_000, 5_000]).map((n) => bounded('sizes', n, 10, 20_000));
  const rounds = bounded('rounds', options.rounds ?? (quick ? 1 : 3), 1, 20);
  const panSeconds = bounded('pan', options.panSeconds ?? (quick ? 2 : 4), 1, 60);
  const viewport = options.viewport ?? { width: 1920, height: 1080 };
  const { signal } = options;
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH`);
  if (!existsSync(IDE_BUILD)) throw new Error(`the IDE is not built (${IDE_BUILD}): run npm run build`);

  const loadAtStart = readLoadAtStart(log);
  log('planning the national demo data and its neighbourhoods...');
  const demo = new DemoNetwork();
  const answers = new Map(sizes.map((size) => [size, demo.answer(size)]));

  const database = await createTestDatabase();
  let hub: RunningHub | undefined;
  let browser: Browser | undefined;
  try {
    hub = await startHub({ databaseUrl: database.url, port: 0, seed: true });
    browser = await launchChromium();
    const probe = await browser.newPage();
    const webgl = await probe.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : gl ? 'WebGL 2' : 'no WebGL 2';
    });
    await probe.close();
    const software = /SwiftShader|llvmpipe/i.test(webgl) ? 'software WebGL' : 'WebGL';

    const graphs: IdeGraphResult[] = [];
    let canvas: IdeBenchResult['settings']['canvas'] = null;
    for (const size of sizes) {
      const answer = answers.get(size)!;
      const graph: IdeGraphResult = { nodes: size, edges: 0, answerBytes: Buffer.byteLength(answer), rounds: [] };
      for (let round = 1; round <= rounds; round++) {
        signal?.throwIfAborted();
        const measured = await measureRound(browser, hub.gatewayUrl, size, answer, { panSeconds, viewport });
        graph.edges = measured.edges;
        canvas = measured.canvas;
        graph.rounds.push(measured.round);
        log(
          `${whole(size)} nodes, round ${round}: first frame ${whole(measured.round.firstFrameMs)} ms, layout settled ${whole(measured.round.settledMs)} ms, ` +
            `pan FPS ${fpsOf(measured.round.panFrameMs, median).toFixed(1)} median, ${fpsOf(measured.round.panFrameMs, slowest).toFixed(1)} slowest frame (${measured.round.panFrameMs.length} frames)`,
        );
      }
      graphs.push(graph);
    }

    const settings: IdeBenchResult['settings'] = {
      sizes,
      rounds,
      panSeconds,
      viewport,
      canvas,
      browser: `Chromium ${browser.version()}`,
      webgl: `${software}: ${webgl}`,
      database: process.env.DATABASE_URL ? 'postgresql' : 'embedded',
    };
    const report = formatReport(graphs, settings);
    const date = new Date();
    const file = resultsPath('ide', date, options.resultsDir);
    const result: IdeBenchResult = { version: 1, date: date.toISOString(), machine: machine(loadAtStart), settings, graphs, report, file };
    return keepAndReport(file, result, report, log);
  } finally {
    await browser?.close().catch(() => {});
    await hub?.stop().catch(() => {});
    await database.drop();
  }
}

/** `--sizes 1000,5000`: drawn actors per graph, each a whole number. */
function sizesArgument(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const numbers = text.split(',').map((n) => Number(n.replace(/_/g, '')));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes whole numbers separated by commas, not "${text}"`);
  return numbers;
}

async function main() {
  const sizes = sizesArgument(argument('sizes'));
  const rounds = numberArgument('rounds');
  const panSeconds = numberArgument('pan');
  const resultsDir = argument('results');
  await runInterruptibly('Chromium and the hub', (signal) =>
    runIdeBench({
      ...(sizes ? { sizes } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(panSeconds !== undefined ? { panSeconds } : {}),
      ...(resultsDir ? { resultsDir } : {}),
      quick: process.argv.includes('--quick'),
      signal,
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
