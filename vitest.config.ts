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
          // app and a database as the template has it, nothing another file did (on PGlite the
          // worker's one database, put back between files: src/testing/worker-database.ts); no
          // test mocks a module.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // Once per run: one Chromium that the browser tests connect to (each file its own
          // connection and each test a fresh context: no cookies or storage shared).
          globalSetup: ['e2e/support/global-setup.ts'],
          // Generous: a journey of many pages on a loaded two-core machine can take minutes
          // (admin-users took 104 s alone at load 21, and over 180 s beside another file).
          testTimeout: 300_000,
          hookTimeout: 60_000,
          // expect.poll waits for what a click leads to (a page after a redirect); its default
          // of 1 s was too short at that load. It still ends as soon as the page is there.
          expect: { poll: { timeout: 30_000 } },
          // Two files at a time (one a worker, with the app and the tests' side in it; Chromium
          // renders for both): while one waits on the browser, the other runs. As in the app
          // project, a worker keeps its loaded modules from file to file; each file still starts
          // its own app on its own copy of the seeded demo (e2e/support/server.ts).
          isolate: false,
        },
      },
    ],
  },
})
