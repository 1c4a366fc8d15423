import type { EntityManager } from '@mikro-orm/postgresql';
import { PrivatePartner, PrivatePartnerKind, Contribution, ContributionKind } from '@hub/partners';
import { Initiative, InitiativeStatus, Link, LinkType, Participation, ParticipationRole } from '@hub/initiatives';
import { actorTypeOf, Theme } from '@hub/domain';

// Small factories for test fixtures: each writes one record through its own
// subgraph's EntityManager and returns it.

let serial = 0;
const next = () => String(++serial).padStart(4, '0');

export async function createPrivatePartner(em: EntityManager, fields: Partial<PrivatePartner> = {}) {
  const partner = em.create(PrivatePartner, {
    id: `prt_test_${next()}`,
    name: 'บริษัท ทดสอบ จำกัด',
    nameEn: 'Test Company Ltd',
    kind: PrivatePartnerKind.COMPANY,
    ...fields,
  });
  await em.persist(partner).flush();
  return partner;
}

export async function createContribution(em: EntityManager, fields: Partial<Contribution> & { partnerId: string }) {
  const contribution = em.create(Contribution, {
    id: `con_test_${next()}`,
    kind: ContributionKind.FUNDING,
    description: 'Seed money for a savings group',
    ...fields,
  });
  await em.persist(contribution).flush();
  return contribution;
}

export async function createInitiative(em: EntityManager, fields: Partial<Initiative> = {}) {
  const initiative = em.create(Initiative, {
    id: `ini_test_${next()}`,
    title: 'โครงการทดสอบ',
    status: InitiativeStatus.IMPLEMENTATION,
    themes: [Theme.PRODUCTION],
    provinceCodes: ['TH-80'],
    ...fields,
  });
  await em.persist(initiative).flush();
  return initiative;
}

export async function createParticipation(
  em: EntityManager,
  fields: Partial<Participation> & { initiativeId: string; actorId: string },
) {
  const participation = em.create(Participation, {
    id: `par_test_${next()}`,
    sector: actorTypeOf(fields.actorId)!.sector,
    role: ParticipationRole.IMPLEMENTING,
    ...fields,
  });
  await em.persist(participation).flush();
  return participation;
}

export async function createLink(em: EntityManager, fields: Partial<Link> & { sourceId: string; targetId: string }) {
  const link = em.create(Link, { id: `lnk_test_${next()}`, type: LinkType.COORDINATION, ...fields });
  await em.persist(link).flush();
  return link;
}
