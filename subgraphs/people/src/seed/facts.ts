import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { inferred, stated, type CitedRecord } from '@hub/toolkit';
import { EstablishmentStatus, FACT, POST_50646, Theme } from '@hub/domain';
import { MandatedRole } from '../entities/mandated-role.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';

/** How the post introduces the four roles; each role's passage starts with it. */
const ROLES_INTRODUCED = 'โดยศตจ.ปชชจังหวัดมีบทบาทหน้าที่สำคัญดังนี้';

/**
 * The four roles of a provincial people's centre, each as the post numbers
 * it (verbatim, its spacing included); the title is the text after the number.
 */
const PROVINCIAL_CENTRE_ROLES = [
  {
    numbered: '1 กำหนดแนวทาง วางแผนและหาสาเหตุที่ทำให้เกิดความยากจน',
    titleEn: 'Set direction, plan, and find the causes of poverty.',
    themes: [],
  },
  {
    numbered:
      '2เชื่อมโยงและเอื้ออำนวย การพัฒนาโดยพลังของขบวนเครือข่ายชุมชน และประเด็นงานพัฒนาต่าง ๆเพื่อสร้างความรู้สึกเป็นเจ้าของปัญหา และสร้างโอกาสให้ชุมชนคนยากจนในทุกระดับ ได้เข้ามามีส่วนร่วมดำเนินการแก้ไขปัญหาร่วมกันอย่างเต็มที่',
    titleEn:
      'Link and facilitate development through the community-network movement and development issues, so poor communities at all levels own the problem and take full part in solving it.',
    themes: [],
  },
  {
    numbered: '3 ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด)',
    titleEn: 'Coordinate with the provincial government centre (ศตจ.จังหวัด).',
    themes: [],
  },
  {
    numbered:
      '4สนับสนุนแนวทางการแก้ปัญหาความยากจน และสร้างโอกาสการพัฒนาที่ต่อเนื่องสัมพันธ์กับโครงสร้างทั้งการผลิต การจัดการ ระบบที่ดิน การสร้างสวัสดิการพื้นฐาน และวิถีการดำรงชีวิตที่พอเพียงของชุมชนท้องถิ่น ตลอดจนพัฒนากลไกการบริหารจัดการที่ประชาชน ชุมชน มีบทบาทและมีส่วนร่วมกับระบบของรัฐทั้งในระดับท้องถิ่น และระดับจังหวัดอย่างต่อเนื่อง',
    titleEn:
      'Support solutions and continuous development across production, management, the land system, basic welfare and sufficiency livelihoods, and mechanisms in which people take part alongside the state at local and provincial level.',
    themes: [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD],
  },
];

/**
 * The people's-sector bodies of the source post. The national and Nakhon
 * centres are the post's own; the Nakhon community-network movement is
 * inferred, and its source says why.
 */
export const PEOPLE_ORGANIZATION_FACTS: readonly CitedRecord<RequiredEntityData<PeopleOrganization>>[] = [
  {
    id: FACT.nationalPeopleCentre,
    name: 'ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชน (ศตจ.ปชช.)',
    nameEn: "People's-Sector Operations Centre for the Fight to Overcome Poverty",
    kind: PeopleOrganizationKind.NATIONAL_CENTRE,
    sources: [
      stated(
        POST_50646,
        'การขับเคลือนของศตจ.ปชช. จะมีการเชื่อมโยงการทำงานของภาคประชาชนในระดับต่าง ๆรวมถึงประสานการดำเนินงานแก้ไขปัญหาความยากจนร่วมกับหน้วยงานภาครัฐและเอกชนที่กี่ยวข้องในระดับพื้นที่',
        "The people's-sector centre (ศตจ.ปชช.) links the people's sector at every level and coordinates with the government and private bodies concerned in each area.",
      ),
    ],
  },
  {
    id: FACT.nakhonPeopleCentre,
    name: 'ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชนจังหวัดนครศรีธรรมราช (ศตจ.ปชช.จังหวัดนครศรีธรรมราช)',
    nameEn: "Nakhon Si Thammarat Provincial People's-Sector Operations Centre for the Fight to Overcome Poverty",
    kind: PeopleOrganizationKind.PROVINCIAL_CENTRE,
    status: EstablishmentStatus.IN_COORDINATION,
    provinceCode: FACT.nakhonProvince,
    parentId: FACT.nationalPeopleCentre,
    sources: [
      stated(
        POST_50646,
        'สำหรับจังหวัดนครฯ ยังไม่อยู่ในจังหวัดนำร่องในช่วงแรก แต่กำลังอยู่ในระหว่างการประสานงาน … ดังนั้นถ้าจะมีกลไกศตจ.ปชช จังหวัดนครศรีฯจึงต้องปรึกษากันอย่างรอบคอบ และทำให้ยังไม่มีการจัดตั้งจากศตจ.ชาติ อย่างเป็นทางการ',
        'Not among the first pilot provinces; being coordinated, and not yet formally established by the national centre (IN_COORDINATION), since setting it up needs careful consultation.',
      ),
    ],
  },
  {
    id: FACT.nakhonCommunityNetworks,
    name: 'ขบวนเครือข่ายชุมชนจังหวัดนครศรีธรรมราช',
    nameEn: 'Nakhon Si Thammarat community-network movement',
    kind: PeopleOrganizationKind.COMMUNITY_NETWORK,
    provinceCode: FACT.nakhonProvince,
    sources: [
      inferred(
        POST_50646,
        '2เชื่อมโยงและเอื้ออำนวย การพัฒนาโดยพลังของขบวนเครือข่ายชุมชน … เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด แต่การริเริ่มในเบื้องต้นนั้นใช่ [ประชาชน]',
        "The post names no people's body in Nakhon. It says the people's sector started the Nakhon knowledge-management project, and that a provincial people's centre works through the community-network movement (ขบวนเครือข่ายชุมชน). This record stands for Nakhon's people's sector as the post speaks of it, under the movement's name: not a registered body, and the post gives it no name, members or status of its own.",
      ),
    ],
  },
];

/** The four roles of a provincial people's centre, as the post states them. */
export const MANDATED_ROLE_FACTS: readonly CitedRecord<RequiredEntityData<MandatedRole>>[] = PROVINCIAL_CENTRE_ROLES.map(
  ({ numbered, ...role }, index) => ({
    id: `role_provincial_centre_${index + 1}`,
    appliesTo: PeopleOrganizationKind.PROVINCIAL_CENTRE,
    ordinal: index + 1,
    titleTh: numbered.replace(/^\d\s*/, ''),
    ...role,
    // The first role follows the introduction directly; the others after what comes between.
    sources: [
      stated(
        POST_50646,
        `${ROLES_INTRODUCED}${index === 0 ? ' ' : ' … '}${numbered}`,
        `Role ${index + 1} of the four the post gives every provincial people's centre.`,
      ),
    ],
  }),
);

/** Writes the people's-sector facts of the source post, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(PeopleOrganization)) > 0) return 0;

  const all = [
    ...PEOPLE_ORGANIZATION_FACTS.map((data) => em.create(PeopleOrganization, data)),
    ...MANDATED_ROLE_FACTS.map((data) => em.create(MandatedRole, data)),
  ];
  await em.persist(all).flush();
  return all.length;
}
