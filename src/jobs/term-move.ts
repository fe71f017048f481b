import { sql } from 'kysely'
import { londonDate } from '../domain/calendar-date.ts'
import { termMove } from '../domain/term-move.ts'
import { isTermName, termLabel, termOf, termStart, TERM_NAMES, type Term } from '../domain/terms.ts'
import { raiseTask } from '../shared/tasks.ts'
import { auditSystem, claimNotice, type JobContext } from './job-context.ts'

/*
 * At the start of a term (and each night after, to catch up), every PEP of an earlier term that
 * is not signed off moves to the current term: its term changes and a `pep_event` records the
 * move from term to term; its pages, answers, sections, delegation and meeting are untouched. When
 * the child already has the current term's PEP the older one stays where it is and the Virtual
 * School consultants get a task, once, to decide about it (the rule is `termMove` in domain/).
 */

export const MOVED_EVENT = 'moved-to-next-term'

export interface MoveCounts {
  moved: number
  blocked: number
}

export async function moveUnfinishedPeps({ db, now }: JobContext): Promise<MoveCounts> {
  const today = londonDate(now)
  const current = termOf(today)
  const counts: MoveCounts = { moved: 0, blocked: 0 }
  const earlierNames = TERM_NAMES.slice(0, TERM_NAMES.indexOf(current.name))
  // Newest first: when a child has two unfinished PEPs, the newer takes the term.
  const candidates = await db
    .selectFrom('pep as p')
    .select(['p.id'])
    .where('p.status', '!=', 'signed_off')
    .where((eb) =>
      eb.or([
        eb('p.academic_year', '<', current.academicYear),
        ...(earlierNames.length > 0
          ? [
              eb.and([
                eb('p.academic_year', '=', current.academicYear),
                eb('p.term', 'in', earlierNames),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('p.academic_year', 'desc')
    .orderBy(sql`case p.term when 'summer' then 3 when 'spring' then 2 else 1 end`, 'desc')
    .orderBy('p.created_at', 'desc')
    .execute()
  for (const candidate of candidates) {
    const outcome = await db.transaction().execute(async (trx) => {
      // Read again under the PEP's lock: someone may have signed it off since.
      const pep = await trx
        .selectFrom('pep as p')
        .innerJoin('child as c', 'c.id', 'p.child_id')
        .select([
          'p.id',
          'p.child_id as childId',
          'p.authority_id as authorityId',
          'p.academic_year as academicYear',
          'p.term',
          'p.status',
          'p.change_of_school as changeOfSchool',
          'c.status as childStatus',
        ])
        .where('p.id', '=', candidate.id)
        .forUpdate(['p'])
        .executeTakeFirstOrThrow()
      if (!isTermName(pep.term)) return 'stay'
      const from: Term = { academicYear: pep.academicYear, name: pep.term }
      const taken = await trx
        .selectFrom('pep')
        .select('id')
        .where('child_id', '=', pep.childId)
        .where('academic_year', '=', current.academicYear)
        .where('term', '=', current.name)
        .where('change_of_school', '=', false)
        .executeTakeFirst()
      const decision = termMove(
        {
          term: from,
          status: pep.status,
          changeOfSchool: pep.changeOfSchool,
          childInCare: pep.childStatus === 'in_care',
        },
        today,
        taken !== undefined,
      )
      if (decision.kind === 'stay') return 'stay'
      const details = {
        pepId: pep.id,
        from: `${from.academicYear}-${from.name}`,
        to: `${decision.to.academicYear}-${decision.to.name}`,
      }
      if (decision.kind === 'blocked') {
        const fresh = await claimNotice(trx, {
          kind: 'pep-not-moved',
          subjectId: pep.id,
          forDate: termStart(decision.to),
          authorityId: pep.authorityId,
          at: now,
          details,
        })
        if (!fresh) return 'stay'
        await raiseTask(trx, {
          authorityId: pep.authorityId,
          childId: pep.childId,
          pepId: pep.id,
          at: now,
          kind: 'pep-not-moved',
          assignee: { group: 'vs_consultant' },
          title: `The ${termLabel(from)} PEP was not completed and the child already has a PEP for ${termLabel(decision.to)}: decide what to do with it`,
        })
        await auditSystem(trx, {
          action: 'job.pep.not-moved',
          at: now,
          authorityId: pep.authorityId,
          childId: pep.childId,
          details: { ...details, otherPepId: taken?.id ?? null },
        })
        return 'blocked'
      }
      // Remembered for the Scheduled work page; the move itself cannot repeat (the PEP is in
      // the new term now).
      await claimNotice(trx, {
        kind: 'pep-moved',
        subjectId: pep.id,
        forDate: termStart(decision.to),
        authorityId: pep.authorityId,
        at: now,
        details,
      })
      await trx
        .updateTable('pep')
        .set((eb) => ({
          academic_year: decision.to.academicYear,
          term: decision.to.name,
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', pep.id)
        .execute()
      await trx
        .insertInto('pep_event')
        .values({
          pep_id: pep.id,
          kind: MOVED_EVENT,
          by_user: null,
          at: now,
          comments: `Moved from ${termLabel(from)} to ${termLabel(decision.to)}: it was not completed within its term. Nothing in it has changed.`,
          details: JSON.stringify(details),
        })
        .execute()
      await auditSystem(trx, {
        action: 'job.pep.move',
        at: now,
        authorityId: pep.authorityId,
        childId: pep.childId,
        details,
      })
      return 'moved'
    })
    if (outcome === 'moved') counts.moved++
    if (outcome === 'blocked') counts.blocked++
  }
  return counts
}
