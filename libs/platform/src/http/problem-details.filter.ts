import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  TypedProblemException,
  ValidationProblemException,
} from './problem-details';

/** PostgreSQL: invalid byte sequence (0x00 in text), character with no equivalent in the encoding. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Turns any error into `application/problem+json`. Client errors keep their message; server
 * errors get a fixed text, so a stack trace or SQL text never reaches a response — they go to the
 * log instead, with the request id the caller sees.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = problemFor(exception);
    problem.instance = request.url.split('?')[0];
    problem.requestId = request.id;
    if (problem.status >= 500) {
      this.logger.error({ msg: 'request failed', err: exception, status: problem.status });
    }
    sendProblem(reply, problem);
  }
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  void reply
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}

export function problemFor(exception: unknown): ProblemDetails {
  if (exception instanceof ValidationProblemException) {
    return {
      type: 'urn:backbone:problem:validation',
      title: 'Your request parameters did not validate',
      status: 400,
      detail: exception.message,
      errors: exception.fieldProblems,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return serverProblem(status);
    return {
      type: exception instanceof TypedProblemException ? exception.problemType : 'about:blank',
      title: STATUS_TITLES[status] ?? 'Error',
      status,
      detail: detailOf(exception),
    };
  }
  if (
    exception instanceof QueryFailedError &&
    (exception.driverError as { code?: string })?.code === '23505'
  ) {
    return {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'A record with the same unique value exists',
    };
  }
  if (
    exception instanceof QueryFailedError &&
    UNSTORABLE_TEXT.has((exception.driverError as { code?: string })?.code ?? '')
  ) {
    // A NUL byte (or text the database encoding cannot hold) in any input: the statement failed,
    // so nothing was written; the client sent something no field accepts.
    return {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request contains characters that cannot be stored (such as NUL)',
    };
  }
  // Errors raised by Fastify before Nest (body too large, malformed JSON, media type) carry a
  // statusCode and a safe message.
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return {
      type: 'about:blank',
      title: STATUS_TITLES[fastifyError.statusCode] ?? 'Error',
      status: fastifyError.statusCode,
      detail: fastifyDetail(fastifyError),
    };
  }
  return serverProblem(HttpStatus.INTERNAL_SERVER_ERROR);
}

function serverProblem(status: number): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_TITLES[status] ?? 'Internal Server Error',
    status,
    detail: 'The server could not complete the request; quote the request id when reporting it',
  };
}

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function fastifyDetail(error: { code?: string; message?: string; statusCode?: number }): string {
  // Body parser errors: say what is wrong without echoing any of the input.
  if (error.statusCode === 400 && error.message && /JSON/i.test(error.message)) {
    return 'The request body is not valid JSON';
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this service accepts';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'The request body must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty but the content type says JSON';
    default:
      return STATUS_TITLES[error.statusCode ?? 400] ?? 'The request could not be processed';
  }
}
