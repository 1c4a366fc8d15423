import { createHash } from 'node:crypto';
import type { DemoValue, EntityManager, MikroORM, Rng } from '@hub/toolkit';
import {
  chance,
  choose,
  createSubgraphOrm,
  demoId,
  gaussian,
  int,
  migrate,
  mulberry32,
  pick,
  rowRng,
  shuffle,
  weighted,
} from '@hub/toolkit';
import {
  actorTypeNamed,
  actorTypeOf,
  DEMO_NO_PROVINCE,
  DEMO_SOURCE,
  type DemoCounts,
  DemoLinkType,
  DemoPeopleKind,
  type DemoPlan,
  DemoRole,
  type DemoTable,
  FACT,
  type HubDemoTable,
  PROVINCES,
  provincialGovernmentCentreId,
  Sector,
} from '@hub/domain';
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
 *   never held in memory. The subgraph that owns a table says how a row is
 *   made (its `demoTables`, in its `seed/demo.ts`); `writeDemo` writes the
 *   rows through each subgraph's own ORM; `generateDemo` does everything
 *   from a database URL.
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
// Actors and codes

/** The kinds of actor the plan makes, by their codes in its typed arrays; their id prefixes and sectors are the actor registry's. */
const PEO = 0;
const GOV = 1;
const PRT = 2;
const DEMO_ACTOR_TYPES = [actorTypeNamed('PeopleOrganization'), actorTypeNamed('GovernmentCentre'), actorTypeNamed('PrivatePartner')] as const;

const { PROVINCIAL_CENTRE: CENTRE, COMMUNITY_NETWORK: NETWORK, COMMUNITY_ORGANISATION: ORGANISATION } = DemoPeopleKind;

/** Weights of the partner kinds, by their DemoPartnerKind codes. */
const PARTNER_KIND_WEIGHTS = [0.45, 0.15, 0.15, 0.25];

const { FUNDING, ACCOUNTABLE, IMPLEMENTING } = DemoRole;
/** Role weights (by DemoRole code: FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING) of a participant of each sector. */
const ROLE_WEIGHTS: readonly (readonly number[])[] = [
  [0, 0.05, 0.2, 0.75],
  [0.3, 0.35, 0.2, 0.15],
  [0.6, 0, 0.15, 0.25],
];
const LEAD_ROLE = [IMPLEMENTING, ACCOUNTABLE, FUNDING] as const;

/** Weights of the link types, by their DemoLinkType codes. */
const LINK_TYPE_WEIGHTS = [0.45, 0.2, 0.2, 0.15];
/** For each link type, the (source sector, target sector) pairs it joins and their weights. */
const LINK_ENDS: readonly (readonly (readonly [readonly [number, number], number])[])[] = [
  [[[PEO, GOV], 0.4], [[PEO, PEO], 0.3], [[GOV, GOV], 0.15], [[PRT, PEO], 0.15]],
  [[[PEO, PEO], 0.8], [[PRT, PRT], 0.1], [[PRT, PEO], 0.1]],
  [[[PRT, PEO], 0.5], [[GOV, PEO], 0.35], [[PRT, PRT], 0.15]],
  [[[PEO, GOV], 0.5], [[PEO, PRT], 0.3], [[GOV, PRT], 0.2]],
];
const { COORDINATION, MEMBERSHIP } = DemoLinkType;

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

/** The `sources` of every demo row: the demo source, as JSON text. */
const SOURCES = JSON.stringify([DEMO_SOURCE]);

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
    actorProvince[FACT_BASE + i] = f.provinceCode ? PROVINCE_INDEX.get(f.provinceCode)! : DEMO_NO_PROVINCE;
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
    partnerKind[i] = i < PARTNER_KIND_WEIGHTS.length ? i : weighted(r, PARTNER_KIND_WEIGHTS);
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
  const initiativeProvinces = new Uint8Array(initiatives * 3).fill(DEMO_NO_PROVINCE);
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
  const actorSizes = { people, government, actors };
  return {
    seed,
    actors,
    people,
    government,
    partners,
    counts,
    sources: SOURCES,
    actorId: (code) => demoActorId(actorSizes, code),
    actorSector: (code) => demoActorSector(actorSizes, code),
    initiativeId: (index) => demoId('ini', index),
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

type ActorSizes = Pick<DemoPlan, 'people' | 'government' | 'actors'>;

/** The id of an actor code: `peo_demo_000123`, `gov_demo_000045`, `prt_demo_000007`, or a seeded fact's id. */
function demoActorId(plan: ActorSizes, code: number): string {
  if (code < plan.people) return demoId(DEMO_ACTOR_TYPES[PEO].prefix, code);
  if (code < plan.people + plan.government) return demoId(DEMO_ACTOR_TYPES[GOV].prefix, code - plan.people);
  if (code < plan.actors) return demoId(DEMO_ACTOR_TYPES[PRT].prefix, code - plan.people - plan.government);
  const fact = FACT_ACTORS[code - plan.actors];
  if (!fact) throw new RangeError(`No actor ${code} in this plan`);
  return fact.id;
}

function demoActorSector(plan: ActorSizes, code: number): Sector {
  if (code < plan.people) return DEMO_ACTOR_TYPES[PEO].sector;
  if (code < plan.people + plan.government) return DEMO_ACTOR_TYPES[GOV].sector;
  if (code < plan.actors) return DEMO_ACTOR_TYPES[PRT].sector;
  return actorTypeOf(FACT_ACTORS[code - plan.actors]!.id)!.sector;
}

// ---------------------------------------------------------------------------
// Tables: each subgraph's own (its `demoTables`, in its seed/demo.ts)

interface OwnedTable extends HubDemoTable {
  subgraph: string;
}

/**
 * Every subgraph's demo tables, in writing order: the order of SUBGRAPHS, and
 * each subgraph's own order within it. A table's row PRNGs are salted with its
 * place here, so a table added anywhere but last changes the rows of those after it.
 */
const TABLES: readonly OwnedTable[] = SUBGRAPHS.flatMap((definition) =>
  // A subgraph's definition holds its tables as the toolkit knows them; they are the hub's.
  (definition.demoTables ?? []).map((spec) => ({ ...(spec as HubDemoTable), subgraph: definition.name })),
);

function specOf(table: DemoTable): OwnedTable {
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
  spec: OwnedTable,
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

  // What the ORM derives when it creates a record (onCreate: a name's search word starts) is derived here alike.
  const derived = meta.props.filter((prop) => prop.onCreate && !spec.fields.includes(prop.name));
  const width = spec.fields.length + derived.length;
  const chunkRows = Math.max(1, Math.min(options.chunkRows ?? DEFAULT_CHUNK_ROWS, Math.floor(MAX_PARAMETERS / width)));
  const head = `insert into ${table} (${[...spec.fields, ...derived.map((prop) => prop.name)].map(column).join(', ')}) values `;
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
      const record = Object.fromEntries(spec.fields.map((field, i) => [field, row[i]]));
      for (const prop of derived) {
        const value = prop.onCreate!(record, em) as DemoValue | readonly (string | number)[];
        params.push(Array.isArray(value) ? `{${value.join(',')}}` : (value as DemoValue));
      }
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
