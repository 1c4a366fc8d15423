import { describe, expect, it } from 'vitest';
import { composeSupergraph, staleSchemaFiles } from '@hub/scripts/compose';

describe('the committed schema', () => {
  it('composes without errors and matches what the code prints (run `npm run compose` if this fails)', async () => {
    const composed = await composeSupergraph();
    expect(composed.errors).toEqual([]);
    expect([...composed.files.keys()].sort()).toEqual([
      'government.graphql',
      'initiatives.graphql',
      'partners.graphql',
      'people.graphql',
      'supergraph.graphql',
    ]);
    expect(await staleSchemaFiles(composed)).toEqual([]);
  });

  it('links a federation version that @apollo/composition 2.14 accepts', async () => {
    const composed = await composeSupergraph();
    for (const [name, sdl] of composed.files) {
      if (name === 'supergraph.graphql') continue;
      expect(sdl).toContain('https://specs.apollo.dev/federation/v2.14');
    }
  });
});
