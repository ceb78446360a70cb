import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { TerminusModule } from '@nestjs/terminus';
import { SwaggerModule } from '@nestjs/swagger';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as jose from 'jose';
@Controller('x') class C { @Get() get() { return { ok: 1 }; } }
@Module({ controllers: [C], imports: [TerminusModule] }) class M {}
it('loads', async () => {
  expect(SwaggerModule && TypeOrmModule && jose.jwtVerify).toBeDefined();
  const app = await NestFactory.create(M, new FastifyAdapter(), { logger: false });
  await app.init(); await app.getHttpAdapter().getInstance().ready();
  const r = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/x' });
  expect(r.json()).toEqual({ ok: 1 });
  await app.close();
});
