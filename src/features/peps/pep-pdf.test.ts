import { execFileSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DisplayAnswer } from '../../forms/display.ts'
import { renderPepPdf, type PepPdfModel } from './pep.pdf.ts'
import { pepPdfFilename } from './pep.presenter.ts'
import { answersInEveryScript, RIGHT_TO_LEFT, SCRIPTS } from '../../testing/scripts.ts'

/*
 * Every assertion reads the PDF back as a reader would: poppler's pdftotext (the text, page by
 * page), pdfinfo (metadata, and the structure tree with -struct-text) and pdffonts (the fonts
 * embedded), and, for right-to-left text, the ActualText the document carries for it.
 */

const LONG = 'Siân wants to be a vet when she grows up, and "loves" animals. '
  .repeat(160)
  .slice(0, 10_000)

function page(title: string, answers: PepPdfModel['sections'][number]['pages'][number]['answers']) {
  return { title, saved: 'Last saved by Alex Jones on 2 March 2026', answers }
}

function answers(n: number): { label: string; answer: DisplayAnswer }[] {
  const kinds: DisplayAnswer[] = [
    {
      kind: 'text',
      text: `Answer ${n}: reading every night, and her "favourite" book is 'Matilda'.`,
    },
    { kind: 'list', items: ['English', 'Mathematics', 'Welsh'] },
    {
      kind: 'items',
      items: [
        {
          heading: 'Target 1',
          rows: [
            { label: 'Target', value: 'Read one chapter a night' },
            { label: 'Who will help', value: 'Carer' },
            { label: 'By when', value: '1 May 2026' },
          ],
        },
        {
          heading: 'Target 2',
          rows: [
            { label: 'Target', value: 'Attend every day' },
            { label: 'Who will help', value: 'Designated teacher' },
            { label: 'By when', value: '1 June 2026' },
          ],
        },
      ],
    },
    { kind: 'none' },
    { kind: 'text', text: 'Attendance is 96%, up from 91%.' },
  ]
  return kinds.map((answer, i) => ({
    label: `Question ${n}.${i + 1}: what has gone well?`,
    answer,
  }))
}

/** About a full PEP: 25 pages of 5 questions, and every awkward kind of text. */
function fullModel(): PepPdfModel {
  const sections: PepPdfModel['sections'] = Array.from({ length: 5 }, (_, s) => ({
    id: `section-${s + 1}`,
    title: `Section ${s + 1}: education`,
    completed: 'Completed by Sam Patel on 3 March 2026',
    pages: Array.from({ length: 5 }, (_, p) => page(`Page ${s + 1}.${p + 1}`, answers(s * 5 + p))),
  }))
  sections[0]!.pages[0]!.answers.push(
    { label: 'Where did you go?', answer: { kind: 'text', text: 'Gŵyl Dewi in Caerdydd' } },
    { label: 'Tell us more', answer: { kind: 'text', text: LONG } },
    { label: 'A very long word', answer: { kind: 'text', text: 'x'.repeat(10_000) } },
    { label: 'Lines', answer: { kind: 'text', text: 'one\ntwo\r\nthree\rfour\tfive' } },
    { label: 'Empty list', answer: { kind: 'list', items: [] } },
    { label: 'Empty items', answer: { kind: 'items', items: [] } },
    { label: 'Empty text', answer: { kind: 'text', text: '' } },
    { label: 'Emoji list', answer: { kind: 'list', items: ['🦄 unicorns', '⚽ football'] } },
  )
  sections[2]!.pages[0]!.answers.push(...answersInEveryScript())
  sections.push({ id: 'empty', title: 'An empty section', completed: 'Not completed', pages: [] })
  return {
    title: 'Statutory PEP, Spring term 2027 (2026/27)',
    childName: 'Siân Gŵyn O\'Brien "Ŷ"',
    summary: [
      { label: 'Date of birth', value: '1 May 2014' },
      { label: 'UPN', value: 'A123456789012' },
      { label: 'School', value: 'Ysgol Gymraeg Gŵyl Dewi' },
      { label: 'Year group', value: 'Year 7' },
      { label: 'Overall rating', value: 'Good' },
    ],
    professionals: [
      { name: 'Alex Jones', role: 'Social worker', email: 'alex.jones@example.org' },
      { name: 'Robin Teacher', role: 'Designated teacher', email: 'robin@example.org' },
    ],
    sections,
    qa: [{ label: 'Quality', value: 'Good 👍' }],
    generatedAt: '4 March 2026 at 09:30',
  }
}

