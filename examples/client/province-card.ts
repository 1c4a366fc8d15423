import { ProvinceOverviewDocument, UpdatePeopleCentreDocument } from './generated/graphql.js';
import type { HubClient } from './hub-client.js';

/**
 * Two uses of the typed client, as a dashboard and a partner agency's app
 * would write them. Every name and type below is checked against the schema:
 * a field renamed or made nullable there fails to compile here.
 */

export interface ProvinceCard {
  /** The province's id, its ISO 3166-2:TH code: what a client cache keys it by. */
  id: string;
  title: string;
  /** How many actors of each sector work there; null where that owner's part of the answer is missing. */
  actors: { people: number | null; government: number | null; private: number | null };
  initiatives: { title: string; leads: number }[];
  /** What is missing from the card, and why (an owner down, a field that needs a token). */
  problems: string[];
}

/** A dashboard's card of one province (examples/province-overview.graphql). */
export async function provinceCard(client: HubClient, code: string): Promise<ProvinceCard | null> {
  const { data, errors } = await client.query(ProvinceOverviewDocument, { code });
  const province = data?.province;
  if (!province) return null;
  return {
    id: province.code,
    title: `${province.nameEn} (${province.nameTh})`,
    actors: {
      people: province.peopleOrganizations?.totalCount ?? null,
      government: province.governmentCentres?.totalCount ?? null,
      private: province.partners?.totalCount ?? null,
    },
    initiatives: (province.initiatives?.nodes ?? []).map((initiative) => ({
      title: initiative.title,
      leads: initiative.participants.nodes.filter((participant) => participant.lead).length,
    })),
    problems: (errors ?? []).map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`),
  };
}

/** When an editor's change was recorded, and what the record held before it (examples/update-people-centre.graphql). */
export async function updateCentre(client: HubClient, id: string, expectedVersion: number): Promise<{ version: number; changedAt: Date; before: Record<string, unknown> | null } | null> {
  const { data } = await client.mutate(UpdatePeopleCentreDocument, { id, expectedVersion });
  const organization = data?.updatePeopleOrganization;
  // History is oldest first; `at` is a DateTimeISO, a string in the answer.
  const latest = organization?.history?.nodes.at(-1);
  if (!organization || !latest) return null;
  return { version: organization.version, changedAt: new Date(latest.at), before: latest.before };
}
