import { fork } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import * as hdr from 'hdr-histogram-js'
import { targetFrom, type TargetSpec } from './targets.ts'

/*
 * The open-loop load generator: requests are sent on a schedule of Poisson arrivals at a given
 * rate, whatever the server is doing (a slow answer never delays the next request), and each
 * latency is measured from the request's scheduled send time, so time spent queued anywhere,
 * in this generator included, counts (no coordinated omission). Percentiles come from an HDR
 * histogram (hdr-histogram-js, microsecond resolution, 3 significant digits).
 *
 * It runs in a process of its own (`runOpenLoop` forks this file), so its event loop neither
 * waits on the bench runner's nor lends it time, and its own CPU is measured and reported.
 */

export interface OpenLoopOptions {
  /** Mean arrivals a second. */
  rate: number
  /** Measured seconds, after the warm-up. */
  seconds: number
  /** Seconds sent at the same rate first and not recorded (JIT, caches, connections). */
  warmupSeconds?: number
  /** The schedule's seed: the same seed gives the same arrival times. */
  seed?: number
  /** A request not answered this long after its scheduled time counts as an error. */
  timeoutMs?: number
}

export interface OpenLoopResult {
  name: string
  rate: number
  /** Requests scheduled in the measured seconds. */
  scheduled: number
  /** Answered requests a second, over the measured seconds. */
  achievedRate: number
  /** Answered with a status in `ok`. */
  ok: number
  /** Answered with another status. */
  bad: number
  /** Connection errors and time-outs. */
  errors: number
  statuses: Record<string, number>
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
  /** How late requests left against their schedule (the generator's own lag), p99 in ms. */
  sendLagP99: number
  /** The generator's own CPU over the run, in ms of CPU a second. */
  generatorCpuMsPerSecond: number
}

/** Runs one open-loop run in a child process and returns its result. */
export function runOpenLoop(
  baseUrl: string,
  spec: TargetSpec,
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: OpenLoopResult | undefined
    child.on('message', (message: { result?: OpenLoopResult; error?: string }) => {
      if (message.error) reject(new Error(message.error))
      else result = message.result
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (result) resolve(result)
      else reject(new Error(`The open-loop generator exited with ${code} and no result`))
    })
    child.send({ baseUrl, spec, options })
  })
}

/** A small seeded generator (mulberry32): the same seed, the same arrival times. */
function uniform(seed: number) {
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Scheduled send times (ms from the start) of a Poisson process at `rate` a second. */
export function poissonSchedule(rate: number, seconds: number, seed: number): number[] {
  const next = uniform(seed)
  const times: number[] = []
  let at = 0
  for (;;) {
    at += (-Math.log(1 - next()) / rate) * 1000
    if (at >= seconds * 1000) return times
    times.push(at)
  }
}

async function generate(
  baseUrl: string,
  spec: TargetSpec,
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const target = targetFrom(spec, baseUrl)
  await target.prepare?.()
  const ok = target.ok ?? [200]
  const warmup = options.warmupSeconds ?? 2
  const timeoutMs = options.timeoutMs ?? 10_000
  const schedule = poissonSchedule(options.rate, warmup + options.seconds, options.seed ?? 1)
  const url = new URL(baseUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const latency = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 })
  const lag = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 })
  const statuses: Record<string, number> = {}
  let okCount = 0
  let bad = 0
  let errors = 0
  let scheduled = 0
  let answered = 0
  let outstanding = 0
  let allSent = false
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))

  const measuredFrom = warmup * 1000
  const send = (scheduledAt: number, start: number) => {
    const measured = scheduledAt >= measuredFrom
    if (measured) {
      scheduled++
      lag.recordValue(Math.max(1, Math.round((performance.now() - start - scheduledAt) * 1000)))
    }
    const request = target.next()
    outstanding++
    let settled = false
    const settle = (status: number | undefined) => {
      if (settled) return
      settled = true
      outstanding--
      if (status !== undefined) target.done?.(request, status)
      if (measured) {
        if (status === undefined) errors++
        else {
          answered++
          statuses[status] = (statuses[status] ?? 0) + 1
          if (ok.includes(status)) okCount++
          else bad++
          const micros = Math.round((performance.now() - start - scheduledAt) * 1000)
          latency.recordValue(Math.max(1, micros))
        }
      }
      if (allSent && outstanding === 0) finish()
    }
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
      },
      (res) => {
        res.resume()
        res.on('end', () => settle(res.statusCode))
        res.on('error', () => settle(undefined))
      },
    )
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', () => settle(undefined))
    req.end(request.body)
  }

  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  await new Promise<void>((resolve) => {
    let i = 0
    const tick = () => {
      const now = performance.now() - start
      while (i < schedule.length && schedule[i]! <= now) send(schedule[i++]!, start)
      if (i >= schedule.length) return resolve()
      // Wake a little before the next arrival: setTimeout is late by up to a millisecond.
      setTimeout(tick, Math.max(0, schedule[i]! - (performance.now() - start) - 1))
    }
    tick()
  })
  allSent = true
  if (outstanding === 0) finish()
  await finished
  const cpu = process.cpuUsage(cpuBefore)
  const elapsed = (performance.now() - start) / 1000
  agent.destroy()
  const ms = (micros: number) => micros / 1000
  return {
    name: spec.name,
    rate: options.rate,
    scheduled,
    achievedRate: answered / options.seconds,
    ok: okCount,
    bad,
    errors,
    statuses,
    p50: ms(latency.getValueAtPercentile(50)),
    p90: ms(latency.getValueAtPercentile(90)),
    p95: ms(latency.getValueAtPercentile(95)),
    p99: ms(latency.getValueAtPercentile(99)),
    max: ms(latency.maxValue),
    sendLagP99: ms(lag.getValueAtPercentile(99)),
    generatorCpuMsPerSecond: (cpu.user + cpu.system) / 1000 / elapsed,
  }
}

if (process.argv.includes('--child') && process.send) {
  process.once(
    'message',
    async (message: { baseUrl: string; spec: TargetSpec; options: OpenLoopOptions }) => {
      try {
        const result = await generate(message.baseUrl, message.spec, message.options)
        process.send!({ result }, () => process.exit(0))
      } catch (err) {
        process.send!({ error: (err as Error).stack ?? String(err) }, () => process.exit(1))
      }
    },
  )
}
