import { createHash } from 'node:crypto';
import type { EntityManager, MikroORM } from '@hub/toolkit';
import { createSubgraphOrm, migrate } from '@hub/toolkit';
import {
  actorTypeNamed,
  actorTypeOf,
  DEMO_SOURCE,
  EstablishmentStatus,
  FACT,
  OrganisationType,
  PovertyDimension,
  PROVINCES,
  provincialGovernmentCentreId,
  Sector,
  Theme,
  type ProvinceRecord,
} from '@hub/domain';
import { Membership, PeopleOrganization, PeopleOrganizationKind } from '@hub/people';
import { GovernmentCentre, GovernmentCentreKind } from '@hub/government';
import { Contribution, ContributionKind, PrivatePartner, PrivatePartnerKind } from '@hub/partners';
import { Initiative, InitiativeStatus, Link, LinkType, Participation, ParticipationRole } from '@hub/initiatives';
import { SUBGRAPHS } from './subgraphs.js';

/**
 * Deterministic demo data for the whole hub: people's organisations,
 * government agencies and private partners in all 77 provinces, the
 * initiatives they run together, who takes part in what, and the standing
 * links between them.
 *
 * Two steps, kept apart:
 * - `planDemo(actors, seed)` decides the structure (who is where, who takes
 *   part in what, who links to whom) into compact typed arrays, from one
 *   fixed PRNG stream. It is pure and cheap: a test can call it twice.
 * - each table's rows are materialised from the plan one chunk at a time
 *   (`demoRows`), every row from its own PRNG seeded by (seed, table, index),
 *   so a row never depends on the chunk size and the full million rows are
 *   never held in memory. `writeDemo` writes them through each subgraph's
 *   own ORM; `generateDemo` does everything from a database URL.
 *
 * The same actor count and seed give the same rows, byte for byte
 * (`digestDemo`); only `createdAt`/`updatedAt` come from the database clock.
 * Every record has `demo: true`, cites `DEMO_SOURCE`, and has an id with
 * `_demo_` in it. Seeded facts are never touched; demo records may refer to
 * them (the provincial and national centres, CODI, Nakhon's centre and networks).
 */

// ---------------------------------------------------------------------------
// Scale

/** Named scales, in demo actors (people's organisations + government agencies + private partners). */
export const DEMO_PRESETS = { tiny: 300, small: 3_000, medium: 20_000, national: 100_000 } as const;
export type DemoPreset = keyof typeof DEMO_PRESETS;

export const DEFAULT_DEMO_SEED = 2549;
export const MAX_DEMO_ACTORS = 100_000;
/** Every province needs at least one actor of each sector. */
export const MIN_DEMO_ACTORS = 3 * PROVINCES.length;

/** How the other tables scale with the actor count: 100,000 actors give 600,000 participations and 400,000 links. */
export const DEMO_RATIOS = {
  initiativesPerActor: 0.4,
  participationsPerActor: 6,
  linksPerActor: 4,
  governmentShare: 0.18,
  privateShare: 0.22,
} as const;

/** A scale that is not a preset, not a whole number, or out of range (or a seed out of range): the message says which. */
export class DemoScaleError extends Error {
  override name = 'DemoScaleError';
}

/** The number of demo actors a scale means: a preset name (`tiny`, `small`, `medium`, `national`) or a whole number (`20000`, `20_000`, `20,000`). */
export function demoActorCount(scale: number | string): number {
  let actors: number;
  if (typeof scale === 'number') {
    actors = scale;
  } else {
    const text = scale.trim().toLowerCase();
    if (Object.hasOwn(DEMO_PRESETS, text)) {
      actors = DEMO_PRESETS[text as DemoPreset];
    } else if (/^\d[\d_,]*$/.test(text)) {
      actors = Number(text.replace(/[_,]/g, ''));
    } else {
      throw new DemoScaleError(
        `"${scale}" is not a scale: use ${Object.keys(DEMO_PRESETS).join(', ')} or a number of actors (${MIN_DEMO_ACTORS.toLocaleString('en')} to ${MAX_DEMO_ACTORS.toLocaleString('en')}).`,
      );
    }
  }
  if (!Number.isSafeInteger(actors)) throw new DemoScaleError(`The number of actors must be a whole number, not ${actors}.`);
  if (actors > MAX_DEMO_ACTORS) {
    throw new DemoScaleError(
      `${actors.toLocaleString('en')} actors is more than the demo generator makes: at most ${MAX_DEMO_ACTORS.toLocaleString('en')} (--scale national), which already gives ${(MAX_DEMO_ACTORS * (DEMO_RATIOS.participationsPerActor + DEMO_RATIOS.linksPerActor)).toLocaleString('en')} participations and links.`,
    );
  }
  if (actors < MIN_DEMO_ACTORS) {
    throw new DemoScaleError(
      `${actors.toLocaleString('en')} actors is too few to fill the ${PROVINCES.length} provinces: at least ${MIN_DEMO_ACTORS} (one people's organisation, one agency and one partner in each).`,
    );
  }
  return actors;
}

// ---------------------------------------------------------------------------
// Randomness

export type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream on every platform. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The PRNG of one row: independent of every other row, so rows can be made in any chunking. */
function rowRng(seed: number, salt: number, index: number): Rng {
  return mulberry32(mix32((mix32(seed ^ Math.imul(salt, 0x9e3779b1)) + index) >>> 0));
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Rng, p: number) => r() < p;

