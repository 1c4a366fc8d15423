import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { inferred, stated, type CitedRecord } from '@hub/toolkit';
import { FACT, POST_50646, POST_50646_PASSAGE, provincialGovernmentCentreId, Sector, Theme } from '@hub/domain';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { Participation, ParticipationRole } from '../entities/participation.js';

const nakhonGovernmentCentre = provincialGovernmentCentreId(FACT.nakhonProvince);

/** Where the post says who hosts the Nakhon project, the hedge "อาจจะ" (may) with it. */
const MAIN_HOST = 'เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด';

/** The Nakhon knowledge-management project, the one initiative the post names. */
export const INITIATIVE_FACTS: readonly CitedRecord<RequiredEntityData<Initiative>>[] = [
  {
    id: FACT.nakhonKnowledgeInitiative,
    title: 'โครงการจัดการความรู้แก้จนเมืองคอน',
    titleEn: 'Knowledge management for solving poverty in Nakhon Si Thammarat',
    description:
      "In the author's view it already performs all four roles of a provincial people's centre, though its main host may not be wholly the people's sector; the people's sector started it.",
    status: InitiativeStatus.IMPLEMENTATION,
    themes: [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD],
    provinceCodes: [FACT.nakhonProvince],
    sources: [
      stated(
        POST_50646,
        POST_50646_PASSAGE.knowledgeProject,
        "The project, under way, and the author's view that it already performs all four roles of a provincial people's centre, so its themes are those the fourth role names. Its main host may not be wholly the people's sector, but the people's sector started it.",
      ),
    ],
  },
];

/**
 * Who takes part in the Nakhon project. The post names no participant, so
 * both are inferred: the people's sector from who started it, the provincial
 * government centre from the third role the project performs, with the
 * post's hedge on who hosts it kept.
 */
export const PARTICIPATION_FACTS: readonly CitedRecord<RequiredEntityData<Participation>>[] = [
  {
    id: 'par_km_nakhon_networks',
    initiativeId: FACT.nakhonKnowledgeInitiative,
    actorId: FACT.nakhonCommunityNetworks,
    sector: Sector.PEOPLE,
    role: ParticipationRole.IMPLEMENTING,
    lead: true,
    sources: [
      inferred(
        POST_50646,
        `${MAIN_HOST} แต่การริเริ่มในเบื้องต้นนั้นใช่ [ประชาชน]`,
        "The people's sector started the project, and its main host is the people's sector, if perhaps not wholly: so Nakhon's people's sector is recorded as a main host (lead) doing the work (IMPLEMENTING). The post names no body; the actor's own source says what this one stands for.",
      ),
    ],
  },
  {
    id: 'par_km_nakhon_government',
    initiativeId: FACT.nakhonKnowledgeInitiative,
    actorId: nakhonGovernmentCentre,
    sector: Sector.GOVERNMENT,
    role: ParticipationRole.IMPLEMENTING,
    lead: false,
    sources: [
      inferred(
        POST_50646,
        `${POST_50646_PASSAGE.roleThree} … โครงการจัดการความรู้แก้จนเมืองคอน ได้ทำครบทุกบทบาทแล้วเพียงแต่${MAIN_HOST}`,
        "The post names no government body in the project. It says the project performs every role of a provincial people's centre, the third being to coordinate with the provincial government centre, and that its main host may not be wholly the people's sector. So Nakhon's provincial centre takes part in the work; that it co-hosts is only possible (\"อาจจะ\", may), so it is not recorded as a main host.",
      ),
    ],
  },
];

/** The standing links the post implies; none is stated, so each source gives the reasoning. */
export const LINK_FACTS: readonly CitedRecord<RequiredEntityData<Link>>[] = [
  {
    id: 'lnk_people_government_national',
    type: LinkType.COUNTERPART,
    sourceId: FACT.nationalPeopleCentre,
    targetId: FACT.nationalGovernmentCentre,
    note: "The people's centre and the national government centre, counterparts in their sectors (inferred).",
    sources: [
      inferred(
        POST_50646,
        `${POST_50646_PASSAGE.question} … ${POST_50646_PASSAGE.order}`,
        "The post answers a reader's question of how the people's centre will work with the government centres that already exist: the national government centre ordered the provincial people's centres set up, and each is to coordinate with its provincial government centre. The hub reads the two national centres as counterparts; the post states no agreement between them.",
      ),
    ],
  },
  {
    id: 'lnk_people_government_th80',
    type: LinkType.COORDINATION,
    sourceId: FACT.nakhonPeopleCentre,
    targetId: nakhonGovernmentCentre,
    note: "A duty, not reported coordination: role 3 of every provincial people's centre is to coordinate with its provincial government centre, and Nakhon's centre is not yet established.",
    sources: [
      inferred(
        POST_50646,
        POST_50646_PASSAGE.roleThree,
        "Coordinating with the provincial government centre is the third duty the post gives every provincial people's centre, not something it reports Nakhon's centre doing: that centre was still being coordinated, not formally established. The link records the duty.",
      ),
    ],
  },
  {
    id: 'lnk_networks_people_centre_th80',
    type: LinkType.COORDINATION,
    sourceId: FACT.nakhonCommunityNetworks,
    targetId: FACT.nakhonPeopleCentre,
    note: "Nakhon's people's sector, which started the knowledge-management project, consulting on setting up the province's people's centre (inferred).",
    sources: [
      inferred(
        POST_50646,
        'แต่กำลังอยู่ในระหว่างการประสานงาน … ดังนั้นถ้าจะมีกลไกศตจ.ปชช จังหวัดนครศรีฯจึงต้องปรึกษากันอย่างรอบคอบ',
        "The post says Nakhon's people's centre is being coordinated and that setting it up needs careful consultation, without saying among whom. The hub infers that Nakhon's people's sector, which started the knowledge-management project, takes part.",
      ),
    ],
  },
];

/** Writes the joint work the source post describes, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(Initiative)) > 0) return 0;

  const all = [
    ...INITIATIVE_FACTS.map((data) => em.create(Initiative, data)),
    ...PARTICIPATION_FACTS.map((data) => em.create(Participation, data)),
    ...LINK_FACTS.map((data) => em.create(Link, data)),
  ];
  await em.persist(all).flush();
  return all.length;
}
