import { actorStatsResolvers } from '@hub/domain';
import { PrivatePartnerKind } from '../entities/private-partner.js';
import { Province } from '../types/references.js';

/** partnerStats and Province.partnerStats: private partners by kind. */
export const partnerStats = actorStatsResolvers({
  typeName: 'PartnerStats',
  what: 'private partners',
  field: 'partnerStats',
  table: '"partners"."private_partner"',
  kindEnum: 'PrivatePartnerKind',
  kinds: PrivatePartnerKind,
  Province,
});
