import { spawnSync } from 'node:child_process';

// Network files read back with the parsers analysts use: networkx (Python)
// for GEXF and GraphML, and Python's csv module for the CSV tables.

const PYTHON = '/usr/bin/python3';
export const hasNetworkx = spawnSync(PYTHON, ['-c', 'import networkx'], { encoding: 'utf8' }).status === 0;
/** A test title's note when the networkx checks cannot run. */
export const NO_NETWORKX = hasNetworkx ? '' : ` (skipped: ${PYTHON} has no networkx; install python3-networkx)`;

/** Runs a Python script with `input` on its standard input and reads the JSON it prints. */
function python(script: string, input: string, ...args: string[]): any {
  const run = spawnSync(PYTHON, ['-c', script, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${PYTHON} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** A value as networkx read it: its Python type's name, and the value. */
export type Typed = [string, any];

export interface NetworkxGraph {
  graph: Record<string, Typed>;
  nodes: Record<string, Record<string, Typed>>;
  /** Each edge's ends, sorted, then its data. */
  edges: [string, string, Record<string, Typed>][];
}

/** A GEXF or GraphML file as networkx reads it: each value with the Python type it was read as. */
export const readWithNetworkx = (format: 'gexf' | 'graphml', text: string): NetworkxGraph =>
  python(
    `
import io, json, sys
import networkx as nx
data = io.BytesIO(sys.stdin.buffer.read())
G = nx.read_gexf(data) if sys.argv[1] == 'gexf' else nx.read_graphml(data)
typed = lambda d: {k: [type(v).__name__, v] for k, v in d.items()}
print(json.dumps({
    'graph': typed(G.graph),
    'nodes': {n: typed(d) for n, d in G.nodes(data=True)},
    'edges': [sorted([u, v]) + [typed(d)] for u, v, d in G.edges(data=True)],
}))
`,
    text,
    format,
  );

/** A CSV file as Python's csv module reads it: a list of rows, each a dict by header. */
export const readCsv = (text: string): Record<string, string>[] =>
  python(`import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))))`, text);
