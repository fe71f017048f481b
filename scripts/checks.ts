import { spawn } from 'node:child_process'

/*
 * `npm run checks`, the part of `npm test` before the tests: the types, the lint (ESLint, then
 * Prettier) and the built assets, all three at once rather than one after another (each is
 * mostly one process on one core). Each one's output is printed whole when it ends, and any that
 * fails fails the whole, after the others have ended. The type checker and both linters keep
 * caches in node_modules/.cache, so a second run on files unchanged (CI's second pass, on
 * PostgreSQL) costs little: see package.json and tsconfig.json.
 */
const steps = ['typecheck', 'lint', 'build:assets']

const results = await Promise.all(
  steps.map(
    (step) =>
      new Promise<{ step: string; code: number; output: string; seconds: number }>((resolve) => {
        const started = performance.now()
        const child = spawn('npm', ['run', '--silent', step], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
        })
        let output = ''
        let ended = false
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
        const end = (code: number) => {
          if (ended) return
          ended = true
          const seconds = (performance.now() - started) / 1000
          const mark = code === 0 ? 'passed' : `FAILED (exit ${code})`
          process.stdout.write(`== npm run ${step}: ${mark} in ${seconds.toFixed(1)} s\n${output}`)
          resolve({ step, code, output, seconds })
        }
        child.on('error', (err) => {
          output += `${err.message}\n`
          end(1)
        })
        child.on('close', (code, signal) => end(code ?? (signal ? 1 : 0)))
      }),
  ),
)

const failed = results.filter((r) => r.code !== 0).map((r) => r.step)
if (failed.length > 0) {
  console.error(`npm test: ${failed.join(', ')} failed`)
  process.exit(1)
}
