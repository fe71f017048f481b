import type PDFDocumentClass from 'pdfkit'
import type { DisplayAnswer, DisplayItem } from '../../forms/display.ts'
import {
  FontChain,
  isIgnorable,
  primaryFaces,
  type Face,
  type Style,
} from '../../shared/pdf/fonts.ts'
import { TextSetter, type SetText } from '../../shared/pdf/text.ts'

/*
 * A whole PEP as a PDF, for printing, for the child's file and for sending to people without an
 * account. The caller gathers and formats everything (dates, names, answers as read, only what
 * the reader may read); this only lays it out:
 *
 * - a cover page with the child, the PEP, its meeting and the professionals, then each section
 *   from a new page, each question with its answer, repeating groups (targets, attendance,
 *   exclusions, contacts) as tables, the young person's own words marked as theirs, the quality
 *   assurance on a page of its own;
 * - tagged (PDF/UA-1): a structure tree in reading order with headings (H1 the child, H2 each
 *   section, H3 each page, H4 each question), tables with header cells, lists, the document's
 *   title and language; the protective marking, page numbers and any DRAFT mark are artifacts;
 * - every script drawn (shared/pdf/fonts.ts, text.ts): nothing typed prints as "?".
 *
 * Text typed by children can hold anything, so every string is cleaned before it is drawn:
 * control characters go, and a character no font has is shown as its code point.
 */

/**
 * A blank form's space for an answer (issue 21): lines to write on, boxes to tick, or a table of
 * empty rows for a repeating group.
 */
export type BlankSpace =
  | { kind: 'space'; lines: number; prompt?: string }
  | { kind: 'choices'; options: string[]; multiple: boolean }
  | { kind: 'grid'; itemName: string; columns: string[]; rows: number }

export interface PepPdfModel {
  title: string
  childName: string
  /** The cover: the child, the PEP and its state, as label and value, only what the reader may read. */
  summary: { label: string; value: string }[]
  /** The professionals working with the child, on the cover, when the reader may read them. */
  professionals?: { name: string; role: string; email: string }[]
  sections: {
    id: string
    title: string
    /** Who completed the section and when, or that it is not complete: shown as given. */
    completed: string
    /** The young person's own words (Section C): marked as theirs. */
    ownWords?: boolean
    /** Who gave the young person's views and when (recorded on their behalf: by whom, how). */
    viewsNote?: string
    pages: {
      title: string
      /** Who last saved the page and when: shown as given. */
      saved: string
      answers: { label: string; hint?: string; answer: DisplayAnswer | BlankSpace }[]
    }[]
  }[]
  /** The record of the PEP's meeting (who attended, apologies, views): on the cover. */
  meeting?: { label: string; value: string }[]
  /** The documents attached to the PEP (kept on the child's record): listed on the cover. */
  documents?: { title: string; type: string; date: string }[]
  /**
   * The views carers sent for the meeting (issue 20), each headed with whose and when: on a page
   * of their own after the sections, marked as the carer's own words, when the reader may read them.
   */
  carerViews?: { heading: string; rows: { label: string; text: string }[] }[]
  /** Quality assurance: shown on a page of its own after the sections, when given. */
  qa?: { label: string; value: string }[]
  /** A PEP not yet signed off: "DRAFT" across every page. */
  draft?: boolean
  /** A blank form to fill in by hand: "BLANK" at the top and bottom of every page. */
  blank?: boolean
  /** A blank form's professionals: a table of this many empty rows. */
  blankProfessionals?: number
  generatedAt: string
}

export interface PepPdfOptions {
  /** Compress page content (default true). Uncompressed output lets tests read the text. */
  compress?: boolean
  /**
   * 'embedded' (default) draws with DejaVu Sans and the Noto fonts for other scripts;
   * 'standard' uses Helvetica, which needs no font file but draws only Windows-1252 characters
   * (others lose their accents or become '?'). If DejaVu cannot be read, Helvetica is used
   * whatever this says.
   */
  fonts?: 'embedded' | 'standard'
}

const CLASSIFICATION = 'OFFICIAL-SENSITIVE'
const TEXT = '#0b0c0c'
const SECONDARY = '#505a5f'
const BORDER = '#b1b4b6'
const HEADER_FILL = '#f3f2f1'
const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 }
const SIZE = { name: 22, title: 14, section: 17, page: 13, heading: 11, body: 10.5, small: 9 }
const CELL_PADDING = 4

