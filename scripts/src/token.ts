import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { identityFromClaims, maxTokenLifetimeFromEnv, mintToken, Role, timeSpanSeconds } from '@hub/server';
import { actorTypeOf, AGENCIES, FACT } from '@hub/domain';

/**
 * `npm run -s token -- --agency <actor id> [--role editor] ...`: prints a
 * development token signed with HUB_JWT_SECRET (or the development secret
 * that `npm start` accepts). The gateway and every subgraph accept it: a
 * call straight to a subgraph also sends the gateway secret
 * (x-hub-gateway-secret, docs/auth-and-roles.md).
 */
const USAGE = `Usage: npm run -s token -- --agency <actor id> [--role viewer|editor|admin] [--user NAME] [--subgraphs people,initiatives] [--expires 8h]

  --agency     the agency the user acts for: an actor id, e.g. ${FACT.nakhonPeopleCentre} (its sector follows from the prefix)
  --role       viewer reads contact details and history; editor also changes the agency's own records;
               admin manages every record of the subgraphs in --subgraphs (default: the agency's own owner subgraph)
  --user       the user's name, the token's subject (default: <role>@<agency>)
  --subgraphs  for admins: the subgraphs they administer, comma-separated
  --expires    lifetime, e.g. 30m, 8h (default 8h); at most HUB_JWT_MAX_LIFETIME (default 24h)

Send a token as the header  Authorization: Bearer <token>`;

/** The token the arguments ask for; throws with a reason when they are wrong. */
export async function tokenFromArgs(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      agency: { type: 'string' },
      role: { type: 'string', default: Role.EDITOR },
      user: { type: 'string' },
      subgraphs: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.agency) throw new UsageError();
  // The same checks the gateway and the subgraphs make, so a token this prints is one they accept.
  const identity = identityFromClaims(
        {
          sub: values.user ?? `${values.role}@${values.agency}`,
          agency: values.agency,
          sector: actorTypeOf(values.agency)?.sector,
          role: values.role,
          ...(values.subgraphs ? { subgraphs: values.subgraphs.split(',').map((s) => s.trim()) } : {}),
        },
        AGENCIES,
      );
  const lifetime = timeSpanSeconds(values.expires!);
  if (lifetime === undefined) throw new Error(`--expires must be a time span such as 30m or 8h; got "${values.expires}".`);
  if (lifetime > maxTokenLifetimeFromEnv()) {
    throw new Error(`--expires ${values.expires} is longer than the gateway and the subgraphs accept: HUB_JWT_MAX_LIFETIME, 24h unless set.`);
  }
  return mintToken(identity, { expiresIn: values.expires! });
}

class UsageError extends Error {}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(await tokenFromArgs(process.argv.slice(2)));
  } catch (error) {
    const help = process.argv.includes('--help') || process.argv.includes('-h');
    console.error(error instanceof UsageError ? USAGE : `${(error as Error).message}\n\n${USAGE}`);
    process.exit(help ? 0 : 2);
  }
}
