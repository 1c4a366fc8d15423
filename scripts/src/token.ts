import { parseArgs } from 'node:util';
import { mintToken } from '@hub/gateway';
import { actorTypeOf, FACT, identityFromClaims, Role } from '@hub/toolkit';

/**
 * `npm run token -- --agency <actor id> [--role editor] [--user name]
 * [--subgraphs a,b] [--expires 8h]`: prints a development token signed with
 * HUB_JWT_SECRET (or the development secret that `npm start` accepts).
 */
const USAGE = `Usage: npm run token -- --agency <actor id> [--role viewer|editor|admin] [--user NAME] [--subgraphs people,initiatives] [--expires 8h]

  --agency     the agency the user acts for: an actor id, e.g. ${FACT.nakhonPeopleCentre} (its sector follows from the prefix)
  --role       viewer reads contact details and history; editor also changes the agency's own records;
               admin manages every record of the subgraphs in --subgraphs (default: the agency's own owner subgraph)
  --user       the user's name, the token's subject (default: <role>@<agency>)
  --subgraphs  for admins: the subgraphs they administer, comma-separated
  --expires    lifetime, e.g. 30m, 8h, 7d (default 8h)

Send it as the header  Authorization: Bearer <token>`;

function main() {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      role: { type: 'string', default: Role.EDITOR },
      user: { type: 'string' },
      subgraphs: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.agency) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  // The same checks the gateway makes, so a token this prints is one it accepts.
  const identity = identityFromClaims({
    sub: values.user ?? `${values.role}@${values.agency}`,
    agency: values.agency,
    sector: actorTypeOf(values.agency)?.sector,
    role: values.role,
    ...(values.subgraphs ? { subgraphs: values.subgraphs.split(',').map((s) => s.trim()) } : {}),
  });
  return mintToken(identity, { expiresIn: values.expires! }).then((token) => console.log(token));
}

try {
  await main();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
