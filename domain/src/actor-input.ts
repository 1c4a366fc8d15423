import { IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { assignDefined, sentFields, Text } from '@hub/toolkit';
import { ContactDetailsInput, contactFrom, type ContactDetails } from './contact.js';
import { IsProvinceCode } from './validation.js';

/**
 * The fields that every owner's actor inputs share (people's organisations,
 * government centres, private partners), for both creating and changing one.
 */
@InputType()
export class ActorInputFields {
  @Field(() => String, { nullable: true, description: 'Name in English; null clears it.' })
  @IsOptional()
  @Text(300)
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-2:TH code of its province, e.g. "TH-80"; null for a national body.' })
  @IsOptional()
  @IsProvinceCode()
  provinceCode?: string | null;

  @Field(() => ContactDetailsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  contact?: ContactDetailsInput | null;
}

/** A new actor's columns from its input: the fields sent (the entity's defaults for the rest), contact details as stored. */
export function newActorData<T extends ActorInputFields>(input: T) {
  const { contact, ...fields } = input;
  return { ...sentFields(fields), contact: contactFrom(contact) };
}

/** Applies an actor's update input: fields left out keep their values; contact details, if sent, are replaced whole. */
export function applyActorChanges<T extends ActorInputFields>(record: { contact: ContactDetails | null }, input: T): void {
  const { contact, ...fields } = input;
  assignDefined(record, fields);
  if (contact !== undefined) record.contact = contactFrom(contact);
}
