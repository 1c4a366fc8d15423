import {
  getMetadataStorage,
  IsDefined,
  IsUrl,
  Length,
  Matches,
  registerDecorator,
  validate,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { ArgumentValidationError, type ValidatorFn } from 'type-graphql';

/**
 * Checks on mutation inputs, as class-validator decorators: type-graphql runs
 * them before a resolver, and a failure comes back as BAD_USER_INPUT with
 * each message below, written for the person who has to fix the input.
 */

/**
 * A rule of one's own, named `name`: a value other than null or undefined
 * must pass `test` (whether a field may be left out is for WhenSent or
 * IsOptional to say). `message` is written for the person fixing the input.
 */
export function InputRule(
  name: string,
  test: (value: unknown) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate: (value: unknown) => value === null || value === undefined || test(value) },
    });
}

/**
 * For update inputs: the field's checks run only when the client sent it, so
 * leaving a field out keeps its value, while sending null for a field that
 * must have a value is refused.
 */
export function WhenSent(): PropertyDecorator {
  return (target, property) => {
    ValidateIf((input: object) => (input as { [key: string]: unknown })[property as string] !== undefined)(target, property);
    IsDefined({ message: '$property cannot be cleared; leave it out to keep its value.' })(target, property);
  };
}

/**
 * Characters no stored text may hold: C0 controls (other than tab, line feed
 * and carriage return), DEL, C1 controls, and the bidirectional overrides and
 * isolates, which make text display in another order than it is stored (a
 * name that reads as one thing and sorts, searches and exports as another).
 * Thai needs none of them.
 */
const NOT_IN_MANY_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;
/** What one line of text may not hold: the above, and tab, line feed and carriage return as well. */
const NOT_IN_ONE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;

/** "U+0007, U+202E": the code points of the refused characters, since printing them would hide or garble the message. */
function codePoints(found: readonly string[]): string {
  return [...new Set(found)].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
}

/**
 * Plain text: no control or bidirectional-formatting characters; with
 * `multiline`, tabs and line breaks are allowed (descriptions, notes).
 */
export function PlainText(options: { multiline?: boolean } = {}): PropertyDecorator {
  const refused = options.multiline ? NOT_IN_MANY_LINES : NOT_IN_ONE_LINE;
  const what = options.multiline
    ? 'plain text (line breaks and tabs allowed) without control or bidirectional-formatting characters'
    : 'one line of plain text, without tabs, line breaks, control or bidirectional-formatting characters';
  return InputRule(
    'isPlainText',
    (v) => typeof v === 'string' && !v.match(refused),
    (args) => `$property must be ${what}; it contains ${codePoints(String(args.value).match(refused) ?? [])}.`,
  );
}

/**
 * Text a person must fill in: not blank, at most `max` characters, plain
 * (see PlainText). One line unless `multiline` (descriptions, summaries, notes).
 */
export function Text(max: number, options: { multiline?: boolean } = {}): PropertyDecorator {
  return (target, property) => {
    Length(1, max, { message: `$property must be 1 to ${max} characters long.` })(target, property);
    Matches(/\S/, { message: '$property must not be blank.' })(target, property);
    PlainText(options)(target, property);
  };
}

/**
 * The id of one kind of record: its prefix ("ini", "peo", ...) and then
 * lower-case letters, digits or underscores, e.g. IdOf('ini', 'an initiative').
 */
export function IdOf(prefix: string, what: string): PropertyDecorator {
  return Matches(new RegExp(`^${prefix}_[a-z0-9_]{1,60}$`), { message: `$property must be the id of ${what}, starting with "${prefix}_".` });
}

/** A web address starting http:// or https://; plain, since the URL check lets control characters through. */
export function IsWebAddress(): PropertyDecorator {
  return (target, property) => {
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: '$property must be a web address starting with https:// or http://.' })(target, property);
    PlainText()(target, property);
  };
}

/** Whether a class (or one it extends) declares any class-validator rule; asked once per class. */
const declaresRules = new WeakMap<Function, boolean>();
function hasRules(type: Function): boolean {
  let known = declaresRules.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
    declaresRules.set(type, known);
  }
  return known;
}

/**
 * How type-graphql checks arguments (schema.ts): class-validator on inputs
 * that declare rules, as type-graphql would (missing properties skipped,
 * unknown objects allowed); nothing at all for the others, such as the page
 * arguments every nested list reads once per parent.
 */
export const validateArguments: ValidatorFn = async (value, type) => {
  if (typeof type !== 'function' || value === null || typeof value !== 'object' || !hasRules(type)) return;
  const items: object[] = Array.isArray(value) ? value : [value];
  const failures = (await Promise.all(items.map((item) => validate(item, { skipMissingProperties: true, forbidUnknownValues: false })))).flat();
  if (failures.length > 0) throw new ArgumentValidationError(failures);
};
