import type { LoadRequest, LoadTarget } from './load.ts'

/*
 * What a load run asks for, as plain data, so that the same page can be driven by autocannon in
 * this process or by the open-loop generator in its own (bench/open-loop.ts).
 */

export interface SaveSlot {
  path: string
  cookie: string
  csrf: string
  /** The form as a browser posts it; a field whose value is `Bench save` gets a counter. */
  fields: [string, string][]
  version: number
}

export type TargetSpec =
  /** GETs, one after another from the list (each a path with the session that asks). */
  | { kind: 'get'; key: string; name: string; requests: { path: string; cookie: string }[] }
  /** Saves of PEP pages: each posts its page's current version, which a 303 moves on. */
  | { kind: 'save'; key: string; name: string; slots: SaveSlot[] }

/** A target's next request and bookkeeping, made from its spec. */
export function targetFrom(spec: TargetSpec, baseUrl: string): LoadTarget {
  if (spec.kind === 'get') {
    let i = 0
    return {
      name: spec.name,
      next: () => {
        const r = spec.requests[i++ % spec.requests.length]!
        return { method: 'GET', path: r.path, headers: { cookie: r.cookie } }
      },
    }
  }
  const slots = spec.slots.map((s) => ({ ...s, busy: false }))
  const bySent = new Map<LoadRequest, (typeof slots)[number]>()
  let counter = 0
  return {
    name: spec.name,
    ok: [303],
    async prepare() {
      for (const slot of slots) {
        slot.version = (await versionOnPage(baseUrl, slot.path, slot.cookie)) ?? slot.version
        slot.busy = false
      }
      bySent.clear()
    },
    next() {
      const slot = slots.find((s) => !s.busy) ?? slots[counter % slots.length]!
      slot.busy = true
      counter++
      const form = new URLSearchParams()
      for (const [name, value] of slot.fields) {
        if (name === '_csrf') form.append(name, slot.csrf)
        else if (name === 'version') form.append(name, String(slot.version))
        else form.append(name, value === 'Bench save' ? `Bench save ${counter}` : value)
      }
      form.append('action', 'later')
      const request: LoadRequest = {
        method: 'POST',
        path: slot.path,
        headers: { cookie: slot.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }
      bySent.set(request, slot)
      return request
    },
    done(request, status) {
      const slot = bySent.get(request)
      if (!slot) return
      bySent.delete(request)
      if (status === 303) slot.version++
      slot.busy = false
    },
  }
}

/** A PEP page's form version, as its page shows it. */
export async function versionOnPage(
  baseUrl: string,
  path: string,
  cookie: string,
): Promise<number | undefined> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' })
  const body = await response.text()
  if (response.status !== 200) return undefined
  const match = /name="version" value="(\d+)"/.exec(body)
  return match ? Number(match[1]) : undefined
}