// ---------------------------------------------------------------------------------------------
// Helvetica, when asked for or when DejaVu cannot be read

type Coverage = (codePoint: number) => boolean

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

/** pdfkit's standard fonts as faces: measured by pdfkit, covering Windows-1252. */
function standardFaces(doc: PDFKit.PDFDocument): Record<Style, Face> {
  const face = (key: string): Face => {
    doc.font(key)
    const std = (doc as unknown as { _font: { widthOfString(t: string, size: number): number } })
      ._font
    return {
      key,
      primary: true,
      font: {
        hasGlyphForCodePoint: standardCoverage,
        layout: (text) => ({ advanceWidth: std.widthOfString(text, 1000) }),
        unitsPerEm: 1000,
      },
    }
  }
  return { regular: face('Helvetica'), bold: face('Helvetica-Bold') }
}

// ---------------------------------------------------------------------------------------------
// Cleaning text

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
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
    .replace(LONE_SURROGATE, '\ufffd')
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

// ---------------------------------------------------------------------------------------------
// Layout

type Struct = PDFKit.PDFStructureElement

interface Cell {
  text: string
  style?: Style
  header?: 'Column' | 'Row'
}

/**
 * Draws with `show` inside a marked-content Span whose ActualText is `text`, so a reader gets
 * back the characters typed rather than the shaped glyphs' (a Devanagari vowel sign drawn before
 * its consonant, Arabic drawn right to left). The Span is opened just inside pdfkit's text object
 * (after BT, closed before ET), where the graphics state is that of the glyphs: opened outside,
 * across pdfkit's own save and restore, text extractors place the words at a mirrored height.
 */
function withActualText(doc: PDFKit.PDFDocument, text: string, show: () => void): void {
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16().toString('hex').toUpperCase()
  const target = doc as unknown as { addContent(data: string): unknown }
  const original = target.addContent
  target.addContent = function (this: unknown, data: string) {
    if (data === 'ET') original.call(this, 'EMC')
    original.call(this, data)
    if (data === 'BT') original.call(this, `/Span <</ActualText <${utf16}>>> BDC`)
    return this
  }
  try {
    show()
  } finally {
    target.addContent = original
  }
}

class Writer {
  readonly doc: PDFKit.PDFDocument
  readonly width: number
  private readonly setter: TextSetter
  private readonly clean: (text: string) => string
  private readonly registered = new Set<string>()
  private readonly standard: boolean

  constructor(doc: PDFKit.PDFDocument, chain: FontChain, standard: boolean) {
    this.doc = doc
    this.width = doc.page.width - MARGIN.left - MARGIN.right
    this.setter = new TextSetter(chain)
    this.standard = standard
    this.clean = standard
      ? (text) => cleanText(text, standardCoverage)
      : (text) => cleanText(text, () => true)
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN.bottom
  }

  /** Text set to a width, ready to draw or measure. */
  set(text: string, style: Style, size: number, width = this.width): SetText {
    return this.setter.set(this.clean(text) || ' ', style, size, width)
  }

  height(set: SetText): number {
    return set.lines.length * set.lineHeight
  }

  private useFace(face: Face, size: number, color: string): void {
    if (!this.standard && !this.registered.has(face.key)) {
      // pdfkit's types do not list fontkit fonts, which it takes as they are.
      this.doc.registerFont(face.key, face.font as unknown as Buffer)
      this.registered.add(face.key)
    }
    this.doc.font(face.key).fontSize(size).fillColor(color)
  }

