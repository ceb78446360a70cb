// GeoReport v2 (Open311) response shapes and their XML form. Field lists as the specification
// gives them (open311.org GeoReport v2, "API methods"): each response carries these names and no
// others. JSON is the spec's Spark-convention mapping of the XML: a list is a JSON array.

export const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
] as const;
export const ATTRIBUTE_FIELDS = [
  'variable',
  'code',
  'datatype',
  'required',
  'datatype_description',
  'order',
  'description',
  'values',
] as const;
export const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
] as const;
export const POST_RESPONSE_FIELDS = ['service_request_id', 'token', 'service_notice', 'account_id'] as const;
export const TOKEN_FIELDS = ['service_request_id', 'token'] as const;
export const ERROR_FIELDS = ['code', 'description'] as const;

export type Format = 'json' | 'xml';
type Scalar = string | number | boolean | null;
export type Open311Value = Scalar | Open311Object | Open311Object[];
export interface Open311Object {
  [key: string]: Open311Value;
}

/** The root element and the element of each list item, per response (as in the spec's examples). */
export const XML_SHAPES = {
  services: { root: 'services', item: 'service' },
  serviceRequests: { root: 'service_requests', item: 'request' },
  errors: { root: 'errors', item: 'error' },
} as const;

/** Child element names of nested lists. */
const LIST_ITEMS: Record<string, string> = { attributes: 'attribute', values: 'value' };

function escapeXml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function element(name: string, value: Open311Value): string {
  if (value === null) return `<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = LIST_ITEMS[name] ?? 'item';
    return `<${name}>${value.map((entry) => element(item, entry)).join('')}</${name}>`;
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([key, child]) => element(key, child))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** A list response (services, service_requests, errors) in XML. */
export function xmlList(shape: { root: string; item: string }, items: readonly Open311Object[]): string {
  return `${DECLARATION}<${shape.root}>${items.map((item) => element(shape.item, item)).join('')}</${shape.root}>`;
}

/** A single-object response (service_definition) in XML. */
export function xmlObject(root: string, value: Open311Object): string {
  return `${DECLARATION}${element(root, value)}`;
}

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** `environment.waste.json` → { name: 'environment.waste', format: 'json' }; undefined without a known format. */
export function splitFormat(file: string): { name: string; format: Format } | undefined {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const format = file.slice(dot + 1);
  if (format !== 'json' && format !== 'xml') return undefined;
  return { name: file.slice(0, dot), format };
}
