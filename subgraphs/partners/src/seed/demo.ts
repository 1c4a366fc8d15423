import { chance, choose, dateBetween, DEMO_ROW_FIELDS, demoId, isoDate, pick } from '@hub/toolkit';
import { DemoPartnerKind, type HubDemoTable, OrganisationType, place, PROVINCES, valuesByCode } from '@hub/domain';
import { Contribution, ContributionKind } from '../entities/contribution.js';
import { PrivatePartner, PrivatePartnerKind } from '../entities/private-partner.js';

const KINDS = valuesByCode(DemoPartnerKind, PrivatePartnerKind);

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

/** The partners subgraph's demo rows: private partners in every province (a few national), and what they contribute. */
export const demoTables: HubDemoTable[] = [
  {
    table: 'private_partner',
    entity: PrivatePartner,
    fields: [...DEMO_ROW_FIELDS, 'name', 'nameEn', 'kind', 'organisationType', 'website', 'provinceCode'],
    row(plan, i, r) {
      const code = plan.people + plan.government + i;
      const p = PROVINCES[plan.actorProvince[code]!]!;
      const national = plan.partnerNational[i] === 1;
      const kind = KINDS[plan.partnerKind[i]!]!;
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
      const id = plan.actorId(code);
      // Reserved top-level domain (RFC 2606): never a real site.
      const website = chance(r, 0.3) ? `https://${id.replaceAll('_', '-')}.example` : null;
      return [id, plan.sources, true, name[0], name[1], kind, type, website, national ? null : p.code];
    },
  },
  {
    table: 'contribution',
    entity: Contribution,
    fields: [...DEMO_ROW_FIELDS, 'partnerId', 'initiativeId', 'kind', 'description', 'amountThb', 'startDate'],
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
        demoId('con', i), plan.sources, true, plan.actorId(plan.contributionPartner[i]!),
        initiative < 0 ? null : plan.initiativeId(initiative), kind, pick(r, CONTRIBUTIONS[kind]), amount, start,
      ];
    },
  },
];