  /**
   * Draws set text at the left margin plus `indent` from doc.y, line by line, going on to a new
   * page when one is full (inside a structure element, pdfkit carries its marked content over).
   */
  draw(set: SetText, color = TEXT, indent = 0, width = this.width - indent, breaks = true): this {
    const doc = this.doc
    set.lines.forEach((line, i) => {
      if (breaks && doc.y + set.lineHeight > this.bottom) doc.continueOnNewPage()
      let x = MARGIN.left + indent + (set.rtl[i] ? Math.max(0, width - line.width) : 0)
      const baseline = doc.y + set.size * 1.05
      // Placed in visual order, drawn in the order typed: the content's order is the reading order.
      const placed = line.pieces.map((piece) => {
        const at = x
        x += piece.width
        return { piece, x: at }
      })
      placed.sort((a, b) => a.piece.start - b.piece.start)
      for (const { piece, x } of placed) {
        this.useFace(piece.face, set.size, color)
        const show = () =>
          doc.text(piece.drawn, x, baseline, {
            lineBreak: false,
            baseline: 'alphabetic',
          } as PDFKit.Mixins.TextOptions)
        if (piece.actual) withActualText(doc, piece.text, show)
        else show()
      }
      doc.y = baseline - set.size * 1.05 + set.lineHeight
    })
    doc.x = MARGIN.left
    return this
  }

  /** A structure element of `type` under `parent`, holding text drawn in it. */
  block(
    parent: Struct,
    type: string,
    text: string,
    style: Style,
    size: number,
    color = TEXT,
    indent = 0,
  ): this {
    const set = this.set(text, style, size, this.width - indent)
    parent.add(this.doc.struct(type, {}, () => this.draw(set, color, indent)))
    return this
  }

  gap(points: number): this {
    this.doc.y += points
    return this
  }

  /** Starts a new page unless `height` more points fit on this one. */
  keep(height: number): this {
    if (this.doc.y + height > this.bottom) this.doc.continueOnNewPage()
    return this
  }

  /** A heading kept with the first lines of what follows it. */
  heading(parent: Struct, type: string, text: string, size: number, after = 2): this {
    const set = this.set(text, 'bold', size)
    this.keep(this.height(set) + after * SIZE.body * 1.4)
    parent.add(this.doc.struct(type, {}, () => this.draw(set)))
    return this
  }

  /**
   * A table: a header row (column headers) when `columns` is given, then each row; a row's
   * first cell may be its header. Column widths are shares of the width. A row taller than a
   * page is laid out cell under cell, still as one row of the table.
   */
  table(parent: Struct, columns: string[] | null, rows: Cell[][], shares?: number[]): this {
    const doc = this.doc
    const count = Math.max(columns?.length ?? 0, ...rows.map((r) => r.length))
    const total = (shares ?? Array.from({ length: count }, () => 1)).reduce((a, b) => a + b, 0)
    const widths = Array.from(
      { length: count },
      (_, i) => (this.width * (shares?.[i] ?? 1)) / total,
    )
    const table = doc.struct('Table')
    parent.add(table)
    const header: Cell[] | null = columns
      ? columns.map((text) => ({ text, style: 'bold', header: 'Column' }))
      : null
    const setRow = (row: Cell[]) =>
      widths.map((w, i) => {
        const cell = row[i] ?? { text: '' }
        return this.set(
          cell.text,
          cell.style ?? (cell.header ? 'bold' : 'regular'),
          SIZE.body,
          w - 2 * CELL_PADDING,
        )
      })
    const rowHeight = (sets: SetText[]) =>
      Math.max(...sets.map((s) => this.height(s))) + 2 * CELL_PADDING
    const headerSets = header ? setRow(header) : null
    const drawRow = (row: Cell[], sets: SetText[], tagged: boolean) => {
      const height = rowHeight(sets)
      const top = doc.y
      const tr = tagged ? doc.struct('TR') : null
      if (tr) table.add(tr)
      if (height > this.bottom - MARGIN.top) {
        // Too tall for any page: each cell in turn, the full width.
        row.forEach((cell, i) => {
          const set = this.set(cell.text, cell.header ? 'bold' : 'regular', SIZE.body)
          const draw = () => this.draw(set, TEXT)
          tr!.add(this.cellStruct(cell, columns?.[i], draw))
          this.gap(CELL_PADDING)
        })
        return
      }
      let x = MARGIN.left
      // Header cells are shaded (drawn first, as an artifact, under their text).
      doc.markContent('Artifact', { type: 'Layout' })
      row.forEach((cell, i) => {
        if (cell.header) doc.rect(x, top, widths[i]!, height).fill(HEADER_FILL)
        x += widths[i]!
      })
      doc.endMarkedContent()
      x = MARGIN.left
      sets.forEach((set, i) => {
        const cell = row[i] ?? { text: '' }
        const cellX = x
        const draw = () => {
          doc.y = top + CELL_PADDING
          this.draw(set, TEXT, cellX - MARGIN.left + CELL_PADDING, widths[i]! - 2 * CELL_PADDING)
        }
        if (tr) tr.add(this.cellStruct(cell, columns?.[i], draw))
        else {
          doc.markContent('Artifact', { type: 'Pagination' })
          draw()
          doc.endMarkedContent()
        }
        x += widths[i]!
      })
      doc.markContent('Artifact', { type: 'Layout' })
      doc.lineWidth(0.75).strokeColor(BORDER)
      x = MARGIN.left
      for (const w of widths) {
        doc.rect(x, top, w, height).stroke()
        x += w
      }
      doc.endMarkedContent()
      doc.x = MARGIN.left
      doc.y = top + height
    }
    if (header && headerSets) {
      this.keep(rowHeight(headerSets) + (rows[0] ? rowHeight(setRow(rows[0])) : 0))
      drawRow(header, headerSets, true)
    }
    for (const row of rows) {
      const sets = setRow(row)
      const height = rowHeight(sets)
      if (doc.y + height > this.bottom && height <= this.bottom - MARGIN.top) {
        doc.continueOnNewPage()
        // The column headers again at the top of the page, for the eye only.
        if (header && headerSets) drawRow(header, headerSets, false)
      }
      drawRow(row, sets, true)
    }
    table.end()
    return this.gap(SIZE.body * 0.6)
  }

