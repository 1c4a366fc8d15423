import { raw } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { backfillSourceBasisSql, correctSeededValuesSql, restateSourcesSql } from '@hub/toolkit';
import { INITIATIVE_FACTS, LINK_FACTS, PARTICIPATION_FACTS } from '../seed/facts.js';

const seeded = <T extends { id: string }>(facts: readonly T[], id: string): T => facts.find((fact) => fact.id === id)!;
const governmentParticipation = seeded(PARTICIPATION_FACTS, 'par_km_nakhon_government');

/**
 * Sources say whether they state a fact or it was inferred, with the passage
 * it rests on. Rows written before get a basis, and the seeded facts get the
 * sources the seed now writes, so an upgraded database tells what a fresh one
 * does: Nakhon's provincial government centre takes part in the knowledge
 * project without being recorded as its accountable main host, which the post
 * only says is possible, and the initiative and links say no more than it.
 */
export class Migration20261130080003_provenance extends Migration {

  override name = 'Migration20261130080003_provenance';

  override up(): void | Promise<void> {
    for (const table of ['initiative', 'participation', 'link']) this.addSql(backfillSourceBasisSql('initiatives', table));
    this.addSql(restateSourcesSql('initiatives', 'initiative', INITIATIVE_FACTS));
    this.addSql(restateSourcesSql('initiatives', 'participation', PARTICIPATION_FACTS));
    this.addSql(restateSourcesSql('initiatives', 'link', LINK_FACTS));

    this.addSql(correctSeededValuesSql('initiatives', 'initiative', {
      id: 'ini_km_nakhon',
      description: "Already performs all four roles of a provincial people's centre, though its main host is not wholly the people's sector: started by the people's sector, hosted jointly.",
    }, { description: seeded(INITIATIVE_FACTS, 'ini_km_nakhon').description }));

    // Unless the centre has since joined the project in that role on its own record.
    this.addSql(raw(
      `update "initiatives"."participation" as t set "role" = ?, "lead" = ? where t."id" = ? and t."role" = 'ACCOUNTABLE' and t."lead"
        and not exists (select 1 from "initiatives"."participation" as o where o."initiative_id" = t."initiative_id" and o."actor_id" = t."actor_id" and o."role" = ?);`,
      [governmentParticipation.role, governmentParticipation.lead, governmentParticipation.id, governmentParticipation.role],
    ));

    const notes: Record<string, string> = {
      lnk_people_government_national: "The people's centre works alongside the government centres that already exist.",
      lnk_people_government_th80: "Role 3 of a provincial people's centre: coordinate with the provincial centre. Nakhon's centre is still in coordination.",
      lnk_networks_people_centre_th80: "Role 2: the provincial people's centre works through the community-network movement; Nakhon's networks are coordinating its set-up.",
    };
    for (const [id, note] of Object.entries(notes)) {
      this.addSql(correctSeededValuesSql('initiatives', 'link', { id, note }, { note: seeded(LINK_FACTS, id).note }));
    }
  }

  // A correction of the facts is not undone: going down keeps them as corrected.
  override down(): void | Promise<void> {}

}
