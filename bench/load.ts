import autocannon from 'autocannon'

/*
 * One autocannon run against a running server. Latency percentiles are computed from every
 * response's own time (autocannon's 'response' event), so p95 is exact rather than read off
 * autocannon's fixed percentile list, which has no p95.
 */

export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
}

export interface LoadTarget {
  name: string
  /** The next request to send; called once per request. */
  next(): LoadRequest
  /** Told each response's status, for requests whose next body depends on it (a save's version). */
  done?(request: LoadRequest, status: number): void
  /** Called before each run: a save re-reads its pages' versions (a run can end mid-request). */
  prepare?(): Promise<void>
  /** The statuses counted as served (default 200). */
  ok?: number[]
}

export interface LoadResult {
  name: string
  requests: number
  errors: number
  /** Responses with a status outside `ok`. */
  bad: number
  statuses: Record<string, number>
  rps: number
  p50: number
  p95: number
  p99: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]!
}

export async function runLoad(
  baseUrl: string,
  target: LoadTarget,
  options: { connections: number; overallRate?: number; durationSeconds: number },
): Promise<LoadResult> {
  await target.prepare?.()
  const times: number[] = []
  const statuses: Record<string, number> = {}
  const ok = target.ok ?? [200]
  let bad = 0
  type Context = { sent?: LoadRequest }
  const instance = autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request: Record<string, unknown>, context: Context) => {
          const next = target.next()
          context.sent = next
          return { ...request, ...next }
        },
        onResponse: (status: number, _body: string, context: Context) => {
          statuses[status] = (statuses[status] ?? 0) + 1
          if (!ok.includes(status)) bad++
          if (context.sent) target.done?.(context.sent, status)
        },
      },
    ],
  })
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    times.push(time)
  })
  const result = await instance
  times.sort((a, b) => a - b)
  return {
    name: target.name,
    requests: times.length,
    errors: result.errors + result.timeouts,
    bad,
    statuses,
    rps: times.length / options.durationSeconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  }
}
