import type { FastifyPluginAsync } from 'fastify'
import type { Database } from '../../db/connection.ts'
import type { Clock } from '../../domain/clock.ts'
import { webhookEventsFor } from '../../domain/api-scopes.ts'
import { isUuid } from '../../domain/ids.ts'
import { paths } from '../../paths.ts'
import { actorFrom } from '../../shared/actor.ts'
import type { MfaKeyring } from '../../shared/secrets.ts'
import {
  CHANGE,
  FORM,
  clientsAuthorityOf,
  decorateClientsAuthority,
  loadClientsAuthority,
  loadManagedClient,
  managedClientOf,
} from './clients-context.ts'
import type { ApiClientRow } from './clients.service.ts'
import { decorateManagedWebhook, loadManagedWebhook, managedWebhookOf } from './webhook-context.ts'
import { forAuthority } from './clients.presenter.ts'
import type { HostLookup } from './webhook.client.ts'
import { WEBHOOK_URL_MAX, readWebhookForm } from './webhooks.form.ts'
import {
  deliveryRows,
  eventItems,
  eventNames,
  removedMessage,
  webhookRows,
  webhookTitles,
} from './webhooks.presenter.ts'
import { listDeliveries, listWebhooks, registerWebhook, removeWebhook } from './webhooks.service.ts'

type Params = { clientId: string }
type HookParams = Params & { webhookId: string }

const VIEW = { access: { action: 'authority.settings' }, audit: 'api.webhooks.view' } as const
/** Deliveries shown on the log page (the newest). */
const LOG_ROWS = 100

/*
 * An API client's webhooks (Settings, Virtual School administrators): the list, adding one (its
 * signing secret shown once), turning one off, and the log of its deliveries.
 */
