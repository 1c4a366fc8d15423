import { chance, choose, dateBetween, DEMO_ROW_FIELDS, demoId, int, isoDate, pick, type Rng } from '@hub/toolkit';
import {
  DemoPeopleKind,
  EstablishmentStatus,
  FACT,
  type HubDemoTable,
  OrganisationType,
  place,
  type ProvinceRecord,
  PROVINCES,
  provinceTh,
  valuesByCode,
} from '@hub/domain';
import { Membership } from '../entities/membership.js';
import { PeopleOrganization, PeopleOrganizationKind } from '../entities/people-organization.js';

const KINDS = valuesByCode(DemoPeopleKind, PeopleOrganizationKind);

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

/** The people subgraph's demo rows: people's organisations in every province, and their memberships of networks and centres. */
export const demoTables: HubDemoTable[] = [
  {
    table: 'people_organization',
    entity: PeopleOrganization,
    fields: [...DEMO_ROW_FIELDS, 'name', 'nameEn', 'kind', 'organisationType', 'status', 'establishedOn', 'provinceCode', 'parentId'],
    row(plan, i, r) {
      const p = PROVINCES[plan.actorProvince[i]!]!;
      const kind = plan.peopleKind[i]!;
      const [th, en] = place(r);
      let name: [string, string];
      let status = EstablishmentStatus.ESTABLISHED;
      let established: number | null;
      let organisationType = OrganisationType.NATIONAL_NGO;
      let parentId: string | null = null;
      if (kind === DemoPeopleKind.PROVINCIAL_CENTRE) {
        name = [
          `ศูนย์อำนวยการปฏิบัติการต่อสู้เพื่อเอาชนะความยากจนภาคประชาชน${provinceTh(p)} (ศตจ.ปชช.${provinceTh(p)})`,
          `${p.nameEn} Provincial People's-Sector Operations Centre for the Fight to Overcome Poverty`,
        ];
        if (chance(r, 0.15)) status = EstablishmentStatus.IN_COORDINATION;
        // The national centre's order of 28 February 2006 set them up.
        established = status === EstablishmentStatus.ESTABLISHED ? dateBetween(r, [2006, 2, 28], [2010, 1, 1]) : null;
        parentId = FACT.nationalPeopleCentre;
      } else {
        name = kind === DemoPeopleKind.COMMUNITY_NETWORK ? pick(r, NETWORK_NAMES)(th, en, p) : pick(r, ORGANISATION_NAMES)(r, th, en);
        status = choose(r, [
          [EstablishmentStatus.ESTABLISHED, 0.92],
          [EstablishmentStatus.IN_COORDINATION, 0.05],
          [EstablishmentStatus.DISSOLVED, 0.03],
        ]);
        established = status !== EstablishmentStatus.IN_COORDINATION && chance(r, 0.8) ? dateBetween(r, [1995, 1, 1], [2024, 1, 1]) : null;
        if (kind === DemoPeopleKind.COMMUNITY_ORGANISATION && chance(r, 0.5)) organisationType = OrganisationType.OTHER;
      }
      return [
        plan.actorId(i), plan.sources, true, name[0], name[1], KINDS[kind]!, organisationType, status,
        established === null ? null : isoDate(established), p.code, parentId,
      ];
    },
  },
  {
    table: 'membership',
    entity: Membership,
    fields: [...DEMO_ROW_FIELDS, 'memberId', 'organizationId', 'role', 'startDate', 'endDate'],
    row(plan, i, r) {
      const role = choose(r, [
        ['member', 0.85],
        ['coordinator', 0.08],
        ['committee', 0.07],
      ]);
      const start = chance(r, 0.85) ? dateBetween(r, [2000, 1, 1], [2024, 1, 1]) : null;
      const end = start !== null && chance(r, 0.05) ? start + 180 + int(r, 2000) : null;
      return [
        demoId('mem', i), plan.sources, true, plan.actorId(plan.membershipMember[i]!),
        plan.actorId(plan.membershipOrganization[i]!), role,
        start === null ? null : isoDate(start), end === null ? null : isoDate(end),
      ];
    },
  },
];
