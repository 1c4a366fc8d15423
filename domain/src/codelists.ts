import { registerEnumType } from 'type-graphql';

/**
 * Codelists shared by more than one subgraph. Federation merges an enum by
 * name across subgraphs, so each is declared here once and every subgraph
 * that exposes it registers the same values and description.
 */

export enum Sector {
  PEOPLE = 'PEOPLE',
  GOVERNMENT = 'GOVERNMENT',
  PRIVATE = 'PRIVATE',
}
registerEnumType(Sector, {
  name: 'Sector',
  description:
    "The sector an actor belongs to: the people's sector (ภาคประชาชน), government (ภาครัฐ) or private partners (ภาคเอกชน).",
});

/** IATI OrganisationType codelist (https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/). */
export enum OrganisationType {
  GOVERNMENT = 'GOVERNMENT',
  LOCAL_GOVERNMENT = 'LOCAL_GOVERNMENT',
  OTHER_PUBLIC_SECTOR = 'OTHER_PUBLIC_SECTOR',
  NATIONAL_NGO = 'NATIONAL_NGO',
  PUBLIC_PRIVATE_PARTNERSHIP = 'PUBLIC_PRIVATE_PARTNERSHIP',
  FOUNDATION = 'FOUNDATION',
  PRIVATE_SECTOR = 'PRIVATE_SECTOR',
  ACADEMIC_TRAINING_RESEARCH = 'ACADEMIC_TRAINING_RESEARCH',
  OTHER = 'OTHER',
}
registerEnumType(OrganisationType, {
  name: 'OrganisationType',
  description:
    'Organisation type, from the IATI OrganisationType codelist (10 government, 11 local government, 15 other public sector, 22 national NGO, 30 public-private partnership, 60 foundation, 70 private sector, 80 academic, 90 other).',
});

/**
 * Themes of anti-poverty work: the structures named in the fourth role of a
 * provincial people's centre (source: GotoKnow record 50646).
 */
export enum Theme {
  PRODUCTION = 'PRODUCTION',
  MANAGEMENT = 'MANAGEMENT',
  LAND = 'LAND',
  BASIC_WELFARE = 'BASIC_WELFARE',
  SUFFICIENCY_LIVELIHOOD = 'SUFFICIENCY_LIVELIHOOD',
}
registerEnumType(Theme, {
  name: 'Theme',
  description:
    "Theme of anti-poverty work, from the fourth role of a provincial people's centre (ศตจ.ปชช.จังหวัด): production (การผลิต), management (การจัดการ), the land system (ระบบที่ดิน), basic welfare (สวัสดิการพื้นฐาน) and sufficiency livelihood (วิถีการดำรงชีวิตที่พอเพียง).",
});

/** Poverty dimensions of TPMAP, Thailand's People Map and Analytics Platform (https://www.tpmap.in.th). */
export enum PovertyDimension {
  HEALTH = 'HEALTH',
  LIVING = 'LIVING',
  EDUCATION = 'EDUCATION',
  INCOME = 'INCOME',
  PUBLIC_SERVICES = 'PUBLIC_SERVICES',
}
registerEnumType(PovertyDimension, {
  name: 'PovertyDimension',
  description:
    'Poverty dimension, from TPMAP (Thai People Map and Analytics Platform): health, living conditions, education, income, and access to public services.',
});

/** Whether a body exists yet: the people's centre of Nakhon Si Thammarat was still being coordinated in 2006. */
export enum EstablishmentStatus {
  ESTABLISHED = 'ESTABLISHED',
  IN_COORDINATION = 'IN_COORDINATION',
  DISSOLVED = 'DISSOLVED',
}
registerEnumType(EstablishmentStatus, {
  name: 'EstablishmentStatus',
  description:
    'Whether a body is formally established (ESTABLISHED), still being coordinated and not yet formally set up (IN_COORDINATION, กำลังอยู่ในระหว่างการประสานงาน), or dissolved.',
});

export enum Region {
  NORTH = 'NORTH',
  NORTHEAST = 'NORTHEAST',
  CENTRAL = 'CENTRAL',
  EAST = 'EAST',
  WEST = 'WEST',
  SOUTH = 'SOUTH',
}
registerEnumType(Region, {
  name: 'Region',
  description:
    "Region of Thailand in the six-region geographic scheme of the Royal Society of Thailand (ภาคเหนือ, ภาคตะวันออกเฉียงเหนือ, ภาคกลาง, ภาคตะวันออก, ภาคตะวันตก, ภาคใต้); Bangkok counts as CENTRAL.",
});
