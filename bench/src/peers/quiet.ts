/**
 * Imported first by the `bench:peers` command, before anything loads the
 * toolkit's logger: the subgraphs run inside the harness, and at info level
 * they would print one JSON line per subgraph request (thousands a second)
 * over the results. PEERS_LOG_LEVEL sets their level (warn by default). The
 * target children get the caller's own LOG_LEVEL back, so the hub's gateway
 * logs as `npm start`'s does.
 */
process.env.PEERS_USER_LOG_LEVEL = process.env.LOG_LEVEL ?? '';
process.env.LOG_LEVEL = process.env.PEERS_LOG_LEVEL ?? 'warn';

export {};
