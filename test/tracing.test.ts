import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, startTracing } from '@hub/server';
import { startTestHub, type TestHub } from './support/hub.js';

describe('OpenTelemetry traces (off by default; on with OTEL_TRACES_EXPORTER)', () => {
  const exporter = new InMemorySpanExporter();
  let stopTracing: () => Promise<void>;
  let hub: TestHub;

  beforeAll(async () => {
    stopTracing = startTracing('hub-test', exporter);
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
    await stopTracing?.();
  });

  it('follows one request from the gateway through the subgraphs to their SQL, as one trace', async () => {
    exporter.reset();
    const result = await hub.query(`{ province(code: "TH-80") { nameEn peopleOrganizations { totalCount } } }`);
    expect(result.errors).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'gateway POST /graphql');
    expect(root, spans.map((s) => s.name).join(', ')).toBeDefined();
    const trace = spans.filter((s) => s.spanContext().traceId === root!.spanContext().traceId);
    const names = new Set(trace.map((s) => s.name));
    expect(names).toContain('government POST /graphql');
    expect(names).toContain('people POST /graphql');
    expect(names).toContain('gateway.request');
    expect(trace.filter((s) => s.name === 'sql').length).toBeGreaterThanOrEqual(2);
  });
});
