import { acceptUploads } from '../../plugins/uploads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { uniqueViolation } from '../../shared/uniqueness.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { CHILD_CSV_COLUMNS, childImportSpec } from '../../domain/child-import.ts'
import { validateChild, type Lookup } from '../../domain/child-validation.ts'
import type { Clock } from '../../domain/clock.ts'
import { normaliseUpn } from '../../domain/upn.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { formError, type FormErrors } from '../../forms/validation.ts'
import { actorFrom } from '../../shared/actor.ts'
import { sendExport } from '../../shared/export/send.ts'
import {
  importPageModel,
  importTemplate,
  runImport,
  type ImportOutcome,
} from '../../shared/import/pipeline.ts'
import { refuseIfReadOnly } from '../../shared/child-header.ts'
import {
  caseReferencesOf,
  findChildCore,
  listOpenSchools,
  listSocialWorkers,
  type ChildCore,
} from './child-admin.repository.ts'
import {
  caseReferenceTaken,
  UPN_UNIQUE_INDEX,
  upnTaken,
  upnsTaken,
} from '../../shared/uniqueness.ts'
import { createChild, importChildren, updateChild } from './child-admin.service.ts'
import {
  childFormModel,
  conflictRows,
  hiddenFields,
  readChildForm,
  toFormErrors,
  typedFromStored,
  type TypedChild,
} from './child-form.ts'
import { pickAuthority, type AuthorityChoice } from '../../shared/authority-scope.ts'

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024

type Body = Record<string, unknown> | undefined

