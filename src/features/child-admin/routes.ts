import { acceptUploads, nothingImported, readCsvUpload } from '../../plugins/uploads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { londonDate } from '../../domain/calendar-date.ts'
import { checkChildRows, childCsvTemplate, type RowProblem } from '../../domain/child-import.ts'
import { validateChild, type Lookup } from '../../domain/child-validation.ts'
import type { Clock } from '../../domain/clock.ts'
import { paths } from '../../paths.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { formError, type FormErrors } from '../../plugins/validation.ts'
import { refuseIfReadOnly } from '../children/child-page.ts'
import {
  caseReferenceTaken,
  caseReferencesOf,
  findChildCore,
  isUniqueViolation,
  listOpenSchools,
  listSocialWorkers,
  type ChildCore,
} from './child-admin.repository.ts'
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
import { pickAuthority, type AuthorityChoice } from './scope.ts'

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024

type Body = Record<string, unknown> | undefined

export const childAdminRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const actor = (request: FastifyRequest) => {
    const at = clock.now()
    return { request, at, today: londonDate(at) }
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
    const taken = raw.caseReference
      ? await caseReferenceTaken(db, authority.id, raw.caseReference)
      : false
    const result = validateChild(raw, {
      today: londonDate(clock.now()),
      resolveSchool: (id) => lookup(schools, id, 'Select a school from the list'),
      resolveOwner: (id) => lookup(owners, id, 'Select a record owner from the list'),
      caseReferenceTaken: () => taken,
    })
    if (!result.ok) return renderNew(reply, authority, typed, toFormErrors(result.problems))
    let childId: string
    try {
      childId = await createChild(db, actor(request), authority.id, result.value)
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      return renderNew(
        reply,
        authority,
        typed,
        formError(
          'caseReference',
          `Case reference ${raw.caseReference} is already used by another child`,
        ),
      )
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
      const taken = raw.caseReference
        ? await caseReferenceTaken(db, stored.authorityId, raw.caseReference, stored.id)
        : false
      // School, placement and record owner change through their own events, not this form.
      const result = validateChild(
        { ...raw, school: '', recordOwner: '', placement: '' },
        {
          today: londonDate(clock.now()),
          resolveSchool: () => ({ error: '' }),
          resolveOwner: () => ({ error: '' }),
          caseReferenceTaken: () => taken,
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
        if (!isUniqueViolation(error)) throw error
        return renderEdit(
          reply,
          stored,
          typed,
          version,
          formError(
            'caseReference',
            `Case reference ${raw.caseReference} is already used by another child`,
          ),
        )
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
    result?: { errors?: FormErrors; problems?: RowProblem[]; rowCount?: number; filename?: string },
  ) {
    const problems = result?.problems ?? []
    return reply.code(result ? 400 : 200).render('child-admin/views/import.njk', {
      pageTitle: 'Import children from a CSV file',
      authority,
      errors: result?.errors,
      filename: result?.filename,
      rowCount: result?.rowCount,
      badLines: new Set(problems.map((p) => p.line)).size,
      problemRows: problems.map((p) => [
        { text: String(p.line) },
        { text: p.column },
        { text: p.message },
      ]),
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
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="children-template.csv"')
        .send(childCsvTemplate()),
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
      const csv = readCsvUpload(body.file, IMPORT_MAX_BYTES)
      const fail = (text: string) =>
        renderImport(reply, authority, { errors: formError('file', text), filename: csv.filename })
      if (!csv.ok) return fail(csv.message)
      const [schools, owners, existing] = await Promise.all([
        listOpenSchools(db, authority.id),
        listSocialWorkers(db, authority.id),
        caseReferencesOf(db, authority.id),
      ])
      const byUrn = new Map(schools.flatMap((s) => (s.urn ? [[s.urn, s.id] as const] : [])))
      const byEmail = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]))
      const check = checkChildRows(csv.header, csv.rows, {
        today: londonDate(clock.now()),
        resolveSchool: (urn) => {
          const id = byUrn.get(urn)
          return id ? { id } : { error: `No open school of ${authority.name} has URN ${urn}` }
        },
        resolveOwner: (email) => {
          const id = byEmail.get(email.toLowerCase())
          return id ? { id } : { error: `${email} is not a social worker of ${authority.name}` }
        },
        existingCaseReferences: existing,
      })
      if (!check.ok) {
        await request.audit({
          action: 'children.import',
          outcome: 'failure',
          authorityId: authority.id,
          details: { rows: check.rowCount, problems: check.problems.length },
        })
        return renderImport(reply, authority, {
          errors: nothingImported(check.problems.length),
          problems: check.problems,
          rowCount: check.rowCount,
          filename: csv.filename,
        })
      }
      let count: number
      try {
        count = await importChildren(
          db,
          actor(request),
          authority.id,
          check.children.map((c) => c.value),
        )
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        return fail(
          'Nothing was imported: someone added a child with one of these case references meanwhile. Upload the file again',
        )
      }
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
