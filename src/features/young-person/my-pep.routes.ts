import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { formatDateTime } from '../../views/format.ts'
import { pepOf, pepReader, resolvePeps } from '../peps/pep-context.ts'
import { readModel } from '../peps/pep.presenter.ts'
import { contextOf, pagesOf, sectionsOf } from '../peps/peps.service.ts'
import { voicePlan } from './voice.presenter.ts'
import { findViewsSent } from './voice.repository.ts'
import { voiceOpen } from './voice.service.ts'
import {
  YP_WORDS,
  termWords,
  youngPageAnchor,
  youngPageTitle,
  youngSectionTitle,
} from './young-person.presenter.ts'

type Params = { childId: string; pepId: string }

/**
 * A PEP as the young person reads it (issue 20): the parts the reading rules give them (ADR 10:
 * what I think, my targets, my meeting, and what staff shared), named in their words, with no
 * staff wording (sections, contents, who saved what). The staff contents, read view, pages and
 * history send them here (own-pages.routes.ts).
 */
export const myPepRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db },
) => {
  resolvePeps(app, db)

  app.get<{ Params: Params }>(
    paths.youngPerson.pep(':childId', ':pepId'),
    {
      config: {
        access: { action: 'young-person.own', child: true },
        audit: 'young-person.pep.read',
      },
    },
    async (request, reply) => {
      const pep = pepOf(request)
      const [pages, sections, sent, open] = await Promise.all([
        pagesOf(db, pep.id),
        sectionsOf(db, pep.id),
        findViewsSent(db, pep.id),
        voiceOpen(db, pep),
      ])
      const parts = readModel(
        pep,
        pepReader(request),
        pages,
        sections,
        contextOf(pep.yearGroupValue, pages),
      )
      const term = termWords(pep)
      return reply.render('young-person/views/my-pep.njk', {
        pageTitle: YP_WORDS.pepTitle(term),
        term,
        homeHref: paths.youngPerson.home(pep.childId),
        // "Tell us what you think" while their views can still change.
        viewsHref:
          voicePlan(pep) && open.ok && !sent
            ? paths.youngPerson.views(pep.childId, pep.id)
            : undefined,
        sent: sent && !sent.onBehalf ? formatDateTime(sent.sentAt) : undefined,
        parts: parts.map((section) => ({
          id: section.id,
          title: youngSectionTitle(section.id),
          pages: section.pages.map((page) => ({
            anchor: youngPageAnchor(page.id),
            title: youngPageTitle(page.id, page.title),
            answers: page.answers,
          })),
        })),
      })
    },
  )
}
