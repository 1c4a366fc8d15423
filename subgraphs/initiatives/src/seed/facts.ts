import type { EntityManager } from '@mikro-orm/postgresql';
import { citePost50646, FACT, provincialGovernmentCentreId, Sector, Theme } from '@hub/domain';
import { Initiative, InitiativeStatus } from '../entities/initiative.js';
import { Link, LinkType } from '../entities/link.js';
import { Participation, ParticipationRole } from '../entities/participation.js';

const nakhonGovernmentCentre = provincialGovernmentCentreId(FACT.nakhonProvince);

/** Writes the joint work the source post describes, once, into an empty subgraph. */
export async function seedFacts(em: EntityManager): Promise<number> {
  if ((await em.count(Initiative)) > 0) return 0;

  const knowledgeInitiative = em.create(Initiative, {
    id: FACT.nakhonKnowledgeInitiative,
    title: 'โครงการจัดการความรู้แก้จนเมืองคอน',
    titleEn: 'Knowledge management for solving poverty in Nakhon Si Thammarat',
    description:
      "Already performs all four roles of a provincial people's centre, though its main host is not wholly the people's sector: started by the people's sector, hosted jointly.",
    status: InitiativeStatus.IMPLEMENTATION,
    themes: [Theme.PRODUCTION, Theme.MANAGEMENT, Theme.LAND, Theme.BASIC_WELFARE, Theme.SUFFICIENCY_LIVELIHOOD],
    provinceCodes: [FACT.nakhonProvince],
    sources: [
      citePost50646(
        'โครงการจัดการความรู้แก้จนเมืองคอน ได้ทำครบทุกบทบาทแล้วเพียงแต่เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด แต่การริเริ่มในเบื้องต้นนั้นใช่',
      ),
    ],
  });

  const participations = [
    em.create(Participation, {
      id: 'par_km_nakhon_networks',
      initiativeId: knowledgeInitiative.id,
      actorId: FACT.nakhonCommunityNetworks,
      sector: Sector.PEOPLE,
      role: ParticipationRole.IMPLEMENTING,
      lead: true,
      sources: [citePost50646('การริเริ่มในเบื้องต้นนั้นใช่: the people\'s sector started it and hosts it.')],
    }),
    em.create(Participation, {
      id: 'par_km_nakhon_government',
      initiativeId: knowledgeInitiative.id,
      actorId: nakhonGovernmentCentre,
      sector: Sector.GOVERNMENT,
      role: ParticipationRole.ACCOUNTABLE,
      lead: true,
      sources: [
        citePost50646('เจ้าภาพหลักอาจจะไม่ใช่ประชาชนทั้งหมด: the main host is not wholly the people\'s sector; the provincial centre co-hosts.'),
      ],
    }),
  ];

  const links = [
    em.create(Link, {
      id: 'lnk_people_government_national',
      type: LinkType.COUNTERPART,
      sourceId: FACT.nationalPeopleCentre,
      targetId: FACT.nationalGovernmentCentre,
      note: "The people's centre works alongside the government centres that already exist.",
      sources: [citePost50646('ศตจ.ปชช จะทำงานเชื่อมโยงกับศตจ.ภาคราชการที่มีอยู่แล้วอย่างไร')],
    }),
    em.create(Link, {
      id: 'lnk_people_government_th80',
      type: LinkType.COORDINATION,
      sourceId: FACT.nakhonPeopleCentre,
      targetId: nakhonGovernmentCentre,
      note: "Role 3 of a provincial people's centre: coordinate with the provincial centre. Nakhon's centre is still in coordination.",
      sources: [citePost50646('ประสานการทำงานร่วมกับศูนย์อำนวยการต่อสู้เพื่อเอาชนะความยากจนจังหวัด (ศตจ.จังหวัด)')],
    }),
    em.create(Link, {
      id: 'lnk_networks_people_centre_th80',
      type: LinkType.COORDINATION,
      sourceId: FACT.nakhonCommunityNetworks,
      targetId: FACT.nakhonPeopleCentre,
      note: "Role 2: the provincial people's centre works through the community-network movement; Nakhon's networks are coordinating its set-up.",
      sources: [citePost50646('ถ้าจะมีกลไกศตจ.ปชช จังหวัดนครศรีฯจึงต้องปรึกษากันอย่างรอบคอบ')],
    }),
  ];

  const all = [knowledgeInitiative, ...participations, ...links];
  await em.persist(all).flush();
  return all.length;
}
