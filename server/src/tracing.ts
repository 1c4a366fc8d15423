import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces across the gateway, the subgraphs and their SQL, off
 * by default. OTEL_TRACES_EXPORTER=otlp sends them to OTEL_EXPORTER_OTLP_ENDPOINT
 * (the standard variables), =console prints them. @apollo/gateway adds its own
 * spans (planning, fetches) to the same traces.
 */
export const tracer = trace.getTracer('anti-poverty-hub');

let enabled = false;

export function tracingEnabled(): boolean {
  return enabled;
}

/** Starts tracing if OTEL_TRACES_EXPORTER asks for it (or an exporter is given); returns how to flush and stop. */
export function startTracing(serviceName: string, exporter?: SpanExporter): () => Promise<void> {
  const chosen = exporter ?? exporterFromEnv();
  if (!chosen || enabled) return async () => {};
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [exporter ? new SimpleSpanProcessor(chosen) : new BatchSpanProcessor(chosen)],
  });
  provider.register();
  enabled = true;
  return () => provider.shutdown();
}

function exporterFromEnv(): SpanExporter | undefined {
  switch (process.env.OTEL_TRACES_EXPORTER) {
    case 'otlp':
      return new OTLPTraceExporter();
    case 'console':
      return new ConsoleSpanExporter();
    default:
      return undefined;
  }
}

/** Runs an incoming HTTP request inside a server span that continues the caller's trace (W3C traceparent). */
export function traceRequest<T>(name: string, headers: IncomingHttpHeaders, run: (end: (status: number) => void) => T): T {
  if (!enabled) return run(() => {});
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  return tracer.startActiveSpan(name, { kind: SpanKind.SERVER }, parent, (span) =>
    run((status) => {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }),
  );
}

/** The trace headers to send with an outgoing call made in `from`. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (enabled) propagation.inject(from, carrier);
  return carrier;
}

/** Records a finished SQL statement as a span of the current trace. */
export function traceQuery(sql: string, tookMs: number | undefined): void {
  if (!enabled) return;
  const end = Date.now();
  tracer
    .startSpan('sql', { kind: SpanKind.CLIENT, startTime: end - (tookMs ?? 0), attributes: { 'db.system': 'postgresql', 'db.query.text': sql.slice(0, 2000) } })
    .end(end);
}

/** Collects finished spans in memory, for tests of tracing (the same SDK version as the tracer's). */
export { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