/** An index drawn with the given (not necessarily normalised) weights. */
function weighted(r: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = r() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Draws from a list of [value, weight] pairs. */
function choose<T>(r: Rng, options: readonly (readonly [T, number])[]): T {
  return options[weighted(r, options.map((o) => o[1]))]![0];
}

function shuffle(r: Rng, items: { length: number; [i: number]: number }, from = 0, to = items.length): void {
  for (let i = to - 1; i > from; i--) {
    const j = from + int(r, i - from + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

function gaussian(r: Rng): number {
  const u = 1 - r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

// ---------------------------------------------------------------------------
// Actors and codes

/** The kinds of actor the plan makes, by their codes in its typed arrays; their id prefixes and sectors are the actor registry's. */
const PEO = 0;
const GOV = 1;
const PRT = 2;
const DEMO_ACTOR_TYPES = [actorTypeNamed('PeopleOrganization'), actorTypeNamed('GovernmentCentre'), actorTypeNamed('PrivatePartner')] as const;

const NO_PROVINCE = 255;

/** People's organisation kinds, in the plan's `peopleKind` codes. */
const CENTRE = 0;
const NETWORK = 1;
const ORGANISATION = 2;
const PEOPLE_KINDS = [
  PeopleOrganizationKind.PROVINCIAL_CENTRE,
  PeopleOrganizationKind.COMMUNITY_NETWORK,
  PeopleOrganizationKind.COMMUNITY_ORGANISATION,
] as const;

const PARTNER_KINDS = [
  PrivatePartnerKind.COMPANY,
  PrivatePartnerKind.FOUNDATION,
  PrivatePartnerKind.FINANCIAL_INSTITUTION,
  PrivatePartnerKind.SOCIAL_ENTERPRISE,
] as const;
const PARTNER_KIND_WEIGHTS = [0.45, 0.15, 0.15, 0.25];

const ROLES = [
  ParticipationRole.FUNDING,
  ParticipationRole.ACCOUNTABLE,
  ParticipationRole.EXTENDING,
  ParticipationRole.IMPLEMENTING,
] as const;
const FUNDING = 0;
const ACCOUNTABLE = 1;
const EXTENDING = 2;
const IMPLEMENTING = 3;
/** Role weights (FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING) of a participant of each sector. */
const ROLE_WEIGHTS: readonly (readonly number[])[] = [
  [0, 0.05, 0.2, 0.75],
  [0.3, 0.35, 0.2, 0.15],
  [0.6, 0, 0.15, 0.25],
];
const LEAD_ROLE = [IMPLEMENTING, ACCOUNTABLE, FUNDING] as const;

const LINK_TYPES = [LinkType.COORDINATION, LinkType.MEMBERSHIP, LinkType.FUNDING, LinkType.COUNTERPART] as const;
const LINK_TYPE_WEIGHTS = [0.45, 0.2, 0.2, 0.15];
/** For each link type, the (source sector, target sector) pairs it joins and their weights. */
const LINK_ENDS: readonly (readonly (readonly [readonly [number, number], number])[])[] = [
  [[[PEO, GOV], 0.4], [[PEO, PEO], 0.3], [[GOV, GOV], 0.15], [[PRT, PEO], 0.15]],
  [[[PEO, PEO], 0.8], [[PRT, PRT], 0.1], [[PRT, PEO], 0.1]],
  [[[PRT, PEO], 0.5], [[GOV, PEO], 0.35], [[PRT, PRT], 0.15]],
  [[[PEO, GOV], 0.5], [[PEO, PRT], 0.3], [[GOV, PRT], 0.2]],
];
const COORDINATION = 0;
const MEMBERSHIP = 1;

/** Seeded facts that demo records refer to; their codes follow the demo actors'. */
const FACT_ACTORS: readonly { id: string; provinceCode: string | null }[] = [
  { id: FACT.nationalPeopleCentre, provinceCode: null },
  { id: FACT.nakhonPeopleCentre, provinceCode: FACT.nakhonProvince },
  { id: FACT.nakhonCommunityNetworks, provinceCode: FACT.nakhonProvince },
  { id: FACT.nationalGovernmentCentre, provinceCode: null },
  { id: FACT.codi, provinceCode: null },
  ...PROVINCES.map((p) => ({ id: provincialGovernmentCentreId(p.code), provinceCode: p.code })),
];
const F_PEOPLE_NATIONAL = 0;
const F_NAKHON_CENTRE = 1;
const F_NAKHON_NETWORKS = 2;
const F_GOVERNMENT_NATIONAL = 3;
const F_CODI = 4;
const F_PROVINCIAL_CENTRES = 5;

const PROVINCE_INDEX = new Map(PROVINCES.map((p, i) => [p.code, i]));
const NAKHON = PROVINCE_INDEX.get(FACT.nakhonProvince)!;
const BANGKOK = PROVINCE_INDEX.get('TH-10');
const PROVINCES_BY_REGION = new Map<string, number[]>();
PROVINCES.forEach((p, i) => {
  const list = PROVINCES_BY_REGION.get(p.region) ?? [];
  list.push(i);
  PROVINCES_BY_REGION.set(p.region, list);
});

const pad = (n: number) => String(n).padStart(6, '0');

/** Actors of one sector grouped by province (compressed rows: `items[offsets[p] .. offsets[p + 1])`). */
interface ProvincePool {
  offsets: Int32Array;
  items: Int32Array;
}

function buildPool(codes: readonly number[], provinceOf: (code: number) => number, r: Rng): ProvincePool {
  const n = PROVINCES.length;
  const offsets = new Int32Array(n + 1);
  for (const code of codes) offsets[provinceOf(code) + 1]!++;
  for (let p = 0; p < n; p++) offsets[p + 1]! += offsets[p]!;
  const fill = offsets.slice(0, n);
  const items = new Int32Array(codes.length);
  for (const code of codes) items[fill[provinceOf(code)]!++] = code;
  // Shuffled within each province: the first few become its hubs (see pickFrom).
  for (let p = 0; p < n; p++) shuffle(r, items, offsets[p]!, offsets[p + 1]!);
  return { offsets, items };
}

/** An actor of a province, skewed toward the province's first few (its hubs): `skew` 1 is uniform. -1 when none. */
function pickFrom(pool: ProvincePool, province: number, r: Rng, skew: number): number {
  const start = pool.offsets[province]!;
  const size = pool.offsets[province + 1]! - start;
  if (size === 0) return -1;
  return pool.items[start + Math.floor(size * Math.pow(r(), skew))]!;
}

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

/**
 * The structure of the demo data: who is where, who takes part in what, who
 * links to whom. Actors are numbered by "code": people's organisations
 * `[0, people)`, then government agencies, then private partners, then the
 * seeded facts demo records refer to (`FACT_ACTORS`). Row details (names,
 * dates, statuses) are not here: `demoRows` derives them.
 */
export interface DemoPlan {
  readonly seed: number;
  readonly actors: number;
  readonly people: number;
  readonly government: number;
  readonly partners: number;
  readonly counts: DemoCounts;
  /** Province index (into PROVINCES) of every actor code; 255 for national bodies. */
  readonly actorProvince: Uint8Array;
  /** 0 provincial centre, 1 community network, 2 community organisation. */
  readonly peopleKind: Uint8Array;
  /** Order of each agency within its province: the first few are provincial offices. */
  readonly governmentRank: Int32Array;
  /** Index into PARTNER_KINDS. */
  readonly partnerKind: Uint8Array;
  /** 1 for a partner that works nationally (no province). */
  readonly partnerNational: Uint8Array;
  /** Up to three province indices per initiative, 255 for none; the first is its main province. */
  readonly initiativeProvinces: Uint8Array;
  readonly participationInitiative: Int32Array;
  readonly participationActor: Int32Array;
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
  readonly linkType: Uint8Array;
  /** 1 for the structural link of a provincial people's centre to its provincial government centre. */
  readonly linkStructural: Uint8Array;
}

/** Splits `total` over the provinces by weight, at least `min` each (largest remainders, ties by index). */
function allocate(total: number, weights: readonly number[], min: number): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n).fill(min);
  const rest = total - n * min;
  const sum = weights.reduce((a, b) => a + b, 0);
  const remainders: [number, number][] = [];
  let given = 0;
  weights.forEach((w, i) => {
    const quota = (rest * w) / sum;
    const whole = Math.floor(quota);
    out[i]! += whole;
    given += whole;
    remainders.push([quota - whole, i]);
  });
  remainders.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < rest - given; k++) out[remainders[k]![1]]!++;
  return out;
}

/** Province of each of `counts.sum` actors, in a shuffled order. */
function spread(counts: Int32Array, r: Rng): Uint8Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(total);
  let k = 0;
  counts.forEach((c, p) => {
    for (let i = 0; i < c; i++) out[k++] = p;
  });
  shuffle(r, out);
  return out;
}

/**
 * Plans the demo data for `actors` demo actors (see `demoActorCount`).
 * Pure: the same arguments give an identical plan. Well under a second for 100,000 actors.
 */
export function planDemo(actors: number, seed: number = DEFAULT_DEMO_SEED): DemoPlan {
  actors = demoActorCount(actors);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DemoScaleError(`The seed must be a whole number from 0 to 4294967295, not ${seed}.`);
  const r = mulberry32(seed);
  const provinceCount = PROVINCES.length;

  // --- actors: how many of each sector, and where.
  const government = Math.max(provinceCount, Math.round(actors * DEMO_RATIOS.governmentShare));
  const partners = Math.max(provinceCount, Math.round(actors * DEMO_RATIOS.privateShare));
  const people = actors - government - partners;
  const GOV_BASE = people;
  const PRT_BASE = people + government;
  const FACT_BASE = actors;

  // Provinces differ in size; Bangkok is the largest.
  const provinceWeights = PROVINCES.map((_, i) => (i === BANGKOK ? 4 : 0.6 + 1.4 * r()));
  const cumulative: number[] = [];
  provinceWeights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const weightTotal = cumulative[provinceCount - 1]!;
  const weightedProvince = (): number => {
    const x = r() * weightTotal;
    let lo = 0;
    let hi = provinceCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const sameRegion = (province: number): number => pick(r, PROVINCES_BY_REGION.get(PROVINCES[province]!.region)!);

  const peoCounts = allocate(people, provinceWeights, 1);
  const govCounts = allocate(government, provinceWeights, 1);
  const prtCounts = allocate(partners, provinceWeights, 1);
  const actorProvince = new Uint8Array(actors + FACT_ACTORS.length);
  actorProvince.set(spread(peoCounts, r), 0);
  actorProvince.set(spread(govCounts, r), GOV_BASE);
  actorProvince.set(spread(prtCounts, r), PRT_BASE);
  FACT_ACTORS.forEach((f, i) => {
    actorProvince[FACT_BASE + i] = f.provinceCode ? PROVINCE_INDEX.get(f.provinceCode)! : NO_PROVINCE;
  });
  const provinceOf = (code: number) => actorProvince[code]!;

  // People's organisations: in each province one provincial people's centre
  // (Nakhon Si Thammarat already has its seeded one), about a tenth networks,
  // the rest community organisations.
  const peopleKind = new Uint8Array(people);
  const seen = new Int32Array(provinceCount);
  const centreOf = new Int32Array(provinceCount).fill(-1);
  centreOf[NAKHON] = FACT_BASE + F_NAKHON_CENTRE;
  for (let code = 0; code < people; code++) {
    const p = provinceOf(code);
    const n = peoCounts[p]!;
    const centres = p !== NAKHON && n >= 3 ? 1 : 0;
    const networks = Math.max(1, Math.round(n * 0.1));
    const k = seen[p]!++;
    const kind = k < centres ? CENTRE : k < centres + networks ? NETWORK : ORGANISATION;
    peopleKind[code] = kind;
    if (kind === CENTRE) centreOf[p] = code;
  }
  const governmentRank = new Int32Array(government);
  seen.fill(0);
  for (let i = 0; i < government; i++) governmentRank[i] = seen[provinceOf(GOV_BASE + i)]!++;

  const partnerKind = new Uint8Array(partners);
  const partnerNational = new Uint8Array(partners);
  seen.fill(0);
  for (let i = 0; i < partners; i++) {
    partnerKind[i] = i < PARTNER_KINDS.length ? i : weighted(r, PARTNER_KIND_WEIGHTS);
    const first = seen[provinceOf(PRT_BASE + i)]!++ === 0;
    partnerNational[i] = !first && chance(r, 0.03) ? 1 : 0;
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const peopleCodes = range(0, people);
  const nakhonFacts = [FACT_BASE + F_NAKHON_CENTRE, FACT_BASE + F_NAKHON_NETWORKS];
  const peoAll = buildPool([...peopleCodes, ...nakhonFacts], provinceOf, r);
  const peoHubs = buildPool([...peopleCodes.filter((c) => peopleKind[c] !== ORGANISATION), ...nakhonFacts], provinceOf, r);
  const peoNetworks = buildPool(
    [...peopleCodes.filter((c) => peopleKind[c] === NETWORK), FACT_BASE + F_NAKHON_NETWORKS],
    provinceOf,
    r,
  );
  const govPool = buildPool(range(GOV_BASE, PRT_BASE), provinceOf, r);
  const prtPool = buildPool(range(PRT_BASE, actors), provinceOf, r);
  const provincialCentre = (p: number) => FACT_BASE + F_PROVINCIAL_CENTRES + p;

  /** An actor of a sector in a province, skewed to its hubs; the provincial government centre is a hub of its own. */
  const pickActor = (sector: number, p: number, skew: number): number => {
    if (sector === PEO) return pickFrom(peoAll, p, r, skew);
    if (sector === GOV) return chance(r, 0.25) ? provincialCentre(p) : pickFrom(govPool, p, r, skew);
    return pickFrom(prtPool, p, r, skew);
  };
  const sectorRange = [
    [0, people],
    [GOV_BASE, PRT_BASE],
    [PRT_BASE, actors],
  ] as const;
  const anyOfSector = (sector: number) => sectorRange[sector]![0] + int(r, sectorRange[sector]![1] - sectorRange[sector]![0]);

  // --- initiatives: every province is the main province of at least one; 1 to 3 provinces each.
  const initiatives = Math.max(provinceCount, Math.round(actors * DEMO_RATIOS.initiativesPerActor));
  const mainProvince = new Uint8Array(initiatives);
  for (let i = 0; i < initiatives; i++) mainProvince[i] = i < provinceCount ? i : weightedProvince();
  shuffle(r, mainProvince);
  const initiativeProvinces = new Uint8Array(initiatives * 3).fill(NO_PROVINCE);
  const provinceCountOf = new Uint8Array(initiatives);
  for (let i = 0; i < initiatives; i++) {
    const main = mainProvince[i]!;
    initiativeProvinces[i * 3] = main;
    const wanted = weighted(r, [0.75, 0.18, 0.07]) + 1;
    let have = 1;
    for (let attempt = 0; have < wanted && attempt < 12; attempt++) {
      const candidate = chance(r, 0.7) ? sameRegion(main) : weightedProvince();
      let known = false;
      for (let k = 0; k < have; k++) if (initiativeProvinces[i * 3 + k] === candidate) known = true;
      if (!known) initiativeProvinces[i * 3 + have++] = candidate;
    }
    provinceCountOf[i] = have;
  }

  // --- participations: exactly 6 per actor, 2 to 150 per initiative, skewed (many small, a few large).
  const participations = actors * DEMO_RATIOS.participationsPerActor;
  const MIN_SIZE = 2;
  const MAX_SIZE = 150;
  const sizes = new Int32Array(initiatives);
  {
    const w = Array.from({ length: initiatives }, () => Math.exp(0.9 * gaussian(r)));
    const wSum = w.reduce((a, b) => a + b, 0);
    const rest = participations - MIN_SIZE * initiatives;
    let total = 0;
    for (let i = 0; i < initiatives; i++) {
      sizes[i] = Math.min(MAX_SIZE, MIN_SIZE + Math.floor((rest * w[i]!) / wSum));
      total += sizes[i]!;
    }
    while (total < participations) {
      const i = int(r, initiatives);
      if (sizes[i]! < MAX_SIZE) {
        sizes[i]!++;
        total++;
      }
    }
  }
  const participationInitiative = new Int32Array(participations);
  const participationActor = new Int32Array(participations);
  const participationRole = new Uint8Array(participations);
  const participationLead = new Uint8Array(participations);
  const contributionPartner: number[] = [];
  const contributionInitiative: number[] = [];
  const contributionFunding: number[] = [];
  {
    const used = new Set<number>();
    let j = 0;
    const add = (initiative: number, actor: number, role: number, lead: boolean) => {
      used.add(actor);
      participationInitiative[j] = initiative;
      participationActor[j] = actor;
      participationRole[j] = role;
      participationLead[j] = lead ? 1 : 0;
      j++;
      // Partners give something to many of the initiatives they take part in.
      if (actor >= PRT_BASE && actor < FACT_BASE && chance(r, role === FUNDING ? 0.6 : 0.2)) {
        contributionPartner.push(actor);
        contributionInitiative.push(initiative);
        contributionFunding.push(role === FUNDING ? 1 : 0);
      }
    };
    /** A participant of `sector` not yet in the initiative, near `province` when possible. */
    const fresh = (sector: number, province: number, skew: number): number => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const actor = pickActor(sector, province, skew);
        if (actor >= 0 && !used.has(actor)) return actor;
      }
      for (let attempt = 0; ; attempt++) {
        const actor = attempt < 50 ? anyOfSector(sector) : int(r, actors);
        if (!used.has(actor)) return actor;
      }
    };
    for (let i = 0; i < initiatives; i++) {
      used.clear();
      const main = mainProvince[i]!;
      const size = sizes[i]!;
      // The main host (เจ้าภาพหลัก), usually the people's sector or the provincial government.
      const leadSector = weighted(r, [0.6, 0.3, 0.1]);
      const lead =
        leadSector === PEO && chance(r, 0.3)
          ? pickFrom(peoHubs, main, r, 1.5)
          : leadSector === GOV && chance(r, 0.4)
            ? provincialCentre(main)
            : fresh(leadSector, main, 1.5);
      add(i, lead, LEAD_ROLE[leadSector]!, true);
      let placed = 1;
      // A co-host from another sector, sometimes.
      if (size > 2 && chance(r, 0.25)) {
        const sector = (leadSector + 1 + int(r, 2)) % 3;
        add(i, fresh(sector, main, 1.5), LEAD_ROLE[sector]!, true);
        placed++;
      }
      for (; placed < size; placed++) {
        const sector = weighted(r, [0.55, 0.25, 0.2]);
        const where = r();
        let actor: number;
        if (where < 0.85) {
          actor = fresh(sector, initiativeProvinces[i * 3 + int(r, provinceCountOf[i]!)]!, 2);
        } else if (where < 0.97 || sector === PRT) {
          actor = fresh(sector, weightedProvince(), 2);
        } else {
          const national = FACT_BASE + (sector === PEO ? F_PEOPLE_NATIONAL : chance(r, 0.5) ? F_GOVERNMENT_NATIONAL : F_CODI);
          actor = used.has(national) ? fresh(sector, main, 2) : national;
        }
        add(i, actor, weighted(r, ROLE_WEIGHTS[sector]!), false);
      }
    }
  }

  // --- contributions: those above, plus general support (no initiative) from some partners.
  for (let i = 0; i < partners; i++) {
    if (chance(r, 0.3)) {
      contributionPartner.push(PRT_BASE + i);
      contributionInitiative.push(-1);
      contributionFunding.push(0);
    }
  }

  // --- memberships: every community organisation in a network of its province, some in a second; networks in their provincial centre.
  const membershipMember: number[] = [];
  const membershipOrganization: number[] = [];
  for (let code = 0; code < people; code++) {
    const p = provinceOf(code);
    if (peopleKind[code] === ORGANISATION) {
      const network = pickFrom(peoNetworks, p, r, 1.5);
      if (network < 0) continue;
      membershipMember.push(code);
      membershipOrganization.push(network);
      if (chance(r, 0.2)) {
        const other = chance(r, 0.7) ? pickFrom(peoNetworks, p, r, 1) : pickFrom(peoNetworks, sameRegion(p), r, 1.5);
        if (other >= 0 && other !== network) {
          membershipMember.push(code);
          membershipOrganization.push(other);
        }
      }
    } else if (peopleKind[code] === NETWORK && centreOf[p]! >= 0 && chance(r, 0.5)) {
      membershipMember.push(code);
      membershipOrganization.push(centreOf[p]!);
    }
  }

  // --- links: each demo provincial people's centre coordinates with its provincial government centre (role 3);
  // the rest random, mostly within a province, toward each province's hubs.
  const links = actors * DEMO_RATIOS.linksPerActor;
  const linkSource = new Int32Array(links);
  const linkTarget = new Int32Array(links);
  const linkType = new Uint8Array(links);
  const linkStructural = new Uint8Array(links);
  {
    const known = new Set<number>();
    const key = (s: number, t: number, type: number) => (s * 131072 + t) * 4 + type;
    let k = 0;
    for (let p = 0; p < provinceCount && k < links; p++) {
      const centre = centreOf[p]!;
      if (centre < 0 || centre >= FACT_BASE) continue;
      linkSource[k] = centre;
      linkTarget[k] = provincialCentre(p);
      linkType[k] = COORDINATION;
      linkStructural[k] = 1;
      known.add(key(centre, provincialCentre(p), COORDINATION));
      k++;
    }
    let failures = 0;
    while (k < links) {
      const type = weighted(r, LINK_TYPE_WEIGHTS);
      const [sourceSector, targetSector] = choose(r, LINK_ENDS[type]!);
      let source = anyOfSector(sourceSector);
      const home = provinceOf(source);
      if (sourceSector === GOV && chance(r, 0.15)) source = provincialCentre(home);
      const local = r();
      const province = local < 0.85 ? home : local < 0.93 ? sameRegion(home) : weightedProvince();
      let target: number;
      if (type === MEMBERSHIP && targetSector === PEO) target = pickFrom(peoHubs, province, r, 2);
      else if (targetSector !== PRT && chance(r, 0.02))
        target = FACT_BASE + (targetSector === PEO ? F_PEOPLE_NATIONAL : chance(r, 0.5) ? F_GOVERNMENT_NATIONAL : F_CODI);
      else target = pickActor(targetSector, province, 2.5);
      if (target < 0 || target === source) continue;
      const id = key(source, target, type);
      if (known.has(id) && ++failures < 50) continue;
      failures = 0;
      known.add(id);
      linkSource[k] = source;
      linkTarget[k] = target;
      linkType[k] = type;
      k++;
    }
  }

  const counts: DemoCounts = {
    people_organization: people,
    membership: membershipMember.length,
    government_centre: government,
    private_partner: partners,
    contribution: contributionPartner.length,
    initiative: initiatives,
    participation: participations,
    link: links,
  };
  return {
    seed,
    actors,
    people,
    government,
    partners,
    counts,
    actorProvince,
    peopleKind,
    governmentRank,
    partnerKind,
    partnerNational,
    initiativeProvinces,
    participationInitiative,
    participationActor,
    participationRole,
    participationLead,
    membershipMember: Int32Array.from(membershipMember),
    membershipOrganization: Int32Array.from(membershipOrganization),
    contributionPartner: Int32Array.from(contributionPartner),
    contributionInitiative: Int32Array.from(contributionInitiative),
    contributionFunding: Uint8Array.from(contributionFunding),
    linkSource,
    linkTarget,
    linkType,
    linkStructural,
  };
}

/** The id of an actor code of a plan: `peo_demo_000123`, `gov_demo_000045`, `prt_demo_000007`, or a seeded fact's id. */
export function demoActorId(plan: DemoPlan, code: number): string {
  if (code < plan.people) return `${DEMO_ACTOR_TYPES[PEO].prefix}_demo_${pad(code + 1)}`;
  if (code < plan.people + plan.government) return `${DEMO_ACTOR_TYPES[GOV].prefix}_demo_${pad(code - plan.people + 1)}`;
  if (code < plan.actors) return `${DEMO_ACTOR_TYPES[PRT].prefix}_demo_${pad(code - plan.people - plan.government + 1)}`;
  const fact = FACT_ACTORS[code - plan.actors];
  if (!fact) throw new RangeError(`No actor ${code} in this plan`);
  return fact.id;
}

function sectorOfCode(plan: DemoPlan, code: number): Sector {
  if (code < plan.people) return DEMO_ACTOR_TYPES[PEO].sector;
  if (code < plan.people + plan.government) return DEMO_ACTOR_TYPES[GOV].sector;
  if (code < plan.actors) return DEMO_ACTOR_TYPES[PRT].sector;
  return actorTypeOf(FACT_ACTORS[code - plan.actors]!.id)!.sector;
}

// ---------------------------------------------------------------------------
// Names and details

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

function place(r: Rng): [th: string, en: string] {
  const [headTh, headEn] = pick(r, PLACE_HEADS);
  const [tailTh, tailEn] = pick(r, PLACE_TAILS);
  return [headTh + tailTh, `${headEn} ${tailEn}`];
}

/** "จังหวัดนครศรีธรรมราช", but Bangkok is not a changwat: "กรุงเทพมหานคร". */
const provinceTh = (p: ProvinceRecord) => (p.code === 'TH-10' ? p.nameTh : `จังหวัด${p.nameTh}`);

type NameTemplate = (th: string, en: string, p: ProvinceRecord) => [string, string];

const NETWORK_NAMES: readonly NameTemplate[] = [
  (th, en) => [`เครือข่ายองค์กรชุมชนตำบล${th}`, `Tambon ${en} Community Organisations Network`],
  (th, en) => [`เครือข่ายสวัสดิการชุมชนตำบล${th}`, `Tambon ${en} Community Welfare Network`],
  (th, en) => [`เครือข่ายเกษตรกรรมยั่งยืนลุ่มน้ำ${th}`, `${en} Watershed Sustainable Agriculture Network`],
  (th, en) => [`เครือข่ายบ้านมั่นคงชุมชน${th}`, `${en} Baan Mankong Secure Housing Network`],
  (th, en) => [`เครือข่ายที่ดินและป่าชุมชน${th}`, `${en} Land and Community Forest Network`],
  (th, en) => [`เครือข่ายออมทรัพย์เพื่อการผลิตอำเภอ${th}`, `Amphoe ${en} Savings-for-Production Network`],
  (th, en) => [`เครือข่ายชุมชนผู้สูงอายุตำบล${th}`, `Tambon ${en} Elderly Community Network`],
  (th, en, p) => [`เครือข่ายชุมชนคนจน${provinceTh(p)} กลุ่ม${th}`, `${p.nameEn} Poor People's Community Network, ${en} group`],
];

const PRODUCTS: readonly (readonly [string, string])[] = [
  ['ข้าวอินทรีย์', 'Organic Rice'], ['ผ้าทอมือ', 'Hand-Woven Textile'], ['สมุนไพร', 'Herbal Products'],
  ['แปรรูปกล้วย', 'Banana Processing'], ['น้ำพริก', 'Chilli Paste'], ['ผ้ามัดย้อม', 'Tie-Dye Textile'],
  ['เลี้ยงไก่ไข่', 'Egg Farming'], ['จักสานไม้ไผ่', 'Bamboo Basketry'], ['กาแฟ', 'Coffee'],
  ['ปุ๋ยอินทรีย์', 'Organic Fertiliser'], ['ประมงพื้นบ้าน', 'Small-Scale Fishery'], ['ผักปลอดสารพิษ', 'Safe Vegetables'],
];

const ORGANISATION_NAMES: readonly ((r: Rng, th: string, en: string) => [string, string])[] = [
  (r, th, en) => {
    const [pTh, pEn] = pick(r, PRODUCTS);
    return [`วิสาหกิจชุมชน${pTh}บ้าน${th}`, `Ban ${en} ${pEn} Community Enterprise`];
  },
  (_, th, en) => [`กลุ่มออมทรัพย์เพื่อการผลิตบ้าน${th}`, `Ban ${en} Savings Group for Production`],
  (_, th, en) => [`กองทุนสวัสดิการชุมชนตำบล${th}`, `Tambon ${en} Community Welfare Fund`],
  (_, th, en) => [`กลุ่มแม่บ้านเกษตรกรบ้าน${th}`, `Ban ${en} Farm Women's Group`],
  (_, th, en) => [`ธนาคารข้าวบ้าน${th}`, `Ban ${en} Rice Bank`],
  (_, th, en) => [`สภาองค์กรชุมชนตำบล${th}`, `Tambon ${en} Community Organisations Council`],
  (_, th, en) => [`ชุมชนบ้านมั่นคง${th}`, `${en} Baan Mankong Community`],
  (_, th, en) => [`กลุ่มเกษตรกรทำนาบ้าน${th}`, `Ban ${en} Rice Farmers' Group`],
];

/** Provincial offices, in the order a province's first agencies get them. */
const PROVINCIAL_OFFICES: readonly (readonly [string, string])[] = [
  ['สำนักงานพัฒนาชุมชน', 'Community Development Office'],
  ['สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์', 'Social Development and Human Security Office'],
  ['สำนักงานเกษตร', 'Agriculture Office'],
  ['สำนักงานสาธารณสุข', 'Public Health Office'],
  ['สำนักงานที่ดิน', 'Land Office'],
  ['สำนักงานแรงงาน', 'Labour Office'],
  ['สำนักงานส่งเสริมการเรียนรู้', 'Learning Promotion Office'],
  ['สำนักงานสถิติ', 'Statistical Office'],
];

const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
const isoDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
/** A date from `from` (inclusive) to `to` (exclusive), given as [year, month, day]. */
function dateBetween(r: Rng, from: readonly [number, number, number], to: readonly [number, number, number]): number {
  const a = dayOf(...from);
  return a + int(r, dayOf(...to) - a);
}

/** Postgres array literal of plain words (codes and enum values only, nothing to escape). */
const arrayLiteral = (items: readonly string[]) => `{${items.join(',')}}`;

function someOf<T>(r: Rng, items: readonly T[], min: number, max: number): T[] {
  const n = min + int(r, max - min + 1);
  const chosen = new Set<T>();
  while (chosen.size < n) chosen.add(pick(r, items));
  return items.filter((item) => chosen.has(item));
}

const THEMES = [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD] as const;
const DIMENSIONS = [
  PovertyDimension.HEALTH,
  PovertyDimension.LIVING,
  PovertyDimension.EDUCATION,
  PovertyDimension.INCOME,
  PovertyDimension.PUBLIC_SERVICES,
] as const;

/** What initiatives of each theme do: [Thai, English, goal in Thai]. */
const ACTIVITIES: Readonly<Record<Theme, readonly (readonly [string, string])[]>> = {
  [Theme.PRODUCTION]: [
    ['ส่งเสริมการผลิตข้าวอินทรีย์', 'Organic rice production'],
    ['แปรรูปผลผลิตทางการเกษตร', 'Processing farm produce'],
    ['พัฒนาผลิตภัณฑ์ชุมชนและการตลาด', 'Community products and marketing'],
    ['ฟื้นฟูประมงพื้นบ้าน', 'Reviving small-scale fisheries'],
  ],
  [Theme.MANAGEMENT]: [
    ['พัฒนาศักยภาพผู้นำชุมชน', 'Community leadership development'],
    ['จัดทำแผนชุมชนแก้ไขปัญหาความยากจน', 'Community plans against poverty'],
    ['จัดการความรู้แก้จน', 'Knowledge management for solving poverty'],
    ['พัฒนาระบบข้อมูลครัวเรือนยากจน', 'Poor-household data system'],
  ],
  [Theme.LAND]: [
    ['จัดการที่ดินทำกินและโฉนดชุมชน', 'Farmland and community land titles'],
    ['บ้านมั่นคงชนบท', 'Rural Baan Mankong secure housing'],
    ['แก้ไขปัญหาที่อยู่อาศัยชุมชนริมคลอง', 'Housing for canal-side communities'],
  ],
  [Theme.BASIC_WELFARE]: [
    ['กองทุนสวัสดิการชุมชน', 'Community welfare fund'],
    ['ดูแลผู้สูงอายุและผู้พิการในชุมชน', 'Community care for the elderly and disabled'],
    ['สร้างหลักประกันสุขภาพชุมชน', 'Community health security'],
  ],
  [Theme.SUFFICIENCY_LIVELIHOOD]: [
    ['เกษตรผสมผสานตามหลักเศรษฐกิจพอเพียง', 'Integrated farming for a sufficiency economy'],
    ['ลดรายจ่ายเพิ่มรายได้ครัวเรือน', 'Cutting household costs, raising incomes'],
    ['ธนาคารต้นไม้และป่าชุมชน', 'Tree banks and community forests'],
  ],
};

const CONTRIBUTIONS: Readonly<Record<ContributionKind, readonly string[]>> = {
  [ContributionKind.FUNDING]: [
    'เงินทุนหมุนเวียนสำหรับกลุ่มออมทรัพย์',
    'เงินสนับสนุนกิจกรรมพัฒนาอาชีพ',
    'ทุนการศึกษาสำหรับเด็กจากครัวเรือนยากจน',
    'เงินสมทบกองทุนสวัสดิการชุมชน',
  ],
  [ContributionKind.IN_KIND]: [
    'มอบพันธุ์ข้าวและปุ๋ยอินทรีย์',
    'มอบอุปกรณ์แปรรูปผลผลิต',
    'วัสดุก่อสร้างสำหรับซ่อมแซมบ้าน',
  ],
  [ContributionKind.EXPERTISE]: [
    'อบรมการทำบัญชีครัวเรือนและการตลาดออนไลน์',
    'ที่ปรึกษาด้านการออกแบบบรรจุภัณฑ์',
    'ถ่ายทอดความรู้การจัดการน้ำในแปลงเกษตร',
  ],
  [ContributionKind.MARKET_ACCESS]: [
    'รับซื้อผลผลิตและวางจำหน่ายในร้านค้าของบริษัท',
    'พื้นที่ขายสินค้าชุมชนในตลาดนัดประจำสัปดาห์',
  ],
  [ContributionKind.VOLUNTEERING]: [
    'พนักงานจิตอาสาร่วมซ่อมแซมบ้านผู้ยากไร้',
    'จิตอาสาสอนหนังสือและกิจกรรมสำหรับเด็ก',
  ],
};

const LINK_NOTES: readonly (readonly string[])[] = [
  ['ประสานแผนแก้ไขปัญหาความยากจนระดับจังหวัด', 'ประชุมประสานงานร่วมกันทุกเดือน'],
  ['เป็นสมาชิกของเครือข่าย', 'ร่วมเป็นสมาชิกและส่งผู้แทนเข้าร่วมประชุม'],
  ['สนับสนุนงบประมาณกิจกรรมของกลุ่ม', 'ให้ทุนสนับสนุนต่อเนื่องรายปี'],
  ['เป็นคู่ประสานงานข้ามภาคส่วน', 'คู่ทำงานระหว่างภาคประชาชนกับภาครัฐหรือเอกชน'],
];
const STRUCTURAL_NOTE =
  "บทบาทที่ 3: ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด): role 3 of a provincial people's centre.";

// ---------------------------------------------------------------------------
// Tables: entity, properties, and how a row is made from the plan

/** A column value as it goes to SQL: text, number, boolean or null (arrays and JSON already as literals). */
export type DemoValue = string | number | boolean | null;

interface TableSpec {
  table: DemoTable;
  subgraph: string;
  entity: Function;
  /** Entity property names, in the order `row` returns values; mapped to columns through the ORM's metadata. */
  fields: readonly string[];
  row(plan: DemoPlan, index: number, r: Rng): DemoValue[];
}

const SOURCES = JSON.stringify([DEMO_SOURCE]);
const COMMON = ['id', 'sources', 'demo'] as const;

const TABLES: readonly TableSpec[] = [
  {
    table: 'people_organization',
    subgraph: 'people',
    entity: PeopleOrganization,
    fields: [...COMMON, 'name', 'nameEn', 'kind', 'organisationType', 'status', 'establishedOn', 'provinceCode', 'parentId'],
    row(plan, i, r) {
      const p = PROVINCES[plan.actorProvince[i]!]!;
      const kind = plan.peopleKind[i]!;
      const [th, en] = place(r);
      let name: [string, string];
      let status = EstablishmentStatus.ESTABLISHED;
      let established: number | null;
      let organisationType = OrganisationType.NATIONAL_NGO;
      let parentId: string | null = null;
      if (kind === CENTRE) {
        name = [
          `ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชน${provinceTh(p)} (ศตจ.ปชช.${provinceTh(p)})`,
          `${p.nameEn} Provincial People's-Sector Operations Centre for the Fight to Overcome Poverty`,
        ];
        if (chance(r, 0.15)) status = EstablishmentStatus.IN_COORDINATION;
        // The national centre's order of 28 February 2006 set them up.
        established = status === EstablishmentStatus.ESTABLISHED ? dateBetween(r, [2006, 2, 28], [2010, 1, 1]) : null;
        parentId = FACT.nationalPeopleCentre;
      } else {
        name = kind === NETWORK ? pick(r, NETWORK_NAMES)(th, en, p) : pick(r, ORGANISATION_NAMES)(r, th, en);
        status = choose(r, [
          [EstablishmentStatus.ESTABLISHED, 0.92],
          [EstablishmentStatus.IN_COORDINATION, 0.05],
          [EstablishmentStatus.DISSOLVED, 0.03],
        ]);
        established = status !== EstablishmentStatus.IN_COORDINATION && chance(r, 0.8) ? dateBetween(r, [1995, 1, 1], [2024, 1, 1]) : null;
        if (kind === ORGANISATION && chance(r, 0.5)) organisationType = OrganisationType.OTHER;
      }
      return [
        demoActorId(plan, i), SOURCES, true, name[0], name[1], PEOPLE_KINDS[kind]!, organisationType, status,
        established === null ? null : isoDate(established), p.code, parentId,
      ];
    },
  },
  {
    table: 'membership',
    subgraph: 'people',
    entity: Membership,
    fields: [...COMMON, 'memberId', 'organizationId', 'role', 'startDate', 'endDate'],
    row(plan, i, r) {
      const role = choose(r, [
        ['member', 0.85],
        ['coordinator', 0.08],
        ['committee', 0.07],
      ]);
      const start = chance(r, 0.85) ? dateBetween(r, [2000, 1, 1], [2024, 1, 1]) : null;
      const end = start !== null && chance(r, 0.05) ? start + 180 + int(r, 2000) : null;
      return [
        `mem_demo_${pad(i + 1)}`, SOURCES, true, demoActorId(plan, plan.membershipMember[i]!),
        demoActorId(plan, plan.membershipOrganization[i]!), role,
        start === null ? null : isoDate(start), end === null ? null : isoDate(end),
      ];
    },
  },
  {
    table: 'government_centre',
    subgraph: 'government',
    entity: GovernmentCentre,
    fields: [...COMMON, 'name', 'nameEn', 'kind', 'organisationType', 'provinceCode', 'parentId'],
    row(plan, i, r) {
      const code = plan.people + i;
      const p = PROVINCES[plan.actorProvince[code]!]!;
      const rank = plan.governmentRank[i]!;
      const [th, en] = place(r);
      let name: [string, string];
      let type = OrganisationType.GOVERNMENT;
      let parentId: string | null = null;
      const office = PROVINCIAL_OFFICES[rank];
      if (office) {
        // A province's first agencies are its provincial offices, which sit on the provincial centre.
        name = [`${office[0]}${provinceTh(p)}`, `${p.nameEn} Provincial ${office[1]}`];
        parentId = provincialGovernmentCentreId(p.code);
      } else {
        const bangkok = p.code === 'TH-10';
        type = choose(r, [
          [OrganisationType.LOCAL_GOVERNMENT, 0.5],
          [OrganisationType.GOVERNMENT, 0.4],
          [OrganisationType.OTHER_PUBLIC_SECTOR, 0.07],
          [OrganisationType.ACADEMIC_TRAINING_RESEARCH, 0.03],
        ]);
        if (type === OrganisationType.LOCAL_GOVERNMENT) {
          name = bangkok
            ? [`สำนักงานเขต${th}`, `${en} District Office, Bangkok`]
            : chance(r, 0.7)
              ? [`องค์การบริหารส่วนตำบล${th}`, `Tambon ${en} Subdistrict Administrative Organisation`]
              : [`เทศบาลตำบล${th}`, `${en} Subdistrict Municipality`];
        } else if (type === OrganisationType.GOVERNMENT) {
          name = pick(r, [
            [`สำนักงานพัฒนาชุมชนอำเภอ${th}`, `Amphoe ${en} Community Development Office`],
            [`สำนักงานเกษตรอำเภอ${th}`, `Amphoe ${en} Agriculture Office`],
            [`โรงพยาบาลส่งเสริมสุขภาพตำบล${th}`, `Tambon ${en} Health Promoting Hospital`],
            [`ศูนย์ส่งเสริมการเรียนรู้อำเภอ${th}`, `Amphoe ${en} Learning Promotion Centre`],
          ] as const) as [string, string];
        } else if (type === OrganisationType.OTHER_PUBLIC_SECTOR) {
          name = [`ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร สาขา${th}`, `BAAC ${en} Branch`];
        } else {
          name = [`โรงเรียนบ้าน${th}`, `Ban ${en} School`];
        }
      }
      return [demoActorId(plan, code), SOURCES, true, name[0], name[1], GovernmentCentreKind.AGENCY, type, p.code, parentId];
    },
  },
  {
    table: 'private_partner',
    subgraph: 'partners',
    entity: PrivatePartner,
    fields: [...COMMON, 'name', 'nameEn', 'kind', 'organisationType', 'website', 'provinceCode'],
    row(plan, i, r) {
      const code = plan.people + plan.government + i;
      const p = PROVINCES[plan.actorProvince[code]!]!;
      const national = plan.partnerNational[i] === 1;
      const kind = PARTNER_KINDS[plan.partnerKind[i]!]!;
      const [th, en] = place(r);
      let name: [string, string];
      let type = OrganisationType.PRIVATE_SECTOR;
      switch (kind) {
        case PrivatePartnerKind.COMPANY: {
          const [bTh, bEn] = pick(r, [
            ['ค้าข้าว', 'Rice Trading'], ['อาหารแปรรูป', 'Food Processing'], ['พืชผลเกษตร', 'Agro Produce'],
            ['ยางพารา', 'Rubber'], ['ค้าปลีก', 'Retail'], ['ขนส่ง', 'Logistics'], ['ปาล์มน้ำมัน', 'Palm Oil'],
            ['ก่อสร้าง', 'Construction'], ['เทคโนโลยี', 'Technology'],
          ] as const);
          name = national || chance(r, 0.05)
            ? [`บริษัท ${th}${bTh} จำกัด (มหาชน)`, `${en} ${bEn} Public Company Limited`]
            : [`บริษัท ${th}${bTh} จำกัด`, `${en} ${bEn} Co., Ltd.`];
          break;
        }
        case PrivatePartnerKind.FOUNDATION: {
          type = OrganisationType.FOUNDATION;
          const [cTh, cEn] = pick(r, [
            ['เพื่อการพัฒนาชนบท', 'Rural Development'], ['เพื่อเด็กและเยาวชน', 'Children and Youth'],
            ['ส่งเสริมเกษตรอินทรีย์', 'Organic Farming'], ['เพื่อผู้สูงอายุ', 'Elderly Care'], ['รักษ์ป่า', 'Forest Conservation'],
          ] as const);
          name = [`มูลนิธิ${cTh}${th}`, `${en} ${cEn} Foundation`];
          break;
        }
        case PrivatePartnerKind.FINANCIAL_INSTITUTION:
          name = pick(r, [
            [`สหกรณ์ออมทรัพย์${th} จำกัด`, `${en} Savings Cooperative Ltd.`],
            [`สหกรณ์การเกษตร${th} จำกัด`, `${en} Agricultural Cooperative Ltd.`],
            [`สถาบันการเงินชุมชนตำบล${th}`, `Tambon ${en} Community Financial Institution`],
          ] as const) as [string, string];
          break;
        case PrivatePartnerKind.SOCIAL_ENTERPRISE:
          if (chance(r, 0.15)) type = OrganisationType.PUBLIC_PRIVATE_PARTNERSHIP;
          name = [`บริษัท ${th}ยั่งยืน วิสาหกิจเพื่อสังคม จำกัด`, `${en} Sustainable Social Enterprise Co., Ltd.`];
          break;
      }
      const id = demoActorId(plan, code);
      // Reserved top-level domain (RFC 2606): never a real site.
      const website = chance(r, 0.3) ? `https://${id.replaceAll('_', '-')}.example` : null;
      return [id, SOURCES, true, name[0], name[1], kind, type, website, national ? null : p.code];
    },
  },
  {
    table: 'contribution',
    subgraph: 'partners',
    entity: Contribution,
    fields: [...COMMON, 'partnerId', 'initiativeId', 'kind', 'description', 'amountThb', 'startDate'],
    row(plan, i, r) {
      const initiative = plan.contributionInitiative[i]!;
      const kind =
        plan.contributionFunding[i] === 1
          ? ContributionKind.FUNDING
          : choose(r, [
              [ContributionKind.FUNDING, initiative < 0 ? 0.4 : 0],
              [ContributionKind.IN_KIND, 0.3],
              [ContributionKind.EXPERTISE, 0.25],
              [ContributionKind.MARKET_ACCESS, 0.25],
              [ContributionKind.VOLUNTEERING, 0.2],
            ]);
      // Round sums, spread over three orders of magnitude (20,000 to 5,000,000 baht).
      const amount =
        kind === ContributionKind.FUNDING || (kind === ContributionKind.IN_KIND && chance(r, 0.5))
          ? Math.round(Math.exp(Math.log(20_000) + r() * Math.log(250)) / 1000) * 1000
          : null;
      const start = chance(r, 0.9) ? isoDate(dateBetween(r, [2010, 1, 1], [2026, 1, 1])) : null;
      return [
        `con_demo_${pad(i + 1)}`, SOURCES, true, demoActorId(plan, plan.contributionPartner[i]!),
        initiative < 0 ? null : `ini_demo_${pad(initiative + 1)}`, kind, pick(r, CONTRIBUTIONS[kind]), amount, start,
      ];
    },
  },
  {
    table: 'initiative',
    subgraph: 'initiatives',
    entity: Initiative,
    fields: [
      ...COMMON, 'title', 'titleEn', 'description', 'status', 'themes', 'povertyDimensions', 'provinceCodes', 'startDate', 'endDate',
    ],
    row(plan, i, r) {
      const provinces: ProvinceRecord[] = [];
      for (let k = 0; k < 3; k++) {
        const p = plan.initiativeProvinces[i * 3 + k]!;
        if (p !== NO_PROVINCE) provinces.push(PROVINCES[p]!);
      }
      const main = provinces[0]!;
      const themes = someOf(r, THEMES, 1, 3);
      const [activityTh, activityEn] = pick(r, ACTIVITIES[pick(r, themes)]);
      const [th, en] = place(r);
      let where: [string, string];
      if (provinces.length > 1) {
        const th = provinces.map(provinceTh);
        const en = provinces.map((p) => p.nameEn);
        where = [
          `ใน${th.slice(0, -1).join(' ')} และ${th.at(-1)}`,
          `${en.slice(0, -1).join(', ')} and ${en.at(-1)}`,
        ];
      } else {
        where = chance(r, 0.5) ? [`ตำบล${th} ${provinceTh(main)}`, `Tambon ${en}, ${main.nameEn}`] : [provinceTh(main), main.nameEn];
      }
      const status = choose(r, [
        [InitiativeStatus.IMPLEMENTATION, 0.4],
        [InitiativeStatus.CLOSED, 0.25],
        [InitiativeStatus.PIPELINE, 0.12],
        [InitiativeStatus.FINALISATION, 0.1],
        [InitiativeStatus.CANCELLED, 0.08],
        [InitiativeStatus.SUSPENDED, 0.05],
      ]);
      let start: number | null;
      let end: number | null = null;
      switch (status) {
        case InitiativeStatus.PIPELINE:
          start = chance(r, 0.6) ? dateBetween(r, [2026, 1, 1], [2027, 7, 1]) : null;
          break;
        case InitiativeStatus.IMPLEMENTATION:
          start = dateBetween(r, [2018, 1, 1], [2026, 1, 1]);
          if (chance(r, 0.6)) end = dateBetween(r, [2026, 6, 1], [2029, 1, 1]);
          break;
        case InitiativeStatus.FINALISATION:
          start = dateBetween(r, [2015, 1, 1], [2023, 1, 1]);
          end = dateBetween(r, [2025, 6, 1], [2026, 12, 1]);
          break;
        case InitiativeStatus.CLOSED:
          start = dateBetween(r, [2006, 1, 1], [2022, 1, 1]);
          end = start + 365 + int(r, 3 * 365);
          break;
        case InitiativeStatus.CANCELLED:
          start = dateBetween(r, [2008, 1, 1], [2025, 1, 1]);
          end = start + 30 + int(r, 330);
          break;
        default:
          start = dateBetween(r, [2012, 1, 1], [2025, 1, 1]);
      }
      const description = chance(r, 0.6)
        ? `ความร่วมมือของภาคประชาชน ภาครัฐ และภาคเอกชน: ${activityTh} ${where[0]}`
        : null;
      return [
        `ini_demo_${pad(i + 1)}`, SOURCES, true, `โครงการ${activityTh} ${where[0]}`, `${activityEn}, ${where[1]}`, description, status,
        arrayLiteral(themes), arrayLiteral(someOf(r, DIMENSIONS, 1, 3)), arrayLiteral(provinces.map((p) => p.code)),
        start === null ? null : isoDate(start), end === null ? null : isoDate(end),
      ];
    },
  },
  {
    table: 'participation',
    subgraph: 'initiatives',
    entity: Participation,
    fields: [...COMMON, 'initiativeId', 'actorId', 'sector', 'role', 'lead'],
    row(plan, i) {
      const actor = plan.participationActor[i]!;
      return [
        `par_demo_${pad(i + 1)}`, SOURCES, true, `ini_demo_${pad(plan.participationInitiative[i]! + 1)}`, demoActorId(plan, actor),
        sectorOfCode(plan, actor), ROLES[plan.participationRole[i]!]!, plan.participationLead[i] === 1,
      ];
    },
  },
  {
    table: 'link',
    subgraph: 'initiatives',
    entity: Link,
    fields: [...COMMON, 'type', 'sourceId', 'targetId', 'startDate', 'endDate', 'note'],
    row(plan, i, r) {
      const type = plan.linkType[i]!;
      const structural = plan.linkStructural[i] === 1;
      const start = structural
        ? dateBetween(r, [2006, 3, 1], [2010, 1, 1])
        : chance(r, 0.65)
          ? dateBetween(r, [2006, 1, 1], [2026, 1, 1])
          : null;
      const end = !structural && start !== null && chance(r, 0.08) ? start + 90 + int(r, 1500) : null;
      const note = structural ? STRUCTURAL_NOTE : chance(r, 0.3) ? pick(r, LINK_NOTES[type]!) : null;
      return [
        `lnk_demo_${pad(i + 1)}`, SOURCES, true, LINK_TYPES[type]!, demoActorId(plan, plan.linkSource[i]!),
        demoActorId(plan, plan.linkTarget[i]!), start === null ? null : isoDate(start), end === null ? null : isoDate(end), note,
      ];
    },
  },
];

/** The tables the generator writes, in writing order, with their owning subgraph. */
export const DEMO_TABLES: readonly { table: DemoTable; subgraph: string; entity: Function }[] = TABLES.map(({ table, subgraph, entity }) => ({
  table,
  subgraph,
  entity,
}));

function specOf(table: DemoTable): TableSpec {
  const spec = TABLES.find((t) => t.table === table);
  if (!spec) throw new Error(`No demo table ${table}`);
  return spec;
}

/** The entity property names of a table's rows, in the order `demoRows` gives their values. */
export function demoFields(table: DemoTable): readonly string[] {
  return specOf(table).fields;
}

/**
 * Rows `from` to `to` (exclusive) of one table, as values in `demoFields(table)` order.
 * Arrays are PostgreSQL array literals (`{TH-80,TH-81}`), `sources` is JSON text.
 */
export function* demoRows(plan: DemoPlan, table: DemoTable, from = 0, to = plan.counts[table]): Generator<DemoValue[]> {
  const spec = specOf(table);
  const salt = TABLES.indexOf(spec) + 1;
  for (let i = from; i < Math.min(to, plan.counts[table]); i++) yield spec.row(plan, i, rowRng(plan.seed, salt, i));
}

/** A SHA-256 of every row of every table in order: equal digests mean byte-identical demo data. */
export function digestDemo(plan: DemoPlan): string {
  const hash = createHash('sha256');
  for (const { table } of TABLES) {
    hash.update(`${table}\n`);
    for (const row of demoRows(plan, table)) hash.update(JSON.stringify(row) + '\n');
  }
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------
// Writing

/** PostgreSQL's limit of bind parameters in one statement; chunks stay under it. */
const MAX_PARAMETERS = 65_535;
const DEFAULT_CHUNK_ROWS = 2_000;

export interface DemoProgress {
  subgraph: string;
  table: DemoTable;
  /** Rows of this table written so far, and how many it gets. */
  written: number;
  total: number;
  /** Earlier demo rows of this table that were deleted first. */
  deleted: number;
  done: boolean;
  /** Rows of all tables written so far, and of all tables in all. */
  allWritten: number;
  allTotal: number;
}

export interface DemoTableResult {
  subgraph: string;
  table: DemoTable;
  rows: number;
  deleted: number;
  seconds: number;
}

export interface WriteDemoOptions {
  /** Rows per INSERT statement (default 2,000), lowered when needed to stay under 65,535 parameters. */
  chunkRows?: number;
  onProgress?: (progress: DemoProgress) => void;
}

/**
 * Replaces the demo rows of every demo table with the plan's: for each
 * subgraph, in one transaction on its own ORM, deletes the rows with
 * `demo = true` and inserts the new ones in multi-row INSERTs. Seeded facts
 * (`demo = false`) are never touched. `orms` maps subgraph names to ORMs;
 * returns each table's counts and the digest of what was written.
 */
export async function writeDemo(
  plan: DemoPlan,
  orms: Readonly<Record<string, MikroORM>>,
  options: WriteDemoOptions = {},
): Promise<{ tables: DemoTableResult[]; digest: string }> {
  const hash = createHash('sha256');
  const results: DemoTableResult[] = [];
  const progress = { before: 0, allTotal: Object.values(plan.counts).reduce((a, b) => a + b, 0) };
  for (const subgraph of new Set(TABLES.map((t) => t.subgraph))) {
    const orm = orms[subgraph];
    if (!orm) throw new Error(`No ORM for the ${subgraph} subgraph`);
    const schema = orm.config.get('schema');
    await orm.em.fork().transactional(async (em: EntityManager) => {
      for (const spec of TABLES.filter((t) => t.subgraph === subgraph)) {
        const result = await writeTable(plan, spec, schema, orm, em, hash, options, progress);
        progress.before += result.rows;
        results.push(result);
      }
    });
  }
  return { tables: results, digest: hash.digest('hex') };
}

async function writeTable(
  plan: DemoPlan,
  spec: TableSpec,
  schema: string | undefined,
  orm: MikroORM,
  em: EntityManager,
  hash: ReturnType<typeof createHash>,
  options: WriteDemoOptions,
  progress: { before: number; allTotal: number },
): Promise<DemoTableResult> {
  const started = performance.now();
  const meta = orm.getMetadata().get(spec.entity);
  const column = (field: string) => {
    const name = meta.properties[field]?.fieldNames?.[0];
    if (!name) throw new Error(`${meta.className} has no column for ${field}`);
    return `"${name}"`;
  };
  const table = schema ? `"${schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
  const total = plan.counts[spec.table];
  const report = (written: number, deleted: number, done: boolean) =>
    options.onProgress?.({
      subgraph: spec.subgraph,
      table: spec.table,
      written,
      total,
      deleted,
      done,
      allWritten: progress.before + written,
      allTotal: progress.allTotal,
    });

  const removed = (await em.execute(`delete from ${table} where ${column('demo')} = true`, [], 'run')) as { affectedRows?: number };
  const deleted = removed.affectedRows ?? 0;
  report(0, deleted, false);

  const width = spec.fields.length;
  const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, Math.floor(MAX_PARAMETERS / width)));
  const head = `insert into ${table} (${spec.fields.map(column).join(', ')}) values `;
  const tuple = `(${new Array(width).fill('?').join(', ')})`;
  hash.update(`${spec.table}\n`);
  let pending: Promise<unknown> | undefined;
  let written = 0;
  for (let from = 0; from < total; from += chunkRows) {
    const to = Math.min(total, from + chunkRows);
    const params: DemoValue[] = [];
    for (const row of demoRows(plan, spec.table, from, to)) {
      hash.update(JSON.stringify(row) + '\n');
      for (const value of row) params.push(value);
    }
    const sql = head + new Array(to - from).fill(tuple).join(', ');
    // One statement in flight while the next chunk is made.
    if (pending) {
      await pending;
      written = from;
      report(written, deleted, false);
    }
    pending = em.execute(sql, params, 'run');
  }
  if (pending) await pending;
  report(total, deleted, true);
  return { subgraph: spec.subgraph, table: spec.table, rows: total, deleted, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------
// Everything from a database URL

export interface DemoOptions {
  /** A preset name or a number of actors. */
  scale: number | DemoPreset | string;
  seed?: number;
  /** Migrate each subgraph and seed its facts first (default true), so a brand-new database works. */
  prepare?: boolean;
  chunkRows?: number;
}

export interface DemoResult {
  actors: number;
  seed: number;
  counts: DemoCounts;
  /** Fact rows written by preparing (0 when the facts were already there). */
  factRows: number;
  tables: DemoTableResult[];
  digest: string;
  seconds: number;
}

/**
 * Generates the demo data of a scale into a database: opens each subgraph's
 * own ORM (`databaseUrl` is one URL for all, or one per subgraph name),
 * migrates and seeds facts unless `prepare: false`, replaces the demo rows,
 * and closes the ORMs.
 */
export async function generateDemo(
  options: DemoOptions,
  databaseUrl: string | ((subgraph: string) => string),
  onProgress?: (progress: DemoProgress) => void,
): Promise<DemoResult> {
  const started = performance.now();
  const plan = planDemo(demoActorCount(options.scale), options.seed ?? DEFAULT_DEMO_SEED);
  const orms: Record<string, MikroORM> = {};
  let factRows = 0;
  try {
    for (const definition of SUBGRAPHS) {
      const url = typeof databaseUrl === 'string' ? databaseUrl : databaseUrl(definition.name);
      const orm = await createSubgraphOrm(definition, { databaseUrl: url, poolSize: 2 });
      orms[definition.name] = orm;
      if (options.prepare ?? true) {
        await migrate(orm);
        factRows += await definition.seedFacts(orm.em.fork());
      }
    }
    const { tables, digest } = await writeDemo(plan, orms, {
      ...(options.chunkRows ? { chunkRows: options.chunkRows } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    return {
      actors: plan.actors,
      seed: plan.seed,
      counts: plan.counts,
      factRows,
      tables,
      digest,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const orm of Object.values(orms)) await orm.close();
  }
}
