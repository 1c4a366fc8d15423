import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { inferred, stated, type CitedRecord, type SourceDocument } from '@hub/toolkit';
import { FACT, OrganisationType, POST_50646, POST_50646_PASSAGE, PROVINCES, provincialGovernmentCentreId, Region } from '@hub/domain';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';
import { OfficialOrder } from '../entities/official-order.js';
import { Province } from '../entities/province.js';

const ISO_3166_2_TH: SourceDocument = {
  title: 'ISO 3166-2:TH, codes for the subdivisions of Thailand',
  url: 'https://www.iso.org/obp/ui/#iso:code:3166:TH',
  publishedOn: null,
  publisher: 'ISO',
};

/**
 * The government bodies of the source post. The post names only the
 * national centre and CODI; the provincial centres are inferred, one per
 * province, each explained in its source.
 */
export const GOVERNMENT_CENTRE_FACTS: readonly CitedRecord<RequiredEntityData<GovernmentCentre>>[] = [
  {
    id: FACT.nationalGovernmentCentre,
    name: 'ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนแห่งชาติ (ศตจ.ชาติ)',
    nameEn: 'National Operations Centre for the Fight to Overcome Poverty',
    kind: GovernmentCentreKind.NATIONAL_CENTRE,
    organisationType: OrganisationType.GOVERNMENT,
    sources: [
      stated(
        POST_50646,
        POST_50646_PASSAGE.order,
        "The national centre (ศตจ.ชาติ), which ordered the provincial people's centres set up. The post uses only the abbreviation; the full name follows the provincial centre's, which it spells out.",
      ),
    ],
  },
  ...PROVINCES.map((p) => ({
    id: provincialGovernmentCentreId(p.code),
    name: `ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด${p.nameTh} (ศตจ.จังหวัด)`,
    nameEn: `${p.nameEn} Provincial Operations Centre for the Fight to Overcome Poverty`,
    kind: GovernmentCentreKind.PROVINCIAL_CENTRE,
    organisationType: OrganisationType.GOVERNMENT,
    provinceCode: p.code,
    parentId: FACT.nationalGovernmentCentre,
    sources: [
      inferred(
        POST_50646,
        `${POST_50646_PASSAGE.question} … ${POST_50646_PASSAGE.roleThree}`,
        "The post names no provincial government centre. It speaks of the government-side centres that already exist (ศตจ.ภาคราชการที่มีอยู่แล้ว) and gives every provincial people's centre the duty to coordinate with its province's centre (ศตจ.จังหวัด), so there is one in each province: the hub records one per province, reporting to the national centre. The post says nothing else about this one.",
      ),
    ],
  })),
  {
    id: FACT.codi,
    name: 'สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) (พอช.)',
    nameEn: 'Community Organizations Development Institute (CODI)',
    kind: GovernmentCentreKind.PUBLIC_ORGANISATION,
    organisationType: OrganisationType.OTHER_PUBLIC_SECTOR,
    sources: [
      stated(
        POST_50646,
        'พัช พอช.',
        'The byline: the author writes as พัช of พอช., the Community Organizations Development Institute (CODI). The post names CODI only there.',
      ),
    ],
  },
];

/** The national centre's order of 28 February 2549 B.E., as the post states it. */
export const OFFICIAL_ORDER_FACTS: readonly CitedRecord<RequiredEntityData<OfficialOrder>>[] = [
  {
    id: FACT.orderOfPeopleCentres,
    title: 'คำสั่งจัดตั้งศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชนจังหวัด (ศตจ.ปชช.จังหวัด)',
    titleEn: "Order establishing the provincial people's-sector operations centres for the fight to overcome poverty",
    issuedOn: '2006-02-28',
    summary:
      "Establishes provincial people's centres (ศตจ.ปชช.จังหวัด), with 42 pilot provinces in the first phase. Nakhon Si Thammarat was not among the first pilots.",
    issuedById: FACT.nationalGovernmentCentre,
    pilotProvinceCount: 42,
    pilotProvinceCodes: [],
    sources: [
      stated(
        POST_50646,
        `${POST_50646_PASSAGE.order} สำหรับจังหวัดนครฯ ยังไม่อยู่ในจังหวัดนำร่องในช่วงแรก`,
        'The order, its date (28 February 2549 B.E., 2006) and its 42 pilot provinces in the first phase, Nakhon Si Thammarat not among them. The post does not name the 42.',
      ),
    ],
  },
];

/** Writes the provinces and the government facts of the source post, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(Province)) > 0) return 0;

  const provinces = PROVINCES.map((p) =>
    em.create(Province, {
      ...p,
      region: p.region as Region,
      sources: [stated(ISO_3166_2_TH, null, 'Province codes and English names; DOPA and OCHA P-codes share the two digits.')],
    }),
  );
  const centres = GOVERNMENT_CENTRE_FACTS.map((data) => em.create(GovernmentCentre, data));
  const orders = OFFICIAL_ORDER_FACTS.map((data) => em.create(OfficialOrder, data));

  const all = [...provinces, ...centres, ...orders];
  await em.persist(all).flush();
  return all.length;
}
