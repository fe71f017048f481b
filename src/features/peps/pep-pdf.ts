import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type PDFDocumentClass from 'pdfkit'
import type { DisplayAnswer } from '../../forms/display.ts'

/*
 * A whole PEP as a PDF, for printing, for the child's file and for sending to people without an
 * account. The caller gathers and formats everything (dates, names, answers as read); this only
 * lays it out. Text typed by children can hold anything, so every string is cleaned before it is
 * drawn: control characters go, and characters the font cannot draw (most emoji) become '?'.
 */

export interface PepPdfModel {
  title: string
  childName: string
  summary: { label: string; value: string }[]
  sections: {
    id: string
    title: string
    /** Who completed the section and when, or that it is not complete: shown as given. */
    completed: string
    pages: {
      title: string
      /** Who last saved the page and when: shown as given. */
      saved: string
      answers: { label: string; answer: DisplayAnswer }[]
    }[]
  }[]
  /** The record of the PEP's meeting (who attended, apologies, views): after the summary. */
  meeting?: { label: string; value: string }[]
  /** The documents attached to the PEP (kept on the child's record): listed after the summary. */
  documents?: { title: string; type: string; date: string }[]
  /** Quality assurance: shown on a page of its own after the sections, when given. */
  qa?: { label: string; value: string }[]
  generatedAt: string
}

export interface PepPdfOptions {
  /** Compress page content (default true). Uncompressed output lets tests read the text. */
  compress?: boolean
  /**
   * 'embedded' (default) draws with DejaVu Sans, which covers Welsh and most alphabets;
   * 'standard' uses Helvetica, which needs no font file but draws only Windows-1252 characters.
   * If the DejaVu files cannot be read, Helvetica is used whatever this says.
   */
  fonts?: 'embedded' | 'standard'
}

const CLASSIFICATION = 'OFFICIAL-SENSITIVE'
const TEXT = '#0b0c0c'
const SECONDARY = '#505a5f'
const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 }
const SIZE = { name: 22, title: 14, section: 17, page: 13, body: 10.5, small: 9 }

// ---------------------------------------------------------------------------------------------
// Fonts

type Style = 'regular' | 'bold'

type FontFiles = { regular: Buffer; bold: Buffer }

let fontFiles: FontFiles | null | undefined

/**
 * pdfkit also takes a font it has already parsed (a fontkit font), and parsing DejaVu's tables
 * again for each document costs more than laying the document out, so the first document's fonts
 * are kept for the rest.
 */
const parsedFonts: Partial<Record<Style, object>> = {}

/** The DejaVu Sans files, read once; null when they cannot be read. */
function loadFontFiles(): FontFiles | null {
  if (fontFiles !== undefined) return fontFiles
  try {
    const require = createRequire(import.meta.url)
    fontFiles = {
      regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    }
  } catch {
    fontFiles = null
  }
  return fontFiles
}

/** Whether a font can draw a code point. */
type Coverage = (codePoint: number) => boolean

/** What pdfkit keeps of an embedded font: fontkit's font, which knows its own glyphs. */
interface LoadedFont {
  font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean }
}

const embeddedCoverage: Record<Style, Map<number, boolean>> = {
  regular: new Map(),
  bold: new Map(),
}

/**
 * Coverage of the font just selected in `doc`. pdfkit does not expose this, so it is read from the
 * fontkit font it holds; if that is ever missing, nothing is filtered out (pdfkit then draws an
 * empty box for a character the font lacks, and does not throw).
 */
function embeddedFontCoverage(doc: PDFKit.PDFDocument, style: Style): Coverage {
  const font = (doc as unknown as { _font?: LoadedFont })._font?.font
  if (font && typeof (font as { layout?: unknown }).layout === 'function') {
    parsedFonts[style] ??= font
  }
  const has = font?.hasGlyphForCodePoint?.bind(font)
  if (!has) return () => true
  const cache = embeddedCoverage[style]
  return (codePoint) => {
    let known = cache.get(codePoint)
    if (known === undefined) {
      known = has(codePoint)
      cache.set(codePoint, known)
    }
    return known
  }
}

