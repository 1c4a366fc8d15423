import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { ReferenceKind, wrap, type EntityProperty, type RequiredEntityData } from '@mikro-orm/core';
import { AuditEntry, byKeyLoader, ChangeAction, createSubgraphOrm, findRows, type MikroORM } from '@hub/toolkit';
import { createTestDatabase, type TestDatabase } from '@hub/toolkit/testing';
import { generateDemo } from '@hub/scripts/demo';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { FeedPosition, SearchEntry } from '@hub/search';

type EntityClass = new (...args: any[]) => object;

/** The properties GraphQL can read from a record: its columns the ORM loads, and the fields of its object type (getters such as `sector`). */
function visibleProperties(orm: MikroORM, entity: EntityClass): string[] {
  const columns = orm
    .getMetadata()
    .get(entity)
    .props.filter((prop) => prop.persist !== false && !prop.lazy)
    .map((prop) => prop.name);
  const fields = getMetadataStorage()
    .fields.filter((field) => field.target === entity || entity.prototype instanceof field.target)
    .map((field) => field.name);
  return [...new Set([...columns, ...fields])].sort();
}

/** A value of a property's type, for filling a column the seeded data leaves null. */
function sampleValue(prop: EntityProperty): unknown {
  if (prop.type === 'DateType' || prop.type === 'date') return '2006-02-28';
  if (prop.runtimeType === 'Date') return new Date('2026-01-02T03:04:05.678Z');
  if (prop.type === 'JsonType' || prop.type === 'json') return { phone: '+66 75 000 000', tags: ['เครือข่าย', 2] };
  if (prop.runtimeType === 'number') return prop.type === 'DoubleType' || prop.type === 'double' ? 1234.5 : 42;
  return 'fill';
}