  private cellStruct(cell: Cell, columnHeader: string | undefined, draw: () => void): Struct {
    if (cell.header) {
      return this.doc.struct(
        'TH',
        { scope: cell.header } as PDFKit.Mixins.StructureElementOptions,
        draw,
      )
    }
    void columnHeader
    return this.doc.struct('TD', {}, draw)
  }

  /** "Label: value" rows as a table whose first column heads each row. */
  facts(parent: Struct, rows: { label: string; value: string }[]): this {
    return this.table(
      parent,
      null,
      rows.map(({ label, value }) => [{ text: label, header: 'Row' }, { text: value || ' ' }]),
      [2, 3],
    )
  }
}

/** A ticked-list of options, each with an empty box to tick (a blank form). */
function writeChoices(w: Writer, parent: Struct, options: string[], multiple: boolean): void {
  w.block(
    parent,
    'P',
    multiple ? 'Tick all that apply' : 'Tick one',
    'regular',
    SIZE.small,
    SECONDARY,
  )
  const list = w.doc.struct('L')
  parent.add(list)
  for (const option of options) {
    const li = w.doc.struct('LI')
    list.add(li)
    const set = w.set(option, 'regular', SIZE.body, w.width - 20)
    // The box and its words on the same page.
    w.keep(w.height(set))
    const top = w.doc.y
    li.add(w.doc.struct('Lbl', {}, () => w.draw(w.set('☐', 'regular', SIZE.body), TEXT, 2)))
    w.doc.y = top
    li.add(w.doc.struct('LBody', {}, () => w.draw(set, TEXT, 20)))
  }
  list.end()
}

