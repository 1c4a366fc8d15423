import { Args, ArgsType, createUnionType, Ctx, Field, Float, ObjectType, Query, Resolver } from 'type-graphql';
import { ConnectionType, Cost, PageArgs, Paged, paginate, parseSearch, type Connection } from '@hub/toolkit';
import type { Context } from '../context.js';
import { SearchEntry } from '../entities/search-entry.js';
import { GovernmentCentre, Initiative, PeopleOrganization, PrivatePartner, Province } from '../external.js';

export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'What a search across owners finds: an actor of any sector, a joint initiative or a province.',
  types: () => [PeopleOrganization, GovernmentCentre, PrivatePartner, Initiative, Province] as const,
  resolveType: (result) => (result as unknown as ResultKey).__typename,
});

/** A hit's record as its owner knows it by key: the gateway fetches the rest from the owner. */
type ResultKey = { __typename: string; id: string } | { __typename: 'Province'; code: string };

@ObjectType({ description: 'One record a search found, and how well it matches.' })
export class SearchHit {
  @Field(() => Float, {
    description:
      'How well the record matches, from 1.0 down to 0.1, in steps of 0.1: a name that is the text 1.0, one that starts with it 0.8, ' +
      'one with a word that does 0.6, one with the text inside a word 0.4, one with the words of the text apart 0.2; a demo record ' +
      '0.1 below a real one that matches alike. Hits come in descending score, then by id.',
  })
  score!: number;

  @Field(() => SearchResult, {
    nullable: true,
    description: 'The record, from its owner: null, with an error naming the owner, while that owner cannot answer.',
  })
  node!: ResultKey;
}

@ObjectType()
export class SearchHitConnection extends ConnectionType(SearchHit, 'SearchHit') {}

@ArgsType()
class SearchArgs {
  @Field(() => String, {
    description:
      'The words to find, in Thai or English: each must occur in a name, ignoring case, spaces, punctuation, Thai tone marks and ' +
      'sara am typed as two characters (ํา); a word ending in ฯ, an abbreviation (นครฯ), must start a word of the name. 2 to 200 letters, at most 8 words.',
  })
  @Cost(10)
  text!: string;
}

/**
 * A hit's score (see SearchHit.score) from its match (searchRankSql: 0, a
 * name that is the text, to 4, its words apart) and whether it is demo data:
 * in tenths, so each is exact as JSON writes it.
 */
export function scoreOf(rank: number, demo: boolean): number {
  return (10 - (2 * rank + (demo ? 1 : 0))) / 10;
}

function hitOf(entry: SearchEntry, rank: number): SearchHit {
  const node: ResultKey = entry.typeName === 'Province' ? { __typename: 'Province', code: entry.id } : { __typename: entry.typeName, id: entry.id };
  return { score: scoreOf(rank, entry.demo), node };
}

@Resolver()
export class SearchResolver {
  @Paged()
  @Query(() => SearchHitConnection, {
    nullable: true,
    description:
      "One search across every owner's actors, initiatives and provinces, by Thai or English name (an initiative's title), " +
      'ranked as every search of the hub ranks: a name that is the text, then one that starts with it, one with a word that does, ' +
      'one with the text inside a word, one with its words apart; real records before demo ones; then by id. The index is filled ' +
      "through each owner's public API and follows their changes.",
  })
  // type-graphql lists the arguments of the last parameter first: `text`, then `first` and `after`.
  async search(@Args() page: PageArgs, @Args() { text }: SearchArgs, @Ctx() { em }: Context): Promise<Connection<SearchHit>> {
    const entries = await paginate(em, SearchEntry, {}, page, parseSearch(text, 'text'));
    const edges = entries.edges.map((edge) => ({ cursor: edge.cursor, node: hitOf(edge.node, edge.rank!) }));
    return { edges, nodes: edges.map((edge) => edge.node), pageInfo: entries.pageInfo, totalCount: entries.totalCount };
  }
}
