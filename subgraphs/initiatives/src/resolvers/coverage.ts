import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { provincialGovernmentCentreId } from '@hub/domain';
import type { Context } from '../context.js';
import { PeopleOrganization, type Province } from '../external.js';

/** A people's organisation as the gateway sends it here, with its province from the people subgraph. */
interface PeopleOrganizationWithProvince {
  id: string;
  province?: Province | null;
}

@Resolver(() => PeopleOrganization)
export class CoverageResolver {
  @Directive('@requires(fields: "province { code }")')
  @FieldResolver(() => Boolean, {
    nullable: true,
    description:
      "Whether a standing COORDINATION link joins it to its province's government centre (ศตจ.จังหวัด), the third role of a provincial people's centre; null for bodies with no province.",
  })
  coordinatesWithProvincialCentre(@Root() organization: PeopleOrganizationWithProvince, @Ctx() { loaders }: Context) {
    const code = organization.province?.code;
    if (!code) return null;
    return loaders.coordinationLinked.load(`${organization.id}|${provincialGovernmentCentreId(code)}`);
  }
}