export const childAdminRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const actor = (request: FastifyRequest) => actorFrom(request, clock)

  /** The message for a save that broke a uniqueness rule meanwhile: the UPN's, or the case reference's. */
  const takenMeanwhile = (error: unknown, raw: { caseReference: string; upn: string }) => {
    const index = uniqueViolation(error)
    if (index === undefined) throw error
    return index === UPN_UNIQUE_INDEX
      ? formError('upn', `UPN ${normaliseUpn(raw.upn)} is already used by another child`)
      : formError(
          'caseReference',
          `Case reference ${raw.caseReference} is already used by another child`,
        )
  }

  /** The authority the page is for; answers (choice page or 404) and returns undefined otherwise. */
  async function authorityFor(
    request: FastifyRequest,
    reply: FastifyReply,
    asked: unknown,
    choose: { title: string; href: string },
  ): Promise<AuthorityChoice | undefined> {
    const pick = await pickAuthority(db, request.user!, 'children.manage', asked)
    if (pick.kind === 'one') return pick.authority
    if (pick.kind === 'not-found') void reply.code(404).render('pages/404.njk')
    else
      void reply.render('child-admin/views/choose-authority.njk', {
        pageTitle: choose.title,
        authorities: pick.authorities.map((a) => ({
          text: a.name,
          href: `${choose.href}?authority=${encodeURIComponent(a.id)}`,
        })),
      })
    return undefined
  }

  // ---- Add a child ----

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
      pageTitle: 'Add a child',
      mode: 'new',
      action: paths.childAdmin.new(),
      authority,
      ...childFormModel({ typed: typed ?? empty, errors, schools, owners }),
    })
  }

  const formPage = { access: { action: 'children.manage' }, audit: 'child.form.view' } as const
  const change = { access: { action: 'children.manage' }, audit: RECORDED_IN_TRANSACTION } as const

  app.get<{ Querystring: { authority?: string } }>(
    paths.childAdmin.new(),
    { config: formPage },
    async (request, reply) => {
      const authority = await authorityFor(request, reply, request.query.authority, {
        title: 'Add a child',
        href: paths.childAdmin.new(),
      })
      if (!authority) return reply
      return renderNew(reply, authority, undefined)
    },
  )

  app.post<{ Body: Body }>(paths.childAdmin.new(), { config: change }, async (request, reply) => {
    const authority = await authorityFor(request, reply, request.body?.authority ?? '', {
      title: 'Add a child',
      href: paths.childAdmin.new(),
    })
    if (!authority) return reply
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
      childId = await createChild(db, actor(request), authority.id, result.value)
    } catch (error) {
      return renderNew(reply, authority, typed, takenMeanwhile(error, raw))
    }
    request.flash('success', `${result.value.firstName} ${result.value.lastName} added`)
    return reply.redirect(paths.children.show(childId), 303)
  })

  // ---- Edit a child's core data ----

  function renderEdit(
    reply: FastifyReply,
    child: ChildCore,
    typed: TypedChild,
    version: number,
    errors?: FormErrors,
  ) {
    return reply.code(errors ? 400 : 200).render('child-admin/views/child-form.njk', {
      pageTitle: `Change core data – ${child.firstName} ${child.lastName}`,
      mode: 'edit',
      action: paths.childAdmin.edit(child.id),
      backHref: paths.children.show(child.id),
      version,
      managedElsewhere: [
        {
          label: 'School or setting',
          value: child.schoolName ?? 'No school recorded',
          href: paths.children.changeSchool(child.id),
          linkText: 'Record a change of school',
        },
        {
          label: 'Placement',
          value: child.placement ?? 'Not recorded',
          href: paths.children.changePlacement(child.id),
          linkText: 'Record a change of placement',
        },
        {
          label: 'Record owner',
          value: child.recordOwnerName ?? 'No record owner',
          href: paths.children.changeOwner(child.id),
          linkText: 'Change the record owner',
        },
      ],
      ...childFormModel({ typed, errors }),
    })
  }

  const editView = {
    access: { action: 'children.manage', child: true },
    audit: 'child.edit.view',
  } as const
  const editChange = {
    access: { action: 'children.manage', child: true },
    audit: RECORDED_IN_TRANSACTION,
  } as const

  app.get<{ Params: { childId: string } }>(
    paths.childAdmin.edit(':childId'),
    { config: editView },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const child = await findChildCore(db, request.child!.id)
      if (!child) return reply.code(404).render('pages/404.njk')
      return renderEdit(reply, child, typedFromStored(child), child.version)
    },
  )

  app.post<{ Params: { childId: string }; Body: Body }>(
    paths.childAdmin.edit(':childId'),
    { config: editChange },
    async (request, reply) => {
      if (refuseIfReadOnly(request, reply)) return reply
      const stored = await findChildCore(db, request.child!.id)
      if (!stored) return reply.code(404).render('pages/404.njk')
      const version = Number(request.body?.version)
      const { raw, typed } = readChildForm(request.body)
      const [taken, upnInUse] = await Promise.all([
        raw.caseReference
          ? caseReferenceTaken(db, stored.authorityId, raw.caseReference, stored.id)
          : false,
        raw.upn ? upnTaken(db, normaliseUpn(raw.upn), stored.id) : false,
      ])
      // School, placement and record owner change through their own events, not this form.
      const result = validateChild(
        { ...raw, school: '', recordOwner: '', placement: '' },
        {
          today: londonDate(clock.now()),
          resolveSchool: () => ({ error: '' }),
          resolveOwner: () => ({ error: '' }),
          caseReferenceTaken: () => taken,
          upnTaken: () => upnInUse,
          storedUpn: stored.upn,
        },
      )
      if (!Number.isInteger(version))
        return renderEdit(reply, stored, typed, stored.version, formError('form', 'Try again'))
      if (!result.ok)
        return renderEdit(reply, stored, typed, version, toFormErrors(result.problems))
      let outcome
      try {
        outcome = await updateChild(db, actor(request), stored.id, version, result.value)
      } catch (error) {
        return renderEdit(reply, stored, typed, version, takenMeanwhile(error, raw))
      }
      if (outcome.kind === 'gone') return reply.code(404).render('pages/404.njk')
      if (outcome.kind === 'read-only') {
        // Ceased while this form was open: answer as every other change to a ceased record.
        request.child = { ...request.child!, status: 'ceased' }
        refuseIfReadOnly(request, reply)
        return reply
      }
      if (outcome.kind === 'conflict') {
        const theirs = typedFromStored(outcome.current)
        return reply.code(409).render('child-admin/views/conflict.njk', {
          pageTitle: `Someone else has changed this record – ${stored.firstName} ${stored.lastName}`,
          action: paths.childAdmin.edit(stored.id),
          childHref: paths.children.show(stored.id),
          rows: conflictRows(theirs, typed),
          hidden: hiddenFields(typed),
          version: outcome.current.version,
        })
      }
      request.flash(
        'success',
        outcome.changed.length === 0 ? 'Nothing was changed' : 'Core data saved',
      )
      return reply.redirect(paths.children.show(stored.id), 303)
    },
  )

  // ---- Import children from a CSV file ----

  async function renderImport(
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) {
    return reply.code(refused ? 400 : 200).render('child-admin/views/import.njk', {
      pageTitle: 'Import children from a CSV file',
      authority,
      ...importPageModel(refused),
    })
  }

  app.get<{ Querystring: { authority?: string } }>(
    paths.childAdmin.import(),
    { config: formPage },
    async (request, reply) => {
      const authority = await authorityFor(request, reply, request.query.authority, {
        title: 'Import children from a CSV file',
        href: paths.childAdmin.import(),
      })
      if (!authority) return reply
      return renderImport(reply, authority)
    },
  )

  app.get(
    paths.childAdmin.importTemplate(),
    { config: { access: { action: 'children.manage' }, audit: 'none' } },
    // Column names alone: no byte order mark, which would only be in Excel's way.
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate('children-template', CHILD_CSV_COLUMNS), {
        bom: false,
      }),
  )

  app.post<{ Body: Body }>(
    paths.childAdmin.import(),
    { config: change },
    async (request, reply) => {
      const body = request.body ?? {}
      const authority = await authorityFor(request, reply, body.authority ?? '', {
        title: 'Import children from a CSV file',
        href: paths.childAdmin.import(),
      })
      if (!authority) return reply
      const who = actor(request)
      const outcome = await runImport(db, who, {
        file: body.file,
        maxBytes: IMPORT_MAX_BYTES,
        action: 'children.import',
        authorityId: authority.id,
        async spec(file) {
          const upnAt = file.header.indexOf('upn')
          const upns = file.rows.map((r) => normaliseUpn(r.cells[upnAt] ?? '')).filter(Boolean)
          const [schools, owners, existing, existingUpns] = await Promise.all([
            listOpenSchools(db, authority.id),
            listSocialWorkers(db, authority.id),
            caseReferencesOf(db, authority.id),
            upnAt === -1 ? new Set<string>() : upnsTaken(db, upns),
          ])
          const byUrn = new Map(schools.flatMap((s) => (s.urn ? [[s.urn, s.id] as const] : [])))
          const byEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]))
          return childImportSpec({
            today: who.today,
            resolveSchool: (urn) => {
              const id = byUrn.get(urn)
              return id ? { id } : { error: `No open school of ${authority.name} has URN ${urn}` }
            },
            resolveOwner: (email) => {
              const id = byEmail.get(email.toLowerCase())
              return id ? { id } : { error: `${email} is not a social worker of ${authority.name}` }
            },
            existingCaseReferences: existing,
            existingUpns,
          })
        },
        save: (children) => importChildren(db, who, authority.id, children),
        raceMessage:
          'Nothing was imported: someone added a child with one of these case references or UPNs meanwhile. Upload the file again',
      })
      if (!outcome.ok) return renderImport(reply, authority, outcome)
      const count = outcome.count
      request.flash(
        'success',
        `${count.toLocaleString('en-GB')} ${count === 1 ? 'child' : 'children'} added to ${authority.name}`,
      )
      return reply.redirect(paths.children.list(), 303)
    },
  )
}

function lookup(choices: { id: string }[], id: string, error: string): Lookup {
  return choices.some((c) => c.id === id) ? { id } : { error }
}
