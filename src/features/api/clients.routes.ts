import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import {
  CHANGE,
  FORM,
  VIEW,
  clientsAuthorityOf,
  decorateClientsAuthority,
  loadClientsAuthority,
  loadManagedClient,
  managedClientOf,
} from './clients-context.ts'
import { CLIENT_NAME_MAX, readClientForm } from './clients.form.ts'
import {
  CLIENTS_TITLE,
  CLIENT_CREATED_TITLE,
  NEW_CLIENT_TITLE,
  clientRows,
  forAuthority,
  revokeTitle,
  revokedMessage,
  scopeItems,
  scopeNames,
} from './clients.presenter.ts'
import { listClients, registerClient, revokeClient } from './clients.service.ts'

/*
 * The API clients of an authority (Settings, Virtual School administrators): the list with when
 * each was last used, adding one (its secret shown once, on the page that answers the form, and
 * never again), and revoking one.
 */
export const clientsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  decorateClientsAuthority(app)
  const preHandler = loadClientsAuthority(db)

  app.get(paths.apiClients.list(), { config: VIEW, preHandler }, async (request, reply) => {
    const authority = clientsAuthorityOf(request)
    const clients = await listClients(db, authority.id)
    return reply.render('api/views/clients.njk', {
      pageTitle: CLIENTS_TITLE,
      authority,
      clients: clientRows(clients, authority),
      newHref: forAuthority(paths.apiClients.new(), authority),
      docsHref: paths.api.docs(),
      overviewHref: forAuthority(paths.authoritySettings.overview(), authority),
    })
  })

  const renderNew = (
    authority: { id: string; name: string },
    typed: { name: string; scopes: string[] },
    errors?: unknown,
  ) => ({
    pageTitle: NEW_CLIENT_TITLE,
    authority,
    action: forAuthority(paths.apiClients.new(), authority),
    backHref: forAuthority(paths.apiClients.list(), authority),
    nameMax: CLIENT_NAME_MAX,
    values: typed,
    scopeItems: scopeItems(typed.scopes),
    errors,
  })

  app.get(paths.apiClients.new(), { config: FORM, preHandler }, async (request, reply) =>
    reply.render(
      'api/views/new-client.njk',
      renderNew(clientsAuthorityOf(request), { name: '', scopes: [] }),
    ),
  )

  app.post<{ Body: Record<string, unknown> }>(
    paths.apiClients.new(),
    { config: CHANGE, preHandler },
    async (request, reply) => {
      const authority = clientsAuthorityOf(request)
      const form = readClientForm(request.body)
      if (!form.ok)
        return reply
          .code(400)
          .render('api/views/new-client.njk', renderNew(authority, form.typed, form.errors))
      const created = await registerClient(db, actorFrom(request, clock), authority.id, form.value)
      // The secret is on this page only: not in a redirect, the session or a flash message.
      return reply.render('api/views/client-created.njk', {
        pageTitle: CLIENT_CREATED_TITLE,
        authority,
        name: form.value.name,
        clientId: created.id,
        secret: created.secret,
        scopes: scopeNames(form.value.scopes),
        listHref: forAuthority(paths.apiClients.list(), authority),
        docsHref: paths.api.docs(),
      })
    },
  )

  // "Are you sure": what revoking does, and the button that does it (no JavaScript needed).
  app.get<{ Params: { clientId: string } }>(
    paths.apiClients.revoke(':clientId'),
    { config: FORM, preHandler: [preHandler, loadManagedClient(db, 'active')] },
    async (request, reply) => {
      const authority = clientsAuthorityOf(request)
      const client = managedClientOf(request)
      const row = clientRows([client], authority)[0]!
      return reply.render('api/views/revoke-client.njk', {
        pageTitle: revokeTitle(client.name),
        authority,
        name: client.name,
        secretHint: client.secretHint,
        lastUsed: row.lastUsed,
        action: forAuthority(paths.apiClients.revoke(client.id), authority),
        backHref: forAuthority(paths.apiClients.list(), authority),
      })
    },
  )

  app.post<{ Params: { clientId: string } }>(
    paths.apiClients.revoke(':clientId'),
    { config: CHANGE, preHandler },
    async (request, reply) => {
      const authority = clientsAuthorityOf(request)
      const { clientId } = request.params
      const result = isUuid(clientId)
        ? await revokeClient(db, actorFrom(request, clock), authority.id, clientId)
        : undefined
      if (!result?.ok) return reply.notFound()
      request.flash('success', revokedMessage(result.value.name))
      return reply.redirect(forAuthority(paths.apiClients.list(), authority), 303)
    },
  )
}