export const webhooksRoutes: FastifyPluginAsync<{
  db: Database
  clock: Clock
  keyring: MfaKeyring
  loopbackHttp: boolean
  lookup?: HostLookup
}> = async (app, { db, clock, keyring, loopbackHttp, lookup }) => {
  const policy = { allowLoopback: loopbackHttp, ...(lookup ? { lookup } : {}) }
  decorateClientsAuthority(app)
  decorateManagedWebhook(app)
  const preHandler = loadClientsAuthority(db)

  // Every page is about one client: any, or one not revoked to add a webhook to it.
  const anyClient = [preHandler, loadManagedClient(db, 'any')]
  const activeClient = [preHandler, loadManagedClient(db, 'active')]

  app.get<{ Params: Params }>(
    paths.apiClients.webhooks(':clientId'),
    { config: VIEW, preHandler: anyClient },
    async (request, reply) => {
      const client = managedClientOf(request)
      const authority = clientsAuthorityOf(request)
      const hooks = await listWebhooks(db, client.id)
      return reply.render('api/views/webhooks.njk', {
        pageTitle: webhookTitles.list(client.name),
        authority,
        client: { name: client.name, revoked: client.revokedAt !== null },
        webhooks: webhookRows(hooks, client.id, authority),
        newHref: forAuthority(paths.apiClients.newWebhook(client.id), authority),
        listHref: forAuthority(paths.apiClients.list(), authority),
        docsHref: paths.api.docs(),
      })
    },
  )

  const renderNew = (
    authority: { id: string; name: string },
    client: ApiClientRow,
    typed: { url: string; events: string[] },
    errors?: unknown,
  ) => ({
    pageTitle: webhookTitles.add(client.name),
    authority,
    clientName: client.name,
    action: forAuthority(paths.apiClients.newWebhook(client.id), authority),
    backHref: forAuthority(paths.apiClients.webhooks(client.id), authority),
    urlMax: WEBHOOK_URL_MAX,
    values: typed,
    eventItems: eventItems(webhookEventsFor(client.scopes), typed.events),
    errors,
  })

  app.get<{ Params: Params }>(
    paths.apiClients.newWebhook(':clientId'),
    { config: FORM, preHandler: activeClient },
    async (request, reply) => {
      const client = managedClientOf(request)
      return reply.render(
        'api/views/new-webhook.njk',
        renderNew(clientsAuthorityOf(request), client, { url: '', events: [] }),
      )
    },
  )

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    paths.apiClients.newWebhook(':clientId'),
    { config: CHANGE, preHandler: activeClient },
    async (request, reply) => {
      const client = managedClientOf(request)
      const authority = clientsAuthorityOf(request)
      const form = await readWebhookForm(request.body, webhookEventsFor(client.scopes), policy)
      if (!form.ok)
        return reply
          .code(400)
          .render(
            'api/views/new-webhook.njk',
            renderNew(authority, client, form.typed, form.errors),
          )
      const created = await registerWebhook(db, actorFrom(request, clock), {
        authorityId: authority.id,
        clientId: client.id,
        ...form.value,
        keyring,
      })
      // The secret is on this page only: not in a redirect, the session or a flash message.
      return reply.render('api/views/webhook-created.njk', {
        pageTitle: webhookTitles.added,
        authority,
        clientName: client.name,
        url: form.value.url,
        events: eventNames(form.value.events),
        secret: created.secret,
        listHref: forAuthority(paths.apiClients.webhooks(client.id), authority),
        docsHref: paths.api.docs(),
      })
    },
  )

  // "Are you sure": what turning it off does, and the button that does it (no JavaScript needed).
  app.get<{ Params: HookParams }>(
    paths.apiClients.removeWebhook(':clientId', ':webhookId'),
    { config: FORM, preHandler: [...anyClient, loadManagedWebhook(db, 'open')] },
    async (request, reply) => {
      const client = managedClientOf(request)
      const authority = clientsAuthorityOf(request)
      const hook = managedWebhookOf(request)
      return reply.render('api/views/remove-webhook.njk', {
        pageTitle: webhookTitles.turnOff,
        authority,
        clientName: client.name,
        url: hook.url,
        events: eventNames(hook.events),
        action: forAuthority(paths.apiClients.removeWebhook(client.id, hook.id), authority),
        backHref: forAuthority(paths.apiClients.webhooks(client.id), authority),
      })
    },
  )

  app.post<{ Params: HookParams }>(
    paths.apiClients.removeWebhook(':clientId', ':webhookId'),
    { config: CHANGE, preHandler: anyClient },
    async (request, reply) => {
      const client = managedClientOf(request)
      const authority = clientsAuthorityOf(request)
      const { webhookId } = request.params
      const result = isUuid(webhookId)
        ? await removeWebhook(db, actorFrom(request, clock), {
            authorityId: authority.id,
            clientId: client.id,
            webhookId,
          })
        : undefined
      if (!result?.ok) return reply.notFound()
      request.flash('success', removedMessage(result.value.url))
      return reply.redirect(forAuthority(paths.apiClients.webhooks(client.id), authority), 303)
    },
  )

  app.get<{ Params: HookParams }>(
    paths.apiClients.deliveries(':clientId', ':webhookId'),
    {
      config: { ...VIEW, audit: 'api.webhook.deliveries.view' },
      preHandler: [...anyClient, loadManagedWebhook(db, 'any')],
    },
    async (request, reply) => {
      const client = managedClientOf(request)
      const authority = clientsAuthorityOf(request)
      const hook = managedWebhookOf(request)
      const deliveries = await listDeliveries(db, hook.id, LOG_ROWS)
      return reply.render('api/views/webhook-deliveries.njk', {
        pageTitle: webhookTitles.deliveries(hook.url),
        authority,
        clientName: client.name,
        url: hook.url,
        rows: deliveryRows(deliveries),
        limit: LOG_ROWS,
        backHref: forAuthority(paths.apiClients.webhooks(client.id), authority),
      })
    },
  )
}
