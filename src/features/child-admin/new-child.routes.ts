import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { validateChild } from '../../domain/child-validation.ts'
import type { Clock } from '../../domain/clock.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { paths } from '../../paths.ts'
import type { FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { CHANGE, FORM_PAGE } from './child-admin-context.ts'
import {
  chosenAuthorityOf,
  decorateChosenAuthority,
  loadAuthority,
} from '../../shared/choose-authority.ts'
import { NEW_CHILD_TITLE, childAddedMessage } from './child-admin.presenter.ts'
import { listOpenSchools, listSocialWorkers } from './child-admin.repository.ts'
import { caseReferenceTaken, upnTaken } from '../../shared/uniqueness.ts'
import { createChild } from './child-admin.service.ts'
import {
  childFormModel,
  lookup,
  readChildForm,
  takenMeanwhile,
  toFormErrors,
  type TypedChild,
} from './child.form.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'

type Body = Record<string, unknown> | undefined

/** Adding a child to one of the user's authorities. */
export const newChildRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const choose = {
    action: 'children.manage',
    title: NEW_CHILD_TITLE,
    href: paths.childAdmin.new(),
  } as const

  async function renderNew(
    reply: FastifyReply,
    authority: AuthorityChoice,
    typed: TypedChild | undefined,
    errors?: FormErrors,
  ) {
    const [schools, owners] = await Promise.all([
      listOpenSchools(db, authority.id),
      listSocialWorkers(db, authority.id),
    ])
    const { typed: empty } = readChildForm({ senStatus: 'none' })
    return reply.code(errors ? 400 : 200).render('child-admin/views/child-form.njk', {
      pageTitle: NEW_CHILD_TITLE,
      mode: 'new',
      action: paths.childAdmin.new(),
      authority,
      ...childFormModel({ typed: typed ?? empty, errors, schools, owners }),
    })
  }

  decorateChosenAuthority(app)
  app.get<{ Querystring: { authority?: string } }>(
    paths.childAdmin.new(),
    { config: FORM_PAGE, preHandler: loadAuthority(db, choose, 'query') },
    async (request, reply) => renderNew(reply, chosenAuthorityOf(request), undefined),
  )

  app.post<{ Body: Body }>(
    paths.childAdmin.new(),
    { config: CHANGE, preHandler: loadAuthority(db, choose, 'form') },
    async (request, reply) => {
      const authority = chosenAuthorityOf(request)
      const { raw, typed } = readChildForm(request.body)
      const [schools, owners] = await Promise.all([
        listOpenSchools(db, authority.id),
        listSocialWorkers(db, authority.id),
      ])
      const [taken, upnInUse] = await Promise.all([
        raw.caseReference ? caseReferenceTaken(db, authority.id, raw.caseReference) : false,
        raw.upn ? upnTaken(db, normaliseUpn(raw.upn)) : false,
      ])
      const result = validateChild(raw, {
        today: londonDate(clock.now()),
        resolveSchool: (id) => lookup(schools, id, 'Select a school from the list'),
        resolveOwner: (id) => lookup(owners, id, 'Select a record owner from the list'),
        caseReferenceTaken: () => taken,
        upnTaken: () => upnInUse,
      })
      if (!result.ok) return renderNew(reply, authority, typed, toFormErrors(result.problems))
      let childId: string
      try {
        childId = await createChild(db, actorFrom(request, clock), authority.id, result.value)
      } catch (error) {
        return renderNew(reply, authority, typed, takenMeanwhile(error, raw))
      }
      request.flash('success', childAddedMessage(result.value))
      return reply.redirect(paths.children.show(childId), 303)
    },
  )
}
