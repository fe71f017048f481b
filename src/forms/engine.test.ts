import { describe, expect, it } from 'vitest'
import { inputFromAnswers, isAnswered, nameOf, parseTime, readField, readPage } from './answers.ts'
import {
  blockersToCompleting,
  fieldKey,
  missingAnswers,
  missingAttendanceTarget,
  mayEditPage,
  NO_OVERRIDES,
} from './completion.ts'
import { currentTemplate } from './templates/index.ts'
import { holds } from './conditions.ts'
import { answerAsText, displayAnswer } from './display.ts'
import type { FormTemplate, Page, Section } from './types.ts'

/* The form engine against a small template of its own, so the rules are tested apart from content. */

const attendance: Page = {
  id: 'attendance',
  title: 'Attendance',
  questions: [
    {
      id: 'attendance-from',
      type: 'date',
      label: 'Start of the attendance period',
      mandatory: true,
    },
    {
      id: 'attendance-percentage',
      type: 'percentage',
      label: 'Attendance',
      name: 'the attendance percentage',
      mandatory: true,
      prompt: { when: { answer: 'attendance-percentage', lessThan: 90 }, text: 'Agree a target' },
    },
    {
      id: 'hours-per-week',
      type: 'number',
      label: 'Hours a week',
      integer: false,
      min: 0,
      max: 60,
    },
    {
      id: 'part-time-reason',
      type: 'longText',
      label: 'Why is the timetable part time?',
      mandatory: true,
      condition: { answer: 'hours-per-week', lessThan: 25 },
    },
    { id: 'meeting-time', type: 'time', label: 'Meeting time' },
    { id: 'funding', type: 'money', label: 'Funding', max: 1000 },
    { id: 'excluded', type: 'yesNo', label: 'Excluded this term?' },
    {
      id: 'support',
      type: 'multipleChoice',
      label: 'Support',
      options: [
        { value: 'tutor', text: 'Tutor' },
        { value: 'mentor', text: 'Mentor' },
      ],
    },
    { id: 'note', type: 'text', label: 'Note', maxLength: 5 },
  ],
}

const targets: Page = {
  id: 'smart-targets',
  title: 'SMART targets',
  questions: [
    {
      id: 'targets',
      type: 'repeating',
      label: 'Targets',
      itemName: 'target',
      mandatory: true,
      maxItems: 2,
      fields: [
        {
          id: 'area',
          type: 'singleChoice',
          label: 'Area',
          mandatory: true,
          options: [
            { value: 'literacy', text: 'Literacy' },
            { value: 'attendance', text: 'Attendance' },
          ],
        },
        { id: 'target', type: 'longText', label: 'Target', mandatory: true },
        { id: 'by-date', type: 'date', label: 'By when' },
      ],
    },
  ],
}

const plan: Page = {
  id: 'plan-14-19',
  title: '14-19 plan',
  condition: { yearGroupIn: ['Y10', 'Y11'] },
  questions: [{ id: 'plan', type: 'longText', label: 'Plan', mandatory: true }],
}

const sectionB: Section = {
  id: 'B',
  title: 'Section B: Designated teacher',
  completedBy: ['designated_teacher'],
  editableBy: ['designated_teacher', 'social_worker'],
  pages: [attendance, targets, plan],
}

export const fixtureTemplate: FormTemplate = {
  formType: 'secondary',
  version: 1,
  title: 'Test',
  sections: [sectionB],
}

