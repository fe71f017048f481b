import { describe, expect, it } from 'vitest'
import type { YearGroup } from '../../domain/year-group.ts'
import { FORM_TYPE_NAMES, YEAR_GROUPS, type FormType } from '../../domain/year-group.ts'
import { allQuestions, holds, questionsNamedBy, type ConditionContext } from '../conditions.ts'
import type {
  AnswerValue,
  Condition,
  FieldQuestion,
  FormTemplate,
  Page,
  Question,
  RepeatingQuestion,
} from '../types.ts'
import { TEMPLATES, currentTemplate, findTemplate } from './index.ts'

/* What every form template must be, and the differences between the forms that the brief asks for. */

const FORM_TYPES = Object.keys(FORM_TYPE_NAMES) as FormType[]
const ID = /^[a-z][a-z0-9-]*$/

const context = (
  yearGroup: YearGroup | null,
  answers: Record<string, AnswerValue> = {},
): ConditionContext => ({ yearGroup, answers })

const pagesOf = (t: FormTemplate): Page[] => t.sections.flatMap((s) => s.pages)
const pageIds = (t: FormTemplate): string[] => pagesOf(t).map((p) => p.id)

function page(t: FormTemplate, id: string): Page {
  const found = pagesOf(t).find((p) => p.id === id)
  if (!found) throw new Error(`${t.formType} has no page ${id}`)
  return found
}

function question(t: FormTemplate, id: string): Question {
  const found = allQuestions(t).find((q) => q.question.id === id)
  if (!found) throw new Error(`${t.formType} has no question ${id}`)
  return found.question
}

function repeating(t: FormTemplate, id: string): RepeatingQuestion {
  const found = question(t, id)
  if (found.type !== 'repeating') throw new Error(`${id} is not a repeating group`)
  return found
}

/** Every question and repeating-group field of a template. */
function everyQuestion(t: FormTemplate): (Question | FieldQuestion)[] {
  return allQuestions(t).flatMap(({ question: q }) =>
    q.type === 'repeating' ? [q, ...q.fields] : [q],
  )
}

/** Every condition in a template, where it is, and the position of the question it sits on. */
function everyCondition(t: FormTemplate): { where: string; condition: Condition }[] {
  const found: { where: string; condition: Condition }[] = []
  for (const p of pagesOf(t)) {
    if (p.condition) found.push({ where: `page ${p.id}`, condition: p.condition })
    for (const q of p.questions) {
      const parts: (Question | FieldQuestion)[] = q.type === 'repeating' ? [q, ...q.fields] : [q]
      for (const part of parts) {
        if (part.condition) found.push({ where: part.id, condition: part.condition })
        if (part.prompt) found.push({ where: `${part.id} prompt`, condition: part.prompt.when })
      }
    }
  }
  return found
}

const byType = (formType: FormType) => currentTemplate(formType)

