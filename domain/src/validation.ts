import { ArrayMaxSize } from 'class-validator';
import { InputRule } from '@hub/toolkit';
import { isActorId } from './actors.js';
import { PROVINCES } from './provinces.js';

/** Checks on mutation inputs that name the hub's provinces and actors (see the toolkit's validation for the rest). */

const PROVINCE_CODES = new Set(PROVINCES.map((p) => p.code));

/** One of the 77 provinces' ISO 3166-2:TH codes. */
export function IsProvinceCode(): PropertyDecorator {
  return InputRule('isProvinceCode', (v) => typeof v === 'string' && PROVINCE_CODES.has(v), '$property must be a province code such as "TH-80"; "$value" is not one of the 77.');
}

/** A list of province codes, none repeated. */
export function AreProvinceCodes(): PropertyDecorator {
  return (target, property) => {
    ArrayMaxSize(77, { message: '$property may name at most the 77 provinces.' })(target, property);
    InputRule(
      'areProvinceCodes',
      (v) => Array.isArray(v) && v.every((code) => PROVINCE_CODES.has(code)) && new Set(v).size === v.length,
      '$property must list distinct province codes such as "TH-80".',
    )(target, property);
  };
}

/** An actor id: one of the registry's prefixes ("peo_", "gov_", "prt_") and lower-case letters, digits or underscores. */
export function IsActorId(): PropertyDecorator {
  return InputRule('isActorId', (v) => typeof v === 'string' && isActorId(v), '$property must be an actor id such as "gov_th80_centre"; "$value" is not.');
}
