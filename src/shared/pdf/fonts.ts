import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/*
 * The fonts a PEP's PDF draws with: DejaVu Sans first (Latin with Welsh, Greek, Cyrillic and
 * most symbols, regular and bold), then a fallback for each script it lacks, each a Noto font
 * shipped as an npm package (@fontsource, SIL Open Font License; the licence is in each
 * package): emoji, Arabic, Hebrew, Devanagari, Bengali, Gurmukhi and Chinese. Fontsource cuts
 * each font into files by Unicode range (its CSS says which), so a fallback file is read only
 * when a document holds a character in its range: a PEP in English reads DejaVu alone.
 */

export type Style = 'regular' | 'bold'

/** What we use of a fontkit font. */
export interface Font {
  hasGlyphForCodePoint(codePoint: number): boolean
  layout(text: string): { advanceWidth: number }
  unitsPerEm: number
}

/** A font file the document can draw with: `key` is the name it is registered under. */
export interface Face {
  key: string
  font: Font
  /** DejaVu: the font for everything no script font is asked for. */
  primary: boolean
}

const require = createRequire(import.meta.url)

/** The fallback fonts, in the order they are tried when no script asks for one of them. */
const FALLBACKS = [
  { id: 'emoji', pkg: '@fontsource/noto-emoji' },
  { id: 'arabic', pkg: '@fontsource/noto-sans-arabic' },
  { id: 'hebrew', pkg: '@fontsource/noto-sans-hebrew' },
  { id: 'devanagari', pkg: '@fontsource/noto-sans-devanagari' },
  { id: 'bengali', pkg: '@fontsource/noto-sans-bengali' },
  { id: 'gurmukhi', pkg: '@fontsource/noto-sans-gurmukhi' },
  { id: 'chinese', pkg: '@fontsource/noto-sans-sc' },
] as const

type FallbackId = (typeof FALLBACKS)[number]['id']

/** The script font asked for first for a character of that script. */
const SCRIPT_FONTS: [RegExp, FallbackId][] = [
  [/\p{Extended_Pictographic}|\p{Emoji_Presentation}|\p{Regional_Indicator}/u, 'emoji'],
  [/\p{Script=Arabic}/u, 'arabic'],
  [/\p{Script=Hebrew}/u, 'hebrew'],
  [/\p{Script=Devanagari}/u, 'devanagari'],
  [/\p{Script=Bengali}/u, 'bengali'],
  [/\p{Script=Gurmukhi}/u, 'gurmukhi'],
  [/\p{Script=Han}|\p{Script=Bopomofo}|[\u3000-\u303f\uff00-\uffef]/u, 'chinese'],
]

/** One file of a fallback font and the code points its CSS says it holds. */
interface RangeFile {
  file: string
  ranges: [number, number][]
  font?: Font | null
}

const fallbackFiles = new Map<FallbackId, RangeFile[] | null>()

/** The regular (400) files of a fontsource package, from its CSS; null when it is not installed. */
function filesOf(id: FallbackId): RangeFile[] | null {
  if (fallbackFiles.has(id)) return fallbackFiles.get(id)!
  let files: RangeFile[] | null
  try {
    const pkg = FALLBACKS.find((f) => f.id === id)!.pkg
    const dir = dirname(require.resolve(`${pkg}/package.json`))
    const css = readFileSync(join(dir, '400.css'), 'utf8')
    files = []
    for (const block of css.split('@font-face').slice(1)) {
      const file = /url\(\.\/(files\/[^)]+\.woff)\)/.exec(block)?.[1]
      const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1]
      if (!file || !range) continue
      files.push({
        file: join(dir, file),
        ranges: range.split(',').map((r) => {
          const [from, to] = r.trim().replace(/^U\+/i, '').split('-')
          return [parseInt(from!, 16), parseInt(to ?? from!, 16)]
        }),
      })
    }
  } catch {
    files = null
  }
  fallbackFiles.set(id, files)
  return files
}

/** fontkit (which pdfkit uses too) is loaded with the first font, not when the app starts. */
let fontkit: { create(buffer: Uint8Array): unknown } | undefined

