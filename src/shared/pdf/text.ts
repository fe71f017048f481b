import bidiModule, { type Bidi } from 'bidi-js'
import { isIgnorable, type Face, type FontChain, type Style } from './fonts.ts'

/*
 * Setting text in any script: each grapheme drawn by the first font of the chain that has it
 * (shared/pdf/fonts.ts), lines broken to a width, and each line put in visual order by the Unicode
 * Bidirectional Algorithm (bidi-js), so Arabic and Hebrew read right to left with numbers and
 * English inside them the right way round. fontkit (inside pdfkit) shapes each piece: Arabic
 * letters join, Indic vowel signs move and conjuncts form. Text a PDF reader could not map back
 * from its glyphs (shaped scripts, emoji sequences) carries its words as ActualText, so copying
 * or reading it aloud gives what was typed.
 */

// bidi-js is a CommonJS module whose export is the factory; its types describe an ES default.
const bidi = (bidiModule as unknown as () => Bidi)()
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** A run of text drawn in one face, in logical order, with its width at the size it was set. */
export interface Piece {
  /** What was typed: the piece's words, as a reader gets them back. */
  text: string
  /** What is drawn: right-to-left brackets and the like mirrored (bidi-js, UAX #9 rule L4). */
  drawn: string
  /** Where it starts in its paragraph: pieces are drawn in this (logical) order. */
  start: number
  face: Face
  width: number
  /** Shaped or reordered: its glyphs alone would not give back its text. */
  actual: boolean
}

export interface Line {
  /** In visual order, left to right. */
  pieces: Piece[]
  width: number
}

export interface SetText {
  lines: Line[]
  /** Each line's paragraph runs right to left (aligned right). */
  rtl: boolean[]
  size: number
  lineHeight: number
}

interface Atom {
  text: string
  start: number
  end: number
  face: Face
  space: boolean
}