let counter = 0
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`

describe('reading a field', () => {
  const percentage = attendance.questions[1]!
  it.each([
    ['85', 85],
    ['85.5', 85.5],
    ['85.5%', 85.5],
    ['0', 0],
    ['100', 100],
  ])('accepts a percentage of %s', (typed, value) => {
    expect(readField(percentage as never, typed, 'the attendance percentage')).toEqual({ value })
  })

  it.each([
    ['100.1', 'The attendance percentage must be between 0 and 100'],
    ['-1', 'The attendance percentage must be between 0 and 100'],
    ['85.25', 'The attendance percentage must have no more than one decimal place'],
    ['eighty', 'The attendance percentage must be a percentage'],
  ])('refuses a percentage of %s with a message naming it', (typed, error) => {
    expect(readField(percentage as never, typed, 'the attendance percentage')).toEqual({ error })
  })

  it('treats blank as unanswered, not as an error', () => {
    for (const question of attendance.questions) {
      if (question.type === 'repeating') continue
      const raw =
        question.type === 'date'
          ? { day: ' ', month: '', year: '' }
          : question.type === 'multipleChoice'
            ? []
            : '  '
      expect(readField(question, raw, 'x')).toEqual({ value: undefined })
    }
  })

  it('keeps text exactly as typed, at the limit, in code points', () => {
    const note = attendance.questions.find((q) => q.id === 'note')!
    expect(readField(note as never, '😀:+"é', 'the note')).toEqual({ value: '😀:+"é' })
    expect(readField(note as never, ' ŵŷ ', 'the note')).toEqual({ value: ' ŵŷ ' })
    expect(readField(note as never, '123456', 'the note')).toEqual({
      error: 'The note must be 5 characters or fewer',
    })
    expect(readField(note as never, 'a\u0000b', 'the note')).toEqual({
      error: 'The note must not contain hidden control characters',
    })
  })

  it('reads money to pounds and pence within its limit', () => {
    const money = attendance.questions.find((q) => q.id === 'funding')!
    expect(readField(money as never, '£1,000', 'funding')).toEqual({ value: '1000.00' })
    expect(readField(money as never, '12.5', 'funding')).toEqual({ value: '12.50' })
    expect(readField(money as never, '1000.01', 'funding')).toEqual({
      error: 'Funding must be £1,000 or less',
    })
    expect(readField(money as never, '1.234', 'funding')).toEqual({
      error: 'Funding must be in pounds and pence',
    })
  })

  it('reads money through the money rules: misplaced commas, negatives and words refused', () => {
    const money = attendance.questions.find((q) => q.id === 'funding')!
    expect(readField(money as never, '0.05', 'funding')).toEqual({ value: '0.05' })
    for (const typed of ['1,23', '1e3', 'NaN', '£'])
      expect(readField(money as never, typed, 'funding')).toEqual({
        error: 'Funding must be an amount in pounds',
      })
    expect(readField(money as never, '-£5', 'funding')).toEqual({
      error: 'Funding must be 0 or more',
    })
    expect(answerAsText(money as never, '1000.00')).toBe('£1,000.00')
  })

  it('reads numbers within their range', () => {
    const hours = attendance.questions.find((q) => q.id === 'hours-per-week')!
    expect(readField(hours as never, '24.5', 'hours')).toEqual({ value: 24.5 })
    expect(readField(hours as never, '60', 'hours')).toEqual({ value: 60 })
    expect(readField(hours as never, '60.01', 'hours')).toEqual({
      error: 'Hours must be between 0 and 60',
    })
    expect(readField(hours as never, '1e3', 'hours')).toEqual({ error: 'Hours must be a number' })
  })

  it('refuses a date that does not exist, and says which box', () => {
    const date = attendance.questions[0]!
    expect(readField(date as never, { day: '29', month: '2', year: '2028' }, 'the start')).toEqual({
      value: '2028-02-29',
    })
    expect(readField(date as never, { day: '29', month: '2', year: '2027' }, 'the start')).toEqual({
      error: 'The start must be a real date',
      href: 'day',
    })
    expect(readField(date as never, { day: '1', month: '', year: '2027' }, 'the start')).toEqual({
      error: 'The start must include a month',
      href: 'month',
    })
  })

  it('names a question in messages by its name, its whole question, or its label', () => {
    const [date, percentage] = attendance.questions
    expect(nameOf(percentage!)).toBe('the attendance percentage')
    expect(nameOf(date!)).toBe('start of the attendance period')
    expect(nameOf({ id: 'x', type: 'date', label: 'When is it due?' })).toBe(
      'the answer to ‘When is it due?’',
    )
  })

  it('refuses choices that were not offered', () => {
    const support = attendance.questions.find((q) => q.id === 'support')!
    expect(readField(support as never, ['tutor', 'tutor'], 'support')).toEqual({ value: ['tutor'] })
    expect(readField(support as never, ['tutor', 'car'], 'support')).toEqual({
      error: 'Select only the options shown for support',
    })
    const yesNo = attendance.questions.find((q) => q.id === 'excluded')!
    expect(readField(yesNo as never, 'maybe', 'excluded')).toHaveProperty('error')
  })
})

describe('parseTime', () => {
  it.each([
    ['14:30', '14:30'],
    ['9.05', '09:05'],
    ['2:30pm', '14:30'],
    ['2pm', '14:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['0:00', '00:00'],
    ['23:59', '23:59'],
  ])('reads %s as %s', (typed, time) => {
    expect(parseTime(typed)).toBe(time)
  })

  it.each(['24:00', '13pm', '0am', '14', '12:60', 'noon', ''])('refuses %s', (typed) => {
    expect(parseTime(typed)).toBeUndefined()
  })
})

describe('reading a page', () => {
  it('reads answered questions, drops blank ones and collects every error in order', () => {
    const read = readPage(
      attendance,
      {
        'attendance-from-day': '31',
        'attendance-from-month': '2',
        'attendance-from-year': '2026',
        'attendance-percentage': '101',
        'hours-per-week': '20',
        'part-time-reason': 'Anxiety: building up',
        excluded: '',
      },
      newId,
    )
    expect(read.ok).toBe(false)
    expect(read.errors.list).toEqual([
      { text: 'Start of the attendance period must be a real date', href: '#attendance-from-day' },
      {
        text: 'The attendance percentage must be between 0 and 100',
        href: '#attendance-percentage',
      },
    ])
    expect(read.answers).toEqual({
      'hours-per-week': 20,
      'part-time-reason': 'Anxiety: building up',
    })
    expect(read.input.fields['attendance-percentage']).toBe('101')
  })

  it('reads repeating items, keeps their ids, drops blank items and names errors by item', () => {
    const keep = '11111111-1111-4111-8111-111111111111'
    const read = readPage(
      targets,
      {
        'targets--0--id': keep,
        'targets--0--area': 'literacy',
        'targets--0--target': 'Read a book a week',
        'targets--1--id': 'not-an-id',
        'targets--1--target': 'Attend every day',
        'targets--1--by-date-day': '32',
        'targets--1--by-date-month': '1',
        'targets--1--by-date-year': '2027',
        'targets--2--id': keep.replace(/1/g, '2'),
      },
      newId,
    )
    expect(read.errors.list).toEqual([
      { text: 'Target 2: by when must be a real date', href: '#targets--1--by-date-day' },
    ])
    const fixed = readPage(
      targets,
      {
        'targets--0--id': keep,
        'targets--0--area': 'literacy',
        'targets--0--target': 'Read a book a week',
        'targets--1--id': 'not-an-id',
        'targets--1--target': 'Attend every day',
        'targets--2--id': keep.replace(/1/g, '2'),
      },
      newId,
    )
    const items = fixed.answers['targets'] as { id: string }[]
    expect(items).toHaveLength(2)
    expect(items[0]).toEqual({ id: keep, area: 'literacy', target: 'Read a book a week' })
    expect(items[1]!.id).toMatch(/^00000000-/)
  })

  it('refuses more items than the group allows, rather than losing one', () => {
    const body: Record<string, string> = {}
    for (let i = 0; i < 3; i++) body[`targets--${i}--target`] = `Target ${i}`
    const read = readPage(targets, body, newId)
    expect(read.ok).toBe(false)
    expect(read.errors.list[0]!.text).toBe('Targets: you can add up to 2')
  })

  it('round-trips stored answers into the form', () => {
    const answers = {
      'attendance-from': '2026-09-01',
      'attendance-percentage': 87.5,
      support: ['mentor'],
    }
    const input = inputFromAnswers(attendance, answers)
    expect(input.fields['attendance-from']).toEqual({ day: '1', month: '9', year: '2026' })
    const body = {
      'attendance-from-day': '1',
      'attendance-from-month': '9',
      'attendance-from-year': '2026',
      'attendance-percentage': String(input.fields['attendance-percentage']),
      support: input.fields['support'],
    }
    expect(readPage(attendance, body, newId).answers).toEqual(answers)
  })
})

describe('conditions', () => {
  const context = (answers: Record<string, unknown>, yearGroup = 'Y10') =>
    ({ yearGroup, answers }) as never
  it('asks the part-time detail only under 25 hours a week', () => {
    const condition = { answer: 'hours-per-week', lessThan: 25 }
    expect(holds(condition, context({ 'hours-per-week': 24.9 }))).toBe(true)
    expect(holds(condition, context({ 'hours-per-week': 25 }))).toBe(false)
    expect(holds(condition, context({}))).toBe(false)
    expect(holds(condition, context({ 'hours-per-week': '10' }))).toBe(false)
  })

  it('combines conditions', () => {
    const yearTen = { yearGroupIn: ['Y10', 'Y11'] } as const
    expect(holds(yearTen, context({}, 'Y9'))).toBe(false)
    expect(holds({ not: yearTen }, context({}, 'Y9'))).toBe(true)
    expect(
      holds({ all: [yearTen, { answer: 'x', equals: 'yes' }] }, context({ x: 'yes' }, 'Y11')),
    ).toBe(true)
    expect(
      holds({ any: [yearTen, { answer: 'x', includes: 'a' }] }, context({ x: ['a'] }, 'Y1')),
    ).toBe(true)
    expect(holds(yearTen, { yearGroup: null, answers: {} })).toBe(false)
  })
})

describe('what blocks marking a section complete', () => {
  const context = (answers: Record<string, unknown>, yearGroup: string = 'Y9') =>
    ({ yearGroup, answers }) as never

  it('lists every unanswered mandatory question in form order, with where to find it', () => {
    const missing = missingAnswers(sectionB, context({}), NO_OVERRIDES)
    expect(missing.map((m) => [m.pageId, m.fieldId])).toEqual([
      ['attendance', 'attendance-from-day'],
      ['attendance', 'attendance-percentage'],
      ['smart-targets', 'targets'],
    ])
  })

  it('asks conditional questions and pages only when their conditions hold', () => {
    const answered = {
      'attendance-from': '2026-09-01',
      'attendance-percentage': 95,
      targets: [{ id: 'a', area: 'literacy', target: 'Read' }],
    }
    expect(missingAnswers(sectionB, context(answered), NO_OVERRIDES)).toEqual([])
    expect(
      missingAnswers(sectionB, context({ ...answered, 'hours-per-week': 10 }), NO_OVERRIDES).map(
        (m) => m.fieldId,
      ),
    ).toEqual(['part-time-reason'])
    expect(
      missingAnswers(sectionB, context(answered, 'Y10'), NO_OVERRIDES).map((m) => m.fieldId),
    ).toEqual(['plan'])
  })

  it('checks the mandatory fields of each item', () => {
    const answers = {
      'attendance-from': '2026-09-01',
      'attendance-percentage': 95,
      targets: [{ id: 'a', target: 'Read' }],
    }
    const missing = missingAnswers(sectionB, context(answers), NO_OVERRIDES)
    expect(missing).toEqual([
      {
        pageId: 'smart-targets',
        pageTitle: 'SMART targets',
        fieldId: 'targets--0--area',
        text: 'Target 1: answer ‘Area’',
      },
    ])
  })

  it("follows the authority's own choice of mandatory questions", () => {
    const overrides = new Map([
      ['attendance-from', false],
      ['meeting-time', true],
      [fieldKey('targets', 'area'), false],
    ])
    const answers = { 'attendance-percentage': 95, targets: [{ id: 'a', target: 'Read' }] }
    expect(missingAnswers(sectionB, context(answers), overrides).map((m) => m.fieldId)).toEqual([
      'meeting-time',
    ])
  })
})

describe('what blocks completing a real Section B', () => {
  const secondary = currentTemplate('secondary')
  const b = secondary.sections.find((s) => s.id === 'B')!
  const context = (answers: Record<string, unknown>) => ({ yearGroup: 'Y9', answers }) as never

  it('lists the next meeting once, not again in other words', () => {
    const missing = blockersToCompleting(secondary, b, context({}), NO_OVERRIDES)
    const fieldIds = missing.map((m) => m.fieldId)
    expect(fieldIds.filter((id) => id === 'next-meeting-date-day')).toHaveLength(1)
    expect(fieldIds.filter((id) => id === 'next-meeting-time')).toHaveLength(1)
    expect(new Set(fieldIds).size).toBe(fieldIds.length)
  })

  it('does not hold Section A back for the next meeting, which Section B asks', () => {
    const a = secondary.sections.find((s) => s.id === 'A')!
    const missing = blockersToCompleting(secondary, a, context({}), NO_OVERRIDES)
    expect(missing.map((m) => m.pageId)).not.toContain('pep-meeting')
    // Even where an authority makes them optional, B still needs them.
    const optional = new Map([
      ['next-meeting-date', false],
      ['next-meeting-time', false],
    ])
    expect(
      blockersToCompleting(secondary, b, context({}), optional)
        .filter((m) => m.text.startsWith('Set the next meeting'))
        .map((m) => m.fieldId),
    ).toEqual(['next-meeting-date-day', 'next-meeting-time'])
  })

  it('needs a target on attendance below the line, and not at it', () => {
    const target = (area: string) => [{ id: 'a', area, target: 'Read' }]
    const below = context({ 'attendance-percentage': 89.9, targets: target('literacy') })
    expect(missingAttendanceTarget(b, below, 90)).toEqual({
      pageId: 'smart-targets',
      pageTitle: 'SMART targets',
      fieldId: 'targets',
      text: 'Attendance is 89.9%, below 90%: add a target on attendance',
    })
    expect(
      missingAttendanceTarget(
        b,
        context({ 'attendance-percentage': 89.9, targets: target('attendance') }),
        90,
      ),
    ).toBeUndefined()
    expect(
      missingAttendanceTarget(
        b,
        context({ 'attendance-percentage': 90, targets: target('literacy') }),
        90,
      ),
    ).toBeUndefined()
    // No attendance given (its own question is then missing), or no line: nothing more to ask.
    expect(missingAttendanceTarget(b, context({ targets: target('literacy') }), 90)).toBeUndefined()
    expect(missingAttendanceTarget(b, below, undefined)).toBeUndefined()
    // No targets at all: still asked for one on attendance.
    expect(missingAttendanceTarget(b, context({ 'attendance-percentage': 50 }), 90)?.fieldId).toBe(
      'targets',
    )
    // Section A has no targets page: nothing asked there.
    const a = secondary.sections.find((s) => s.id === 'A')!
    expect(missingAttendanceTarget(a, below, 90)).toBeUndefined()
  })
})

describe('who may change a page', () => {
  it('follows the section, unless the page says otherwise', () => {
    expect(mayEditPage(sectionB, attendance, 'social_worker')).toBe(true)
    expect(mayEditPage(sectionB, attendance, 'carer')).toBe(false)
    expect(mayEditPage(sectionB, attendance, null)).toBe(false)
    const vsOnly = { ...attendance, editableBy: ['vs_consultant'] as const }
    expect(mayEditPage(sectionB, vsOnly, 'social_worker')).toBe(false)
    expect(mayEditPage(sectionB, vsOnly, 'vs_consultant')).toBe(true)
  })
})

describe('showing answers', () => {
  it('shows each type as people read it', () => {
    const q = (id: string) => attendance.questions.find((x) => x.id === id)!
    expect(answerAsText(q('attendance-from'), '2026-09-01')).toBe('1 September 2026')
    expect(answerAsText(q('attendance-percentage'), 87.5)).toBe('87.5%')
    expect(answerAsText(q('funding'), '1000.00')).toBe('£1,000.00')
    expect(answerAsText(q('excluded'), 'no')).toBe('No')
    expect(answerAsText(q('support'), ['tutor', 'mentor'])).toBe('Tutor, Mentor')
    expect(answerAsText(q('note'), undefined)).toBe('Not answered')
    expect(displayAnswer(targets.questions[0]!, [{ id: 'a', area: 'literacy' }])).toEqual({
      kind: 'items',
      items: [
        {
          heading: 'Target 1',
          rows: [
            { label: 'Area', value: 'Literacy' },
            { label: 'Target', value: 'Not answered' },
            { label: 'By when', value: 'Not answered' },
          ],
        },
      ],
    })
    expect(isAnswered([])).toBe(false)
    expect(isAnswered(0)).toBe(true)
    expect(isAnswered(' ')).toBe(false)
  })
})
