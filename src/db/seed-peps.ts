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

  // This term's PEPs of children at the designated teacher's school are delegated to them, so
  // the demo has work in the school's tray; last term's are signed off.
  const current_ = peps.filter((p) => p.completedSections.length === 0)
  const taught = new Set(
    (
      await db
        .selectFrom('child_access')
        .select('child_id')
        .where('user_id', '=', people.designatedTeacher)
        .where('removed_at', 'is', null)
        .execute()
    ).map((r) => r.child_id),
  )
  const delegated = current_.filter((p) => taught.has(p.child.id))
  if (delegated.length > 0) {
    const dueOn = nextDay(today, 14)
    await db
      .insertInto('pep_delegation')
      .values(
        delegated.map((p) => ({
          pep_id: p.id,
          delegated_to: people.designatedTeacher,
          delegated_by: people.socialWorker,
          sections: JSON.stringify(['B', 'C']),
          due_on: dueOn,
          status: 'delegated' as const,
          created_at: at,
        })),
      )
      .execute()
    await db
      .insertInto('task')
      .values(
        delegated.map((p) => ({
          kind: 'complete-school-sections',
          authority_id: p.child.authority_id,
          child_id: p.child.id,
          pep_id: p.id,
          assigned_to: people.designatedTeacher,
          title: 'Complete the school’s sections of the PEP',
          due_on: dueOn,
          created_at: at,
        })),
      )
      .execute()
  }
  const signedOff = peps.filter((p) => p.completedSections.length > 0).map((p) => p.id)
  if (signedOff.length > 0)
    await db
      .updateTable('pep')
      .set({
        status: 'signed_off',
        signed_off_by: people.consultant,
        signed_off_at: at,
        meeting_confirmed_by: people.socialWorker,
        meeting_confirmed_at: at,
      })
      .where('id', 'in', signedOff)
      .execute()
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