/** Windows-1252 beyond Latin-1: the only other characters pdfkit's standard fonts can draw. */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((c) => c.codePointAt(0) ?? 0))

function standardCoverage(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    codePoint === 0x0a ||
    WIN_ANSI_EXTRA.has(codePoint)
  )
}

// ---------------------------------------------------------------------------------------------
// Cleaning text

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** Joiners, marks of direction and variation selectors: dropped if the font lacks them. */
function isIgnorable(codePoint: number): boolean {
  return (
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2069) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff ||
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
  )
}
const COMBINING_MARK = /^\p{M}$/u

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** A grapheme the font cannot draw whole: drawable without its ignorables, its base letter, or '?'. */
function replaceGrapheme(grapheme: string, covers: Coverage): string {
  const kept = [...grapheme].filter((c) => {
    const codePoint = c.codePointAt(0) ?? 0
    return covers(codePoint) || !isIgnorable(codePoint)
  })
  if (kept.every((c) => covers(c.codePointAt(0) ?? 0))) return kept.join('')
  // Accented letters a font lacks (ŵ in Helvetica) are shown without the accent rather than lost.
  const [base, ...marks] = [...grapheme.normalize('NFD')]
  if (
    base !== undefined &&
    covers(base.codePointAt(0) ?? 0) &&
    marks.every((m) => COMBINING_MARK.test(m))
  ) {
    return base
  }
  return '?'
}

/** Text as the font can draw it: never throws, whatever it is given. */
function cleanText(text: string, covers: Coverage): string {
  const plain = String(text)
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/\t/g, '    ')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '?')
  for (const c of plain) {
    if (!covers(c.codePointAt(0) ?? 0)) {
      let out = ''
      for (const { segment } of segmenter.segment(plain)) {
        out += [...segment].every((s) => covers(s.codePointAt(0) ?? 0))
          ? segment
          : replaceGrapheme(segment, covers)
      }
      return out
    }
  }
  return plain
}

/** Thirty or more letters (each with its accents) without a space, and ten of them. */
const LONG_WORD = /(?:[^\s\p{M}]\p{M}*){30,}/gu
const TEN_LETTERS = /(?:[^\s\p{M}]\p{M}*){10}(?=[^\s\p{M}])/gu

/**
 * A place to break after every ten letters of a very long word. pdfkit splits a word too long
 * for a line by measuring what is left of it again for each line, so a 10,000-letter word (a
 * pasted link, a held-down key) took seconds; now it takes milliseconds.
 */
function breakLongWords(text: string, wordBreak: string): string {
  if (text.length < 30) return text
  return text.replace(LONG_WORD, (word) => word.replace(TEN_LETTERS, (ten) => ten + wordBreak))
}

// ---------------------------------------------------------------------------------------------
// Layout

class Writer {
  readonly doc: PDFKit.PDFDocument
  readonly width: number
  private readonly fontNames: Record<Style, string>
  private readonly coverage: Record<Style, Coverage>
  /** Zero-width space where the font hides it (fontkit does), else a space. */
  private readonly wordBreak: string
  private style: Style = 'regular'

  constructor(doc: PDFKit.PDFDocument, embedded: boolean) {
    this.doc = doc
    this.width = doc.page.width - MARGIN.left - MARGIN.right
    if (embedded) {
      this.fontNames = { regular: 'PepRegular', bold: 'PepBold' }
      doc.font('PepBold')
      const bold = embeddedFontCoverage(doc, 'bold')
      doc.font('PepRegular')
      const regular = embeddedFontCoverage(doc, 'regular')
      this.coverage = { regular, bold }
      this.wordBreak = '\u200b'
    } else {
      this.fontNames = { regular: 'Helvetica', bold: 'Helvetica-Bold' }
      this.coverage = { regular: standardCoverage, bold: standardCoverage }
      this.wordBreak = ' '
    }
    this.use('regular', SIZE.body, TEXT)
  }