/** An empty box to write in, `lines` lines tall: drawn as layout, not content. */
function writeSpace(w: Writer, parent: Struct, lines: number, prompt?: string): void {
  if (prompt) w.block(parent, 'P', prompt, 'regular', SIZE.small, SECONDARY)
  const height = lines * SIZE.body * 2.2
  w.keep(height)
  const top = w.doc.y
  w.doc.markContent('Artifact', { type: 'Layout' })
  w.doc.lineWidth(0.75).strokeColor(BORDER).rect(MARGIN.left, top, w.width, height).stroke()
  w.doc.endMarkedContent()
  w.doc.y = top + height
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

function writeBlank(w: Writer, parent: Struct, answer: BlankSpace): void {
  switch (answer.kind) {
    case 'space':
      writeSpace(w, parent, answer.lines, answer.prompt)
      return
    case 'choices':
      writeChoices(w, parent, answer.options, answer.multiple)
      return
    case 'grid': {
      const name = capitalised(answer.itemName)
      if (answer.columns.length <= 5) {
        w.table(
          parent,
          ['', ...answer.columns],
          Array.from({ length: answer.rows }, (_, i) => [
            { text: `${name} ${i + 1}`, header: 'Row' as const },
            ...answer.columns.map(() => ({ text: '\n\n' })),
          ]),
          [1.2, ...answer.columns.map(() => 2)],
        )
        return
      }
      for (let i = 0; i < answer.rows; i++) {
        w.heading(parent, 'H5', `${name} ${i + 1}`, SIZE.body)
        w.facts(
          parent,
          answer.columns.map((label) => ({ label, value: '\n' })),
        )
      }
      return
    }
  }
}

const isBlankSpace = (answer: DisplayAnswer | BlankSpace): answer is BlankSpace =>
  answer.kind === 'space' || answer.kind === 'choices' || answer.kind === 'grid'

function writeAnswer(w: Writer, parent: Struct, answer: DisplayAnswer | BlankSpace): void {
  if (isBlankSpace(answer)) {
    writeBlank(w, parent, answer)
    return
  }
  switch (answer.kind) {
    case 'none':
      w.block(parent, 'P', 'Not answered', 'regular', SIZE.body, SECONDARY)
      return
    case 'text':
      w.block(parent, 'P', answer.text || ' ', 'regular', SIZE.body)
      return
    case 'list': {
      if (answer.items.length === 0) {
        w.block(parent, 'P', 'Not answered', 'regular', SIZE.body, SECONDARY)
        return
      }
      const list = w.doc.struct('L')
      parent.add(list)
      for (const item of answer.items) {
        const li = w.doc.struct('LI')
        list.add(li)
        const set = w.set(item || ' ', 'regular', SIZE.body, w.width - 16)
        // The bullet and its words on the same page.
        w.keep(w.height(set))
        const top = w.doc.y
        li.add(w.doc.struct('Lbl', {}, () => w.draw(w.set('•', 'regular', SIZE.body), TEXT, 4)))
        w.doc.y = top
        li.add(w.doc.struct('LBody', {}, () => w.draw(set, TEXT, 16)))
      }
      list.end()
      return
    }
    case 'items':
      if (answer.items.length === 0) {
        w.block(parent, 'P', 'Not answered', 'regular', SIZE.body, SECONDARY)
        return
      }
      itemsTable(w, parent, answer.items)
      return
  }
}

/**
 * A repeating group as a table: one row an item, one column a field. With more fields than fit
 * across a page, each item is a table of its own, a field a row.
 */
function itemsTable(w: Writer, parent: Struct, items: DisplayItem[]): void {
  const labels: string[] = []
  for (const item of items)
    for (const row of item.rows) if (!labels.includes(row.label)) labels.push(row.label)
  if (labels.length <= 5) {
    w.table(
      parent,
      ['', ...labels],
      items.map((item) => [
        { text: item.heading, header: 'Row' },
        ...labels.map((label) => ({
          text: item.rows.find((r) => r.label === label)?.value ?? '',
        })),
      ]),
      [1.2, ...labels.map(() => 2)],
    )
    return
  }
  for (const item of items) {
    w.heading(parent, 'H5', item.heading, SIZE.body)
    w.facts(parent, item.rows)
  }
}

function writeSection(w: Writer, root: Struct, section: PepPdfModel['sections'][number]): void {
  w.doc.addPage()
  const sect = w.doc.struct('Sect')
  root.add(sect)
  w.heading(sect, 'H2', section.title, SIZE.section, 1)
  w.block(sect, 'P', section.completed, 'regular', SIZE.small, SECONDARY)
  if (section.ownWords) {
    w.gap(4).block(
      sect,
      'P',
      'The answers in this section are the young person’s own words.',
      'bold',
      SIZE.body,
    )
  }
  if (section.viewsNote) w.gap(4).block(sect, 'P', section.viewsNote, 'regular', SIZE.body)
  if (section.pages.length === 0) {
    w.gap(SIZE.body)
    w.block(
      sect,
      'P',
      'Nothing has been recorded in this section.',
      'regular',
      SIZE.body,
      SECONDARY,
    )
    sect.end()
    return
  }
  for (const page of section.pages) {
    w.gap(SIZE.body * 1.2)
    const pageSect = w.doc.struct('Sect')
    sect.add(pageSect)
    w.heading(pageSect, 'H3', page.title, SIZE.page, 3)
    if (page.saved) w.block(pageSect, 'P', page.saved, 'regular', SIZE.small, SECONDARY)
    if (page.answers.length === 0) {
      w.gap(SIZE.body * 0.5)
      w.block(pageSect, 'P', 'No questions on this page.', 'regular', SIZE.body, SECONDARY)
    }
    for (const { label, hint, answer } of page.answers) {
      w.gap(SIZE.body * 0.7)
      // A blank form's question stays on the page of its space to write in.
      if (isBlankSpace(answer) && answer.kind === 'space')
        w.keep(answer.lines * SIZE.body * 2.2 + SIZE.body * (hint ? 6 : 4))
      w.heading(pageSect, 'H4', label, SIZE.body)
      w.gap(1.5)
      if (hint) w.block(pageSect, 'P', hint, 'regular', SIZE.small, SECONDARY).gap(1.5)
      if (section.ownWords && answer.kind !== 'none' && !isBlankSpace(answer)) {
        // The young person's words, as a quotation of theirs.
        const quote = w.doc.struct('Quote')
        pageSect.add(quote)
        writeAnswer(w, quote, answer)
        quote.end()
      } else writeAnswer(w, pageSect, answer)
    }
    pageSect.end()
  }
  sect.end()
}

/**
 * The classification at the top and bottom of every page, "Page n of m", DRAFT if a draft and
 * BLANK if a blank form.
 */
function writeMarkings(w: Writer, draft: boolean, blank = false): void {
  const doc = w.doc
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    // Writing in the margins would otherwise start a new page.
    doc.page.margins.bottom = 0
    doc.markContent('Artifact', { type: 'Pagination' })
    const footerY = doc.page.height - MARGIN.bottom / 2 - SIZE.small / 2
    const mark = (
      text: string,
      y: number,
      style: Style,
      color: string,
      align: 'center' | 'right',
    ) => {
      const set = w.set(text, style, SIZE.small)
      doc.y = y
      const line = set.lines[0]!
      const x = align === 'center' ? (w.width - line.width) / 2 : w.width - line.width
      w.draw({ ...set, lines: [line] }, color, x, w.width - x, false)
    }
    const top = MARGIN.top / 2 - SIZE.small / 2
    const marking = blank
      ? `BLANK FORM – ${CLASSIFICATION} WHEN FILLED IN`
      : draft
        ? `DRAFT – ${CLASSIFICATION}`
        : CLASSIFICATION
    mark(marking, top, 'bold', TEXT, 'center')
    mark(marking, footerY, 'bold', TEXT, 'center')
    mark(`Page ${i - start + 1} of ${count}`, footerY, 'regular', SECONDARY, 'right')
    if (draft) {
      // A large DRAFT across the page, pale enough to read the text through.
      const set = w.set('DRAFT', 'bold', 96)
      doc.save()
      doc.rotate(-45, { origin: [doc.page.width / 2, doc.page.height / 2] })
      doc.opacity(0.12)
      doc.y = doc.page.height / 2 - 60
      const x = (w.width - (set.lines[0]?.width ?? 0)) / 2
      w.draw(set, SECONDARY, x, w.width - x, false)
      doc.restore()
    }
    doc.endMarkedContent()
    doc.page.margins.bottom = bottom
  }
}

