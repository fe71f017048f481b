import { openDatabase } from '../src/db/connection.ts'
import { pagesOf } from '../src/features/peps/peps.repository.ts'
import { findTemplate } from '../src/forms/templates/index.ts'
import { displayAnswer } from '../src/forms/display.ts'
import type { PepPdfModel } from '../src/features/peps/pep-pdf.ts'

/*
 * `node bench/pdf.ts <database-url>`: times a full PEP as PDF in a fresh process, as sign-off
 * makes it: the first (which loads pdfkit and the fonts) and the median of the next five. Prints
 * one line of JSON. The PEP is the signed-off one with the most answered pages.
 */

const url = process.argv[2]
if (!url) throw new Error('usage: node bench/pdf.ts <database-url>')
const handle = await openDatabase({ url })
try {
  const pep = await handle.db
    .selectFrom('pep as p')
    .innerJoin('child as c', 'c.id', 'p.child_id')
    .select(['p.id', 'p.form_type', 'p.template_version', 'c.first_name', 'c.last_name'])
    .where('p.status', '=', 'signed_off')
    .where(
      ({ selectFrom }) =>
        selectFrom('pep_page as pp')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .whereRef('pp.pep_id', '=', 'p.id'),
      '>=',
      20,
    )
    .limit(1)
    .executeTakeFirstOrThrow()
  const template = findTemplate(pep.form_type, pep.template_version)!
  const started = performance.now()
  const pages = await pagesOf(handle.db, pep.id)
  const model: PepPdfModel = {
    title: template.title,
    childName: `${pep.first_name} ${pep.last_name}`,
    summary: [{ label: 'Form', value: template.title }],
    sections: template.sections.map((section) => ({
      id: section.id,
      title: section.title,
      completed: 'Completed',
      pages: section.pages.map((page) => ({
        title: page.title,
        saved: 'Saved',
        answers: page.questions.map((q) => ({
          label: q.label,
          answer: displayAnswer(q, pages.get(page.id)?.answers[q.id]),
        })),
      })),
    })),
    generatedAt: new Date().toISOString(),
  }
  const gathered = performance.now() - started
  const { renderPepPdf } = await import('../src/features/peps/pep-pdf.ts')
  const first = performance.now()
  const pdf = await renderPepPdf(model)
  const firstMs = performance.now() - first + gathered
  const warm: number[] = []
  for (let i = 0; i < 5; i++) {
    const at = performance.now()
    await renderPepPdf(model)
    warm.push(performance.now() - at + gathered)
  }
  warm.sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      pages: pages.size,
      bytes: pdf.length,
      firstMs: Math.round(firstMs),
      warmMs: Math.round(warm[2]!),
    }),
  )
} finally {
  await handle.close()
}
