import { actorStatsResolvers } from '@hub/domain';
import { PrivatePartner, PrivatePartnerKind } from '../entities/private-partner.js';
import { Province } from '../external.js';

/** partnerStats and Province.partnerStats: private partners by kind. */
export const partnerStats = actorStatsResolvers({
  typeName: 'PartnerStats',
  what: 'private partners',
  field: 'partnerStats',
  entity: PrivatePartner,
  kindEnum: 'PrivatePartnerKind',
  kinds: PrivatePartnerKind,
  Province,
});
