import { actorStatsResolvers } from '@hub/domain';
import { GovernmentCentre, GovernmentCentreKind } from '../entities/government-centre.js';
import { Province } from '../entities/province.js';

/** governmentStats and Province.governmentStats: government actors by kind. */
export const governmentStats = actorStatsResolvers({
  typeName: 'GovernmentStats',
  what: 'government actors',
  field: 'governmentStats',
  entity: GovernmentCentre,
  kindEnum: 'GovernmentCentreKind',
  kinds: GovernmentCentreKind,
  Province,
});