  use(style: Style, size: number, color: string): this {
    this.style = style
    this.doc.font(this.fontNames[style]).fontSize(size).fillColor(color)
    return this
  }

  clean(text: string, style: Style = this.style): string {
    return breakLongWords(cleanText(text, this.coverage[style]), this.wordBreak)
  }

  /** A paragraph in the current style, at the left margin plus `indent`. */
  text(text: string, indent = 0, options: PDFKit.Mixins.TextOptions = {}): this {
    this.doc.text(this.clean(text), MARGIN.left + indent, undefined, {
      width: this.width - indent,
      ...options,
    })
    return this
  }

  /** "Label: value", the label in bold. */
  labelled(label: string, value: string, indent = 0, size = SIZE.body): this {
    const x = MARGIN.left + indent
    const width = this.width - indent
    this.use('bold', size, TEXT)
    this.doc.text(`${this.clean(label)}: `, x, undefined, { width, continued: true })
    this.use('regular', size, TEXT)
    this.doc.text(this.clean(value) || ' ', { width })
    return this
  }

  gap(lines: number): this {
    this.doc.moveDown(lines)
    return this
  }

  /** Starts a new page unless `height` more points fit on this one. */
  keep(height: number): this {
    const doc = this.doc
    if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage()
    return this
  }

  /** The height a bold label takes at `size`, for keeping it with what follows. */
  heightOf(text: string, style: Style, size: number, indent = 0): number {
    this.use(style, size, TEXT)
    return this.doc.heightOfString(this.clean(text), { width: this.width - indent })
  }
}

function writeAnswer(w: Writer, answer: DisplayAnswer): void {
  switch (answer.kind) {
    case 'none':
      w.use('regular', SIZE.body, SECONDARY).text('Not answered')
      return
    case 'text':
      w.use('regular', SIZE.body, TEXT).text(answer.text || ' ')
      return
    case 'list':
      w.use('regular', SIZE.body, TEXT)
      if (answer.items.length === 0) {
        w.use('regular', SIZE.body, SECONDARY).text('Not answered')
        return
      }
      w.doc.list(
        answer.items.map((item) => w.clean(item) || ' '),
        MARGIN.left + 14,
        undefined,
        { width: w.width - 14, bulletRadius: 2, textIndent: 10, bulletIndent: 10 },
      )
      return
    case 'items':
      if (answer.items.length === 0) {
        w.use('regular', SIZE.body, SECONDARY).text('Not answered')
        return
      }
      answer.items.forEach((item, index) => {
        if (index > 0) w.gap(0.4)
        w.keep(w.heightOf(item.heading, 'bold', SIZE.body, 14) + 2 * w.doc.currentLineHeight(true))
        w.use('bold', SIZE.body, TEXT).text(item.heading, 14)
        for (const row of item.rows) w.labelled(row.label, row.value, 14)
      })
      return
  }
}

function writeSection(w: Writer, section: PepPdfModel['sections'][number]): void {
  const doc = w.doc
  doc.addPage()
  w.use('bold', SIZE.section, TEXT).text(section.title)
  w.use('regular', SIZE.small, SECONDARY).text(section.completed)
  if (section.pages.length === 0) {
    w.gap(1).use('regular', SIZE.body, SECONDARY).text('Nothing has been recorded in this section.')
    return
  }
  section.pages.forEach((page) => {
    w.gap(1.2)
    w.keep(w.heightOf(page.title, 'bold', SIZE.page) + 4 * w.doc.currentLineHeight(true))
    w.use('bold', SIZE.page, TEXT).text(page.title)
    if (page.saved) w.use('regular', SIZE.small, SECONDARY).text(page.saved)
    if (page.answers.length === 0) {
      w.gap(0.5).use('regular', SIZE.body, SECONDARY).text('No questions on this page.')
    }
    for (const { label, answer } of page.answers) {
      w.gap(0.7)
      // A label is kept with at least two lines of its answer.
      w.keep(w.heightOf(label, 'bold', SIZE.body) + 2 * w.doc.currentLineHeight(true))
      w.use('bold', SIZE.body, TEXT).text(label)
      w.gap(0.15)
      writeAnswer(w, answer)
    }
  })
}

