import {
  arrayLiteral,
  chance,
  choose,
  dateBetween,
  DEMO_ROW_FIELDS,
  demoId,
  int,
  isoDate,
  pick,
  someOf,
} from '@hub/toolkit';
import {
  DEMO_NO_PROVINCE,
  DemoLinkType,
  DemoRole,
  type HubDemoTable,
  place,
  PovertyDimension,
  type ProvinceRecord,
  PROVINCES,
  provinceTh,
  Theme,
  valuesByCode,
} from '@hub/domain';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { Participation, ParticipationRole } from '../entities/participation.js';

const ROLES = valuesByCode(DemoRole, ParticipationRole);
const LINK_TYPES = valuesByCode(DemoLinkType, LinkType);

const THEMES = [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD] as const;
const DIMENSIONS = [
  PovertyDimension.HEALTH,
  PovertyDimension.LIVING,
  PovertyDimension.EDUCATION,
  PovertyDimension.INCOME,
  PovertyDimension.PUBLIC_SERVICES,
] as const;

/** What initiatives of each theme do: [Thai, English]. */
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

/** Notes a link of each of the plan's `linkType` codes may carry. */
const LINK_NOTES: Readonly<Record<number, readonly string[]>> = {
  [DemoLinkType.COORDINATION]: ['ประสานแผนแก้ไขปัญหาความยากจนระดับจังหวัด', 'ประชุมประสานงานร่วมกันทุกเดือน'],
  [DemoLinkType.MEMBERSHIP]: ['เป็นสมาชิกของเครือข่าย', 'ร่วมเป็นสมาชิกและส่งผู้แทนเข้าร่วมประชุม'],
  [DemoLinkType.FUNDING]: ['สนับสนุนงบประมาณกิจกรรมของกลุ่ม', 'ให้ทุนสนับสนุนต่อเนื่องรายปี'],
  [DemoLinkType.COUNTERPART]: ['เป็นคู่ประสานงานข้ามภาคส่วน', 'คู่ทำงานระหว่างภาคประชาชนกับภาครัฐหรือเอกชน'],
};
const STRUCTURAL_NOTE =
  "บทบาทที่ 3: ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด): role 3 of a provincial people's centre.";

/** The initiatives subgraph's demo rows: joint initiatives in 1 to 3 provinces, who takes part in each, and standing links between actors. */
export const demoTables: HubDemoTable[] = [
  {
    table: 'initiative',
    entity: Initiative,
    fields: [
      ...DEMO_ROW_FIELDS, 'title', 'titleEn', 'description', 'status', 'themes', 'povertyDimensions', 'provinceCodes', 'startDate', 'endDate',
    ],
    row(plan, i, r) {
      const provinces: ProvinceRecord[] = [];
      for (let k = 0; k < 3; k++) {
        const p = plan.initiativeProvinces[i * 3 + k]!;
        if (p !== DEMO_NO_PROVINCE) provinces.push(PROVINCES[p]!);
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
        plan.initiativeId(i), plan.sources, true, `โครงการ${activityTh} ${where[0]}`, `${activityEn}, ${where[1]}`, description, status,
        arrayLiteral(themes), arrayLiteral(someOf(r, DIMENSIONS, 1, 3)), arrayLiteral(provinces.map((p) => p.code)),
        start === null ? null : isoDate(start), end === null ? null : isoDate(end),
      ];
    },
  },
  {
    table: 'participation',
    entity: Participation,
    fields: [...DEMO_ROW_FIELDS, 'initiativeId', 'actorId', 'sector', 'role', 'lead'],
    row(plan, i) {
      const actor = plan.participationActor[i]!;
      return [
        demoId('par', i), plan.sources, true, plan.initiativeId(plan.participationInitiative[i]!), plan.actorId(actor),
        plan.actorSector(actor), ROLES[plan.participationRole[i]!]!, plan.participationLead[i] === 1,
      ];
    },
  },
  {
    table: 'link',
    entity: Link,
    fields: [...DEMO_ROW_FIELDS, 'type', 'sourceId', 'targetId', 'startDate', 'endDate', 'note'],
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
        demoId('lnk', i), plan.sources, true, LINK_TYPES[type]!, plan.actorId(plan.linkSource[i]!),
        plan.actorId(plan.linkTarget[i]!), start === null ? null : isoDate(start), end === null ? null : isoDate(end), note,
      ];
    },
  },
];
