import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { SigningConfig } from '../config';

/** Media types whose body is a document to sign or validate, read as bytes. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'application/octet-stream'];
/** A file and its detached signature, both base64, as JSON (larger than the platform's JSON limit). */
export const DETACHED_SIGNATURE_MEDIA_TYPE = 'application/vnd.backbone.detached-signature+json';
export const TIMESTAMP_QUERY_MEDIA_TYPE = 'application/timestamp-query';
/** A TimeStampReq is a few hundred bytes. */
const TIMESTAMP_QUERY_LIMIT = 16 * 1024;

/**
 * Registers the document bodies on Fastify, each with its own limit: the stream is cut off at
 * SIGNING_MAX_DOCUMENT_BYTES (413, whatever Content-Length claims), every other body keeps the
 * platform's BODY_LIMIT_BYTES.
 */
@Injectable()
export class DocumentBodyParsers implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: SigningConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const bodyLimit = this.config.SIGNING_MAX_DOCUMENT_BYTES;
    fastify.addContentTypeParser(
      DOCUMENT_MEDIA_TYPES,
      { parseAs: 'buffer', bodyLimit },
      (_request, body, done) => done(null, body),
    );
    fastify.addContentTypeParser(
      TIMESTAMP_QUERY_MEDIA_TYPE,
      { parseAs: 'buffer', bodyLimit: TIMESTAMP_QUERY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    // base64 makes 4 bytes of 3; two documents' worth (the signature is small) and a little JSON.
    fastify.addContentTypeParser(
      DETACHED_SIGNATURE_MEDIA_TYPE,
      { parseAs: 'string', bodyLimit: Math.ceil((bodyLimit * 4) / 3) + 256 * 1024 },
      (_request, body, done) => {
        try {
          done(null, JSON.parse(body as string) as unknown);
        } catch {
          done(Object.assign(new Error('The body is not JSON'), { statusCode: 400 }), undefined);
        }
      },
    );
  }
}

/** The request body as bytes, or an empty buffer when it is something else (the handler then refuses). */
export function bytesOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
