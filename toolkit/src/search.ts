import { createHash } from 'node:crypto';
import { Property } from '@mikro-orm/decorators/legacy';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { Field } from 'type-graphql';
import { badUserInput } from '@hub/server';
import { Cost } from './cost.js';

/**
 * Name search that finds what people type in Thai: no spaces between words,
 * tone marks left out or misplaced, sara am typed as two characters (as text
 * pasted from PDFs has it), abbreviations marked with ฯ, and mixed case and
 * punctuation in English.
 *
 * One fold, written twice: `foldSearchText` in JavaScript for every `search`
 * argument, and `searchTextSql` in SQL for each searchable table's stored
 * `search_text` column, which PostgreSQL keeps up to date. Both
 *   1. compose to NFC;
 *   2. drop Thai marks but nikhahit (U+0E47-U+0E4C, U+0E4E: tone marks,
 *      maitaikhu, thanthakhat, yamakkan), so a tone mark typed, left out or
 *      misplaced makes no difference;
 *   3. compose sara am: nikhahit and sara aa (ํ + า) become ำ. Neither NFC nor
 *      NFKC does this (NFKC even decomposes ำ); after step 2, a tone mark
 *      typed between them ("นํ้า") no longer stands in the way;
 *   4. drop ฯลฯ ("etc."), ฯ (an abbreviation mark), the nikhahit left over,
 *      spaces and punctuation;
 *   5. lower the case.
 * A record's names (Thai and English) are folded one by one and joined by a
 * space, which no folded query contains: a match never spans two names, and a
 * space in the stored text is where a name starts.
 */
const MARKS_BUT_NIKHAHIT = '\u0E47-\u0E4C\u0E4E';
const NIKHAHIT = '\u0E4D';
const SARA_AA = '\u0E32';
const SARA_AM = '\u0E33';
const PAIYANNOI = '\u0E2F'; // ฯ
const ETCETERA = '\u0E2F\u0E25\u0E2F'; // ฯลฯ
/**
 * Thai signs that are punctuation or symbols (baht, fongman, angkhankhu,
 * khomut) named outright: PostgreSQL's [:punct:] only knows them under a
 * Unicode locale, JavaScript's \p{P} and \p{S} always do.
 */
const THAI_PUNCTUATION = '\u0E3F\u0E4F\u0E5A\u0E5B';

/** The SQL fold of one column (see above). */
function foldSql(column: string): string {
  const normal = `normalize(coalesce("${column}", ''), NFC)`;
  const composed = `replace(regexp_replace(${normal}, '[${MARKS_BUT_NIKHAHIT}]', '', 'g'), '${NIKHAHIT}${SARA_AA}', '${SARA_AM}')`;
  const dropped = `regexp_replace(replace(${composed}, '${ETCETERA}', ''), '[[:space:][:punct:]${PAIYANNOI}${NIKHAHIT}${THAI_PUNCTUATION}]', '', 'g')`;
  return `lower(${dropped})`;
}

/** The SQL expression behind each searchable table's `search_text` column: its names, folded and joined by a space. */
export function searchTextSql(...columns: string[]): string {
  return columns.map(foldSql).join(` || ' ' || `);
}

const MARKS_BUT_NIKHAHIT_JS = new RegExp(`[${MARKS_BUT_NIKHAHIT}]`, 'g');
const DROPPED_JS = new RegExp(`[^\\p{L}\\p{N}\\p{M}]|[${PAIYANNOI}${NIKHAHIT}]`, 'gu');

/** Folds text as `searchTextSql` folds a stored name. */
export function foldSearchText(text: string): string {
  return text
    .normalize('NFC')
    .replace(MARKS_BUT_NIKHAHIT_JS, '')
    .replaceAll(NIKHAHIT + SARA_AA, SARA_AM)
    .replaceAll(ETCETERA, '')
    .replace(DROPPED_JS, '')
    .toLowerCase();
}

/** What `searchTextSql` stores for these names, computed in JavaScript. */
export function searchTextOf(...names: (string | null | undefined)[]): string {
  return names.map((name) => foldSearchText(name ?? '')).join(' ');
}

/** Length in code points, as PostgreSQL counts characters (JavaScript counts UTF-16 units). */
const lengthOf = (text: string) => [...text].length;

// ---------------------------------------------------------------------------
// Word starts

