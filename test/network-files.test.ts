import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { INITIATIVE_COLOUR, sectorColour, writeEdgesCsv, writeGexf, writeGraphml, writeNodesCsv, type Network } from '@hub/domain/network-files';
import { hasNetworkx, NO_NETWORKX, readCsv, readWithNetworkx } from './support/network-readers.js';

// The writers behind the gateway's /export/... files and the IDE's Export
// GEXF, given a network as the IDE hands it over: drawn positions (y already
// flipped), sizes, labels in the UI's language and both languages, and names
// with everything XML and spreadsheets trip on. The gateway's own files are
// read back in test/export.test.ts, the IDE's download in test/ide.test.ts.

/** A name with XML's special characters, a control character XML cannot hold, and a spreadsheet formula. */
const HOSTILE = `=HYPERLINK("x")<b>'ข้าว' & "co"</b>\u0001,`;
const HOSTILE_READ = `=HYPERLINK("x")<b>'ข้าว' & "co"</b>,`;

/** Three nodes as the IDE draws them, and two edges between the same two of them that a file must keep apart. */
const drawn: Network = {
  description: `A drawn network, ${HOSTILE}`,
  truncated: false,
  nodeAttributes: [
    { name: 'labelTh', type: 'string' },
    { name: 'labelEn', type: 'string' },
    { name: 'kind', type: 'string' },
    { name: 'sector', type: 'string' },
  ],
  nodes: [
    {
      id: 'peo_th80_centre',
      label: 'ศูนย์ประสานงาน',
      attributes: { labelTh: 'ศูนย์ประสานงาน', labelEn: 'Coordination centre', kind: 'ACTOR', sector: 'PEOPLE' },
      colour: sectorColour('PEOPLE'),
      x: 12.5,
      y: -40.25,
      size: 9.5,
    },
    {
      id: 'prt_rice',
      label: HOSTILE,
      attributes: { labelTh: HOSTILE, labelEn: 'Rice Co.', kind: 'ACTOR', sector: 'PRIVATE' },
      colour: sectorColour('PRIVATE'),
      x: -3,
      y: Number.NaN,
      size: 8,
    },
    {
      id: 'title:โครงการ "ข้าวดี"',
      label: 'โครงการ "ข้าวดี"',
      // An initiative has no sector: the file leaves it out rather than write it empty.
      attributes: { labelTh: 'โครงการ "ข้าวดี"', labelEn: 'Good Rice', kind: 'INITIATIVE', sector: undefined },
      colour: INITIATIVE_COLOUR,
      x: 0,
      y: 0,
      size: 11,
    },
  ],
  edges: [
    { id: 'FUNDING||peo_th80_centre|prt_rice', source: 'prt_rice', target: 'peo_th80_centre', kind: 'LINK', type: 'FUNDING', label: 'ให้ทุน' },
    {
      id: 'SHARED_INITIATIVE|x|peo_th80_centre|prt_rice',
      source: 'peo_th80_centre',
      target: 'prt_rice',
      kind: 'SHARED_INITIATIVE',
      type: 'SHARED_INITIATIVE',
      label: `ร่วมโครงการเดียวกัน: ${HOSTILE}`,
      recordId: 'ini_rice',
    },
    { id: 'IMPLEMENTING|prt_rice', source: 'prt_rice', target: 'title:โครงการ "ข้าวดี"', kind: 'PARTICIPATION', type: 'IMPLEMENTING', label: 'ผู้ดำเนินงาน' },
  ],
};

