import type { Source } from '@hub/toolkit';

/**
 * The document the hub grew from: a 2006 post by a CODI (พอช.) staff member
 * about the people's-sector anti-poverty centres.
 */
export const POST_50646: Readonly<Source> = Object.freeze({
  title: 'ศตจ.ปชช. ตอนที่ 3: ศตจ.ปชช.จังหวัด กลไกหลักในการขับเคลื่อนงาน',
  url: 'https://www.gotoknow.org/posts/50646',
  publishedOn: '2006-09-18',
  publisher: 'GotoKnow, record 50646 (พัช พอช.)',
  note: null,
});

/** A citation of the post, with what it says in support of this fact. */
export function citePost50646(note: string): Source {
  return { ...POST_50646, note };
}

/** Records made by the demo-data generator cite this instead of a real source. */
export const DEMO_SOURCE: Readonly<Source> = Object.freeze({
  title: 'Generated demo data (not a real record)',
  url: null,
  publishedOn: null,
  publisher: 'anti-poverty federation hub demo generator',
  note: null,
});

/**
 * Ids of the records seeded from the source document. Facts span subgraphs
 * (an initiative names people's and government participants), so their ids
 * are agreed here rather than looked up in another subgraph's tables.
 */
export const FACT = {
  nationalGovernmentCentre: 'gov_national_centre',
  codi: 'gov_codi',
  nationalPeopleCentre: 'peo_national_centre',
  nakhonPeopleCentre: 'peo_th80_centre',
  nakhonCommunityNetworks: 'peo_th80_networks',
  orderOfPeopleCentres: 'ord_2006_02_28',
  nakhonKnowledgeInitiative: 'ini_km_nakhon',
  nakhonProvince: 'TH-80',
} as const;

/** The provincial government centre (ศตจ.จังหวัด) of a province, e.g. "gov_th80_centre" for "TH-80". */
export function provincialGovernmentCentreId(provinceCode: string): string {
  return `gov_th${provinceCode.slice(3)}_centre`;
}
