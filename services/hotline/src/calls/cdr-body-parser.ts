import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** A CDR file may be larger than a JSON request: 16 MiB (about 80,000 lines). */
export const CDR_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * text/csv bodies (the CDR import) as one UTF-8 string, with their own size limit. Registered while
 * the application initialises, before Fastify is ready.
 */
@Injectable()
export class CdrBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser(
      'text/csv',
      { parseAs: 'string', bodyLimit: CDR_BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
  }
}