const SCRIPTLESS = /^[\p{Script=Common}\p{Script=Inherited}]+$/u
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u
const SPACE = /^\s+$/u
/** A line may break after a space, a zero-width space, a hyphen or slash, and any ideograph. */
const IDEOGRAPH = /^(?:\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana})$/u
function breaksAfter(grapheme: string): boolean {
  if (grapheme === '-' || grapheme === '/' || grapheme === '\u200b') return true
  return grapheme.charCodeAt(0) >= 0x2e80 && IDEOGRAPH.test(grapheme)
}
const RIGHT_TO_LEFT =
  /[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u
/** Text whose every character is a grapheme of its own (no marks, joiners or emoji). */
const SIMPLE = /^[\u0020-\u007e\u00a0-\u02ff\u0370-\u03ff\u0400-\u04ff\u2010-\u2027\u2030-\u205e]*$/
const SHAPED = /[\u0590-\u1cff\ua800-\uabff\u200c\u200d]|\p{Extended_Pictographic}/u

export class TextSetter {
  private readonly chain: FontChain
  private readonly widths = new Map<string, number>()

  constructor(chain: FontChain) {
    this.chain = chain
  }

  /** The width of text in a face, measured a word at a time (words repeat: each is laid out once). */
  private width(face: Face, text: string, size: number): number {
    if (RIGHT_TO_LEFT.test(text) || !face.primary) return this.units(face, text) * size
    let units = 0
    for (const word of text.split(/(?<= )|(?= )/)) units += this.units(face, word)
    return units * size
  }

  private units(face: Face, text: string): number {
    const key = `${face.key}\u0000${text}`
    let units = this.widths.get(key)
    if (units === undefined) {
      units = face.font.layout(text).advanceWidth / face.font.unitsPerEm
      this.widths.set(key, units)
    }
    return units
  }

  /** The graphemes of one paragraph, each with the face that draws it. */
  private atoms(paragraph: string, style: Style): Atom[] {
    const atoms: Atom[] = []
    let previous: Face | null = null
    const simple = SIMPLE.test(paragraph)
    const primary = this.chain.primary[style]
    if (simple && this.chain.coversAll(primary, paragraph)) {
      // Most text: every character a grapheme, all in the primary font.
      for (let i = 0; i < paragraph.length; i++) {
        const text = paragraph[i]!
        atoms.push({
          text,
          start: i,
          end: i + 1,
          face: primary,
          space: text === ' ' || text === '\u00a0',
        })
      }
      return atoms
    }
    const graphemes = simple
      ? [...paragraph].map((segment, index) => ({ segment, index }))
      : segmenter.segment(paragraph)
    for (const { segment, index } of graphemes) {
      let face: Face | null = null
      let text = segment
      // A space, a digit or a full stop stays in the face around it, so a phrase is one piece.
      if (previous && SCRIPTLESS.test(segment) && !EMOJI.test(segment)) {
        if (this.chain.covers(previous, segment)) face = previous
      }
      face ??= this.chain.faceFor(segment, style)
      if (!face) {
        // No font has it: it is shown as its code points, never as a question mark.
        face = this.chain.primary[style]
        text = [...segment]
          .filter((c) => !isIgnorable(c.codePointAt(0)!))
          .map((c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
          .join('')
      }
      atoms.push({
        text,
        start: index,
        end: index + segment.length,
        face,
        space: SPACE.test(segment),
      })
      previous = face
    }
    return atoms
  }

  /** Text broken into lines of at most `width` points at `size`, each in visual order. */
  set(text: string, style: Style, size: number, width: number): SetText {
    const result: SetText = { lines: [], rtl: [], size, lineHeight: size * 1.4 }
    for (const paragraph of text.split('\n')) {
      const atoms = this.atoms(paragraph, style)
      // Only text with a right-to-left letter or mark needs the bidirectional algorithm.
      const levels = RIGHT_TO_LEFT.test(paragraph)
        ? bidi.getEmbeddingLevels(paragraph)
        : { paragraphs: [], levels: new Uint8Array(paragraph.length) }
      const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1
      const mixed = rtl || levels.levels.some((l: number) => l !== 0)
      for (const range of this.breakLines(atoms, size, width)) {
        result.lines.push(this.line(paragraph, atoms, range, levels, mixed, size))
        result.rtl.push(rtl)
      }
    }
    return result
  }

  /** Greedy line breaking: the atoms' index ranges [from, to) of each line. */
  private breakLines(atoms: Atom[], size: number, width: number): [number, number][] {
    if (atoms.length === 0) return [[0, 0]]
    const widths = atoms.map((a) => this.units(a.face, a.text) * size)
    const lines: [number, number][] = []
    let from = 0
    let used = 0
    let lastBreak = -1
    let i = 0
    while (i < atoms.length) {
      const atom = atoms[i]!
      if (!atom.space && used + widths[i]! > width && i > from) {
        // Break after the last break opportunity on this line, or here if there is none.
        const to = lastBreak >= from ? lastBreak + 1 : i
        lines.push([from, to])
        from = to
        while (from < atoms.length && atoms[from]!.space) from++
        used = 0
        lastBreak = -1
        i = from
        continue
      }
      used += widths[i]!
      if (atom.space || breaksAfter(atom.text)) lastBreak = i
      i++
    }
    if (from < atoms.length || lines.length === 0) lines.push([from, atoms.length])
    return lines
  }

  private line(
    paragraph: string,
    atoms: Atom[],
    [from, to]: [number, number],
    levels: ReturnType<typeof bidi.getEmbeddingLevels>,
    mixed: boolean,
    size: number,
  ): Line {
    let end = to
    while (end > from && atoms[end - 1]!.space) end--
    let order: Atom[] = atoms.slice(from, end)
    if (mixed && end > from) {
      // Visual order of the line's characters, mapped back to whole graphemes.
      const atomAt = new Map<number, Atom>()
      for (const a of order) for (let c = a.start; c < a.end; c++) atomAt.set(c, a)
      const indices = bidi.getReorderedIndices(
        paragraph,
        levels,
        atoms[from]!.start,
        atoms[end - 1]!.end - 1,
      )
      order = []
      for (let k = atoms[from]!.start; k < atoms[end - 1]!.end; k++) {
        const atom = atomAt.get(indices[k]!)
        if (atom && order[order.length - 1] !== atom) order.push(atom)
      }
    }
    const bidiLine = mixed && atoms.slice(from, end).some((a) => levels.levels[a.start]! % 2 === 1)
    // Neighbours in visual order, in one face and logically next to each other, form a piece.
    const pieces: Piece[] = []
    let group: Atom[] = []
    const flush = () => {
      if (group.length === 0) return
      const sorted = [...group].sort((a, b) => a.start - b.start)
      const text = sorted.map((a) => a.text).join('')
      const face = group[0]!.face
      // A bracket in right-to-left text is drawn as its mirror: "(" typed reads as ")" on the
      // page, so the pair still opens and closes the right way round.
      const rtl = levels.levels[sorted[0]!.start]! % 2 === 1
      const drawn = rtl ? [...text].map((ch) => bidi.getMirroredCharacter(ch) ?? ch).join('') : text
      pieces.push({
        text,
        drawn,
        start: sorted[0]!.start,
        face,
        width: this.width(face, drawn, size),
        // In a line with right-to-left text every piece carries its words, so the line reads
        // back in the order it was typed.
        actual: bidiLine || SHAPED.test(text) || drawn !== text,
      })
      group = []
    }
    for (const atom of order) {
      const last = group[group.length - 1]
      const level = (a: Atom) => levels.levels[a.start]!
      const adjacent =
        last &&
        last.face.key === atom.face.key &&
        level(last) === level(atom) &&
        (level(atom) % 2 === 0 ? last.end === atom.start : atom.end === last.start)
      if (!adjacent) flush()
      group.push(atom)
    }
    flush()
    const width = pieces.reduce((w, p) => w + p.width, 0)
    // Spaces at the end of a line are drawn too (they are invisible), so a reader joining the
    // lines back gets "a night", not "anight"; they do not count in the line's width.
    if (end < to) {
      group = atoms.slice(end, to)
      flush()
    }
    return { pieces, width }
  }
}
