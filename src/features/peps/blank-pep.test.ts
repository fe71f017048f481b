import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORM_TYPE_NAMES, type FormType } from '../../domain/year-group.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { TestAgent } from '../../testing/agent.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'

/*
 * A blank PEP of a form type (issue 21), read back as a reader would (pdftotext page by page,
 * pdfinfo for the metadata and the structure tree): every question of the form type's current
 * template with an empty space for its answer, the cover's rows empty, BLANK on every page,
 * tagged like a PEP's PDF; offered on the PEP's contents page and the blank forms page to staff
 * who work on PEPs, refused to the carer and the young person, and audited.
 */

let w: DemoWorld
let pepUrl: string

const BLANK = (type: FormType) => `/peps/blank-forms/${type}/pep.pdf`
const pages = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf })
    .toString('utf8')
    .split('\f')
    .filter((p) => p.trim() !== '')
const pdfInfo = (pdf: Buffer, ...args: string[]) =>
  execFileSync('pdfinfo', [...args, '-'], { input: pdf, maxBuffer: 64 << 20 }).toString('utf8')
const squeeze = (text: string) => text.replace(/\s+/g, '')

beforeAll(async () => {
  w = await demoWorld()
  const childId = await w.newChild({
    firstName: 'Robin',
    lastName: 'Blankley',
    caseReference: 'HFD-BLANK-1',
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['carer@example.org', 'carer'],
    ],
  })
  const pepId = await w.startPep(childId)
  pepUrl = `/children/${childId}/peps/${pepId}`
})
afterAll(() => w.close())

