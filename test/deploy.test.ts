import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse as parseGraphQL } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { createGateway, DEFAULT_LIMITS, DEFAULT_RESPONSE_CACHE, limitsFromEnv, responseCacheFromEnv, serveGateway, subgraphUrlsFromEnv } from '@hub/gateway';
import { SUBGRAPHS } from '@hub/scripts/subgraphs';
import { authFromEnv, GATEWAY_SECRET_HEADER, gatewaySecrets, maxTokenLifetimeFromEnv, type Served } from '@hub/server';
import { changeFeedLimitsFromEnv, databaseUrlFor, maxRowsFromEnv } from '@hub/toolkit';
import { ownerUrls } from '../subgraphs/search/src/owner-api.js';

// The deployment description (deploy/) checked against the code: every
// manifest is a valid Kubernetes object, and each part gets the port, the
// probes, the settings and the entry point its code has, judged by the code's
// own readers of those settings. No database, no cluster, no image build.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');
const KUBERNETES = join(DEPLOY, 'kubernetes');

// ---------------------------------------------------------------------------
// The manifests, as `kubectl apply -k deploy/kubernetes` reads them.

/** A Kubernetes object as written: the fields the checks below read, loosely typed as YAML gives them. */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** The file it came from, for messages. */
  file: string;
}

interface Kustomization {
  resources: string[];
  configMapGenerator?: { name: string; files?: string[]; options?: { disableNameSuffixHash?: boolean } }[];
}

const kustomization = parseYaml(readFileSync(join(KUBERNETES, 'kustomization.yaml'), 'utf8')) as Kustomization;

function readManifests(): Manifest[] {
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(KUBERNETES, file), 'utf8')).map((document) => {
      if (document.errors.length) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
      return { ...(document.toJS() as Omit<Manifest, 'file'>), file };
    }),
  );
}

const manifests = readManifests();

/** The ConfigMaps kustomize generates from files: each file is a key, its text the value. */
const generatedConfigMaps: Manifest[] = (kustomization.configMapGenerator ?? []).map((generator) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: generator.name },
  data: Object.fromEntries((generator.files ?? []).map((entry) => {
    const [key, path] = entry.includes('=') ? (entry.split('=', 2) as [string, string]) : [basename(entry), entry];
    return [key, readFileSync(join(KUBERNETES, path), 'utf8')];
  })),
  file: 'kustomization.yaml',
}));

