import { describe, expect, it } from 'vitest'
import { FontChain, primaryFaces } from './fonts.ts'
import { TextSetter } from './text.ts'

/*
 * Brackets in right-to-left text (issue 21): drawn as their mirror images (UAX #9 rule L4, by
 * bidi-js), so "(" typed in Hebrew or Arabic opens the aside on the page; the words a reader gets
 * back (ActualText) stay as typed. Left-to-right text is drawn as typed.
 */
describe('the text setter', () => {
  const faces = primaryFaces()
  it.skipIf(!faces)('mirrors brackets in right-to-left text, and keeps what was typed', () => {
    const setter = new TextSetter(new FontChain(faces!))
    const typed = 'שלום (עולם) [טוב] and (Latin) مرحبا {بك}'
    const set = setter.set(typed, 'regular', 11, 1000)
    const pieces = set.lines.flatMap((l) => l.pieces)
    // Read back in the order typed, every piece's words are what was typed.
    expect(
      [...pieces]
        .sort((a, b) => a.start - b.start)
        .map((p) => p.text)
        .join(''),
    ).toBe(typed)
    const drawnOf = (index: number) =>
      pieces.find((p) => p.start <= index && index < p.start + p.text.length)!
    for (const [ch, mirror] of [
      ['(', ')'],
      [')', '('],
      ['[', ']'],
      ['{', '}'],
    ] as const) {
      const at = typed.indexOf(ch)
      const piece = drawnOf(at)
      expect(piece.drawn[at - piece.start], ch).toBe(mirror)
      expect(piece.actual, ch).toBe(true)
    }
    // The Latin aside keeps its brackets as typed.
    const latin = typed.indexOf('(Latin)')
    const piece = drawnOf(latin)
    expect(piece.drawn[latin - piece.start]).toBe('(')
  })
})
