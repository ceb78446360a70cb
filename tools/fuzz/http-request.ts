import { RawText } from './hostile-values';
import type { FieldPath, FuzzRequest } from './request-arbitraries';

export interface HttpRequest {
  method: string;
  /** Path and query string, percent-encoded (raw pieces verbatim). */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Applies a request's mutations to its valid parts and writes the HTTP request. */
/** The longest URL sent (request line + headers must fit Node's 16 KiB, with the token and headers). */
export const MAX_URL_LENGTH = 12_000;

export function toHttpRequest(pathTemplate: string, method: string, request: FuzzRequest): HttpRequest {
  const pathParameters: Record<string, unknown> = { ...request.pathParameters };
  const query: [string, unknown][] = Object.entries(request.query);
  // Mutations copy on write: the generated request stays as generated, for the failure report.
  let body: unknown = request.body;
  let rawBody: RawText | undefined;
  let contentType = 'application/json';
  for (const mutation of request.mutations) {
    switch (mutation.kind) {
      case 'path':
        pathParameters[mutation.name] = mutation.value;
        break;
      case 'query': {
        const index = query.findIndex(([name]) => name === mutation.name);
        if (index >= 0) query[index] = [mutation.name, mutation.value];
        else query.push([mutation.name, mutation.value]);
        break;
      }
      case 'drop-query': {
        const index = query.findIndex(([name]) => name === mutation.name);
        if (index >= 0) query.splice(index, 1);
        break;
      }
      case 'extra-query':
        query.push([mutation.name, mutation.value]);
        break;
      case 'field':
        body = setAt(body, mutation.path, mutation.value);
        break;
      case 'drop-field':
        body = setAt(body, mutation.path, undefined);
        break;
      case 'extra-field':
        if (isPlainObject(body)) body = withOwnKey(body, mutation.name, mutation.value);
        break;
      case 'body':
        rawBody = mutation.raw;
        break;
      case 'content-type':
        contentType = mutation.value;
        break;
    }
  }
  const path = pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => urlPiece(pathParameters[name]));
  const queryString = query
    .flatMap(([name, value]) =>
      Array.isArray(value) && value.length > 0
        ? value.map((item) => `${encodeUtf8(name)}=${urlPiece(item)}`)
        : [`${encodeUtf8(name)}=${urlPiece(value)}`],
    )
    .join('&');
  const hasBody = request.body !== undefined || rawBody !== undefined;
  const url = queryString ? `${path}?${queryString}` : path;
  return {
    method,
    // Cut to stay under Node's 16 KiB header limit: past it the HTTP parser answers 431 and closes the
    // socket before any service code runs, and the client, still writing the line, sees EPIPE instead
    // of the answer (a race in the transport, not a finding about the service).
    url: url.length > MAX_URL_LENGTH ? url.slice(0, MAX_URL_LENGTH) : url,
    headers: hasBody ? { 'content-type': contentType } : {},
    ...(hasBody ? { body: rawBody ? rawBody.text : toJson(body) } : {}),
  };
}

/** JSON text with RawText values written verbatim (`-0`, `1e400`, nesting JSON.stringify would refuse). */
export function toJson(value: unknown): string {
  if (value instanceof RawText) return value.text;
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${toJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A short, readable account of a request for a failure message: long values are elided. */
export function describeRequest(http: HttpRequest, caller: string): string {
  const body = http.body === undefined ? '' : `\n  body (${http.body.length} chars): ${elide(http.body)}`;
  const type = http.headers['content-type'] ? ` [${http.headers['content-type']}]` : '';
  return `${http.method} ${elide(http.url)}${type} as ${caller}${body}`;
}

function elide(text: string, keep = 300): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  if (escaped.length <= keep) return escaped;
  return `${escaped.slice(0, keep / 2)}…(${text.length} chars)…${escaped.slice(-keep / 4)}`;
}

function urlPiece(value: unknown): string {
  if (value instanceof RawText) return value.text;
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return encodeUtf8(value);
  if (typeof value === 'object') return encodeUtf8(toJson(value));
  return encodeUtf8(String(value));
}

/** Percent-encodes UTF-8 bytes; a lone surrogate becomes U+FFFD instead of throwing like encodeURIComponent. */
function encodeUtf8(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawText);
}

function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...target };
  // defineProperty so that "__proto__" becomes a key, as JSON.parse would make it.
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Sets (or with `undefined`, deletes) the value at `path`; a missing container is left alone. */
function setAt(root: unknown, path: FieldPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === 'number') {
    if (head >= root.length) return root;
    const copy = [...root];
    copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  if (isPlainObject(root) && typeof head === 'string') {
    if (rest.length > 0 && !(head in root)) return root;
    const copy = { ...root };
    if (rest.length === 0 && value === undefined) delete copy[head];
    else copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  return root;
}
