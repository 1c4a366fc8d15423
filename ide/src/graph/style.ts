import type { StylesheetStyle } from 'cytoscape';
// Node colours live with the file writers, so that exported files look as the view draws them.
import { INITIATIVE_COLOUR, SECTOR_COLOURS, UNKNOWN_COLOUR } from '@hub/domain/network-files';

/** Edge colour and dash by link type or participation role: what the legend shows. */
export const EDGE_STYLES: Record<string, { colour: string; style: 'solid' | 'dashed' | 'dotted' }> = {
  COORDINATION: { colour: '#37474f', style: 'solid' },
  MEMBERSHIP: { colour: '#2e7d32', style: 'dashed' },
  FUNDING: { colour: '#ef6c00', style: 'solid' },
  COUNTERPART: { colour: '#1565c0', style: 'dotted' },
  SHARED_INITIATIVE: { colour: '#b39ddb', style: 'solid' },
  JOINED: { colour: '#9e9e9e', style: 'solid' },
  LINK: { colour: '#9e9e9e', style: 'solid' },
  ACCOUNTABLE: { colour: '#c62828', style: 'dashed' },
  EXTENDING: { colour: '#00838f', style: 'dashed' },
  IMPLEMENTING: { colour: '#6a1b9a', style: 'dashed' },
};

export const FONT = '"Noto Sans Thai", system-ui, sans-serif';

/** The stylesheet; `lang` picks the data field nodes are labelled with. */
export function graphStyle(lang: 'th' | 'en'): StylesheetStyle[] {
  return [
    {
      selector: 'node',
      style: {
        label: `data(${lang})`,
        'font-family': FONT,
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '180px',
        // Labels give way when zoomed out, so a few hundred nodes stay readable.
        'min-zoomed-font-size': 7,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.7,
        'text-background-padding': '1px',
        // Busier actors are bigger: brokers stand out at a glance.
        width: (node: any) => 16 + Math.min(node.degree(false), 24) * 1.5,
        height: (node: any) => 16 + Math.min(node.degree(false), 24) * 1.5,
        'background-color': UNKNOWN_COLOUR,
        'border-width': 1,
        'border-color': '#ffffff',
      },
    },
    ...Object.entries(SECTOR_COLOURS).map(([sector, colour]) => ({
      selector: `node[sector = "${sector}"]`,
      style: { 'background-color': colour },
    })),
    {
      selector: 'node[kind = "initiative"]',
      style: { shape: 'round-diamond', 'background-color': INITIATIVE_COLOUR },
    },
    { selector: 'node[!named]', style: { 'background-opacity': 0.5 } },
    { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#212121' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#fbc02d' } },
    // Added or renamed by a followed subscription's last events.
    { selector: 'node.live-changed', style: { 'underlay-color': '#e53935', 'underlay-opacity': 0.35, 'underlay-padding': 6 } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'curve-style': 'bezier',
        'line-color': '#9e9e9e',
        'target-arrow-color': '#9e9e9e',
        opacity: 0.85,
        'font-family': FONT,
        'font-size': 10,
      },
    },
    ...Object.entries(EDGE_STYLES).map(([type, { colour, style }]) => ({
      selector: `edge[type = "${type}"]`,
      style: { 'line-color': colour, 'target-arrow-color': colour, 'line-style': style },
    })),
    // Membership and funding links have a direction: member to body, funder to funded.
    { selector: 'edge[kind = "link"][type = "MEMBERSHIP"], edge[kind = "link"][type = "FUNDING"]', style: { 'target-arrow-shape': 'triangle' } },
    { selector: 'edge[kind = "participation"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[?lead]', style: { width: 3 } },
    { selector: 'edge[?path]', style: { width: 5, 'underlay-color': '#fdd835', 'underlay-opacity': 0.6, 'underlay-padding': 3 } },
    {
      selector: 'edge:selected',
      style: { label: `data(${lang})`, 'text-background-color': '#ffffff', 'text-background-opacity': 0.9, width: 4 },
    },
  ] as unknown as StylesheetStyle[]; // underlay-* and function mappers are newer than the typings
}