function open(file: string): Font | null {
  try {
    fontkit ??= require('fontkit') as { create(buffer: Uint8Array): unknown }
    const font = fontkit.create(woffToSfnt(readFileSync(file))) as unknown as Font
    guardNullAnchors(font)
    return font
  } catch {
    return null
  }
}

/**
 * A WOFF 1.0 file (W3C Recommendation, section 4-5) as the plain TrueType or OpenType font it
 * wraps; any other font as it is. fontkit reads a WOFF table by inflating it on every access, in
 * JavaScript (tiny-inflate), and pdfkit reads `glyf` once a glyph: a page of Chinese or emoji
 * inflated the whole glyph table again for each character (most of a PDF's CPU, profiled).
 * Unwrapped once here, with zlib, each table is read from memory.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.toString('latin1', 0, 4) !== 'wOFF') return woff
  const numTables = woff.readUInt16BE(12)
  const tables: { tag: number; checksum: number; data: Buffer }[] = []
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20
    const offset = woff.readUInt32BE(at + 4)
    const compLength = woff.readUInt32BE(at + 8)
    const origLength = woff.readUInt32BE(at + 12)
    const stored = woff.subarray(offset, offset + compLength)
    const data = compLength < origLength ? inflateSync(stored) : stored
    if (data.length !== origLength) throw new Error('WOFF table of the wrong length')
    tables.push({ tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data })
  }
  const pad = (n: number) => (n + 3) & ~3
  const headerLength = 12 + 16 * numTables
  const sfnt = Buffer.alloc(headerLength + tables.reduce((sum, t) => sum + pad(t.data.length), 0))
  const entrySelector = Math.floor(Math.log2(numTables))
  sfnt.writeUInt32BE(woff.readUInt32BE(4), 0)
  sfnt.writeUInt16BE(numTables, 4)
  sfnt.writeUInt16BE(16 * 2 ** entrySelector, 6)
  sfnt.writeUInt16BE(entrySelector, 8)
  sfnt.writeUInt16BE(16 * numTables - 16 * 2 ** entrySelector, 10)
  let offset = headerLength
  tables.forEach((t, i) => {
    const at = 12 + i * 16
    sfnt.writeUInt32BE(t.tag, at)
    sfnt.writeUInt32BE(t.checksum, at + 4)
    sfnt.writeUInt32BE(offset, at + 8)
    sfnt.writeUInt32BE(t.data.length, at + 12)
    t.data.copy(sfnt, offset)
    offset += pad(t.data.length)
  })
  return sfnt
}

interface AnchorPositioning {
  applyAnchor(markRecord: { markAnchor?: unknown } | null, baseAnchor: unknown, base: number): void
  openPepGuarded?: boolean
}

/**
 * fontkit 2.0.4 throws on a mark attached with a NULL anchor, which the OpenType specification
 * allows and several Noto fonts (Bengali, Arabic) hold (fontkit issue 367, fix proposed in pull
 * request 374, not released): the PDF would fail on ordinary words. Like HarfBuzz, and like that
 * fix, such a mark is left where it is. The guard goes on fontkit's own positioning class, once.
 */
function guardNullAnchors(font: Font): void {
  const gpos = (font as unknown as { _layoutEngine?: { engine?: { GPOSProcessor?: object } } })
    ._layoutEngine?.engine?.GPOSProcessor
  if (!gpos) return
  const proto = Object.getPrototypeOf(gpos) as AnchorPositioning
  if (proto.openPepGuarded || typeof proto.applyAnchor !== 'function') return
  const apply = proto.applyAnchor
  proto.applyAnchor = function (this: unknown, markRecord, baseAnchor, base) {
    if (!baseAnchor || !markRecord?.markAnchor) return
    apply.call(this, markRecord, baseAnchor, base)
  }
  proto.openPepGuarded = true
}

let primaryFonts: Record<Style, Font> | null | undefined

