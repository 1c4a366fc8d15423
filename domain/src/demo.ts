import { pick, type DemoTableSpec, type Rng } from '@hub/toolkit';

/**
 * The hub's demo data, as the demo generator (scripts/src/demo.ts) plans it
 * once for all subgraphs and each subgraph's `seed/demo.ts` reads it: the
 * plan's structure and codes, and the made-up Thai names demo rows carry.
 */

// ---------------------------------------------------------------------------
// Thai names

/** Parts of Thai place names, with their usual romanisation: หนอง + บัว = หนองบัว, "Nong Bua". */
const PLACE_HEADS: readonly (readonly [string, string])[] = [
  ['หนอง', 'Nong'], ['ห้วย', 'Huai'], ['ดอน', 'Don'], ['โคก', 'Khok'], ['นา', 'Na'], ['ทุ่ง', 'Thung'],
  ['บ่อ', 'Bo'], ['วัง', 'Wang'], ['ท่า', 'Tha'], ['บาง', 'Bang'], ['คลอง', 'Khlong'], ['โนน', 'Non'],
  ['ป่า', 'Pa'], ['เขา', 'Khao'], ['ศรี', 'Si'], ['สระ', 'Sa'], ['แม่', 'Mae'], ['บึง', 'Bueng'],
  ['หาด', 'Hat'], ['ควน', 'Khuan'], ['ปาก', 'Pak'], ['สวน', 'Suan'], ['ทับ', 'Thap'], ['ดง', 'Dong'],
  ['หัว', 'Hua'], ['โพน', 'Phon'],
];
const PLACE_TAILS: readonly (readonly [string, string])[] = [
  ['บัว', 'Bua'], ['ใหญ่', 'Yai'], ['น้อย', 'Noi'], ['แก', 'Kae'], ['ยาง', 'Yang'], ['คำ', 'Kham'],
  ['ทอง', 'Thong'], ['ไผ่', 'Phai'], ['สะแก', 'Sakae'], ['จาน', 'Chan'], ['หลวง', 'Luang'], ['กลาง', 'Klang'],
  ['เหนือ', 'Nuea'], ['ใต้', 'Tai'], ['งาม', 'Ngam'], ['ตะเคียน', 'Takhian'], ['มะม่วง', 'Mamuang'], ['โพธิ์', 'Pho'],
  ['ไทร', 'Sai'], ['แดง', 'Daeng'], ['ขาว', 'Khao'], ['สูง', 'Sung'], ['ยาว', 'Yao'], ['พร้าว', 'Phrao'],
  ['ตาล', 'Tan'], ['หิน', 'Hin'], ['ดู่', 'Du'], ['กระทุ่ม', 'Krathum'], ['ลำดวน', 'Lamduan'], ['บอน', 'Bon'],
  ['ม่วง', 'Muang'], ['เจริญ', 'Charoen'], ['สำราญ', 'Samran'], ['ทราย', 'Sai'],
];

/** A made-up village or tambon name, in Thai and romanised. */
export function place(r: Rng): [th: string, en: string] {
  const [headTh, headEn] = pick(r, PLACE_HEADS);
  const [tailTh, tailEn] = pick(r, PLACE_TAILS);
  return [headTh + tailTh, `${headEn} ${tailEn}`];
}

/** "จังหวัดนครศรีธรรมราช", but Bangkok is not a changwat: "กรุงเทพมหานคร". */
export const provinceTh = (p: { readonly code: string; readonly nameTh: string }) => (p.code === 'TH-10' ? p.nameTh : `จังหวัด${p.nameTh}`);

// ---------------------------------------------------------------------------
// The plan

export type DemoTable =
  | 'people_organization'
  | 'membership'
  | 'government_centre'
  | 'private_partner'
  | 'contribution'
  | 'initiative'
  | 'participation'
  | 'link';

export type DemoCounts = Readonly<Record<DemoTable, number>>;

/** A province index in the plan's arrays that means none: a national body, an initiative's unused slot. */
export const DEMO_NO_PROVINCE = 255;

