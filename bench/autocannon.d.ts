/* The part of autocannon's API the bench uses (autocannon ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    interface Options {
      url: string
      connections?: number
      duration?: number
      overallRate?: number
      requests?: Record<string, unknown>[]
    }
    interface Result {
      errors: number
      timeouts: number
      non2xx: number
      requests: { average: number; total: number }
    }
    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance
  export default autocannon
}
