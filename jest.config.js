// Two kinds of tests (see README): *.spec.ts are unit tests without I/O; *.int-spec.ts run
// against the real Kafka broker and PostgreSQL that tools/jest/global-setup.ts provides.
const { readFileSync } = require('node:fs');

const swcOptions = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcOptions.$schema;

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcOptions, swcrc: false }] },
  moduleNameMapper: {
    '^@backbone/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@backbone/testing/service-app$': '<rootDir>/libs/testing/service-app/src/index.ts',
  },
  // NestJS 12 and jose 6 ship ES modules only; jest's CommonJS runtime needs them transformed.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose)/)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/.cache/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/.cache/', '/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,tools,infra,bench}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,services,tools,infra}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tools/jest/global-setup.ts',
      globalTeardown: '<rootDir>/tools/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tools/jest/int-timeout.ts'],
    },
    // The fault suite (`npm run test:faults`, tools/faults): real processes, its own PostgreSQL and
    // brokers per spec file; not part of `npm test`, which selects unit and int.
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/tools/faults/**/*.fault-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/faults-timeout.ts'],
    },
  ],
};
