import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sampleAnswers, SHORT_ANSWERS } from './sample-answers.ts'
import { TEMPLATES } from './templates/index.ts'
import type { FieldQuestion, RepeatItem } from './types.ts'

/** Every short-text question of every template, by the key its sample answers have. */
function shortQuestions(): { key: string; question: FieldQuestion; pageId: string }[] {
  return TEMPLATES.flatMap((template) =>
    template.sections.flatMap((section) =>
      section.pages.flatMap((page) =>
        page.questions.flatMap((question) =>
          question.type === 'repeating'
            ? question.fields
                .filter((f) => f.type === 'text')
                .map((f) => ({ key: `${question.id}.${f.id}`, question: f, pageId: page.id }))
            : question.type === 'text'
              ? [{ key: question.id, question, pageId: page.id }]
              : [],
        ),
      ),
    ),
  )
}

describe('the demo’s sample answers', () => {
  it('have a fitting short answer for every short-text question of every template', () => {
    const missing = shortQuestions()
      .map((q) => q.key)
      .filter((key) => !SHORT_ANSWERS[key])
    expect(missing).toEqual([])
  })

  it('answer each short-text question from its own list, never with a sentence about something else', () => {
    let n = 3
    const random = () => (n = (n * 16807) % 2147483647) / 2147483647
    for (const template of TEMPLATES)
      for (const section of template.sections)
        for (const page of section.pages) {
          const answers = sampleAnswers(page, random, randomUUID, '2026-11-20')
          for (const question of page.questions) {
            if (question.type === 'text')
              expect(SHORT_ANSWERS[question.id], question.id).toContain(answers[question.id])
            if (question.type !== 'repeating') continue
            for (const item of (answers[question.id] ?? []) as readonly RepeatItem[])
              for (const field of question.fields)
                if (field.type === 'text')
                  expect(SHORT_ANSWERS[`${question.id}.${field.id}`]).toContain(item[field.id])
          }
        }
  })
})