describe('the list of templates', () => {
  it('has a template for every form type, and one version of each is 1', () => {
    for (const formType of FORM_TYPES) {
      const versions = TEMPLATES.filter((t) => t.formType === formType).map((t) => t.version)
      expect(versions, formType).toContain(1)
    }
  })

  it('never has two templates of the same form type and version', () => {
    const keys = TEMPLATES.map((t) => `${t.formType}@${t.version}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('gives the highest version as current, and finds any version', () => {
    for (const formType of FORM_TYPES) {
      const highest = Math.max(
        ...TEMPLATES.filter((t) => t.formType === formType).map((t) => t.version),
      )
      expect(currentTemplate(formType).version).toBe(highest)
      expect(findTemplate(formType, 1)?.formType).toBe(formType)
    }
    expect(findTemplate('primary', 999)).toBeUndefined()
    expect(findTemplate('nursery', 1)).toBeUndefined()
  })
})

describe.each(TEMPLATES.map((t) => [`${t.formType} v${t.version}`, t] as const))(
  '%s',
  (_name, template) => {
    it('has sections in order A, B, (C), D', () => {
      const ids = template.sections.map((s) => s.id).join('')
      expect(['ABCD', 'ABD']).toContain(ids)
    })

    it('has well-formed page ids, unique in the template', () => {
      const ids = pageIds(template)
      for (const id of ids) expect(id).toMatch(ID)
      expect(new Set(ids).size).toBe(ids.length)
    })

    it('has well-formed question ids, unique in the template', () => {
      const ids = allQuestions(template).map((q) => q.question.id)
      for (const id of ids) expect(id).toMatch(ID)
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    })

    it('gives repeating groups plain fields with unique, well-formed ids', () => {
      for (const { question: q } of allQuestions(template)) {
        if (q.type !== 'repeating') continue
        expect(q.fields.length, q.id).toBeGreaterThan(0)
        const ids = q.fields.map((f) => f.id)
        for (const id of ids) expect(id).toMatch(ID)
        expect(new Set(ids).size, q.id).toBe(ids.length)
        for (const field of q.fields) expect((field as Question).type).not.toBe('repeating')
        expect(q.itemName).toBe(q.itemName.toLowerCase())
      }
    })

    it('has conditions that name only its own questions, asked earlier in the form', () => {
      const order = allQuestions(template).map((q) => q.question.id)
      for (const { where, condition } of everyCondition(template)) {
        for (const named of questionsNamedBy(condition)) {
          expect(order, `${where} names ${named}`).toContain(named)
          if (order.includes(where)) {
            expect(order.indexOf(named), `${where} names ${named}`).toBeLessThanOrEqual(
              order.indexOf(where),
            )
          }
        }
      }
    })

    it('gives every choice question at least two options with unique values', () => {
      for (const q of everyQuestion(template)) {
        if (q.type !== 'singleChoice' && q.type !== 'multipleChoice') continue
        const values = q.options.map((o) => o.value)
        expect(values.length, q.id).toBeGreaterThanOrEqual(2)
        expect(new Set(values).size, q.id).toBe(values.length)
      }
    })

    it('labels every question in sentence case, without a closing colon', () => {
      for (const q of everyQuestion(template)) {
        expect(q.label.trim(), q.id).toBe(q.label)
        expect(q.label.charAt(0), q.id).toBe(q.label.charAt(0).toUpperCase())
        expect(q.label, q.id).not.toMatch(/:$/)
      }
    })

    it('gives number questions a sensible range', () => {
      for (const q of everyQuestion(template)) {
        if (q.type !== 'number' || q.min === undefined || q.max === undefined) continue
        expect(q.min, q.id).toBeLessThan(q.max)
      }
    })

    it('gives Section A to the social worker, with education information for the Virtual School', () => {
      const a = template.sections[0]!
      expect(a.title).toBe('Section A: Social worker')
      expect(a.completedBy).toEqual(['social_worker', 'personal_advisor'])
      for (const id of ['personal-information', 'care-information']) {
        expect(a.pages.find((p) => p.id === id)?.carryForward, id).toBe(true)
      }
      expect(a.pages.find((p) => p.id === 'education-information')?.editableBy).toEqual([
        'vs_admin',
        'vs_head',
        'vs_consultant',
        'business_support',
      ])
      const sdq = question(template, 'sdq-score')
      expect(sdq).toMatchObject({ type: 'number', min: 0, max: 40 })
      expect(sdq.mandatory).toBeFalsy()
      expect(repeating(template, 'contacts').fields.map((f) => [f.id, f.type])).toEqual([
        ['name', 'text'],
        ['role', 'text'],
        ['organisation', 'text'],
        ['phone', 'text'],
        ['email', 'text'],
      ])
    })

    it('closes Section B with the review of targets, new targets and the meeting', () => {
      const b = template.sections[1]!
      expect(b.completedBy).toEqual(['designated_teacher', 'designated_person'])
      expect(b.pages.slice(-3).map((p) => p.id)).toEqual([
        'review-of-targets',
        'smart-targets',
        'pep-meeting',
      ])
      expect(page(template, 'previous-schools').carryForward).toBe(true)
      const reviews = repeating(template, 'target-reviews')
      expect(reviews.fields.map((f) => f.id)).toEqual(['area', 'target', 'outcome', 'impact'])
      expect(reviews.fields.find((f) => f.id === 'outcome')).toMatchObject({
        options: [
          { value: 'achieved' },
          { value: 'partly_achieved' },
          { value: 'not_achieved' },
          { value: 'continuing' },
        ],
      })
      expect(repeating(template, 'targets').mandatory).toBe(true)
      for (const id of ['meeting-narrative', 'views-shaped-plan', 'next-meeting-date']) {
        expect(question(template, id).mandatory, id).toBe(true)
      }
      expect(question(template, 'next-meeting-time')).toMatchObject({ type: 'time' })
    })

    it('prompts a target on attendance below 90%', () => {
      const attendance = question(template, 'attendance-percentage')
      expect(attendance).toMatchObject({ type: 'percentage', mandatory: true })
      const when = attendance.prompt?.when
      expect(holds(when, context('Y5', { 'attendance-percentage': 89.9 }))).toBe(true)
      expect(holds(when, context('Y5', { 'attendance-percentage': 90 }))).toBe(false)
      expect(holds(when, context('Y5'))).toBe(false)
    })

    it('ends with the Virtual School quality assurance, every criterion rated', () => {
      const d = template.sections.at(-1)!
      expect(d).toMatchObject({ id: 'D', title: 'Section D: Final sign-off' })
      expect(d.completedBy).toEqual(['vs_consultant', 'vs_head'])
      const qa = page(template, 'quality-assurance')
      const criteria = qa.questions.filter(
        (q) => q.id.startsWith('qa-') && q.type === 'singleChoice',
      )
      expect(criteria.map((q) => q.id)).toEqual([
        'qa-education-experiences',
        'qa-literacy-progress',
        'qa-literacy-attainment',
        'qa-maths-progress',
        'qa-maths-attainment',
        'qa-review-process',
        'qa-target-setting',
        'qa-pp-funding',
        'qa-off-site-provision',
        'qa-transition',
        'qa-overall',
      ])
      for (const q of criteria.slice(0, -1)) {
        expect(q, q.id).toMatchObject({ mandatory: true })
        expect(q.hint, q.id).toBeTruthy()
        expect(q.type === 'singleChoice' && q.options.map((o) => o.value), q.id).toEqual([
          'outstanding',
          'good',
          'requires_improvement',
          'inadequate',
          'not_applicable',
        ])
      }
      const overall = question(template, 'qa-overall')
      expect(overall.type === 'singleChoice' && overall.options.map((o) => o.value)).toEqual([
        'outstanding',
        'good',
        'requires_improvement',
        'inadequate',
      ])
      expect(question(template, 'qa-young-person-participated')).toMatchObject({
        type: 'yesNo',
        mandatory: true,
      })
      expect(question(template, 'qa-comments').mandatory).toBeFalsy()
    })
  },
)

describe('the differences between the forms', () => {
  const withSectionC = FORM_TYPES.filter((t) => t !== 'early_years')

  it('gives Early Years no Section C, no 14-19 plan, and opens Section B with achievements', () => {
    const ey = byType('early_years')
    expect(ey.sections.map((s) => s.id)).toEqual(['A', 'B', 'D'])
    expect(pageIds(ey)).not.toContain('plan-14-19')
    expect(ey.sections[1]!.pages[0]!.id).toBe('achievements')
    expect(question(ey, 'excluded').type).toBe('yesNo')
    expect(allQuestions(ey).map((q) => q.question.id)).not.toContain('exclusion-list')
  })

  it("takes the early years child's views with symbols", () => {
    const views = page(byType('early_years'), 'childs-views')
    const symbols = views.questions.filter((q) => q.type === 'singleChoice')
    expect(symbols.length).toBeGreaterThanOrEqual(6)
    for (const q of symbols) {
      expect(q.type === 'singleChoice' && q.options).toEqual([
        { value: 'liked-a-lot', text: 'Liked a lot' },
        { value: 'ok', text: 'OK' },
        { value: 'did-not-like', text: 'Did not like' },
      ])
    }
  })

  it('gives every other form a Section C with the six topics, for the young person', () => {
    for (const formType of withSectionC) {
      const c = byType(formType).sections.find((s) => s.id === 'C')!
      expect(c.title, formType).toBe("Section C: Young person's views")
      expect(c.editableBy, formType).toContain('young_person')
      expect(c.pages.map((p) => p.id)).toEqual(
        expect.arrayContaining([
          'your-assessments-and-achievements',
          'your-feelings-about-school',
          'your-feelings-about-learning',
          'your-teachers',
          'your-talents-and-interests',
          'your-future',
        ]),
      )
    }
  })

  it('names the designated person in post-16 and the designated teacher elsewhere', () => {
    for (const formType of FORM_TYPES) {
      expect(byType(formType).sections[1]!.title).toBe(
        formType === 'post_16' ? 'Section B: Designated person' : 'Section B: Designated teacher',
      )
    }
  })

  it('funds targets below post-16 only', () => {
    for (const formType of FORM_TYPES) {
      const fields = repeating(byType(formType), 'targets').fields.map((f) => f.id)
      expect(fields.slice(0, 6)).toEqual([
        'area',
        'target',
        'success-measure',
        'actions',
        'responsible',
        'by-date',
      ])
      if (formType === 'post_16') {
        expect(fields).not.toContain('funding-amount')
        expect(fields).not.toContain('funding-purpose')
      } else {
        expect(fields).toEqual(expect.arrayContaining(['funding-amount', 'funding-purpose']))
      }
    }
  })

  it('asks post-16 for a NEET support plan only when not in education, employment or training', () => {
    const post16 = byType('post_16')
    const participation = question(post16, 'participation')
    expect(
      participation.type === 'singleChoice' && participation.options.map((o) => o.value),
    ).toContain('neet')
    const plan = page(post16, 'neet-support-plan').condition
    expect(holds(plan, context('Y12', { participation: 'neet' }))).toBe(true)
    expect(holds(plan, context('Y12', { participation: 'apprenticeship' }))).toBe(false)
    expect(holds(plan, context('Y12'))).toBe(false)
    for (const formType of FORM_TYPES.filter((t) => t !== 'post_16')) {
      expect(pageIds(byType(formType))).not.toContain('neet-support-plan')
    }
  })

  it('asks for the 14-19 plan in Years 10 and 11 of the secondary forms only', () => {
    for (const formType of FORM_TYPES) {
      const ids = pageIds(byType(formType))
      if (formType !== 'secondary' && formType !== 'secondary_special') {
        expect(ids, formType).not.toContain('plan-14-19')
        continue
      }
      const plan = page(byType(formType), 'plan-14-19')
      expect(plan.condition).toEqual({ yearGroupIn: ['Y10', 'Y11'] })
      const shownIn = YEAR_GROUPS.filter((y) => holds(plan.condition, context(y)))
      expect(shownIn).toEqual(['Y10', 'Y11'])
    }
  })

  it('asks for the part-time timetable detail only below 25 hours a week', () => {
    for (const formType of FORM_TYPES) {
      const template = byType(formType)
      if (!pageIds(template).includes('part-time-timetable')) continue
      expect(question(template, 'hours-per-week')).toMatchObject({
        type: 'number',
        min: 0,
        max: 60,
        integer: false,
        mandatory: true,
      })
      const detail = page(template, 'part-time-timetable').questions.filter((q) => q.condition)
      expect(detail.map((q) => q.id)).toEqual(
        expect.arrayContaining([
          'part-time-reason',
          'return-to-full-time',
          'alternative-provision',
        ]),
      )
      for (const q of detail) {
        expect(q.mandatory, q.id).toBe(true)
        expect(holds(q.condition, context('Y8', { 'hours-per-week': 24.5 })), q.id).toBe(true)
        expect(holds(q.condition, context('Y8', { 'hours-per-week': 25 })), q.id).toBe(false)
        expect(holds(q.condition, context('Y8')), q.id).toBe(false)
      }
    }
    for (const formType of [
      'primary',
      'secondary',
      'primary_special',
      'secondary_special',
    ] as const)
      expect(pageIds(byType(formType)), formType).toContain('part-time-timetable')
  })

  it('lists each exclusion only when there has been one, in the school-age forms', () => {
    for (const formType of withSectionC.filter((t) => t !== 'post_16')) {
      const list = repeating(byType(formType), 'exclusion-list')
      expect(list.fields.map((f) => f.id)).toEqual([
        'type',
        'start-date',
        'days',
        'reason',
        'provision',
      ])
      expect(holds(list.condition, context('Y4', { excluded: 'yes' }))).toBe(true)
      expect(holds(list.condition, context('Y4', { excluded: 'no' }))).toBe(false)
    }
  })

  it('asks the special forms about communication, EHC plan outcomes and therapies', () => {
    for (const formType of ['primary_special', 'secondary_special'] as const) {
      const ids = pageIds(byType(formType))
      expect(ids).toEqual(
        expect.arrayContaining(['communication-and-sensory', 'ehc-plan-outcomes', 'therapies']),
      )
      const outcomes = page(byType(formType), 'ehc-plan-outcomes').condition
      expect(holds(outcomes, context('Y3', { 'sen-status': 'ehc_plan' }))).toBe(true)
      expect(holds(outcomes, context('Y3', { 'sen-status': 'sen_support' }))).toBe(false)
    }
    for (const formType of ['early_years', 'primary', 'secondary', 'post_16'] as const)
      expect(pageIds(byType(formType))).not.toContain('therapies')
  })

  it('asks about SEN support or the EHC plan according to the SEN status', () => {
    for (const formType of FORM_TYPES) {
      const template = byType(formType)
      const status = question(template, 'sen-status')
      expect(status.type === 'singleChoice' && status.options.map((o) => o.value)).toEqual([
        'none',
        'sen_support',
        'ehc_plan',
      ])
      const detail = page(template, 'sen').questions.filter((q) => q.id !== 'sen-status')
      const asked = (sen: string) =>
        detail
          .filter((q) => holds(q.condition, context('Y3', { 'sen-status': sen })))
          .map((q) => q.id)
      expect(asked('none')).toEqual([])
      expect(asked('sen_support')).toContain('sen-support-plan')
      expect(asked('ehc_plan')).toContain('ehc-plan-provision')
      expect(asked('ehc_plan')).not.toContain('sen-support-plan')
    }
  })
})
