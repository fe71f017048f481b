import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { FormTemplate } from '../types.ts'
import { TEMPLATES } from './index.ts'

/*
 * A PEP keeps the template version it was started on for life (ADR 4), so a version once
 * shipped must never change: not by editing it, and not by editing a shared page builder
 * (shared-*.ts) that it is made from. Each shipped version's fingerprint is recorded here: a
 * SHA-256 of its canonical JSON (keys sorted), covering everything the form asks (sections,
 * pages, questions, their types, options, conditions, limits, help text, and who may change and
 * complete each section).
 *
 * If this fails for a version you did not mean to change, undo the change to it: give the
 * shared builder a parameter, or copy what the old version needs. If you meant to change what a
 * form asks, add a new version to TEMPLATES (with a version number one higher) built from the
 * changed builders, keep the old one as it was, and record the new version's fingerprint below.
 * Who may READ a part of the form is not what it asks: reading rules live beside the templates
 * (by question id, for every version at once), and a `readableBy` key inside a template is left
 * out of the fingerprint for the same reason.
 */

const SHIPPED: Record<string, string> = {
  'early_years@1': '0f052abe59d4db4fd0f3e8cf76f2e303b3d56557446071cb048caf65906d48fc',
  'primary@1': 'a7a2184a50a68d9b2a6be789675fbe04b327c6538438e355634b74455db09276',
  'secondary@1': 'ba172d9223da343c9689f85f8a8d9e5453c952f1adeb53f910e30f0d74eb05d5',
  'post_16@1': '34278595239df069bd9ed6de862b89f129d42c85cf9d27ee9c224fd1f0798acc',
  'primary_special@1': '171943ee09caee8c79a562a9d8afcb5f75790408e9e231a3044f3c1b648a28c5',
  'secondary_special@1': '2523fdb887652707ca3b218b9e541db42937f42563f3f677bf2f50b98b79db6a',
  // Issue 19: the attainment page's subjects in the termly attainment table only.
  'primary@2': 'f1c4fb2335bf7bb672bc8b344b569117d938f708543b86378338ab1b4ea9f56d',
  'secondary@2': '5bcbe5ee656a4403766adffd8207189fe4a175d95dad6f2efbfd78a05d30a87a',
  'post_16@2': '523407ff61a40a7bc26952aa303cc004dd1b72b2c49a391d93f5ef99395be75d',
}

/** Keys that say who may read a part of the form, not what it asks. */
const NOT_WHAT_IT_ASKS = new Set(['readableBy'])

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => !NOT_WHAT_IT_ASKS.has(key))
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    )
  return value
}

function fingerprint(template: FormTemplate): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(template)))
    .digest('hex')
}

const key = (t: FormTemplate) => `${t.formType}@${t.version}`

describe('shipped form template versions never change', () => {
  it.each(TEMPLATES.map((t) => [key(t), t] as const))('%s is as shipped', (name, template) => {
    expect(
      fingerprint(template),
      `${name} has changed since it shipped. Undo the change to it, or make the change a new version (see the top of fingerprints.test.ts).`,
    ).toBe(SHIPPED[name])
  })

  it('has a fingerprint for every version, and a version for every fingerprint', () => {
    expect(TEMPLATES.map(key).sort()).toEqual(Object.keys(SHIPPED).sort())
  })

  it('notices a change deep inside a shared page, and ignores key order and reading rules', () => {
    const template = TEMPLATES[0]!
    const copy = structuredClone(template) as unknown as {
      sections: { pages: { questions: { label: string; readableBy?: string[] }[] }[] }[]
    }
    const question = copy.sections.at(-1)!.pages.at(-1)!.questions.at(-1)!
    question.readableBy = ['carer']
    expect(fingerprint(copy as unknown as FormTemplate)).toBe(fingerprint(template))
    question.label = `${question.label} `
    expect(fingerprint(copy as unknown as FormTemplate)).not.toBe(fingerprint(template))
    const reordered = Object.fromEntries(Object.entries(template).reverse())
    expect(fingerprint(reordered as unknown as FormTemplate)).toBe(fingerprint(template))
  })
})