function writeCover(w: Writer, root: Struct, model: PepPdfModel): void {
  const cover = w.doc.struct('Sect')
  root.add(cover)
  w.block(cover, 'H1', model.childName, 'bold', SIZE.name)
  w.block(cover, 'P', model.title, 'regular', SIZE.title)
  w.block(cover, 'P', `Generated ${model.generatedAt}`, 'regular', SIZE.small, SECONDARY)
  if (model.draft) {
    w.gap(4).block(
      cover,
      'P',
      'DRAFT: this PEP has not been signed off, and may change.',
      'bold',
      SIZE.body,
    )
  }
  if (model.blank) {
    w.gap(4).block(
      cover,
      'P',
      'BLANK: a form to print and fill in by hand at the PEP meeting. It holds nobody’s details until it is filled in; then keep it as OFFICIAL-SENSITIVE.',
      'bold',
      SIZE.body,
    )
  }
  if (model.summary.length > 0) {
    w.gap(SIZE.body)
    w.facts(cover, model.summary)
  }
  if (model.blankProfessionals) {
    w.gap(SIZE.body * 0.6).heading(cover, 'H2', 'Professionals', SIZE.page)
    w.gap(3).table(
      cover,
      ['Name', 'Role', 'Email'],
      Array.from({ length: model.blankProfessionals }, () => [
        { text: '\n' },
        { text: '\n' },
        { text: '\n' },
      ]),
      [2, 2, 3],
    )
  }
  if (model.professionals && model.professionals.length > 0) {
    w.gap(SIZE.body * 0.6).heading(cover, 'H2', 'Professionals', SIZE.page)
    w.gap(3).table(
      cover,
      ['Name', 'Role', 'Email'],
      model.professionals.map((p) => [{ text: p.name }, { text: p.role }, { text: p.email }]),
      [2, 2, 3],
    )
  }
  if (model.meeting && model.meeting.length > 0) {
    w.gap(SIZE.body * 0.6).heading(cover, 'H2', 'Meeting record', SIZE.page)
    w.gap(3).facts(cover, model.meeting)
  }
  if (model.documents && model.documents.length > 0) {
    w.gap(SIZE.body * 0.6).heading(cover, 'H2', 'Attached documents', SIZE.page)
    w.gap(3).table(
      cover,
      ['Document', 'Type', 'Attached'],
      model.documents.map((d) => [{ text: d.title }, { text: d.type }, { text: d.date }]),
      [3, 2, 2],
    )
  }
  cover.end()
}

