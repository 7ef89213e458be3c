// One jest run over every package; tests import workspace packages from source.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { swcrc: true }] },
  testMatch: [
    '<rootDir>/{platform,gateway,schema,seed,subgraphs}/**/src/**/*.test.ts',
    '<rootDir>/gateway/test/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  moduleNameMapper: {
    '^@grocery/platform$': '<rootDir>/platform/src/index.ts',
    '^@grocery/platform/testing$': '<rootDir>/platform/src/testing/index.ts',
    '^@grocery/gateway$': '<rootDir>/gateway/src/index.ts',
    // The test harness every suite that goes through the gateway uses (tsconfig.test.json maps it too).
    '^@grocery/gateway/testing$': '<rootDir>/gateway/src/testing/platform.ts',
    '^@grocery/seed$': '<rootDir>/seed/src/index.ts',
    '^@grocery/schema$': '<rootDir>/schema/src/index.ts',
    // Every other workspace package is a subgraph (subgraphs/<name>): a new one needs no entry here.
    '^@grocery/([a-z]+)$': '<rootDir>/subgraphs/$1/src/index.ts',
    // `prisma generate` run from a package directory writes relative imports with ".js"
    // (node16 style); resolve them to the .ts sources.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/jest.setup.js'],
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/jest.global-teardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
