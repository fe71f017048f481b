import { randomUUID } from 'node:crypto'
import type { Queryable } from './connection.ts'
import { nextTerm, previousTerm, termOf, termStart, type Term } from '../domain/terms.ts'
import { formTypeFor, isYearGroup, yearGroupOn } from '../domain/year-group.ts'
import { holds } from '../forms/conditions.ts'
import { sampleAnswers, type Random } from '../forms/sample-answers.ts'
import { currentTemplate } from '../forms/templates/index.ts'
import type { Answers } from '../forms/types.ts'

/**
 * The demo's PEPs: last term's, filled in and every section complete, for every child; and this
 * term's, started with Section A under way, for half of them. Written in batches.
 */
export async function seedDemoPeps(
  db: Queryable,
  at: Date,
  people: { socialWorker: string; designatedTeacher: string; consultant: string },
  random: Random,
): Promise<void> {
  const today = at.toISOString().slice(0, 10)
  const current = termOf(today)
  const last = previousTerm(current)
  const children = await db
    .selectFrom('child as c')
    .leftJoin('school as s', 's.id', 'c.school_id')
    .select([
      'c.id',
      'c.authority_id',
      'c.date_of_birth',
      'c.year_group_override',
      'c.school_id',
      's.type as school_type',
    ])
    .orderBy('c.case_reference')
    .execute()
  const peps: Parameters<typeof insertPeps>[1] = []
  children.forEach((child, index) => {
    const terms: { term: Term; complete: boolean }[] = [{ term: last, complete: true }]
    if (index % 2 === 0) terms.push({ term: current, complete: false })
    for (const { term, complete } of terms) {
      const override = isYearGroup(child.year_group_override) ? child.year_group_override : null
      const year = yearGroupOn(child.date_of_birth, termStart(term), override)
      if (year.kind !== 'year') continue
      const template = currentTemplate(formTypeFor(year.yearGroup, child.school_type === 'special'))
      const context = { yearGroup: year.yearGroup, answers: {} }
      const onDate = termStart(term) < today ? termStart(term) : today
      const pages = template.sections
        .filter((section) => complete || section.id === 'A')
        .flatMap((section) =>
          section.pages
            .filter((page) => holds(page.condition, context))
            .filter((_page, i) => complete || i < 2)
            .map((page) => ({
              section: section.id,
              pageId: page.id,
              answers: sampleAnswers(page, random, randomUUID, onDate),
            })),
        )
      peps.push({
        id: randomUUID(),
        child,
        term,
        formType: template.formType,
        version: template.version,
        yearGroup: year.yearGroup,
        startedOn: onDate,
        meetingOn: complete ? nextDay(termStart(nextTerm(term)), -40) : null,
        pages,
        completedSections: complete ? template.sections.map((s) => s.id) : [],
      })
    }
  })
  await insertPeps(db, peps, at, people)
}

function nextDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

async function insertPeps(
  db: Queryable,
  peps: {
    id: string
    child: { id: string; authority_id: string; school_id: string | null }
    term: Term
    formType: string
    version: number
    yearGroup: string
    startedOn: string
    meetingOn: string | null
    pages: { section: string; pageId: string; answers: Answers }[]
    completedSections: string[]
  }[],
  at: Date,
  people: { socialWorker: string; designatedTeacher: string; consultant: string },
): Promise<void> {
  if (peps.length === 0) return
  const whoFor = (section: string) =>
    section === 'A'
      ? people.socialWorker
      : section === 'D'
        ? people.consultant
        : people.designatedTeacher
  await db
    .insertInto('pep')
    .values(
      peps.map((pep) => ({
        id: pep.id,
        child_id: pep.child.id,
        authority_id: pep.child.authority_id,
        academic_year: pep.term.academicYear,
        term: pep.term.name,
        form_type: pep.formType,
        template_version: pep.version,
        year_group: pep.yearGroup,
        school_id: pep.child.school_id,
        started_on: pep.startedOn,
        meeting_on: pep.meetingOn,
        created_by: people.socialWorker,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute()
  const pages = peps.flatMap((pep) =>
    pep.pages.map((page) => ({
      pep_id: pep.id,
      page_id: page.pageId,
      answers: JSON.stringify(page.answers),
      version: 1,
      saved_by: whoFor(page.section),
      saved_at: at,
    })),
  )
  for (let i = 0; i < pages.length; i += 500) {
    const batch = pages.slice(i, i + 500)
    await db.insertInto('pep_page').values(batch).execute()
    await db
      .insertInto('pep_page_revision')
      .values(batch.map((p) => ({ ...p, kind: 'saved' as const })))
      .execute()
  }
  const sections = peps.flatMap((pep) =>
    pep.completedSections.map((section) => ({
      pep_id: pep.id,
      section_id: section,
      completed_by: whoFor(section),
      completed_at: at,
    })),
  )
  if (sections.length > 0) await db.insertInto('pep_section').values(sections).execute()
}
