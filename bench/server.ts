import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { sql } from 'kysely'
import type { Queryable } from '../src/db/connection.ts'
import { paths } from '../src/paths.ts'

/* Starting the app as a child process, timing it to its first page, and reading its memory. */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

export interface RunningServer {
  process: ChildProcess
  baseUrl: string
  /** From spawning to the first page (the sign-in page) answering 200. */
  startMs: number
  /** The Node process that serves (npm start runs it as a grandchild). */
  serverPid(): number
  stop(): Promise<void>
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

/** The highest resident memory a process has had, in MB (VmHWM, from /proc). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

/** Seconds of CPU (user and system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * The CPU (ms) of each PostgreSQL backend serving the database `db` is connected to, by pid,
 * from /proc (the server on this machine): compare two readings.
 */
export async function backendCpuMs(db: Queryable): Promise<Map<number, number>> {
  const byPid = new Map<number, number>()
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db)
  for (const { pid } of rows) {
    try {
      byPid.set(pid, cpuSeconds(pid) * 1000)
    } catch {
      // Gone meanwhile, or on another machine.
    }
  }
  return byPid
}

/** The deepest node process under `pid` (itself when it has no children). */
function nodeProcessUnder(pid: number): number {
  let current = pid
  for (;;) {
    const kids = childrenOf(current)
    if (kids.length === 0) return current
    current = kids[kids.length - 1]!
  }
}

export async function startServer(
  command: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number; log?: (line: string) => void; cwd?: string } = {},
): Promise<RunningServer> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd: options.cwd,
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  let exited = false
  child.on('exit', () => (exited = true))
  const deadline = started + (options.timeoutMs ?? 120_000)
  for (;;) {
    if (exited) throw new Error(`The server exited before serving a page:\n${output}`)
    if (performance.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL')
      throw new Error(`The server served no page in time:\n${output}`)
    }
    try {
      const response = await fetch(`${baseUrl}${paths.signIn()}`)
      await response.text()
      if (response.status === 200) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  const startMs = performance.now() - started
  return {
    process: child,
    baseUrl,
    startMs,
    serverPid: () => nodeProcessUnder(child.pid!),
    async stop() {
      if (exited) return
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        return
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          // gone already
        }
      }, 10_000)
      await gone
      clearTimeout(timer)
    },
  }
}
