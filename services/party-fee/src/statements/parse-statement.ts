import { createHash } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A statement may hold at most this many entries, and its text at most this many characters. */
export const MAX_STATEMENT_LINES = 5_000;
export const MAX_STATEMENT_CHARS = 900_000;

/** A credit to the cell's account, as the bank reported it. */
export interface StatementLine {
  /** The bank's reference for the entry, or a hash of the line when it has none. */
  lineKey: string;
  bookedOn: string;
  amountVnd: number;
  /** The payment reference found in the remittance information (`PF…`/`DP…`), or '' when none. */
  reference: string;
}

export interface ParsedStatement {
  account: string;
  statementReference: string;
  lines: StatementLine[];
}

export class StatementFormatError extends Error {}

/** The references this service issues: `PF` (a VietQR code) or `DP` (a member's standing reference) + 16 base32. */
const REFERENCE_IN_TEXT = /\b((?:PF|DP)[A-Z2-7]{16})\b/;

export function referenceIn(text: string): string {
  return REFERENCE_IN_TEXT.exec(text.toUpperCase())?.[1] ?? '';
}

function wholeVnd(text: string, where: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,13}(\.0{1,2})?$/.test(trimmed))
    throw new StatementFormatError(`${where}: amount "${text}" is not whole VND`);
  return Number(trimmed.split('.')[0]);
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The value at a path of element names in the parsed XML, or undefined. */
function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && '#text' in (value as Record<string, unknown>))
    return String((value as Record<string, unknown>)['#text']);
  return typeof value === 'object' ? '' : String(value);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * ISO 20022 camt.053 (BankToCustomerStatement), with fast-xml-parser: bounded size, and no DTD at
 * all (a DOCTYPE or ENTITY is refused before parsing, and entities are not processed), so there is
 * no XXE and no entity expansion. Credit entries (CRDT) in VND become lines; debits are not fees.
 */
export function parseCamt053(xml: string): ParsedStatement {
  if (xml.length > MAX_STATEMENT_CHARS)
    throw new StatementFormatError(`the statement is longer than ${MAX_STATEMENT_CHARS} characters`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new StatementFormatError('a statement may not carry a DTD or entities');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new StatementFormatError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    processEntities: false,
    parseTagValue: false,
    isArray: (name: string) => ['Stmt', 'Ntry', 'TxDtls', 'Ustrd'].includes(name),
  });
  const document = parser.parse(xml) as unknown;
  const statements = asArray(at(document, 'Document', 'BkToCstmrStmt', 'Stmt'));
  if (statements.length !== 1) throw new StatementFormatError('expected one BkToCstmrStmt/Stmt');
  const statement = statements[0];
  const account =
    text(at(statement, 'Acct', 'Id', 'Othr', 'Id')) || text(at(statement, 'Acct', 'Id', 'IBAN'));
  if (!account) throw new StatementFormatError('Stmt/Acct/Id has no account (Othr/Id or IBAN)');
  const statementReference = text(at(statement, 'Id')) || text(at(statement, 'ElctrncSeqNb'));
  if (!statementReference) throw new StatementFormatError('Stmt/Id is missing');
  const entries = asArray(at(statement, 'Ntry'));
  if (entries.length > MAX_STATEMENT_LINES)
    throw new StatementFormatError(`more than ${MAX_STATEMENT_LINES} entries`);
  const lines: StatementLine[] = [];
  entries.forEach((entry, index) => {
    const where = `Ntry[${index}]`;
    if (text(at(entry, 'CdtDbtInd')) !== 'CRDT') return;
    const currency = at(entry, 'Amt', '@Ccy');
    if (currency !== undefined && currency !== 'VND')
      throw new StatementFormatError(`${where}: currency ${String(currency)} is not VND`);
    const amountVnd = wholeVnd(text(at(entry, 'Amt')), where);
    const bookedOn = (text(at(entry, 'BookgDt', 'Dt')) || text(at(entry, 'BookgDt', 'DtTm'))).slice(0, 10);
    if (!DAY.test(bookedOn)) throw new StatementFormatError(`${where}: BookgDt is missing`);
    const remittance = asArray(at(entry, 'NtryDtls', 'TxDtls'))
      .flatMap((detail) => [
        ...asArray(at(detail, 'RmtInf', 'Ustrd')).map(text),
        text(at(detail, 'AddtlTxInf')),
        text(at(detail, 'Refs', 'EndToEndId')),
      ])
      .concat(text(at(entry, 'AddtlNtryInf')))
      .join(' ');
    const bankReference = text(at(entry, 'AcctSvcrRef')) || text(at(entry, 'NtryRef'));
    lines.push({
      lineKey: bankReference
        ? `ref:${bankReference}`
        : `hash:${sha256(`${statementReference}|${index}|${amountVnd}|${bookedOn}|${remittance}`)}`,
      bookedOn,
      amountVnd,
      reference: referenceIn(remittance),
    });
  });
  return { account, statementReference, lines };
}

/**
 * The CSV layout banks export for a single account (header required, comma-separated, UTF-8):
 * `date,amount,description,transaction_id` — the booking day `YYYY-MM-DD`, the credited amount in
 * whole VND (debits are negative and skipped), the transfer content, and the bank's transaction id.
 */
export function parseStatementCsv(csv: string, account: string): ParsedStatement {
  if (csv.length > MAX_STATEMENT_CHARS)
    throw new StatementFormatError(`the statement is longer than ${MAX_STATEMENT_CHARS} characters`);
  let records: Record<string, string>[];
  try {
    records = parseCsv(csv, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      to: MAX_STATEMENT_LINES + 1,
    }) as Record<string, string>[];
  } catch (error) {
    throw new StatementFormatError(`not a CSV statement: ${(error as Error).message}`);
  }
  if (records.length > MAX_STATEMENT_LINES)
    throw new StatementFormatError(`more than ${MAX_STATEMENT_LINES} lines`);
  const lines: StatementLine[] = [];
  records.forEach((record, index) => {
    const where = `line ${index + 2}`;
    for (const column of ['date', 'amount', 'description', 'transaction_id'])
      if (record[column] === undefined)
        throw new StatementFormatError(`the header has no column "${column}"`);
    if (record.amount!.startsWith('-')) return;
    if (!DAY.test(record.date!)) throw new StatementFormatError(`${where}: date must be YYYY-MM-DD`);
    const amountVnd = wholeVnd(record.amount!.replace(/,/g, ''), where);
    lines.push({
      lineKey: record.transaction_id
        ? `ref:${record.transaction_id}`
        : `hash:${sha256(`${index}|${record.date}|${amountVnd}|${record.description}`)}`,
      bookedOn: record.date!.slice(0, 10),
      amountVnd,
      reference: referenceIn(record.description ?? ''),
    });
  });
  const statementReference = `csv:${sha256(csv).slice(0, 16)}`;
  return { account, statementReference, lines };
}
