import { IsEmail, Matches } from 'class-validator';
import { Ctx, Directive, Field, FieldResolver, InputType, ObjectType, Resolver, Root, type ClassType } from 'type-graphql';
import { requireSignedIn } from '@hub/server';
import { PlainText, Text, type SubgraphContext } from '@hub/toolkit';

/** How to reach a person at an actor: personal data, so only signed-in users read it. */
@Directive('@shareable')
@ObjectType({ description: 'How to reach the contact person of an actor. Visible to signed-in users only.' })
export class ContactDetails {
  @Field(() => String, { nullable: true, description: 'The contact person, as they wish to be named.' })
  person?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number, e.g. "+66 75 123 456".' })
  phone?: string | null;
}

@InputType({ description: 'Contact details to record; fields left out are cleared.' })
export class ContactDetailsInput {
  @Field(() => String, { nullable: true })
  @Text(200)
  person?: string | null;

  @Field(() => String, { nullable: true })
  @IsEmail({}, { message: 'email must be an email address such as "office@example.org".' })
  // An address check alone lets bidirectional overrides through, which disguise the address shown.
  @PlainText()
  email?: string | null;

  @Field(() => String, { nullable: true })
  @Matches(/^\+?[0-9][0-9 ()-]{5,24}$/, { message: 'phone must be a phone number of digits, spaces and dashes, e.g. "+66 75 123 456".' })
  phone?: string | null;
}

/** The stored form of a ContactDetailsInput: null when nothing is given. */
export function contactFrom(input: ContactDetailsInput | null | undefined): ContactDetails | null {
  if (!input) return null;
  const details = { person: input.person?.trim() || null, email: input.email?.trim() || null, phone: input.phone?.trim() || null };
  return details.person || details.email || details.phone ? details : null;
}

/** Adds `contact` to an actor type, readable only by signed-in users; anonymous readers get UNAUTHENTICATED on that field alone. */
export function contactResolver<T extends { contact: ContactDetails | null }>(Type: ClassType<T>) {
  @Resolver(() => Type)
  class ContactResolver {
    @FieldResolver(() => ContactDetails, { nullable: true, description: 'How to reach its contact person. Signed-in users only.' })
    contact(@Root() actor: T, @Ctx() context: SubgraphContext): ContactDetails | null {
      requireSignedIn(context.viewer, 'read contact details');
      return actor.contact;
    }
  }
  return ContactResolver;
}
