import { SourceBasis, type Source, type SourceDocument } from '@hub/toolkit';

/**
 * The document the hub grew from: a 2006 post by a CODI (พอช.) staff member
 * about the people's-sector anti-poverty centres. Facts cite it with
 * `stated(POST_50646, …)` or `inferred(POST_50646, …)` (toolkit/src/source.ts).
 */
export const POST_50646: Readonly<SourceDocument> = Object.freeze({
  title: 'ศตจ.ปชช. ตอนที่ 3: ศตจ.ปชช.จังหวัด กลไกหลักในการขับเคลื่อนงาน',
  url: 'https://www.gotoknow.org/posts/50646',
  publishedOn: '2006-09-18',
  publisher: 'GotoKnow, record 50646 (พัช พอช.)',
});

/**
 * The passages of the post that facts in more than one subgraph rest on,
 * verbatim, with the post's own spellings (its "การขับเคลือน", "หน้วยงาน",
 * "กี่ยวข้อง" are kept). Each subgraph's seed quotes the rest itself.
 */
export const POST_50646_PASSAGE = {
  /** The reader's question the post answers. */
  question: 'ศตจ.ปชช จะทำงานเชื่อมโยงกับศตจ.ภาคราชการที่มีอยู่แล้วอย่างไร',
  /** The national centre's order of 28 February 2549 B.E. (2006). */
  order:
    'ดังนั้น ศตจ.ชาติจึงได้มีคำสั่งจัดตั้ง ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชนจังหวัด (ศตจ.ปชช.จังหวัด) โดยมีจังหวัดนำร่องในช่วงแรกจำนวน 42 จังหวัด เมื่อวันที่ 28 กุมภาพันธ์ 2549',
  /** The third role of a provincial people's centre: a duty, not a report of coordination. */
  roleThree: '3 ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด)',
  /** The Nakhon knowledge-management project, in the author's view ("กำลังคิดว่า"), with its hedge ("อาจจะ"). */
  knowledgeProject:
    'กำลังคิดว่า โครงการจัดการความรู้แก้จนเมืองคอน ได้ทำครบทุกบทบาทแล้วเพียงแต่เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด แต่การริเริ่มในเบื้องต้นนั้นใช่',
} as const;

/** Records made by the demo-data generator cite this instead of a real source. */
export const DEMO_SOURCE: Readonly<Source> = Object.freeze({
  title: 'Generated demo data (not a real record)',
  url: null,
  publishedOn: null,
  publisher: 'anti-poverty federation hub demo generator',
  basis: SourceBasis.GENERATED,
  passage: null,
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
  /** Inferred: the post names no people's body in Nakhon, only the people's sector that started the project. */
  nakhonCommunityNetworks: 'peo_th80_networks',
  orderOfPeopleCentres: 'ord_2006_02_28',
  nakhonKnowledgeInitiative: 'ini_km_nakhon',
  nakhonProvince: 'TH-80',
} as const;

/** The provincial government centre (ศตจ.จังหวัด) of a province, e.g. "gov_th80_centre" for "TH-80". */
export function provincialGovernmentCentreId(provinceCode: string): string {
  return `gov_th${provinceCode.slice(3)}_centre`;
}