function find(kind: string, name: string): Manifest {
  const found = [...manifests, ...generatedConfigMaps].find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in deploy/kubernetes`);
  return found;
}

/** A ConfigMap's or Secret's values, as a pod's environment sees them. */
function valuesOf(kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const source = find(kind, name);
  const decoded = Object.fromEntries(Object.entries(source.data ?? {}).map(([key, value]) => [key, kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value]));
  return { ...decoded, ...(source.stringData ?? {}) };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}

interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}

/** The environment a container starts with: envFrom first, then env, as the kubelet builds it. */
function environmentOf(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, valuesOf('ConfigMap', from.configMapRef.name));
    if (from.secretRef) Object.assign(env, valuesOf('Secret', from.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    const ref = configMapKeyRef ?? secretKeyRef;
    if (ref) {
      const value = valuesOf(configMapKeyRef ? 'ConfigMap' : 'Secret', ref.name)[ref.key];
      if (value === undefined) throw new Error(`${container.name}: ${variable.name} refers to ${ref.name}/${ref.key}, which does not exist`);
      env[variable.name] = value;
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return env;
}

/** The port a probe or a Service names, by number or by the container port's name. */
function portNumber(container: Container, port: number | string): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
const deploymentOf = (part: string) => find('Deployment', part);
const containerOf = (part: string): Container => {
  const containers = deploymentOf(part).spec.template.spec.containers as Container[];
  expect(containers, `${part} runs one container`).toHaveLength(1);
  return containers[0]!;
};

// ---------------------------------------------------------------------------
// The parts, as the code defines them.

const SUBGRAPH_PORTS = new Map(SUBGRAPHS.map((definition) => [definition.name, definition.defaultPort]));
/** The gateway's port when PORT is unset, as its entry point says. */
const GATEWAY_PORT = Number(/process\.env\.PORT \?\? (\d+)/.exec(readFileSync(join(ROOT, 'gateway/src/main.ts'), 'utf8'))?.[1]);
const PARTS = ['gateway', ...SUBGRAPH_PORTS.keys()];
const portOf = (part: string) => (part === 'gateway' ? GATEWAY_PORT : SUBGRAPH_PORTS.get(part)!);

/** The subgraphs the committed supergraph composes, by the names its join__Graph enum gives them. */
function supergraphSubgraphs(sdl: string): string[] {
  const names: string[] = [];
  for (const definition of parseGraphQL(sdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const directive of (definition.values ?? []).flatMap((value) => value.directives ?? [])) {
      const name = directive.arguments?.find((argument) => argument.name.value === 'name')?.value;
      if (directive.name.value === 'join__graph' && name?.kind === Kind.STRING) names.push(name.value);
    }
  }
  return names.sort();
}

const SUPERGRAPH = readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8');
const SUPERGRAPH_SUBGRAPHS = supergraphSubgraphs(SUPERGRAPH);

function* filesUnder(dir: string, suffix: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* filesUnder(path, suffix);
    else if (path.endsWith(suffix)) yield path;
  }
}

/** The TypeScript each part runs: its own package and the shared ones it is built on. */
function sourcesOf(part: string): string {
  const folders = part === 'gateway' ? ['gateway', 'server', 'domain'] : [`subgraphs/${part}`, 'toolkit', 'server', 'domain'];
  return folders.flatMap((folder) => [...filesUnder(join(ROOT, folder, 'src'), '.ts')].map((file) => readFileSync(file, 'utf8'))).join('\n');
}

/** Whether a part's code reads a variable by its literal name: `env.NAME`, `env['NAME']`, or the name as a string ('NAME' in a table of settings). */
function readsLiterally(source: string, name: string): boolean {
  return new RegExp(`env\\.${name}\\b|env\\[['"]${name}['"]\\]|['"]${name}['"]`).test(source);
}

/** Whether a part reads a variable whose name it builds from a subgraph's name (SUBGRAPH_PEOPLE_URL, PEOPLE_DATABASE_URL), asked of the code's own readers. */
function readsByPattern(part: string, name: string): boolean {
  const marker = 'read-by-the-code';
  const env = { [name]: marker };
  if (part === 'gateway') return Object.values(subgraphUrlsFromEnv(env)).includes(marker);
  if (databaseUrlFor(part, env) === marker) return true;
  return part === 'search' && Object.values(ownerUrls({}, env)).includes(marker);
}

// ---------------------------------------------------------------------------
// Schema validation with kubernetes-models: each kind's class checks its object.

async function validate(manifest: Omit<Manifest, 'file'> & { file?: string }): Promise<void> {
  // One module per API group and version (kubernetes-models/apps/v1), named at run time.
  const specifier = `kubernetes-models/${manifest.apiVersion}`;
  const group = await import(/* @vite-ignore */ specifier).catch(() => undefined);
  const Model = group?.[manifest.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) throw new Error(`kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}: a kind the cluster may not know either`);
  const { file: _source, ...object } = manifest;
  new Model(object).validate();
}

describe('the Kubernetes manifests (deploy/kubernetes)', () => {
  it('lists every manifest of the folder in kustomization.yaml', () => {
    // A file left out of `resources` is silently not deployed.
    const files = readdirSync(KUBERNETES).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('are valid Kubernetes objects, each of a kind kubernetes-models knows', async () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of [...manifests, ...generatedConfigMaps]) {
      await expect(validate(manifest), `${manifest.file}: ${manifest.kind} ${manifest.metadata.name}`).resolves.toBeUndefined();
    }
  });

  it('catches a broken manifest: a container port written as a string', async () => {
    // The check above could pass vacuously; here it must fail.
    const broken = structuredClone(deploymentOf('gateway'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = String(GATEWAY_PORT);
    await expect(validate(broken)).rejects.toThrow(/containerPort must be integer/);
    await expect(validate({ ...broken, kind: 'Deploymnet' })).rejects.toThrow(/no apps\/v1 Deploymnet/);
  });

  it('runs every part of the hub, and nothing but the hub and its Redis', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...PARTS, 'redis'].sort());
    expect(SUBGRAPH_PORTS.size).toBe(SUPERGRAPH_SUBGRAPHS.length);
  });

  it.each(PARTS)('%s: listens, is exposed and is probed on the port its code uses', (part) => {
    const container = containerOf(part);
    const port = portOf(part);
    expect(container.ports?.map((candidate) => candidate.containerPort)).toEqual([port]);
    const env = environmentOf(container);
    if (env.PORT !== undefined) expect(Number(env.PORT)).toBe(port);

    const service = find('Service', part);
    const labels = deploymentOf(part).spec.template.metadata.labels as Record<string, string>;
    for (const [key, value] of Object.entries(service.spec.selector as Record<string, string>)) expect(labels[key], `Service ${part} selects its pods`).toBe(value);
    for (const servicePort of service.spec.ports as { targetPort: number | string }[]) expect(portNumber(container, servicePort.targetPort)).toBe(port);

    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      const probePort = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
      if (probePort !== undefined) expect(portNumber(container, probePort)).toBe(port);
    }
  });

  it('points SUBGRAPH_<NAME>_URL at each subgraph\'s Service, for every subgraph of the supergraph', () => {
    const urls = valuesOf('ConfigMap', 'hub-subgraph-urls');
    expect(Object.keys(subgraphUrlsFromEnv(urls)).sort()).toEqual(SUPERGRAPH_SUBGRAPHS);
    for (const [name, address] of Object.entries(subgraphUrlsFromEnv(urls))) {
      const url = new URL(address);
      const service = find('Service', url.hostname);
      expect(service.metadata.name).toBe(name);
      expect((service.spec.ports as { port: number }[]).map((servicePort) => servicePort.port)).toContain(Number(url.port));
      expect(url.pathname).toBe('/graphql');
    }
  });

  it.each(PARTS)('%s: names only settings its code reads', (part) => {
    // A misspelt name is not an error anywhere else: the part would start on its default.
    const source = sourcesOf(part);
    const unread = Object.keys(environmentOf(containerOf(part))).filter((name) => !readsLiterally(source, name) && !readsByPattern(part, name));
    expect(unread).toEqual([]);
  });

  it.each(PARTS)('%s: has every setting production needs, by the code\'s own readers', (part) => {
    const env = environmentOf(containerOf(part));
    // Anything but development or test refuses the development secrets.
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOST).toBe('0.0.0.0');
    // Each throws on a missing or short secret, or a malformed setting.
    expect(() => authFromEnv(env)).not.toThrow();
    expect(() => maxTokenLifetimeFromEnv(env)).not.toThrow();
    expect(gatewaySecrets(env, false).current).toBe(env.HUB_GATEWAY_SECRET);
    if (part === 'gateway') {
      expect(Object.keys(subgraphUrlsFromEnv(env)).sort()).toEqual(SUPERGRAPH_SUBGRAPHS);
      expect(() => limitsFromEnv(env)).not.toThrow();
      // Replicas share one response cache and the persisted queries.
      expect(responseCacheFromEnv(env).redis?.url).toBe(env.REDIS_URL);
    } else {
      expect(new URL(databaseUrlFor(part, env) ?? 'missing:').protocol, `${part} has its own database`).toBe('postgresql:');
      expect(env[`${part.toUpperCase()}_DATABASE_URL`]).toBeDefined();
      expect(() => maxRowsFromEnv(env)).not.toThrow();
      expect(() => changeFeedLimitsFromEnv(env)).not.toThrow();
    }
    if (part === 'search') {
      // The index reads the owners where the gateway does, not at localhost.
      const services = valuesOf('ConfigMap', 'hub-subgraph-urls');
      for (const [owner, url] of Object.entries(ownerUrls({}, env))) expect(url, owner).toBe(services[`SUBGRAPH_${owner.toUpperCase()}_URL`]);
    }
  });

  it('gives each subgraph a database of its own', () => {
    const urls = [...SUBGRAPH_PORTS.keys()].map((part) => databaseUrlFor(part, environmentOf(containerOf(part))));
    expect(new Set(urls).size).toBe(SUBGRAPH_PORTS.size);
  });

  it('mounts the supergraph ConfigMap as a directory the gateway polls, under a stable name', () => {
    const container = containerOf('gateway');
    const path = environmentOf(container).SUPERGRAPH_PATH!;
    const mount = container.volumeMounts?.find((candidate) => posix.dirname(path) === candidate.mountPath);
    expect(mount, 'SUPERGRAPH_PATH lies in a mounted directory').toBeDefined();
    // A subPath mount is copied once: a ConfigMap update would never reach it.
    expect(mount!.subPath).toBeUndefined();
    const volume = (deploymentOf('gateway').spec.template.spec.volumes as { name: string; configMap?: { name: string } }[]).find((candidate) => candidate.name === mount!.name);
    const configMap = find('ConfigMap', volume!.configMap!.name);
    expect(Object.keys(configMap.data ?? {})).toContain(posix.basename(path));
    // Kustomize's hash suffix would rename the ConfigMap on each change and roll the pods instead.
    const generator = kustomization.configMapGenerator?.find((candidate) => candidate.name === configMap.metadata.name);
    expect(generator?.options?.disableNameSuffixHash).toBe(true);
  });

  it('serves the committed supergraph, small enough for a client-side apply', () => {
    const served = valuesOf('ConfigMap', 'hub-supergraph')['supergraph.graphql'];
    expect(served === SUPERGRAPH, 'deploy/kubernetes/supergraph.graphql differs from schema/supergraph.graphql: cp schema/supergraph.graphql deploy/kubernetes/').toBe(true);
    // `kubectl apply` keeps the whole object in an annotation of at most 256 KiB.
    expect(Buffer.byteLength(SUPERGRAPH)).toBeLessThan(256 * 1024);
  });

  it('runs every container as a non-root user on a read-only filesystem, with resources and probes', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec as { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }; containers: Container[] };
      for (const container of pod.containers) {
        const where = `${deployment.metadata.name}/${container.name}`;
        expect(container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, where).toBe(true);
        // The image names its user (`node`); the kubelet can only check a number is not root.
        expect(pod.securityContext?.runAsUser, where).toBeGreaterThan(0);
        expect(container.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        for (const kind of ['requests', 'limits'] as const) expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${where} ${kind}`).toEqual(['cpu', 'memory']);
        expect(container.livenessProbe, where).toBeDefined();
        expect(container.readinessProbe, where).toBeDefined();
      }
    }
  });

  it('scales the gateway from two replicas on CPU, and drains it one at a time', () => {
    const autoscaler = find('HorizontalPodAutoscaler', 'gateway');
    expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec.metrics).toContainEqual(expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }));
    // A count in the Deployment would reset the autoscaler's on every apply.
    expect(deploymentOf('gateway').spec.replicas).toBeUndefined();
    const budget = find('PodDisruptionBudget', 'gateway');
    expect(budget.spec.selector.matchLabels).toEqual(deploymentOf('gateway').spec.selector.matchLabels);
  });

  it('lets only the gateways and the search subgraph reach the subgraphs, whichever subgraphs there are', () => {
    // A subgraph missing from the policy would be open to every pod; one missing from `from` could not do its work.
    const policy = find('NetworkPolicy', 'subgraphs-answer-only-the-hub');
    const [selected] = policy.spec.podSelector.matchExpressions as { values: string[] }[];
    expect([...selected!.values].sort()).toEqual([...SUBGRAPH_PORTS.keys()].sort());
    const [allowed] = policy.spec.ingress[0].from[0].podSelector.matchExpressions as { values: string[] }[];
    expect(allowed!.values).toEqual(expect.arrayContaining(['gateway', 'search']));
  });

  it('runs the gateways\' Redis where REDIS_URL points', () => {
    const url = new URL(environmentOf(containerOf('gateway')).REDIS_URL!);
    const service = find('Service', url.hostname);
    expect((service.spec.ports as { port: number }[]).map((servicePort) => servicePort.port)).toContain(Number(url.port || 6379));
  });
});

describe('the probes, against the routes the code serves', () => {
  let gateway: Served;

  beforeAll(async () => {
    // The gateway as its Deployment starts it, over the deployed supergraph;
    // the subgraphs' in-cluster names do not resolve here, so it is live but not ready.
    const env = environmentOf(containerOf('gateway'));
    const served = createGateway({
      supergraph: { path: join(KUBERNETES, 'supergraph.graphql'), watch: false },
      subgraphUrls: subgraphUrlsFromEnv(env),
      responseCache: { ...DEFAULT_RESPONSE_CACHE, followChanges: false },
      log: () => {},
    });
    gateway = await serveGateway(served, { port: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('probes the gateway\'s liveness and readiness routes', async () => {
    const container = containerOf('gateway');
    const liveness = await fetch(new URL(container.livenessProbe!.httpGet!.path, gateway.url));
    expect(liveness.status).toBe(200);
    const readiness = await fetch(new URL(container.readinessProbe!.httpGet!.path, gateway.url));
    // Ready once the supergraph is loaded, naming the subgraphs that are not: the readiness route, not a 404.
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'degraded', unavailable: expect.arrayContaining(SUPERGRAPH_SUBGRAPHS) });
  });

  it('probes only paths a subgraph serves', () => {
    // A subgraph needs its database to start, so its routes are read from where runSubgraph defines them.
    const server = readFileSync(join(ROOT, 'toolkit/src/server.ts'), 'utf8');
    const routes = new Set([...server.matchAll(/pathname\s*[!=]==\s*'(\/[^']*)'/g)].map((match) => match[1]!));
    expect(routes.size).toBeGreaterThan(0);
    for (const part of SUBGRAPH_PORTS.keys()) {
      const container = containerOf(part);
      const paths = [container.livenessProbe, container.readinessProbe, container.startupProbe].flatMap((probe) => (probe?.httpGet ? [probe.httpGet.path] : []));
      expect(paths.length, `${part} has an HTTP probe`).toBeGreaterThan(0);
      expect(container.livenessProbe?.httpGet?.path, `${part} liveness`).toBe('/health');
      expect(container.readinessProbe?.httpGet?.path, `${part} readiness`).toBe('/ready');
      for (const path of paths) expect([...routes], `${part} probes ${path}`).toContain(path);
    }
  });
});

// ---------------------------------------------------------------------------
// The image.

interface Stage {
  /** The image it starts from: a Node image, or an earlier stage's (`base`). */
  from: string;
  name?: string;
  /** What it runs, with what an earlier stage it starts from ran first. */
  instructions: { keyword: string; args: string }[];
}

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
function dockerfileStages(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      const base = stages.find((stage) => stage.name === from);
      stages.push({ from: base?.from ?? from, ...(name ? { name } : {}), instructions: [...(base?.instructions ?? [])] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

describe('the image (deploy/Dockerfile)', () => {
  const stages = dockerfileStages(readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;

  it('builds and runs on Node 22 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:22(\.\d+)*-(bookworm-)?slim$/);
  });

  it('installs production dependencies only, from the lockfile, after copying every workspace manifest', () => {
    const installs = runtime.instructions.findIndex(({ keyword, args }) => keyword === 'RUN' && /\bnpm ci\b/.test(args));
    expect(runtime.instructions[installs]?.args).toMatch(/--omit=dev/);
    // npm ci refuses a lockfile whose workspaces it cannot find.
    const copiedBefore = runtime.instructions.slice(0, installs).filter(({ keyword }) => keyword === 'COPY').map(({ args }) => args);
    for (const manifest of ['package.json', 'package-lock.json', ...workspaces.map((workspace) => `${workspace}/package.json`)]) {
      expect(copiedBefore.some((args) => args.split(/\s+/).includes(manifest)), `${manifest} is copied before npm ci`).toBe(true);
    }
  });

  it('runs as a non-root user, in production, listening beyond loopback', () => {
    const user = runtime.instructions.filter(({ keyword }) => keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    const env = Object.fromEntries(
      runtime.instructions.filter(({ keyword }) => keyword === 'ENV').flatMap(({ args }) => [...args.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!])),
    );
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
  });

  it('carries each Deployment\'s entry point, which the build produces', () => {
    const copied = runtime.instructions.filter(({ keyword, args }) => keyword === 'COPY' && args.startsWith('--from=')).map(({ args }) => args.split(/\s+/).at(-1)!);
    // What the gateway reads beside its code: the default supergraph and the IDE.
    expect(copied).toEqual(expect.arrayContaining(['schema', 'ide/dist']));
    for (const part of PARTS) {
      const [program, entry, ...rest] = containerOf(part).command ?? [];
      expect(program).toBe('node');
      expect(rest).toEqual([]);
      expect(copied.some((folder) => entry!.startsWith(`${folder}/`)), `${entry} is in the image`).toBe(true);
      expect(existsSync(join(ROOT, entry!)), `${entry} exists after tsc -b`).toBe(true);
    }
  });

  it('installs, as dependencies of their own package, every package the built code of the parts imports', () => {
    // `npm ci --omit=dev` leaves devDependencies out: one that the code imports fails only in production.
    const folders = ['server', 'toolkit', 'domain', 'gateway', ...[...SUBGRAPH_PORTS.keys()].map((name) => `subgraphs/${name}`)];
    const missing: string[] = [];
    for (const folder of folders) {
      const manifest = JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
      for (const file of filesUnder(join(ROOT, folder, 'dist'), '.js')) {
        const code = readFileSync(file, 'utf8');
        const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((match) => (match[1] ?? match[2] ?? match[3])!);
        for (const specifier of specifiers) {
          if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
          const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          if (!dependencies.has(name)) missing.push(`${relative(ROOT, file)} imports ${name}, not in ${folder}/package.json dependencies`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Apollo Router over the same subgraphs.

describe('the Apollo Router configuration (deploy/router.yaml)', () => {
  const router = parseYaml(readFileSync(join(DEPLOY, 'router.yaml'), 'utf8')) as {
    override_subgraph_url: Record<string, string>;
    headers: { all: { request: { propagate?: { named: string }; insert?: { name: string; value: string } }[] } };
    demand_control: { strategy: { static_estimated: { max: number } } };
  };

  it('sends each subgraph of the supergraph to its Service, or to the SUBGRAPH_<NAME>_URL the hub\'s gateway reads', () => {
    expect(Object.keys(router.override_subgraph_url).sort()).toEqual(SUPERGRAPH_SUBGRAPHS);
    const services = valuesOf('ConfigMap', 'hub-subgraph-urls');
    for (const [name, value] of Object.entries(router.override_subgraph_url)) {
      const variable = `SUBGRAPH_${name.toUpperCase()}_URL`;
      expect(value).toBe(`\${env.${variable}:-${services[variable]}}`);
    }
  });

  it('forwards the user\'s token and adds the gateway secret that subgraphs require', () => {
    const rules = router.headers.all.request;
    expect(rules).toContainEqual({ propagate: { named: 'authorization' } });
    expect(rules).toContainEqual({ insert: { name: GATEWAY_SECRET_HEADER, value: '${env.HUB_GATEWAY_SECRET}' } });
    // Nothing else the client sends may pass: a client could name itself one of the hub's services.
    expect(rules.filter((rule) => rule.propagate)).toHaveLength(1);
  });

  it('charges the same budget as the hub\'s gateway', () => {
    expect(router.demand_control.strategy.static_estimated.max).toBe(DEFAULT_LIMITS.maxCost);
  });
});

// The README's commands name files that exist.
describe('deploy/README.md', () => {
  it('names only files that exist', () => {
    const readme = readFileSync(join(DEPLOY, 'README.md'), 'utf8');
    for (const [, path] of readme.matchAll(/\b((?:deploy|schema|docs)\/[\w./-]+\.(?:yaml|md|graphql)|deploy\/Dockerfile)\b/g)) {
      expect(existsSync(join(ROOT, dirname(path!), basename(path!))), path).toBe(true);
    }
  });
});
