import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import { findPage } from '../../forms/completion.ts'
import { mayReadPage } from '../../forms/reading.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { paths } from '../../paths.ts'
import { listPepsOfChild, pagesOf, type PepRow } from '../peps/peps.service.ts'
import { inviteeNamesOf, sharedPagesOfPeps } from './young-person.repository.ts'
import { voiceProgress } from './voice.presenter.ts'
import { findViewsSent } from './voice.repository.ts'
import { voiceOpen } from './voice.service.ts'
import {
  plainDay,
  plainTime,
  reviewsOf,
  sharedPageLinks,
  targetsOf,
  termWords,
  YP_WORDS,
} from './young-person.presenter.ts'

/** How many of their latest PEPs the home looks in for targets. */
const PEPS_FOR_TARGETS = 3

/** May the young person read this page of this PEP (ADR 10)? Their targets are theirs to read. */
function mayRead(pep: PepRow, pageId: string, shared: readonly string[]): boolean {
  const template = findTemplate(pep.formType, pep.templateVersion)
  const found = template && findPage(template, pageId)
  return Boolean(
    found &&
    mayReadPage({ role: 'young_person', sharedPages: new Set(shared) }, found.section, found.page),
  )
}

/** The young person's own home (issue 20): their PEP, their meeting, their targets, their say. */
export const youngPersonHomeRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  app.get<{ Params: { childId: string } }>(
    paths.youngPerson.home(':childId'),
    {
      config: {
        access: { action: 'young-person.own', child: true },
        audit: 'young-person.home.view',
      },
    },
    async (request, reply) => {
      const child = request.child!
      const today = londonDate(clock.now())
      const peps = await listPepsOfChild(db, child.id, 12)
      const current = peps.find((p) => p.status !== 'signed_off') ?? peps[0]
      const recent = peps.slice(0, PEPS_FOR_TARGETS)
      const [invitees, shared, pagesByPep] = await Promise.all([
        inviteeNamesOf(db, current ? [current.id] : []),
        sharedPagesOfPeps(
          db,
          peps.map((p) => p.id),
        ),
        Promise.all(recent.map(async (pep) => [pep, await pagesOf(db, pep.id)] as const)),
      ])
      // The newest PEP with targets agreed; and how last term's went, from the same PEP.
      const withTargets = pagesByPep.find(
        ([pep, pages]) =>
          mayRead(pep, 'smart-targets', shared.get(pep.id) ?? []) &&
          targetsOf(pep, pages).length > 0,
      )
      const currentPages = pagesByPep.find(([pep]) => pep.id === current?.id)
      const [sent, open] = current
        ? await Promise.all([findViewsSent(db, current.id), voiceOpen(db, current)])
        : [undefined, undefined]
      const meeting =
        current?.meetingOn && current.meetingOn >= today
          ? {
              day: plainDay(current.meetingOn),
              time: plainTime(current.meetingTime),
              place: current.meetingLocation,
              people: invitees.get(current.id) ?? [],
              isToday: current.meetingOn === today,
            }
          : undefined
      return reply.render('young-person/views/home.njk', {
        pageTitle: YP_WORDS.homeTitle,
        words: YP_WORDS,
        name: child.firstName,
        hasPep: current !== undefined,
        meeting,
        voice:
          current && currentPages
            ? voiceProgress(current, currentPages[1], sent, open?.ok ?? false)
            : undefined,
        targets: withTargets
          ? { term: termWords(withTargets[0]), list: targetsOf(withTargets[0], withTargets[1]) }
          : undefined,
        reviews:
          current && currentPages && mayRead(current, 'review-of-targets', [])
            ? reviewsOf(currentPages[1])
            : [],
        shared: peps.flatMap((pep) =>
          sharedPageLinks(pep, shared.get(pep.id) ?? []).map((link) => ({
            ...link,
            term: termWords(pep),
          })),
        ),
        peps: peps.map((pep) => ({
          term: termWords(pep),
          href: paths.youngPerson.pep(child.id, pep.id),
          finished: pep.status === 'signed_off',
        })),
      })
    },
  )
}
