import { GraphQLError } from 'graphql';
import { ErrorCode } from '@hub/server';

/**
 * Where a subscriber stands in the four owners' feeds: the id of the last
 * change it received from each ("chg_" and twelve digits, ordered within
 * one owner only). The cursor a client holds is this, opaque: base64url of
 * its JSON.
 */
export type Positions = Record<string, string>;

const CHANGE_ID = /^chg_\d{12}$/;
/** A cursor's size is bounded before it is decoded: four owners' positions take about 200 characters. */
const MAX_CURSOR_LENGTH = 1_000;

export function encodeCursor(positions: Positions): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

function badCursor(): GraphQLError {
  return new GraphQLError('`after` is not a cursor of `changes`: pass the `cursor` of the last change received, as it was given.', {
    extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'after' },
  });
}

/**
 * The positions a client's cursor names, for the owners given (one it lacks,
 * an owner that could not be reached while the cursor was given out, is
 * followed from now); anything else is refused with BAD_USER_INPUT.
 */
export function decodeCursor(cursor: string, owners: readonly string[]): Positions {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) throw badCursor();
  const positions: Positions = {};
  for (const owner of owners) {
    const position = (decoded as Record<string, unknown>)[owner];
    if (position === undefined) continue;
    if (typeof position !== 'string' || !CHANGE_ID.test(position)) throw badCursor();
    positions[owner] = position;
  }
  if (Object.keys(decoded).some((key) => !owners.includes(key)) || Object.keys(positions).length === 0) throw badCursor();
  return positions;
}
