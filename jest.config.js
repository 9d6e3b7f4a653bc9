// Two projects: `unit` (no servers, runs in parallel) and `broker` (real Kafka, registry and Postgres,
// started by the global setup; run in band so services of different test files never share a group).
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
};
// `development` makes @notify/* packages resolve to their TypeScript source (see their package.json
// exports), so tests never need a build and never run a stale one.
const testEnvironmentOptions = { customExportConditions: ['node', 'node-addons', 'development'] };
const common = {
  testEnvironment: 'node',
  testEnvironmentOptions,
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/services/**/src/**/*.test.ts',
        '<rootDir>/schemas/**/*.test.ts',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/clients/*/src/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'broker',
      testMatch: ['<rootDir>/tests/**/*.test.ts', '<rootDir>/services/*/tests/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
