import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ACTIVITY_PICTURES, TOPIC_PICTURES, symbolFile } from './voice.presenter.ts'

/*
 * The pictures of "Tell us what you think" (issue 20) are shipped with the project, with their
 * licence: each activity's and each topic's picture (and the fallbacks) is an SVG file in
 * assets/symbols, and LICENCE.md there names its author and the CC BY 4.0 licence.
 */

const folder = new URL('../../../assets/symbols/', import.meta.url)

describe('the pictures shipped for the young person', () => {
  it('are named by their code points', () => {
    expect(symbolFile('⚽')).toBe('26bd.svg')
    expect(symbolFile('✏️')).toBe('270f.svg')
    expect(symbolFile('🧑‍🏫')).toBe('1f9d1-200d-1f3eb.svg')
  })

  it('are each an SVG file in assets/symbols', () => {
    const emoji = [
      ...Object.values(ACTIVITY_PICTURES),
      ...Object.values(TOPIC_PICTURES),
      '🙂',
      '💬',
    ]
    for (const picture of emoji) {
      const file = new URL(symbolFile(picture), folder)
      expect(existsSync(file), picture).toBe(true)
      expect(readFileSync(file, 'utf8'), picture).toMatch(
        /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      )
    }
  })

  it('come with their licence', () => {
    const licence = readFileSync(new URL('LICENCE.md', folder), 'utf8')
    expect(licence).toContain('Twemoji')
    expect(licence).toContain('https://creativecommons.org/licenses/by/4.0/')
    expect(licence).toContain('Twitter, Inc and other contributors')
  })
})
