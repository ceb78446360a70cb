import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One span as the services exported it over OTLP/HTTP (JSON), with the exporting service's name. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  statusCode: number;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpCollector {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT: the exporters post to `<url>/v1/traces`. */
  url: string;
  spans(): CollectedSpan[];
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        status?: { code?: number };
        attributes?: { key: string; value: OtlpValue }[];
      }[];
    }[];
  }[];
}

/** OTLP/JSON ids are hex; accept base64 too (the protobuf JSON mapping). */
function hexId(id: string | undefined): string {
  if (!id) return '';
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

function valueOf(value: OtlpValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue ?? '';
}

/**
 * A minimal OTLP/HTTP trace receiver for tests: the services under test export their spans to it
 * (OTEL_EXPORTER_OTLP_ENDPOINT, JSON encoding, the exporter's default) and it keeps them in memory.
 */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const collected: CollectedSpan[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const payload = JSON.parse(body.toString('utf8')) as OtlpExport;
        for (const resourceSpans of payload.resourceSpans ?? []) {
          const serviceName = resourceSpans.resource?.attributes?.find(
            (a) => a.key === 'service.name',
          )?.value;
          const service = serviceName ? String(valueOf(serviceName)) : '';
          for (const scope of resourceSpans.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              collected.push({
                service,
                traceId: hexId(span.traceId),
                spanId: hexId(span.spanId),
                parentSpanId: hexId(span.parentSpanId),
                name: span.name,
                kind: span.kind,
                statusCode: span.status?.code ?? 0,
                attributes: Object.fromEntries(
                  (span.attributes ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]),
                ),
              });
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400).end(error instanceof Error ? error.message : String(error));
      }
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the OTLP collector has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    spans: () => [...collected],
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}
