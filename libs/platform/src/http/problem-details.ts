import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** RFC 9457 problem details, as every error response of every service. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  /** For validation failures: each offending field (dotted path) and why. */
  errors?: FieldProblem[];
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Thrown by the validation pipe; carries field-level reasons to the problem filter. */
export class ValidationProblemException extends BadRequestException {
  constructor(readonly fieldProblems: FieldProblem[]) {
    super(`The request is invalid: ${fieldProblems.map((problem) => problem.field).join(', ')}`);
  }
}

/**
 * A problem with its own `type` URI, for errors a client is expected to handle by type
 * (e.g. idempotency-key reuse). Other errors use `about:blank` and the HTTP status title.
 */
export class TypedProblemException extends HttpException {
  constructor(
    readonly problemType: string,
    status: HttpStatus,
    detail: string,
  ) {
    super(detail, status);
  }
}

export function fieldProblemsFrom(errors: ValidationError[], parentPath = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      problems.push({ field, reason: reasonText(constraint, message, error.property) });
    }
    if (error.children?.length) problems.push(...fieldProblemsFrom(error.children, field));
  }
  return problems;
}

function reasonText(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return 'is not an allowed field';
  // class-validator messages start with the property name ("title must be a string").
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
