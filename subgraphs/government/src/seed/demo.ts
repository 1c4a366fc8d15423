import { chance, choose, DEMO_ROW_FIELDS, pick } from '@hub/toolkit';
import { type HubDemoTable, OrganisationType, place, PROVINCES, provinceTh, provincialGovernmentCentreId } from '@hub/domain';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';

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

/** The government subgraph's demo rows: agencies in every province, the first few its provincial offices. */
export const demoTables: HubDemoTable[] = [
  {
    table: 'government_centre',
    entity: GovernmentCentre,
    fields: [...DEMO_ROW_FIELDS, 'name', 'nameEn', 'kind', 'organisationType', 'provinceCode', 'parentId'],
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
      return [plan.actorId(code), plan.sources, true, name[0], name[1], GovernmentCentreKind.AGENCY, type, p.code, parentId];
    },
  },
];
