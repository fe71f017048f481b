import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { woffToSfnt } from './fonts.ts'

const require = createRequire(import.meta.url)
const fontkit = require('fontkit') as {
  create(buffer: Uint8Array): {
    type: string
    numGlyphs: number
    layout(text: string): { glyphs: { id: number }[]; advanceWidth: number }
    getGlyph(id: number): { path: { toSVG(): string } }
  }
}

describe('woffToSfnt', () => {
  it('unwraps a WOFF font into the font it wraps: the same glyphs, shaping and outlines', () => {
    const file =
      require.resolve('@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff')
    const woff = readFileSync(file)
    const wrapped = fontkit.create(woff)
    const unwrapped = fontkit.create(woffToSfnt(woff))
    expect(wrapped.type).toBe('WOFF')
    expect(unwrapped.type).toBe('TTF')
    expect(unwrapped.numGlyphs).toBe(wrapped.numGlyphs)
    const text = 'नमस्ते, मुझे पढ़ना पसंद है'
    const a = wrapped.layout(text)
    const b = unwrapped.layout(text)
    expect(b.glyphs.map((g) => g.id)).toEqual(a.glyphs.map((g) => g.id))
    expect(b.advanceWidth).toBe(a.advanceWidth)
    for (const g of a.glyphs)
      expect(unwrapped.getGlyph(g.id).path.toSVG()).toBe(wrapped.getGlyph(g.id).path.toSVG())
  })

  it('gives any other font back as it is', () => {
    const ttf = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))
    expect(woffToSfnt(ttf)).toBe(ttf)
  })
})