describe('a blank PEP of a form type', () => {
  it('prints every question of the form with a space for its answer, BLANK on every page', async () => {
    const sw = await w.agent('social.worker@example.org')
    const response = await sw.get(BLANK('secondary'))
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    expect(response.headers['content-disposition']).toContain('attachment')
    expect(response.headers['content-disposition']).toContain(
      'Blank%20PEP%20Secondary%20form%20version%202.pdf',
    )
    const pdf = response.rawPayload
    const text = pages(pdf)
    expect(text.length).toBeGreaterThan(3)
    for (const [i, page] of text.entries()) {
      const body = page.replace(
        /BLANK FORM – OFFICIAL-SENSITIVE WHEN FILLED IN|Page \d+ of \d+/g,
        '',
      )
      expect(body.trim().length, `page ${i + 1} has more than a box on it`).toBeGreaterThan(5)
      expect(page, `page ${i + 1}`).toContain('BLANK FORM – OFFICIAL-SENSITIVE WHEN FILLED IN')
      expect(page, `page ${i + 1}`).toContain(`Page ${i + 1} of ${text.length}`)
    }
    const all = squeeze(text.join('\n'))
    // What a screen reader reads, in order: the structure tree's text (pdftotext reads a table's
    // wrapped header cells side by side, by position).
    const read = squeeze(
      [...pdfInfo(pdf, '-struct-text').matchAll(/^\s*"(.*)"\s*$/gm)].map((m) => m[1]).join(''),
    )
    const template = currentTemplate('secondary')
    for (const section of template.sections) {
      expect(read).toContain(squeeze(section.title))
      for (const page of section.pages) {
        expect(read).toContain(squeeze(page.title))
        for (const question of page.questions) {
          expect(read, question.id).toContain(squeeze(question.label))
          if (question.type !== 'repeating')
            expect(all, question.id).toContain(squeeze(question.label))
          else
            for (const field of question.fields)
              expect(read, field.id).toContain(squeeze(field.label))
          if (question.type === 'singleChoice' || question.type === 'multipleChoice')
            for (const option of question.options)
              expect(read).toContain(`☐${squeeze(option.text)}`)
        }
      }
    }
    // Nothing answered and nobody's details: empty spaces, boxes to tick and empty cover rows.
    expect(all).not.toContain('Notanswered')
    expect(all).not.toContain('Robin')
    expect(all).toContain('Tickone')
    expect(all).toContain('☐Yes')
    const cover = text[0]!
    for (const label of [
      'Blank Secondary PEP',
      'Child’s name',
      'Date of birth',
      'Unique pupil number (UPN)',
      'Who attended',
      'Secondary PEP (version 2)',
      'Professionals',
      'BLANK: a form to print and fill in by hand',
    ])
      expect(cover).toContain(label)
  })

  it('is tagged like a PEP’s PDF: title, language, headings, tables with headers', async () => {
    const sw = await w.agent('social.worker@example.org')
    const pdf = (await sw.get(BLANK('primary'))).rawPayload
    const info = pdfInfo(pdf)
    expect(info).toMatch(/Tagged:\s+yes/)
    expect(info).toContain('Primary PEP (version 2), to print and fill in at the meeting')
    const tree = pdfInfo(pdf, '-struct-text')
    const lines = tree.split('\n').map((l) => l.trim())
    expect(lines[0]).toBe('Document')
    expect(lines[lines.indexOf('H1 (block)') + 1]).toBe('"Blank Primary PEP"')
    for (const tag of ['H2 (block)', 'H3 (block)', 'H4 (block)', 'Table (block)', 'L (block)'])
      expect(lines, tag).toContain(tag)
    expect(tree).toMatch(/TH:\s+\/Scope \/Row\s+"Date of birth"/)
    expect(tree).toMatch(/TH:\s+\/Scope \/Column\s+"Name"/)
    expect(tree).toMatch(/LI \(block\)\s+Lbl \(block\)\s+"☐"\s+LBody \(block\)\s+"Yes"/)
    // Sections in the template's order.
    const template = currentTemplate('primary')
    const at = template.sections.map((s) => tree.indexOf(`"${s.title}"`))
    expect(at.every((i) => i > 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('is offered for every form type, and an unknown one is not found', async () => {
    const sw = await w.agent('social.worker@example.org')
    const list = await sw.get('/peps/blank-forms')
    expect(list.statusCode).toBe(200)
    for (const type of Object.keys(FORM_TYPE_NAMES) as FormType[]) {
      expect(list.body).toContain(`href="${BLANK(type)}"`)
      const pdf = await sw.get(BLANK(type))
      expect(pdf.statusCode, type).toBe(200)
      expect(pages(pdf.rawPayload)[0]).toContain(`Blank ${FORM_TYPE_NAMES[type]} PEP`)
    }
    expect((await sw.get('/peps/blank-forms/holiday/pep.pdf')).statusCode).toBe(404)
    const audited = await w.t.database.db
      .selectFrom('audit_event')
      .select(['user_id', 'outcome'])
      .where('action', '=', 'pep.blank.download')
      .where('user_id', '=', w.ids['social.worker@example.org']!)
      .execute()
    expect(audited.length).toBeGreaterThanOrEqual(6)
  })

  it('is offered on the PEP’s contents page to staff, never to the carer', async () => {
    const sw = await w.agent('social.worker@example.org')
    const contents = await sw.get(pepUrl)
    expect(contents.statusCode).toBe(200)
    expect(contents.body).toContain(`href="${BLANK('secondary')}"`)
    expect(contents.body).toContain('Download a blank Secondary PEP to print for the meeting (PDF)')
    const carer = await w.agent('carer@example.org')
    const theirs = await carer.get(pepUrl)
    expect(theirs.statusCode).toBe(200)
    expect(theirs.body).not.toContain('/peps/blank-forms')
    // The child's PEPs tab, where a meeting before the first PEP is prepared, offers them too.
    const tab = pepUrl.replace(/\/peps\/[^/]+$/, '/peps')
    expect((await sw.get(tab)).body).toContain('href="/peps/blank-forms"')
    const carerTab = await carer.get(tab)
    expect(carerTab.statusCode).toBe(200)
    expect(carerTab.body).not.toContain('/peps/blank-forms')
  })

  it('is refused to the carer and the young person, and sends the signed out to sign in', async () => {
    for (const email of ['carer@example.org', 'young.person@example.org']) {
      const agent = await w.agent(email)
      for (const url of ['/peps/blank-forms', BLANK('secondary')]) {
        const refused = await agent.get(url)
        expect(refused.statusCode, `${email} ${url}`).toBe(403)
        expect(refused.headers['content-type']).not.toContain('pdf')
      }
    }
    const anonymous = new TestAgent(w.t.app)
    const out = await anonymous.get(BLANK('secondary'))
    expect(out.statusCode).toBe(302)
    expect(out.headers.location).toContain('/sign-in')
    for (const email of [
      'vs.admin@example.org',
      'designated.teacher@example.org',
      'auditor@example.org',
    ])
      expect((await (await w.agent(email)).get(BLANK('post_16'))).statusCode, email).toBe(200)
  })
})
