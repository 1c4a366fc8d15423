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