/** DejaVu Sans regular and bold, read once; null when they cannot be read. */
export function primaryFaces(): Record<Style, Face> | null {
  if (primaryFonts === undefined) {
    try {
      const regular = open(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))
      const bold = open(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))
      primaryFonts = regular && bold ? { regular, bold } : null
    } catch {
      primaryFonts = null
    }
  }
  if (!primaryFonts) return null
  return {
    regular: { key: 'PepRegular', font: primaryFonts.regular, primary: true },
    bold: { key: 'PepBold', font: primaryFonts.bold, primary: true },
  }
}

/** The file of a fallback font that holds this code point, opened; undefined if none does. */
function fallbackFace(id: FallbackId, codePoint: number): Face | undefined {
  const files = filesOf(id)
  if (!files) return undefined
  const index = files.findIndex((f) =>
    f.ranges.some(([from, to]) => codePoint >= from && codePoint <= to),
  )
  if (index < 0) return undefined
  const entry = files[index]!
  if (entry.font === undefined) entry.font = open(entry.file)
  if (!entry.font) return undefined
  return { key: `Pep-${id}-${index}`, font: entry.font, primary: false }
}

/** Joiners, direction marks and variation selectors: a font need not draw them. */
export function isIgnorable(codePoint: number): boolean {
  return (
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2060 && codePoint <= 0x2069) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff ||
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef)
  )
}

const covers = (face: Face, codePoints: number[]) =>
  codePoints.every((c) => face.font.hasGlyphForCodePoint(c) || isIgnorable(c))

/**
 * The fonts one document draws with: which face draws each grapheme (a letter with its marks,
 * an emoji sequence), remembered per document.
 */
export class FontChain {
  readonly primary: Record<Style, Face>
  private readonly fallbacks: boolean
  private readonly chosen = new Map<string, Face | null>()
  private readonly coverage = new Map<string, Map<number, boolean>>()

  /** `fallbacks` false: the primary faces alone (Helvetica, which no other font completes). */
  constructor(primary: Record<Style, Face>, fallbacks = true) {
    this.primary = primary
    this.fallbacks = fallbacks
  }

  /**
   * The face for a grapheme in a style: its script's font first, then DejaVu, then every
   * fallback; null when no font has it (then the caller shows it as its code point).
   */
  faceFor(grapheme: string, style: Style): Face | null {
    const cacheKey = `${style}:${grapheme}`
    const known = this.chosen.get(cacheKey)
    if (known !== undefined) return known
    const codePoints = [...grapheme].map((c) => c.codePointAt(0)!)
    const visible = codePoints.filter((c) => !isIgnorable(c))
    let face: Face | null = null
    if (visible.length === 0) face = this.primary[style]
    const first = visible[0] ?? 0
    const wanted = SCRIPT_FONTS.find(([pattern]) => pattern.test(grapheme))?.[1]
    const tries: (() => Face | undefined)[] = []
    if (wanted && this.fallbacks) tries.push(() => fallbackFace(wanted, first))
    tries.push(() => this.primary[style])
    if (this.fallbacks)
      for (const f of FALLBACKS) if (f.id !== wanted) tries.push(() => fallbackFace(f.id, first))
    for (const attempt of tries) {
      if (face) break
      const candidate = attempt()
      if (candidate && covers(candidate, codePoints)) face = candidate
    }
    this.chosen.set(cacheKey, face)
    return face
  }

  /** Whether a face has every character of some text of single UTF-16 code units. */
  coversAll(face: Face, text: string): boolean {
    let known = this.coverage.get(face.key)
    if (!known) this.coverage.set(face.key, (known = new Map()))
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      let has = known.get(code)
      if (has === undefined) {
        has = face.font.hasGlyphForCodePoint(code) || isIgnorable(code)
        known.set(code, has)
      }
      if (!has) return false
    }
    return true
  }

  /** Whether a face has every code point of a grapheme (for keeping spaces in a run). */
  covers(face: Face, grapheme: string): boolean {
    return covers(
      face,
      [...grapheme].map((c) => c.codePointAt(0)!),
    )
  }
}