describe('plain rows (reads without the unit of work)', () => {
  let database: TestDatabase;
  const orms: { name: string; orm: MikroORM; entities: EntityClass[] }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // The source facts and a small demo dataset, through each subgraph's migrations and ORM.
    await generateDemo({ scale: 'tiny' }, database.url);
    for (const definition of SUBGRAPHS) {
      const orm = await createSubgraphOrm(definition, { databaseUrl: database.url, poolSize: 2 });
      const entities = [...definition.entities, AuditEntry] as EntityClass[];
      orms.push({ name: definition.name, orm, entities });
      // In each table, one record with every column filled (and archived) and one with every optional column null,
      // so both readers meet every kind of value.
      const em = orm.em.fork();
      if (definition.name === 'search') {
        // The search index is filled only through the owners' APIs, which this test does not serve: a row of each by hand.
        em.create(SearchEntry, { id: 'TH-80', subgraph: 'government', typeName: 'Province', name: 'นครศรีธรรมราช', provinceCodes: ['TH-80'], version: 1 });
        em.create(FeedPosition, { subgraph: 'government', lastChangeId: 'chg_000000000001' });
        await em.flush();
      }
      for (const entity of definition.entities as EntityClass[]) {
        const meta = orm.getMetadata().get(entity);
        const key = meta.primaryKeys[0]!;
        const [filled] = (await em.find(entity, {}, { orderBy: { [key]: 'desc' }, limit: 1 })) as Record<string, unknown>[];
        let [emptied] = (await em.find(entity, {}, { orderBy: { [key]: 'asc' }, limit: 1 })) as Record<string, unknown>[];
        if (emptied === filled) emptied = em.create(entity, { ...wrap(filled!).toPOJO(), [key]: `${filled![key]}_copy` }) as Record<string, unknown>;
        for (const prop of meta.props.filter((p) => p.kind === ReferenceKind.SCALAR && p.nullable && !p.lazy)) {
          filled![prop.name] ??= sampleValue(prop);
          emptied![prop.name] = null;
        }
      }
      // The audit trail is append-only and empty after seeding: two entries whose optional columns are null in one and filled in the other.
      const change = { recordType: 'Test', recordId: 'tst_1', user: 'tester', agency: 'gov_national_centre', role: 'admin' };
      em.create(AuditEntry, { ...change, action: ChangeAction.CREATE, after: { name: 'ก' } } as RequiredEntityData<AuditEntry>);
      em.create(AuditEntry, { ...change, action: ChangeAction.UPDATE, before: { name: 'ก', n: 1.5 }, after: null, requestId: 'req_1' } as RequiredEntityData<AuditEntry>);
      await em.flush();
    }
  });

  afterAll(async () => {
    for (const { orm } of orms) await orm.close();
    await database?.drop();
  });

  it('reads every entity of every subgraph with the same values, of the same types, as the ORM', async () => {
    const compared: string[] = [];
    for (const { name, orm, entities } of orms) {
      for (const entity of entities) {
        const meta = orm.getMetadata().get(entity);
        const key = meta.primaryKeys[0]!;
        const managed = (await orm.em.fork().find(entity, {}, { orderBy: { [key]: 'asc' } })) as Record<string, unknown>[];
        expect(managed.length, `${name}.${meta.className} has rows`).toBeGreaterThan(0);
        // Both plain paths: a list through the ORM's query builder, and records by key through hand-written SQL.
        const em = orm.em.fork();
        const listed = (await findRows(em, entity, {}, { orderBy: { [key]: 'asc' } })) as Record<string, unknown>[];
        const loaded = (await byKeyLoader(em, entity as new () => Record<string, unknown>, key).loadMany(managed.map((record) => String(record[key])))) as Record<string, unknown>[];
        const properties = visibleProperties(orm, entity);
        for (const plain of [listed, loaded]) {
          expect(plain.length).toBe(managed.length);
          for (const [i, record] of plain.entries()) {
            expect(record).toBeInstanceOf(entity);
            for (const property of properties) {
              // toStrictEqual tells a Date from a string and a number from a numeric string.
              expect(record[property], `${name}.${meta.className}#${managed[i]![key]}.${property}`).toStrictEqual(managed[i]![property]);
            }
          }
        }
        // Each property was compared with a value at least once, and each nullable one also as null.
        for (const prop of meta.props.filter((p) => properties.includes(p.name))) {
          const values = managed.map((record) => record[prop.name]);
          expect(values.some((value) => value !== null && value !== undefined), `${meta.className}.${prop.name} is filled somewhere`).toBe(true);
          if (prop.nullable) expect(values.some((value) => value === null), `${meta.className}.${prop.name} is null somewhere`).toBe(true);
        }
        compared.push(`${name}.${meta.className}`);
      }
    }
    expect(compared).toEqual([
      'people.PeopleOrganization',
      'people.Membership',
      'people.MandatedRole',
      'people.AuditEntry',
      'government.Province',
      'government.GovernmentCentre',
      'government.OfficialOrder',
      'government.AuditEntry',
      'partners.PrivatePartner',
      'partners.Contribution',
      'partners.AuditEntry',
      'initiatives.Initiative',
      'initiatives.Participation',
      'initiatives.Link',
      'initiatives.AuditEntry',
      'search.SearchEntry',
      'search.FeedPosition',
      'search.AuditEntry',
    ]);
  });

  it('gives records that stay plain: writing a field neither tracks it nor changes the database', async () => {
    const { orm, entities } = orms.find((o) => o.name === 'people')!;
    const entity = entities[0]!;
    const em = orm.em.fork();
    const [record] = (await findRows(em, entity, {}, { orderBy: { id: 'asc' }, limit: 1 })) as Record<string, unknown>[];
    const name = record!.name;
    record!.name = 'changed';
    expect(Object.getOwnPropertyDescriptor(record, 'name')).toMatchObject({ value: 'changed', writable: true });
    await em.flush();
    const [again] = (await orm.em.fork().find(entity, { id: record!.id })) as Record<string, unknown>[];
    expect(again!.name).toBe(name);
  });
});