const pdfText = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8')
const pdfInfo = (pdf: Buffer, ...args: string[]) =>
  execFileSync('pdfinfo', [...args, '-'], { input: pdf, maxBuffer: 64 << 20 }).toString('utf8')

/** The ActualText of each marked span, in the order drawn (an uncompressed PDF). */
function actualTexts(pdf: Buffer): string {
  return [...pdf.toString('latin1').matchAll(/\/ActualText <FEFF([0-9A-F]*)>/g)]
    .map((m) => Buffer.from(m[1]!, 'hex').swap16().toString('utf16le'))
    .join('')
}

/** Fonts embedded, by name without the subset prefix, and whether every one is embedded. */
function fonts(pdf: Buffer): { names: Set<string>; allEmbedded: boolean } {
  const rows = execFileSync('pdffonts', ['-'], { input: pdf })
    .toString('utf8')
    .split('\n')
    .slice(2)
    .filter(Boolean)
  return {
    names: new Set(rows.map((r) => r.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''))),
    allEmbedded: rows.every((r) => /\byes\s+yes\s+yes\b/.test(r)),
  }
}

const plain = (s: string) => s.replace(/\s+/g, ' ')

describe('renderPepPdf', () => {
  // The full PEP is rendered once, as served and uncompressed (whose marked text the tests read),
  // and shared by the tests that only read it. How long a render takes is bench/pdf.ts's.
  let full: Buffer
  let fullUncompressed: Buffer
  beforeAll(async () => {
    full = await renderPepPdf(fullModel())
    fullUncompressed = await renderPepPdf(fullModel(), { compress: false })
  })

  it('renders a full PEP with every script: the cover, every section and the QA', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(pdfInfo(full))![1])
    // The cover, 6 sections (the 10,000 characters take more than one page) and the QA.
    expect(pages).toBeGreaterThan(1 + 6 + 1)
  })

  it('prints every script as typed, character for character, never "?"', () => {
    const pdf = fullUncompressed
    const text = plain(pdfText(pdf))
    for (const [script, typed] of Object.entries(SCRIPTS)) {
      if (RIGHT_TO_LEFT.includes(script as keyof typeof SCRIPTS)) continue
      expect(text, script).toContain(plain(typed))
    }
    // Right-to-left text is drawn in visual order and carries its words as typed (ActualText),
    // which is what a screen reader and copying read (pdftotext orders it by position instead).
    const actual = actualTexts(pdf)
    for (const script of RIGHT_TO_LEFT) expect(actual, script).toContain(SCRIPTS[script])
    expect(text).toContain('Siân Gŵyn O\'Brien "Ŷ"')
    expect(text).toContain('Gŵyl Dewi in Caerdydd')
    expect(text).toContain('four five')
    expect(text).toContain('Nothing has been recorded in this section.')
    // Each script in a font of its own, every font embedded.
    const used = fonts(pdf)
    expect(used.allEmbedded).toBe(true)
    for (const name of [
      'DejaVuSans',
      'DejaVuSans-Bold',
      'NotoSansArabic-Regular',
      'NotoSansHebrew-Regular',
      'NotoSansDevanagari-Regular',
      'NotoSansBengali-Regular',
      'NotoSansGurmukhi-Regular',
      'NotoSansSC-Regular',
      'NotoEmoji-Regular',
    ])
      expect(used.names, name).toContain(name)
  })

  it('loads no other font for a PEP in English and Welsh', async () => {
    const model = fullModel()
    model.sections[2]!.pages[0]!.answers = []
    model.sections[0]!.pages[0]!.answers = []
    model.qa = []
    expect(fonts(await renderPepPdf(model)).names).toEqual(
      new Set(['DejaVuSans', 'DejaVuSans-Bold']),
    )
  })

  it('shows a character no font has as its code point, not as "?"', async () => {
    const model = fullModel()
    model.childName = 'Sam \u{F8FF}\u{E000}'
    expect(pdfText(await renderPepPdf(model))).toContain('Sam [U+F8FF][U+E000]')
  })

  it('is a tagged PDF/UA document: title, language, headings, tables with headers, lists', () => {
    const pdf = fullUncompressed
    const info = pdfInfo(pdf)
    expect(info).toMatch(/Tagged:\s+yes/)
    expect(info).toContain('Statutory PEP, Spring term 2027 (2026/27): Siân Gŵyn')
    expect(pdfInfo(pdf, '-meta')).toContain('<pdfuaid:part>1</pdfuaid:part>')
    const source = pdf.toString('latin1')
    expect(source).toMatch(/\/Lang \(en-GB\)/)
    expect(source).toMatch(/\/DisplayDocTitle true/)
    const tree = pdfInfo(pdf, '-struct-text')
    const lines = tree.split('\n').map((l) => l.trim())
    // Reading order: the child, then the cover's facts, then each section's heading.
    expect(lines[0]).toBe('Document')
    const h1 = lines.indexOf('H1 (block)')
    expect(lines[h1 + 1]).toBe('"Siân Gŵyn O\'Brien "Ŷ""')
    expect(tree.indexOf('"Date of birth"')).toBeGreaterThan(h1)
    expect(tree.indexOf('"Section 1: education"')).toBeGreaterThan(tree.indexOf('"Date of birth"'))
    expect(tree.indexOf('"Section 2: education"')).toBeGreaterThan(
      tree.indexOf('"Section 1: education"'),
    )
    for (const tag of ['H2 (block)', 'H3 (block)', 'H4 (block)', 'Table (block)', 'L (block)'])
      expect(lines, tag).toContain(tag)
    // The cover's facts head their rows; the targets table heads its columns and rows.
    expect(tree).toMatch(/TH:\s+\/Scope \/Row\s+"Date of birth"\s+TD\s+"1 May 2014"/)
    expect(tree).toMatch(/TH:\s+\/Scope \/Column\s+"Target"/)
    expect(tree).toMatch(/TH:\s+\/Scope \/Row\s+"Target 1"\s+TD\s+"Read one chapter a night"/)
    expect(tree).toMatch(/TH:\s+\/Scope \/Column\s+"Name"/)
    expect(tree).toMatch(/LI \(block\)\s+Lbl \(block\)\s+"•"\s+LBody \(block\)\s+"English"/)
  })

  it('lays targets out as a table: a row a target, a column a field', () => {
    const text = pdfText(full)
    // pdftotext reads a table row by row: the header, then each target's cells in order.
    expect(plain(text)).toMatch(
      /Target Who will help By when Target 1 Read one chapter a night Carer 1 May 2026 Target 2/,
    )
  })

  it('marks a PEP in progress DRAFT on every page', async () => {
    const pdf = await renderPepPdf({ ...fullModel(), draft: true })
    const pages = pdfText(pdf).split('\f').slice(0, -1)
    expect(pages.length).toBeGreaterThan(5)
    for (const text of pages) expect(text).toContain('DRAFT – OFFICIAL-SENSITIVE')
    expect(pdfText(full)).not.toContain('DRAFT')
  })

  it('puts the protective marking and "Page n of m" on every page', () => {
    const pages = pdfText(full).split('\f').slice(0, -1)
    pages.forEach((text, i) => {
      expect(text).toContain('OFFICIAL-SENSITIVE')
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`)
    })
  })

  it('lists the documents attached to the PEP: each one’s name, type and date', async () => {
    const model: PepPdfModel = {
      ...fullModel(),
      documents: [{ title: 'EHC plan, annual review', type: 'EHC plan', date: '20 November 2026' }],
    }
    const text = plain(pdfText(await renderPepPdf(model)))
    expect(text).toContain('Attached documents')
    expect(text).toContain('EHC plan, annual review EHC plan 20 November 2026')
  })

  it('shows the meeting record on the cover', async () => {
    const model: PepPdfModel = {
      ...fullModel(),
      meeting: [
        { label: 'Who attended', value: 'Robin Teacher, Sam Jones, school nurse' },
        { label: 'Did the young person attend?', value: 'For part of the meeting' },
      ],
    }
    const [cover] = pdfText(await renderPepPdf(model)).split('\f')
    expect(plain(cover!)).toContain('Meeting record')
    expect(plain(cover!)).toContain('Who attended Robin Teacher, Sam Jones, school nurse')
    expect(plain(cover!)).toContain('Alex Jones Social worker alex.jones@example.org')
  })

  it('marks the young person’s own words as theirs', async () => {
    const model = fullModel()
    model.sections[1]!.ownWords = true
    const pdf = await renderPepPdf(model, { compress: false })
    expect(pdfText(pdf)).toContain('The answers in this section are the young person’s own words.')
    expect(pdfInfo(pdf, '-struct-text')).toMatch(/Quote \(inline\)\s+P \(block\)\s+"Answer 5/)
  })

  it('falls back to Helvetica, dropping accents it cannot draw', async () => {
    const pdf = await renderPepPdf(fullModel(), { fonts: 'standard' })
    const text = plain(pdfText(pdf))
    expect(text).toContain('Siân Gwyn O\'Brien "Y"')
    expect(text).toContain('Gwyl Dewi in Caerdydd')
    expect(fonts(pdf).names).toEqual(new Set(['Helvetica', 'Helvetica-Bold']))
  })

  it('does not throw on control characters, lone surrogates or empty strings', async () => {
    const nasty =
      'a\u0000b\u0001\u0007\u001b[31m\u007f\u0085\u009f\ud800\udfffc\ud83d\uffff\u2028\u202e\u200dend'
    const model: PepPdfModel = {
      title: nasty,
      childName: nasty,
      summary: [
        { label: nasty, value: nasty },
        { label: '', value: '' },
      ],
      sections: [
        {
          id: nasty,
          title: nasty,
          completed: nasty,
          pages: [
            {
              title: nasty,
              saved: '',
              answers: [
                { label: nasty, answer: { kind: 'text', text: nasty } },
                { label: '', answer: { kind: 'text', text: '' } },
                { label: nasty, answer: { kind: 'list', items: [nasty, '', '\n'] } },
                {
                  label: nasty,
                  answer: {
                    kind: 'items',
                    items: [{ heading: nasty, rows: [{ label: nasty, value: nasty }] }],
                  },
                },
                { label: nasty, answer: { kind: 'none' } },
              ],
            },
            { title: '', saved: '', answers: [] },
          ],
        },
      ],
      qa: [{ label: nasty, value: nasty }],
      generatedAt: nasty,
    }
    for (const fonts of ['embedded', 'standard'] as const) {
      for (const compress of [true, false]) {
        const pdf = await renderPepPdf(model, { compress, fonts })
        // The cover, the section (the line separators make every string three lines), the QA.
        const pages = pdfText(pdf).split('\f').slice(0, -1)
        expect(pages.length).toBeGreaterThanOrEqual(3)
        expect(pages.at(-1)).toContain('Quality assurance')
      }
    }
  })
})

describe('pepPdfFilename', () => {
  const spring = { academicYear: 2026, term: 'spring' as const, changeOfSchool: false }
  it('names the child and the term as the pages do, with the academic year', () => {
    expect(pepPdfFilename(spring, { caseReference: 'HFD-10000', name: 'Siân Gŵyn' })).toBe(
      'PEP HFD-10000 Spring term 2027 (2026-27).pdf',
    )
    expect(pepPdfFilename(spring, { caseReference: null, name: 'Siân Gŵyn' })).toBe(
      'PEP Siân Gŵyn Spring term 2027 (2026-27).pdf',
    )
  })

  it('never gives two PEPs of one child the same name', () => {
    const names = new Set(
      [
        spring,
        { ...spring, changeOfSchool: true },
        { ...spring, term: 'summer' as const },
        { ...spring, academicYear: 2027 },
      ].map((pep) => pepPdfFilename(pep, { caseReference: 'HFD-10000', name: 'x' })),
    )
    expect(names.size).toBe(4)
    expect(
      pepPdfFilename({ ...spring, changeOfSchool: true }, { caseReference: 'A/B', name: '' }),
    ).toBe('PEP A B Spring term 2027 (2026-27) change of school review.pdf')
  })
})
