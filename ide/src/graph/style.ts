// Node colours live with the file writers, so that exported files look as the view draws them.
import { INITIATIVE_COLOUR, sectorColour } from '@hub/domain/network-files';
import type { NodeData } from './extract';

/** Edge colour and dash by link type or participation role: what the legend shows. WebGL draws every edge solid; the dash is the legend's and the SVG's. */
export const EDGE_STYLES: Record<string, { colour: string; style: 'solid' | 'dashed' | 'dotted' }> = {
  COORDINATION: { colour: '#37474f', style: 'solid' },
  MEMBERSHIP: { colour: '#2e7d32', style: 'dashed' },
  FUNDING: { colour: '#ef6c00', style: 'solid' },
  COUNTERPART: { colour: '#1565c0', style: 'dotted' },
  SHARED_INITIATIVE: { colour: '#b39ddb', style: 'solid' },
  JOINED: { colour: '#9e9e9e', style: 'solid' },
  LINK: { colour: '#9e9e9e', style: 'solid' },
  IN_PROVINCE: { colour: '#cfd8dc', style: 'solid' },
  ACCOUNTABLE: { colour: '#c62828', style: 'dashed' },
  EXTENDING: { colour: '#00838f', style: 'dashed' },
  IMPLEMENTING: { colour: '#6a1b9a', style: 'dashed' },
};

/** A province's node: the hub its records hang off. */
export const PROVINCE_COLOUR = '#455a64';
/** Marks: the selected node, a path's steps, what a subscription just changed, what is faded behind a hover. */
export const SELECTED_COLOUR = '#fbc02d';
export const PATH_COLOUR = '#fdd835';
export const LIVE_COLOUR = '#e53935';
export const FADED_COLOUR = '#e6e6e6';

/** The bundled Thai font first: canvas labels use it once it has loaded. */
export const FONT = '"Noto Sans Thai", system-ui, sans-serif';

/**
 * Community colours: twelve that stay apart from one another (Tableau's and
 * ColorBrewer's qualitative sets); communities past the twelfth share grey.
 */
export const COMMUNITY_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#1b9e77',
  '#7570b3',
  '#66a61e',
];
export const OTHER_COMMUNITY_COLOUR = '#bab0ac';

export function nodeColour(node: { kind: NodeData['kind']; sector?: string }): string {
  if (node.kind === 'initiative') return INITIATIVE_COLOUR;
  if (node.kind === 'province') return PROVINCE_COLOUR;
  return sectorColour(node.sector);
}

export function edgeColour(type: string): string {
  return EDGE_STYLES[type]?.colour ?? EDGE_STYLES.LINK!.colour;
}
