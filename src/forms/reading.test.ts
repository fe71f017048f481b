import { describe, expect, it } from 'vitest'
import { ROLES, STAFF_ROLES, type Role } from '../domain/roles.ts'
import { AUDIENCES, RECORD_PARTS, mayRead, mayReadPart } from '../domain/visibility.ts'
import { mayEditPage } from './completion.ts'
import {
  mayReadPage,
  mayShareWithYoungPerson,
  pageAudience,
  questionAudience,
  readableQuestions,
  type PepReader,
} from './reading.ts'
import { TEMPLATES } from './templates/index.ts'
import { READING_RULES } from './templates/reading-rules.ts'
import type { Page, Section } from './types.ts'

const reader = (role: Role, shared: string[] = []): PepReader => ({
  role,
  sharedPages: new Set(shared),
})

const everyPage = TEMPLATES.flatMap((template) =>
  template.sections.flatMap((section) =>
    section.pages.map((page) => ({ template, section, page })),
  ),
)

function find(pageId: string): { section: Section; page: Page } {
  const found = everyPage.find((p) => p.page.id === pageId)
  if (!found) throw new Error(pageId)
  return found
}

describe('the one reading rule', () => {
  it('lets staff read every part of the record, the carer only what a carer needs, the young person less', () => {
    for (const part of Object.keys(RECORD_PARTS) as (keyof typeof RECORD_PARTS)[])
      for (const role of STAFF_ROLES) expect(mayReadPart(role, part), `${role} ${part}`).toBe(true)
    const carer = Object.keys(RECORD_PARTS).filter((p) =>
      mayReadPart('carer', p as keyof typeof RECORD_PARTS),
    )
    expect(carer.sort()).toEqual(['carer-views', 'name', 'peps', 'professionals', 'school'])
    const youngPerson = Object.keys(RECORD_PARTS).filter((p) =>
      mayReadPart('young_person', p as keyof typeof RECORD_PARTS),
    )
    expect(youngPerson.sort()).toEqual(['name', 'peps', 'school'])
    expect(mayReadPart(null, 'name')).toBe(false)
  })

  it('never lets the young person read what is restricted, shared or not', () => {
    const item = { kind: 'pep', audience: 'staff', editableByReader: false } as const
    expect(mayRead('young_person', { ...item, sharedWithYoungPerson: true })).toBe(false)
    expect(mayRead('carer', { ...item, sharedWithYoungPerson: true })).toBe(false)
    expect(
      mayRead('young_person', {
        ...item,
        audience: 'staff-and-carer',
        sharedWithYoungPerson: true,
      }),
    ).toBe(true)
    expect(
      mayRead('young_person', {
        ...item,
        audience: 'staff-and-carer',
        sharedWithYoungPerson: false,
      }),
    ).toBe(false)
  })

  it('has every role in the widest audience and none but staff in the narrowest', () => {
    expect([...AUDIENCES.everyone].sort()).toEqual([...ROLES].sort())
    expect(AUDIENCES.staff).not.toContain('carer')
    expect(AUDIENCES.staff).not.toContain('young_person')
  })
})

describe('the PEP form’s reading rules', () => {
  it('name only sections, pages and questions that exist in some template', () => {
    const pageIds = new Set(everyPage.map((p) => p.page.id))
    const questionIds = new Set(everyPage.flatMap((p) => p.page.questions.map((q) => q.id)))
    for (const id of Object.keys(READING_RULES.pages)) expect(pageIds, id).toContain(id)
    for (const id of Object.keys(READING_RULES.questions)) expect(questionIds, id).toContain(id)
  })

  it('keep Section A’s restricted answers, health and the SDQ, and the quality assurance from the carer and the young person', () => {
    for (const role of ['carer', 'young_person'] as const) {
      const { section, page } = find('care-information')
      const readable = readableQuestions(reader(role, ['care-information']), section, page).map(
        (q) => q.id,
      )
      for (const id of ['legal-status', 'permanence-plan', 'sharing-restrictions'])
        expect(readable, `${role} ${id}`).not.toContain(id)
      const health = find('health-and-wellbeing')
      expect(mayReadPage(reader(role, ['health-and-wellbeing']), health.section, health.page)).toBe(
        false,
      )
      const qa = find('quality-assurance')
      expect(mayReadPage(reader(role), qa.section, qa.page)).toBe(false)
    }
    const { section, page } = find('care-information')
    expect(readableQuestions(reader('carer'), section, page).map((q) => q.id)).toContain(
      'placement-type',
    )
    expect(readableQuestions(reader('social_worker'), section, page)).toHaveLength(
      page.questions.length,
    )
  })

  it('let the young person read their views, targets and meetings, and other pages only once shared', () => {
    const yp = reader('young_person')
    for (const id of [
      'your-feelings-about-school',
      'smart-targets',
      'pep-meeting',
      'childs-views',
    ]) {
      const { section, page } = find(id)
      expect(mayReadPage(yp, section, page), id).toBe(true)
    }
    const attendance = find('attendance')
    expect(mayReadPage(yp, attendance.section, attendance.page)).toBe(false)
    expect(
      mayReadPage(reader('young_person', ['attendance']), attendance.section, attendance.page),
    ).toBe(true)
    expect(mayReadPage(reader('carer'), attendance.section, attendance.page)).toBe(true)
    expect(mayShareWithYoungPerson(attendance.section, attendance.page)).toBe(true)
    const health = find('health-and-wellbeing')
    expect(mayShareWithYoungPerson(health.section, health.page)).toBe(false)
    const targets = find('smart-targets')
    expect(mayShareWithYoungPerson(targets.section, targets.page)).toBe(false)
  })

  it('let a question only narrow its page', () => {
    const rules = {
      sections: { A: 'staff' as const },
      pages: {},
      questions: { 'preferred-name': 'everyone' as const },
    }
    const { section, page } = find('personal-information')
    expect(pageAudience(section, page, rules)).toBe('staff')
    expect(questionAudience(section, page, page.questions[0]!, rules)).toBe('staff')
  })

  it('never restrict a question on a page the carer or the young person may change (their save would lose it)', () => {
    for (const { template, section, page } of everyPage)
      for (const role of ['carer', 'young_person'] as const)
        if (mayEditPage(section, page, role))
          for (const question of page.questions)
            expect(
              (AUDIENCES[questionAudience(section, page, question)] as readonly Role[]).includes(
                role,
              ),
              `${template.formType} ${page.id} ${question.id} ${role}`,
            ).toBe(true)
  })
})
