import { Field } from 'type-graphql';
import { badUserInput } from '@hub/server';
import { Cost } from './cost.js';

/**
 * Name search that tolerates how people type Thai: no spaces between words,
 * tone marks left out or misplaced, and mixed case and punctuation in English.
 * Both the stored text and the query are folded the same way: lower case,
 * without spaces, punctuation and Thai tone and diacritic marks (U+0E47-U+0E4E);
 * a trigram (pg_trgm) index then serves substring matches.
 */
const THAI_MARKS = '\u0E47-\u0E4E';

/** The SQL expression behind each searchable table's `search_text` column. */
export function searchTextSql(...columns: string[]): string {
  const joined = columns.map((c) => `coalesce("${c}", '')`).join(` || ' ' || `);
  return `lower(regexp_replace(${joined}, '[[:space:][:punct:]${THAI_MARKS}]', '', 'g'))`;
}

/** Folds a query as `searchTextSql` folds the stored names. */
export function foldSearchText(text: string): string {
  return text
    .toLowerCase()
    .replace(new RegExp(`[^\\p{L}\\p{N}\\p{M}]|[${THAI_MARKS}]`, 'gu'), '');
}

/** A LIKE pattern for a client's search text, or BAD_USER_INPUT when nothing searchable is left. */
export function searchPattern(search: string): string {
  const folded = foldSearchText(search);
  if (folded.length < 2 || search.length > 200) {
    throw badUserInput('"search" needs 2 to 200 letters or digits.', { argument: 'search' });
  }
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The `search` argument of a list searched by name (or title), folded as
 * searchPattern folds it. Priced: matching the text against every name is a
 * trigram index scan, beyond reading the page.
 */
export function SearchArgument(what: 'name' | 'title' = 'name'): PropertyDecorator {
  const field = Field(() => String, {
    nullable: true,
    description: `Only those whose Thai or English ${what} contains this text, ignoring case, spaces, punctuation and Thai tone marks.`,
  });
  const cost = Cost(10);
  return (target, key) => {
    field(target, key);
    cost(target, key);
  };
}
