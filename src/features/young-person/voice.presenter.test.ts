import { describe, expect, it } from 'vitest'
import { endSentence } from './voice.presenter.ts'

describe('the note of views recorded on behalf', () => {
  it('ends with one full stop, whatever the words typed end with', () => {
    expect(endSentence('How gathered: at the meeting')).toBe('How gathered: at the meeting.')
    expect(endSentence('How gathered: at the meeting.')).toBe('How gathered: at the meeting.')
    expect(endSentence('How gathered: they said “no more!”')).toBe(
      'How gathered: they said “no more!”',
    )
    expect(endSentence('How gathered: asked?')).toBe('How gathered: asked?')
    expect(endSentence('How gathered: 🙂')).toBe('How gathered: 🙂.')
  })
})