/** Codes of `DemoPlan.peopleKind`. */
export const DemoPeopleKind = { PROVINCIAL_CENTRE: 0, COMMUNITY_NETWORK: 1, COMMUNITY_ORGANISATION: 2 } as const;
/** Codes of `DemoPlan.partnerKind`. */
export const DemoPartnerKind = { COMPANY: 0, FOUNDATION: 1, FINANCIAL_INSTITUTION: 2, SOCIAL_ENTERPRISE: 3 } as const;
/** Codes of `DemoPlan.participationRole`. */
export const DemoRole = { FUNDING: 0, ACCOUNTABLE: 1, EXTENDING: 2, IMPLEMENTING: 3 } as const;
/** Codes of `DemoPlan.linkType`. */
export const DemoLinkType = { COORDINATION: 0, MEMBERSHIP: 1, FUNDING: 2, COUNTERPART: 3 } as const;

/**
 * The values a subgraph stores for a plan's codes, indexed by code: each code
 * is named as the enum member it stands for, so `valuesByCode(DemoRole,
 * ParticipationRole)[DemoRole.FUNDING]` is `ParticipationRole.FUNDING`.
 */
export function valuesByCode<Codes extends Readonly<Record<string, number>>, Values extends Readonly<Record<keyof Codes, unknown>>>(
  codes: Codes,
  values: Values,
): readonly Values[keyof Codes][] {
  const byCode: Values[keyof Codes][] = [];
  for (const name of Object.keys(codes) as (keyof Codes)[]) byCode[codes[name]!] = values[name];
  return byCode;
}

/**
 * The structure of the demo data: who is where, who takes part in what, who
 * links to whom. Actors are numbered by "code": people's organisations
 * `[0, people)`, then government agencies, then private partners, then the
 * seeded facts demo records refer to. Row details (names, dates, statuses)
 * are not here: each table's `row` derives them.
 */
export interface DemoPlan {
  readonly seed: number;
  readonly actors: number;
  readonly people: number;
  readonly government: number;
  readonly partners: number;
  readonly counts: DemoCounts;
  /** The `sources` of every demo row, as JSON text: the demo source, never a real one. */
  readonly sources: string;
  /** The id of an actor code: `peo_demo_000123`, `gov_demo_000045`, `prt_demo_000007`, or a seeded fact's id. */
  actorId(code: number): string;
  /** The sector of an actor code. */
  actorSector(code: number): string;
  /** The id of the initiative at a 0-based index, which contributions and participations refer to. */
  initiativeId(index: number): string;
  /** Province index (into PROVINCES) of every actor code; DEMO_NO_PROVINCE for national bodies. */
  readonly actorProvince: Uint8Array;
  /** DemoPeopleKind codes. */
  readonly peopleKind: Uint8Array;
  /** Order of each agency within its province: the first few are provincial offices. */
  readonly governmentRank: Int32Array;
  /** DemoPartnerKind codes. */
  readonly partnerKind: Uint8Array;
  /** 1 for a partner that works nationally (no province). */
  readonly partnerNational: Uint8Array;
  /** Up to three province indices per initiative, DEMO_NO_PROVINCE for none; the first is its main province. */
  readonly initiativeProvinces: Uint8Array;
  readonly participationInitiative: Int32Array;
  readonly participationActor: Int32Array;
  /** DemoRole codes. */
  readonly participationRole: Uint8Array;
  readonly participationLead: Uint8Array;
  readonly membershipMember: Int32Array;
  readonly membershipOrganization: Int32Array;
  readonly contributionPartner: Int32Array;
  /** The initiative it goes to, -1 for general support. */
  readonly contributionInitiative: Int32Array;
  /** 1 when the partner funds that initiative (a FUNDING participation). */
  readonly contributionFunding: Uint8Array;
  readonly linkSource: Int32Array;
  readonly linkTarget: Int32Array;
  /** DemoLinkType codes. */
  readonly linkType: Uint8Array;
  /** 1 for the structural link of a provincial people's centre to its provincial government centre. */
  readonly linkStructural: Uint8Array;
}

/** A subgraph's demo table, made from the hub's plan. */
export type HubDemoTable = DemoTableSpec<DemoPlan, DemoTable>;
