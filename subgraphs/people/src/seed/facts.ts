import type { EntityManager } from '@mikro-orm/postgresql';
import { citePost50646, EstablishmentStatus, FACT, Theme } from '@hub/domain';
import { MandatedRole } from '../entities/mandated-role.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';

/** The four roles of a provincial people's centre, as the post lists them. */
const PROVINCIAL_CENTRE_ROLES = [
  {
    titleTh: 'กำหนดแนวทาง วางแผนและหาสาเหตุที่ทำให้เกิดความยากจน',
    titleEn: 'Set direction, plan, and find the causes of poverty.',
    themes: [],
  },
  {
    titleTh:
      'เชื่อมโยงและเอื้ออำนวย การพัฒนาโดยพลังของขบวนเครือข่ายชุมชน และประเด็นงานพัฒนาต่าง ๆ เพื่อสร้างความรู้สึกเป็นเจ้าของปัญหา และสร้างโอกาสให้ชุมชนคนยากจนในทุกระดับ ได้เข้ามามีส่วนร่วมดำเนินการแก้ไขปัญหาร่วมกันอย่างเต็มที่',
    titleEn:
      'Link and facilitate development through the community-network movement and development issues, so poor communities at all levels own the problem and take full part in solving it.',
    themes: [],
  },
  {
    titleTh: 'ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด)',
    titleEn: 'Coordinate with the provincial government centre (ศตจ.จังหวัด).',
    themes: [],
  },
  {
    titleTh:
      'สนับสนุนแนวทางการแก้ปัญหาความยากจน และสร้างโอกาสการพัฒนาที่ต่อเนื่องสัมพันธ์กับโครงสร้างทั้งการผลิต การจัดการ ระบบที่ดิน การสร้างสวัสดิการพื้นฐาน และวิถีการดำรงชีวิตที่พอเพียงของชุมชนท้องถิ่น ตลอดจนพัฒนากลไกการบริหารจัดการที่ประชาชน ชุมชน มีบทบาทและมีส่วนร่วมกับระบบของรัฐทั้งในระดับท้องถิ่น และระดับจังหวัดอย่างต่อเนื่อง',
    titleEn:
      'Support solutions and continuous development across production, management, the land system, basic welfare and sufficiency livelihoods, and mechanisms in which people take part alongside the state at local and provincial level.',
    themes: [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD],
  },
];

/** Writes the people's-sector facts of the source post, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(PeopleOrganization)) > 0) return 0;

  const nationalCentre = em.create(PeopleOrganization, {
    id: FACT.nationalPeopleCentre,
    name: 'ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชน (ศตจ.ปชช.)',
    nameEn: "People's-Sector Operations Centre for the Fight to Overcome Poverty",
    kind: PeopleOrganizationKind.NATIONAL_CENTRE,
    sources: [
      citePost50646(
        'การขับเคลื่อนของศตจ.ปชช. จะมีการเชื่อมโยงการทำงานของภาคประชาชนในระดับต่าง ๆ: the people\'s centre links the people\'s sector at every level and coordinates with government and private bodies in each area.',
      ),
    ],
  });

  const nakhonCentre = em.create(PeopleOrganization, {
    id: FACT.nakhonPeopleCentre,
    name: 'ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชนจังหวัดนครศรีธรรมราช (ศตจ.ปชช.จังหวัดนครศรีธรรมราช)',
    nameEn: "Nakhon Si Thammarat Provincial People's-Sector Operations Centre for the Fight to Overcome Poverty",
    kind: PeopleOrganizationKind.PROVINCIAL_CENTRE,
    status: EstablishmentStatus.IN_COORDINATION,
    provinceCode: FACT.nakhonProvince,
    parentId: FACT.nationalPeopleCentre,
    sources: [
      citePost50646(
        'สำหรับจังหวัดนครฯ ยังไม่อยู่ในจังหวัดนำร่องในช่วงแรก แต่กำลังอยู่ในระหว่างการประสานงาน … ยังไม่มีการจัดตั้งจากศตจ.ชาติ อย่างเป็นทางการ: not among the first pilots, in coordination, not yet formally established.',
      ),
    ],
  });

  const nakhonNetworks = em.create(PeopleOrganization, {
    id: FACT.nakhonCommunityNetworks,
    name: 'ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช',
    nameEn: 'Nakhon Si Thammarat community-network movement',
    kind: PeopleOrganizationKind.COMMUNITY_NETWORK,
    provinceCode: FACT.nakhonProvince,
    sources: [
      citePost50646(
        'โครงการจัดการความรู้แก้จนเมืองคอน … การริเริ่มในเบื้องต้นนั้นใช่ (ประชาชน): the people\'s sector started the Nakhon knowledge-management project.',
      ),
    ],
  });

  const roles = PROVINCIAL_CENTRE_ROLES.map((role, index) =>
    em.create(MandatedRole, {
      id: `role_provincial_centre_${index + 1}`,
      appliesTo: PeopleOrganizationKind.PROVINCIAL_CENTRE,
      ordinal: index + 1,
      ...role,
      sources: [citePost50646(`ศตจ.ปชชจังหวัดมีบทบาทหน้าที่สำคัญ, role ${index + 1} of 4.`)],
    }),
  );

  const all = [nationalCentre, nakhonCentre, nakhonNetworks, ...roles];
  await em.persist(all).flush();
  return all.length;
}
