import { loadavg } from 'node:os'
import { openDatabase } from '../src/db/connection.ts'
import { pagesOf } from '../src/features/peps/peps.repository.ts'
import { findTemplate } from '../src/forms/templates/index.ts'
import { displayAnswer } from '../src/forms/display.ts'
import type { PepPdfModel } from '../src/features/peps/pep.pdf.ts'
import { answersInEveryScript } from '../src/testing/scripts.ts'

/*
 * `node bench/pdf.ts <database-url>`: times a full PEP as PDF in a fresh process, as sign-off
 * makes it: the first (which loads pdfkit and the fonts) and the median of the next five. Prints
 * one line of JSON, with this process's CPU time beside each (a second instrument the machine's
 * load does not inflate). The PEP is a signed-off one with at least 20 answered pages, and a page
 * of answers in every script a child or carer might type (issue 21's budget: every script
 * present, src/testing/scripts.ts), so every fallback font is read.
 */

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

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
  model.sections.push({
    id: 'scripts',
    title: 'In the young person’s words',
    completed: 'Completed',
    ownWords: true,
    pages: [
      {
        title: 'Every script',
        saved: 'Saved',
        answers: answersInEveryScript(),
      },
    ],
  })
  const gathered = performance.now() - started
  const { renderPepPdf } = await import('../src/features/peps/pep.pdf.ts')
  const first = performance.now()
  let cpu = process.cpuUsage()
  const pdf = await renderPepPdf(model)
  const firstMs = performance.now() - first + gathered
  const firstCpuMs = cpuMs(cpu)
  const warm: number[] = []
  const warmCpu: number[] = []
  for (let i = 0; i < 5; i++) {
    const at = performance.now()
    cpu = process.cpuUsage()
    await renderPepPdf(model)
    warm.push(performance.now() - at + gathered)
    warmCpu.push(cpuMs(cpu))
  }
  warm.sort((a, b) => a - b)
  warmCpu.sort((a, b) => a - b)
  console.log(
    JSON.stringify({
      pages: pages.size,
      bytes: pdf.length,
      firstMs: Math.round(firstMs),
      warmMs: Math.round(warm[2]!),
      firstCpuMs: Math.round(firstCpuMs),
      warmCpuMs: Math.round(warmCpu[2]!),
      gatheredMs: Math.round(gathered),
      load: loadavg()[0]!.toFixed(1),
    }),
  )
} finally {
  await handle.close()
}
