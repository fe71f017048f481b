import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Both cores: Vitest's default on two cores is one worker, which left one idle.
    maxWorkers: 2,
    // Once per run: the migrated database each test file copies (src/testing/database.ts).
    globalSetup: ['src/testing/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'app',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          // The route walks (access, fuzz) send hundreds of requests in one test: on a two-core
          // machine shared with other work they took over 30 s (load average 25 and more).
          testTimeout: 120_000,
          // A file's set-up (app, demo seed) took over 60 s at the same load.
          hookTimeout: 120_000,
          // Each worker process runs file after file, keeping the modules it has loaded (the
          // app, Fastify, PGlite's WebAssembly) instead of starting a new process and loading
          // them again for every file: about 2 s of CPU a file. Every file still has its own
          // database and app (src/testing/database.ts); no test mocks a module.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // Once per run: one Chromium that the browser tests connect to.
          globalSetup: ['e2e/support/global-setup.ts'],
          // Generous: a journey of many pages on a loaded two-core machine can take a minute.
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
})