/**
 * Where words start, for ranking a match at the start of a word above one
 * inside a word, and for ฯ, which abbreviates a word from its start.
 * PostgreSQL cannot tell where a Thai word starts (Thai puts no spaces between
 * words), so ICU's dictionary does, through Intl.Segmenter, when a record is
 * written; the starts are stored beside the search text as positions in it.
 * English words are split at spaces alike.
 */
const WORDS = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * The text the segmenter reads: NFC with sara am composed, tone marks kept
 * where they belong ("นํ้า" becomes "น้ำ"), as its dictionary spells words.
 */
function segmentable(text: string): string {
  return text.normalize('NFC').replace(SARA_AM_SPLIT, `$1${SARA_AM}`);
}
const SARA_AM_SPLIT = new RegExp(`${NIKHAHIT}([${MARKS_BUT_NIKHAHIT}]?)${SARA_AA}`, 'g');

/**
 * The 1-based positions in `searchTextOf(...names)` where a word starts (each
 * name's first word included). The fold keeps segment boundaries, so a
 * segment's position is the folded length of the segments before it.
 */
export function searchWordStarts(...names: (string | null | undefined)[]): number[] {
  const starts: number[] = [];
  let offset = 1;
  for (const name of names) {
    let at = offset;
    for (const { segment } of WORDS.segment(segmentable(name ?? ''))) {
      const folded = lengthOf(foldSearchText(segment));
      if (folded > 0) starts.push(at);
      at += folded;
    }
    offset = at + 1; // the space between names
  }
  return starts;
}

/**
 * The `search_word_starts` column of a searchable entity, derived from the
 * properties `search_text` folds (in the same order) whenever the ORM writes
 * the record. Null on rows written outside the ORM: they rank without word
 * starts.
 */
export function SearchWordStarts(...properties: string[]): (target: object, propertyName: string) => void {
  const derive = (record: object) => searchWordStarts(...properties.map((p) => (record as Record<string, string | null | undefined>)[p]));
  return Property({ type: 'integer[]', nullable: true, lazy: true, hidden: true, onCreate: derive, onUpdate: derive });
}

/**
 * Fills `search_word_starts` of every row of `table` (schema-qualified and
 * quoted) from its `columns`, for the migration that adds it; later rows get
 * theirs from SearchWordStarts when they are written.
 */
export async function fillSearchWordStarts(
  execute: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>,
  table: string,
  columns: string[],
): Promise<void> {
  const rows = await execute(`select id, ${columns.map((c) => `"${c}"`).join(', ')} from ${table}`);
  const batch = 1000;
  for (let from = 0; from < rows.length; from += batch) {
    const chunk = rows.slice(from, from + batch);
    const ids = chunk.map((row) => String(row.id));
    const starts = chunk.map((row) => `{${searchWordStarts(...columns.map((c) => row[c] as string | null)).join(',')}}`);
    // MikroORM expands an array parameter into a list of placeholders, hence `array[?]`.
    await execute(
      `update ${table} t set search_word_starts = v.starts::integer[]
        from unnest(array[?]::text[], array[?]::text[]) as v(id, starts) where t.id = v.id`,
      [ids, starts],
    );
  }
}

// ---------------------------------------------------------------------------
// Queries

/** A word of a query: folded, and whether it ended in ฯ. */
export interface SearchWord {
  text: string;
  abbreviation: boolean;
}

/**
 * A client's `search`, read: its words (each must match), and the phrase they
 * make (what relevance compares names with). `key` tells two searches apart
 * in a cursor.
 */
export interface SearchQuery {
  words: SearchWord[];
  phrase: string;
  key: string;
}

const SEARCH_LIMITS = { minLetters: 2, maxLength: 200, maxWords: 8 } as const;

/**
 * Reads a client's `search`, or refuses it with BAD_USER_INPUT naming the
 * argument it came in (`search` on lists, `text` on the search across owners).
 *
 * A query is split into words only where its writer split it: at spaces,
 * after ฯ (the abbreviated word ends there) and at ฯลฯ; each word must occur
 * in a name, in any order. It is not split with Intl.Segmenter: people type a
 * Thai phrase without spaces and mean it whole, and split into dictionary
 * words "แก้จนเมืองคอน" would also match every name with จน (as in ยากจน)
 * and คอน anywhere in it. A word ending in ฯ must occur at the start of a word
 * of the name: "นครฯ" finds นครศรีธรรมราช, not สกลนคร.
 */