/** The classification at the top and bottom of every page, and "Page n of m" at the bottom. */
function writeMarkings(w: Writer): void {
  const doc = w.doc
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    // Writing in the margins would otherwise start a new page.
    doc.page.margins.bottom = 0
    const footerY = doc.page.height - MARGIN.bottom / 2 - SIZE.small / 2
    w.use('bold', SIZE.small, TEXT)
    doc.text(CLASSIFICATION, MARGIN.left, MARGIN.top / 2 - SIZE.small / 2, {
      width: w.width,
      align: 'center',
      lineBreak: false,
    })
    doc.text(CLASSIFICATION, MARGIN.left, footerY, {
      width: w.width,
      align: 'center',
      lineBreak: false,
    })
    w.use('regular', SIZE.small, SECONDARY)
    doc.text(`Page ${i - start + 1} of ${count}`, MARGIN.left, footerY, {
      width: w.width,
      align: 'right',
      lineBreak: false,
    })
    doc.page.margins.bottom = bottom
  }
}

function writeDocument(w: Writer, model: PepPdfModel): void {
  w.use('bold', SIZE.name, TEXT).text(model.childName)
  w.use('regular', SIZE.title, TEXT).text(model.title)
  w.use('regular', SIZE.small, SECONDARY).text(`Generated ${model.generatedAt}`)
  if (model.summary.length > 0) {
    w.gap(1.5)
    for (const { label, value } of model.summary) w.labelled(label, value).gap(0.25)
  }
  if (model.meeting && model.meeting.length > 0) {
    w.gap(1.2)
    w.use('bold', SIZE.page, TEXT).text('Meeting record')
    w.gap(0.3)
    for (const { label, value } of model.meeting) w.labelled(label, value).gap(0.25)
  }
  if (model.documents && model.documents.length > 0) {
    w.gap(1.2)
    w.use('bold', SIZE.page, TEXT).text('Attached documents')
    w.gap(0.3)
    for (const d of model.documents) w.labelled(d.title, `${d.type}, attached ${d.date}`).gap(0.25)
  }
  for (const section of model.sections) writeSection(w, section)
  if (model.qa && model.qa.length > 0) {
    w.doc.addPage()
    w.use('bold', SIZE.section, TEXT).text('Quality assurance')
    w.gap(0.8)
    for (const { label, value } of model.qa) w.labelled(label, value).gap(0.25)
  }
  writeMarkings(w)
}

/**
 * pdfkit (and its fontkit, about 100 ms and 30 MB) is loaded on the first PDF, not when the app
 * starts: most processes never make one.
 */
let pdfKit: Promise<typeof PDFDocumentClass> | undefined
function loadPdfKit(): Promise<typeof PDFDocumentClass> {
  pdfKit ??= import('pdfkit').then((module) => module.default)
  return pdfKit
}

/**
 * The PEP as an A4 PDF. Never throws on the text it is given; rejects only if pdfkit itself fails.
 */
export async function renderPepPdf(
  model: PepPdfModel,
  options: PepPdfOptions = {},
): Promise<Buffer> {
  const PDFDocument = await loadPdfKit()
  const files = options.fonts === 'standard' ? null : loadFontFiles()
  const plainTitle = cleanText(`${model.title}: ${model.childName}`, () => true)
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: plainTitle, Subject: CLASSIFICATION, Creator: 'OpenPEP' },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  if (files) {
    // pdfkit's types do not list fontkit fonts, which it takes as they are (see parsedFonts).
    doc.registerFont('PepRegular', (parsedFonts.regular as Buffer | undefined) ?? files.regular)
    doc.registerFont('PepBold', (parsedFonts.bold as Buffer | undefined) ?? files.bold)
  }
  writeDocument(new Writer(doc, files !== null), model)
  doc.end()
  return done
}
