import type { EntityManager } from '@mikro-orm/postgresql';
import { type Source } from '@hub/toolkit';
import { citePost50646, FACT, OrganisationType, PROVINCES, provincialGovernmentCentreId, Region } from '@hub/domain';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';
import { OfficialOrder } from '../entities/official-order.js';
import { Province } from '../entities/province.js';

const ISO_3166_2_TH: Source = {
  title: 'ISO 3166-2:TH, codes for the subdivisions of Thailand',
  url: 'https://www.iso.org/obp/ui/#iso:code:3166:TH',
  publishedOn: null,
  publisher: 'ISO',
  note: 'Province codes and English names; DOPA and OCHA P-codes share the two digits.',
};

/** Writes the provinces and the government facts of the source post, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(Province)) > 0) return 0;

  const provinces = PROVINCES.map((p) =>
    em.create(Province, { ...p, region: p.region as Region, sources: [ISO_3166_2_TH] }),
  );

  const national = em.create(GovernmentCentre, {
    id: FACT.nationalGovernmentCentre,
    name: 'ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนแห่งชาติ (ศตจ.ชาติ)',
    nameEn: 'National Operations Centre for the Fight to Overcome Poverty',
    kind: GovernmentCentreKind.NATIONAL_CENTRE,
    organisationType: OrganisationType.GOVERNMENT,
    sources: [
      citePost50646(
        "ศตจ.ชาติจึงได้มีคำสั่งจัดตั้ง ศตจ.ปชช.จังหวัด: the national centre ordered the establishment of the provincial people's centres.",
      ),
    ],
  });

  // The post speaks of the government-side centres "that already exist" (ศตจ.ภาคราชการที่มีอยู่แล้ว): one per province.
  const provincialCentres = PROVINCES.map((p) =>
    em.create(GovernmentCentre, {
      id: provincialGovernmentCentreId(p.code),
      name: `ศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด${p.nameTh} (ศตจ.จังหวัด)`,
      nameEn: `${p.nameEn} Provincial Operations Centre for the Fight to Overcome Poverty`,
      kind: GovernmentCentreKind.PROVINCIAL_CENTRE,
      organisationType: OrganisationType.GOVERNMENT,
      provinceCode: p.code,
      parentId: FACT.nationalGovernmentCentre,
      sources: [
        citePost50646(
          'ศตจ.ภาคราชการที่มีอยู่แล้ว: the government-side provincial centres already exist; the third role of a people\'s centre is to coordinate with the provincial centre (ศตจ.จังหวัด).',
        ),
      ],
    }),
  );

  const codi = em.create(GovernmentCentre, {
    id: FACT.codi,
    name: 'สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) (พอช.)',
    nameEn: 'Community Organizations Development Institute (CODI)',
    kind: GovernmentCentreKind.PUBLIC_ORGANISATION,
    organisationType: OrganisationType.OTHER_PUBLIC_SECTOR,
    sources: [citePost50646('The post is written by a CODI (พอช.) staff member about the people\'s centres.')],
  });

  const order = em.create(OfficialOrder, {
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
      citePost50646(
        'โดยมีจังหวัดนำร่องในช่วงแรกจำนวน 42 จังหวัด เมื่อวันที่ 28 กุมภาพันธ์ 2549: 42 pilot provinces in the first phase, on 28 February 2549 B.E. The post does not name them.',
      ),
    ],
  });

  const all = [...provinces, national, ...provincialCentres, codi, order];
  await em.persist(all).flush();
  return all.length;
}