export function parseSearch(search: string, argument = 'search'): SearchQuery {
  const words: SearchWord[] =
    search.length > SEARCH_LIMITS.maxLength
      ? []
      : search
          .normalize('NFC')
          .replaceAll(ETCETERA, ' ')
          .replaceAll(PAIYANNOI, `${PAIYANNOI} `)
          .split(/\s+/u)
          .map((word) => ({ text: foldSearchText(word), abbreviation: word.endsWith(PAIYANNOI) }))
          .filter((word) => word.text.length > 0);
  const phrase = words.map((word) => word.text).join('');
  if (lengthOf(phrase) < SEARCH_LIMITS.minLetters) {
    throw badUserInput(`"${argument}" needs ${SEARCH_LIMITS.minLetters} to ${SEARCH_LIMITS.maxLength} letters or digits.`, { argument });
  }
  if (words.length > SEARCH_LIMITS.maxWords) {
    throw badUserInput(`"${argument}" takes at most ${SEARCH_LIMITS.maxWords} words.`, { argument });
  }
  const key = words.map((word) => word.text + (word.abbreviation ? PAIYANNOI : '')).join(' ');
  return { words, phrase, key: createHash('sha256').update(key).digest('base64url').slice(0, 12) };
}

/** A LIKE pattern with the text in the middle, its wildcards taken literally. */
function likePattern(before: string, text: string, after: string): string {
  return before + text.replace(/[\\%_]/g, (c) => `\\${c}`) + after;
}

/** The columns of a searchable table, qualified by the alias of the statement they are used in. */
export interface SearchColumns {
  text: string;
  wordStarts: string;
}

/** SQL that is true where `text` occurs at a word start, with its parameters: `text`'s length and `text`. */
function atWordStartSql(columns: SearchColumns): string {
  return `exists (select from unnest(${columns.wordStarts}) as w(at) where substr(${columns.text}, w.at, ?) = ?)`;
}

/**
 * What a record must match (as an ORM filter): every word of the query in its
 * search text, an abbreviated one at a word start. The LIKE conditions are
 * what the trigram index serves.
 */
export function searchWhere<E>(query: SearchQuery, columns: (alias: string) => SearchColumns): FilterQuery<E> {
  const conditions: object[] = [];
  for (const word of query.words) {
    conditions.push({ searchText: { $like: likePattern('%', word.text, '%') } });
    if (word.abbreviation) {
      // Rows without word starts (written outside the ORM) are not held to it.
      const sql = (alias: string) => `(${columns(alias).wordStarts} is null or ${atWordStartSql(columns(alias))})`;
      conditions.push({ [raw(sql, [lengthOf(word.text), word.text])]: [] });
    }
  }
  return { $and: conditions } as FilterQuery<E>;
}

/**
 * How well a record matches, lower first: 0 a name is the phrase; 1 a name
 * starts with it; 2 a word starts with it; 3 it is inside a word; 4 the words
 * of the query are all there, but not as one phrase.
 */
export function searchRankSql(query: SearchQuery, columns: SearchColumns): { sql: string; params: unknown[] } {
  return {
    sql: `case
      when ' ' || ${columns.text} || ' ' like ? then 0
      when ' ' || ${columns.text} like ? then 1
      when ${atWordStartSql(columns)} then 2
      when ${columns.text} like ? then 3
      else 4 end`,
    params: [
      likePattern('% ', query.phrase, ' %'),
      likePattern('% ', query.phrase, '%'),
      lengthOf(query.phrase),
      query.phrase,
      likePattern('%', query.phrase, '%'),
    ],
  };
}

/**
 * The `search` argument of a list searched by name (or title), read by
 * parseSearch; a list given one is in order of relevance (`paginate`).
 * Priced: matching the text against every name is a trigram index scan,
 * beyond reading the page.
 */
export function SearchArgument(what: 'name' | 'title' = 'name'): PropertyDecorator {
  const field = Field(() => String, {
    nullable: true,
    description:
      `Only those whose Thai or English ${what} contains each word of this text, ignoring case, spaces, punctuation, Thai tone marks ` +
      `and sara am typed as two characters (ํา); a word ending in ฯ, an abbreviation (นครฯ), must start a word of the ${what}. ` +
      `The list is then in order of relevance: a ${what} that is the text, then one that starts with it, one with a word that does, ` +
      `one with it inside a word, one with its words apart; real records before demo ones, then by id.`,
  });
  const cost = Cost(10);
  return (target, key) => {
    field(target, key);
    cost(target, key);
  };
}