describe('network files', () => {
  it('gives every sector the colour of the IDE legend, and grey to an unknown one', () => {
    expect(['PEOPLE', 'GOVERNMENT', 'PRIVATE', 'NOBODY', 'constructor', '', undefined, null].map(sectorColour)).toEqual([
      '#2e7d32',
      '#1565c0',
      '#ef6c00',
      '#757575',
      '#757575',
      '#757575',
      '#757575',
      '#757575',
    ]);
  });

  it(`writes a drawn network as GEXF that networkx reads with its labels, colours, positions, sizes and edge kinds${NO_NETWORKX}`, () => {
    const gexf = writeGexf(drawn);
    expect(gexf).toContain('xmlns:viz="http://www.gexf.net/1.2draft/viz"');
    if (!hasNetworkx) return;
    const read = readWithNetworkx('gexf', gexf);
    expect(read.nodes).toEqual({
      peo_th80_centre: {
        label: ['str', 'ศูนย์ประสานงาน'],
        labelTh: ['str', 'ศูนย์ประสานงาน'],
        labelEn: ['str', 'Coordination centre'],
        kind: ['str', 'ACTOR'],
        sector: ['str', 'PEOPLE'],
        viz: ['dict', { color: { r: 46, g: 125, b: 50, a: 1 }, position: { x: 12.5, y: -40.25, z: 0 }, size: 9.5 }],
      },
      prt_rice: {
        label: ['str', HOSTILE_READ],
        labelTh: ['str', HOSTILE_READ],
        labelEn: ['str', 'Rice Co.'],
        kind: ['str', 'ACTOR'],
        sector: ['str', 'PRIVATE'],
        // A position no reader takes (NaN) is written as 0.
        viz: ['dict', { color: { r: 239, g: 108, b: 0, a: 1 }, position: { x: -3, y: 0, z: 0 }, size: 8 }],
      },
      'title:โครงการ "ข้าวดี"': {
        label: ['str', 'โครงการ "ข้าวดี"'],
        labelTh: ['str', 'โครงการ "ข้าวดี"'],
        labelEn: ['str', 'Good Rice'],
        kind: ['str', 'INITIATIVE'],
        viz: ['dict', { color: { r: 106, g: 27, b: 154, a: 1 }, position: { x: 0, y: 0, z: 0 }, size: 11 }],
      },
    });
    expect(read.edges.map(([u, v, d]) => [u, v, d.kind![1], d.type![1], d.label![1], d.recordId?.[1]]).sort()).toEqual(
      [
        ['peo_th80_centre', 'prt_rice', 'LINK', 'FUNDING', 'ให้ทุน', undefined],
        ['peo_th80_centre', 'prt_rice', 'SHARED_INITIATIVE', 'SHARED_INITIATIVE', `ร่วมโครงการเดียวกัน: ${HOSTILE_READ}`, 'ini_rice'],
        ['prt_rice', 'title:โครงการ "ข้าวดี"', 'PARTICIPATION', 'IMPLEMENTING', 'ผู้ดำเนินงาน', undefined],
      ].sort(),
    );
  });

  it(`writes the same network as GraphML and CSV tables that read back exactly${NO_NETWORKX}`, () => {
    const nodes = readCsv(writeNodesCsv(drawn));
    // A spreadsheet would run a cell starting with "=": the table quotes it.
    expect(nodes.map((n) => [n.Id, n.Label, n.sector])).toEqual([
      ['peo_th80_centre', 'ศูนย์ประสานงาน', 'PEOPLE'],
      ['prt_rice', `'${HOSTILE}`, 'PRIVATE'],
      ['title:โครงการ "ข้าวดี"', 'โครงการ "ข้าวดี"', ''],
    ]);
    const edges = readCsv(writeEdgesCsv(drawn));
    expect(edges.map((e) => [e.Kind, e.Relation, e.RecordId])).toEqual([
      ['LINK', 'FUNDING', ''],
      ['SHARED_INITIATIVE', 'SHARED_INITIATIVE', 'ini_rice'],
      ['PARTICIPATION', 'IMPLEMENTING', ''],
    ]);
    if (!hasNetworkx) return;
    const graphml = readWithNetworkx('graphml', writeGraphml({ ...drawn, truncated: true }));
    expect(graphml.graph).toMatchObject({ description: ['str', `A drawn network, ${HOSTILE_READ}`], truncated: ['bool', true] });
    expect(graphml.nodes.prt_rice).toEqual({
      label: ['str', HOSTILE_READ],
      labelTh: ['str', HOSTILE_READ],
      labelEn: ['str', 'Rice Co.'],
      kind: ['str', 'ACTOR'],
      sector: ['str', 'PRIVATE'],
    });
    expect(graphml.edges).toHaveLength(3);
  });

  it('imports nothing at run time, so that the IDE can bundle it for the browser', () => {
    const source = readFileSync(new URL('../domain/src/network-files.ts', import.meta.url), 'utf8');
    // Type-only imports vanish from the JavaScript; anything else would bring Node or type-graphql into the IDE.
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 } });
    expect(outputText).not.toMatch(/^\s*import\b|\brequire\(|\bimport\(/m);
    expect(outputText).toContain('export function writeGexf');
  });
});