/** The carers' views, each carer's answers quoted as their own words under whose and when. */
function writeCarerViews(
  w: Writer,
  root: Struct,
  views: NonNullable<PepPdfModel['carerViews']>,
): void {
  w.doc.addPage()
  const sect = w.doc.struct('Sect')
  root.add(sect)
  w.heading(sect, 'H2', 'The carer’s views', SIZE.section, 1)
  w.gap(4).block(
    sect,
    'P',
    'The answers on this page are the carer’s own words, sent for the PEP meeting.',
    'bold',
    SIZE.body,
  )
  for (const carer of views) {
    w.gap(SIZE.body * 1.2)
    const theirs = w.doc.struct('Sect')
    sect.add(theirs)
    w.heading(theirs, 'H3', carer.heading, SIZE.page, 3)
    for (const row of carer.rows) {
      w.gap(SIZE.body * 0.7)
      w.heading(theirs, 'H4', row.label, SIZE.body)
      w.gap(1.5)
      const quote = w.doc.struct('Quote')
      theirs.add(quote)
      writeAnswer(w, quote, { kind: 'text', text: row.text })
      quote.end()
    }
    theirs.end()
  }
  sect.end()
}

function writeDocument(w: Writer, model: PepPdfModel): void {
  const root = w.doc.struct('Document')
  w.doc.addStructure(root)
  writeCover(w, root, model)
  for (const section of model.sections) writeSection(w, root, section)
  if (model.carerViews && model.carerViews.length > 0) writeCarerViews(w, root, model.carerViews)
  if (model.qa && model.qa.length > 0) {
    w.doc.addPage()
    const qa = w.doc.struct('Sect')
    root.add(qa)
    w.heading(qa, 'H2', 'Quality assurance', SIZE.section)
    w.gap(SIZE.body * 0.6).facts(qa, model.qa)
    qa.end()
  }
  root.end()
  writeMarkings(w, model.draft ?? false, model.blank ?? false)
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
 * The PEP as an A4 tagged PDF. Never throws on the text it is given; rejects only if pdfkit
 * itself fails.
 */
export async function renderPepPdf(
  model: PepPdfModel,
  options: PepPdfOptions = {},
): Promise<Buffer> {
  const PDFDocument = await loadPdfKit()
  const primary = options.fonts === 'standard' ? null : primaryFaces()
  const plainTitle = cleanText(
    model.blank ? model.title : `${model.title}: ${model.childName}`,
    () => true,
  )
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    tagged: true,
    // PDF/UA-1 needs every font embedded: Helvetica is not, so that PDF does not claim it.
    ...(primary ? { subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets } : {}),
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
  const chain = primary ? new FontChain(primary) : new FontChain(standardFaces(doc), false)
  writeDocument(new Writer(doc, chain, primary === null), model)
  doc.end()
  return done
}
