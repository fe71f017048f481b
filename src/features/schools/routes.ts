import { acceptUploads } from '../../plugins/uploads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../../db/connection.ts'
import { daysBetween, londonDate } from '../../domain/calendar-date.ts'
import type { Clock } from '../../domain/clock.ts'
import {
  SCHOOL_CSV_COLUMNS,
  SCHOOL_PHASES,
  SCHOOL_TYPES,
  isDfeNumber,
  isUrn,
  schoolImportSpec,
  validateSchool,
  type RawSchool,
} from '../../domain/school.ts'
import { paths } from '../../paths.ts'
import { readDateInput, type DateInputValues } from '../../plugins/date-input.ts'
import { RECORDED_IN_TRANSACTION } from '../../plugins/types.ts'
import { FormProblems, formError, type FormErrors } from '../../plugins/validation.ts'
import { formatDate } from '../../views/format.ts'
import { paginate, pageNumber } from '../../views/pagination.ts'
import {
  authoritiesWhere,
  isUuid,
  pickAuthority,
  type AuthorityChoice,
} from '../child-admin/scope.ts'
import { isUniqueViolation } from '../../db/errors.ts'
import { actorFrom } from '../../shared/actor.ts'
import { sendExport } from '../../shared/export/send.ts'
import {
  importPageModel,
  importTemplate,
  runImport,
  type ImportOutcome,
} from '../../shared/import/pipeline.ts'
import {
  allUrns,
  countChildrenAt,
  findLineage,
  findSchool,
  listSchools,
  schoolVersion,
  urnTaken,
  type SchoolRow,
} from './schools.repository.ts'
import { addSchool, convertToAcademy, importSchools, updateSchool } from './schools.service.ts'
import {
  option,
  phaseName,
  readSchoolForm,
  schoolFormModel,
  text,
  toErrors,
  typeName,
  type Body,
} from './school-form.ts'

const PAGE_SIZE = 25
const URN_TAKEN = (urn: string) => `URN ${urn} is already used by another school`
const IMPORT_MAX_BYTES = 5 * 1024 * 1024

export const schoolsRoutes: FastifyPluginAsync<{ db: Database; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  await acceptUploads(app, IMPORT_MAX_BYTES)

  const actor = (request: FastifyRequest) => actorFrom(request, clock)
  const scope = (request: FastifyRequest) => authoritiesWhere(request.user!, 'schools.manage')
  const notFound = (reply: FastifyReply) => reply.code(404).render('pages/404.njk')

  const page = (audit: 'schools.view' | 'school.view' | 'school.form.view') =>
    ({ access: { action: 'schools.manage' }, audit }) as const
  const change = { access: { action: 'schools.manage' }, audit: RECORDED_IN_TRANSACTION } as const

  /** The school the URL names, if it is in one of the user's authorities; 404 otherwise. */
  async function schoolInScope(request: FastifyRequest, reply: FastifyReply, id: string) {
    const school = isUuid(id) ? await findSchool(db, scope(request), id) : undefined
    if (!school) void notFound(reply)
    return school
  }

  async function authorityFor(
    request: FastifyRequest,
    reply: FastifyReply,
    asked: unknown,
    choose: { title: string; href: string },
  ): Promise<AuthorityChoice | undefined> {
    const pick = await pickAuthority(db, request.user!, 'schools.manage', asked)
    if (pick.kind === 'one') return pick.authority
    if (pick.kind === 'not-found') void notFound(reply)
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

  // ---- The list ----

  app.get<{ Querystring: Record<string, string | undefined> }>(
    paths.schools.list(),
    { config: page('schools.view') },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim().slice(0, 100)
      const type =
        request.query.type && request.query.type in SCHOOL_TYPES ? request.query.type : ''
      const phase =
        request.query.phase && request.query.phase in SCHOOL_PHASES ? request.query.phase : ''
      const status =
        request.query.status === 'open' || request.query.status === 'closed'
          ? request.query.status
          : ''
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries({ q, type, phase, status })) if (v) params.set(k, v)
      const href = `${paths.schools.list()}${params.size ? `?${params}` : ''}`
      const number = pageNumber(request.query.page)
      const authorityIds = scope(request)
      const result = await listSchools(
        db,
        authorityIds,
        {
          search: q || undefined,
          type: type || undefined,
          phase: phase || undefined,
          status: status || undefined,
        },
        { offset: (number - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      )
      return reply.render('schools/views/list.njk', {
        pageTitle: 'Schools',
        values: { q, type, phase, status },
        filtered: Boolean(q || type || phase || status),
        total: result.total,
        manyAuthorities: authorityIds.length > 1,
        pagination: paginate(number, PAGE_SIZE, result.total, href),
        rows: result.rows.map((s) => ({
          href: paths.schools.show(s.id),
          name: s.name,
          urn: s.urn ?? '',
          dfeNumber: s.dfeNumber ?? '',
          type: typeName(s.type),
          phase: phaseName(s.phase),
          open: s.open,
          authorityName: s.authorityName,
        })),
        typeItems: [
          option('', 'All types', type),
          ...Object.entries(SCHOOL_TYPES).map(([v, t]) => option(v, t, type)),
        ],
        phaseItems: [
          option('', 'All phases', phase),
          ...Object.entries(SCHOOL_PHASES).map(([v, t]) => option(v, t, phase)),
        ],
        statusItems: [
          option('', 'Open and closed', status),
          option('open', 'Open', status),
          option('closed', 'Closed', status),
        ],
      })
    },
  )

  // ---- Add ----

  const renderNew = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    values: RawSchool,
    errors?: FormErrors,
  ) =>
    reply.code(errors ? 400 : 200).render('schools/views/form.njk', {
      pageTitle: 'Add a school',
      mode: 'new',
      authority,
      action: paths.schools.new(),
      backHref: paths.schools.list(),
      ...schoolFormModel(values, errors),
    })

  app.get<{ Querystring: { authority?: string } }>(
    paths.schools.new(),
    { config: page('school.form.view') },
    async (request, reply) => {
      const authority = await authorityFor(request, reply, request.query.authority, {
        title: 'Add a school',
        href: paths.schools.new(),
      })
      if (!authority) return reply
      return renderNew(reply, authority, { ...readSchoolForm({}), open: 'yes' })
    },
  )

  app.post<{ Body: Body }>(paths.schools.new(), { config: change }, async (request, reply) => {
    const authority = await authorityFor(request, reply, request.body?.authority ?? '', {
      title: 'Add a school',
      href: paths.schools.new(),
    })
    if (!authority) return reply
    const raw = readSchoolForm(request.body)
    const taken = isUrn(raw.urn) && (await urnTaken(db, raw.urn))
    const result = validateSchool(raw, () => taken)
    if (!result.ok) return renderNew(reply, authority, raw, toErrors(result.problems))
    const id = await addSchool(db, actor(request), authority.id, result.value).catch(
      (error: unknown) => {
        if (isUniqueViolation(error)) return undefined
        throw error
      },
    )
    if (!id) return renderNew(reply, authority, raw, formError('urn', URN_TAKEN(raw.urn)))
    request.flash('success', `${result.value.name} added`)
    return reply.redirect(paths.schools.show(id), 303)
  })

  // ---- A school and its lineage ----

  app.get<{ Params: { schoolId: string } }>(
    paths.schools.show(':schoolId'),
    { config: page('school.view') },
    async (request, reply) => {
      const school = await schoolInScope(request, reply, request.params.schoolId)
      if (!school) return reply
      const [lineage, children] = await Promise.all([
        findLineage(db, school),
        countChildrenAt(db, school.id),
      ])
      const link = (s: SchoolRow, words: string) => ({
        href: paths.schools.show(s.id),
        text: `${s.name} (URN ${s.urn ?? 'none'})`,
        words,
      })
      return reply.render('schools/views/show.njk', {
        pageTitle: school.name,
        school: {
          name: school.name,
          open: school.open,
          rows: [
            { key: { text: 'URN' }, value: { text: school.urn ?? 'Not recorded' } },
            {
              key: { text: 'DfE establishment number' },
              value: { text: school.dfeNumber ?? 'Not recorded' },
            },
            { key: { text: 'Type' }, value: { text: typeName(school.type) } },
            { key: { text: 'Phase' }, value: { text: phaseName(school.phase) } },
            {
              key: { text: 'Status' },
              value: {
                text: school.open
                  ? `Open${school.openedOn ? ` since ${formatDate(school.openedOn)}` : ''}`
                  : `Closed${school.closedOn ? ` on ${formatDate(school.closedOn)}` : ''}`,
              },
            },
            { key: { text: 'Authority' }, value: { text: school.authorityName } },
            { key: { text: 'Children in care here' }, value: { text: String(children) } },
          ],
        },
        predecessors: lineage.predecessors.map((s) =>
          link(s, `closed ${s.closedOn ? formatDate(s.closedOn) : ''}`.trim()),
        ),
        successors: lineage.successors.map((s) =>
          link(s, s.openedOn ? `opened ${formatDate(s.openedOn)}` : ''),
        ),
        editHref: paths.schools.edit(school.id),
        convertHref:
          school.open && lineage.successors.length === 0
            ? paths.schools.convert(school.id)
            : undefined,
      })
    },
  )

  // ---- Edit ----

  const renderEdit = (
    reply: FastifyReply,
    school: SchoolRow,
    values: RawSchool,
    version: string,
    errors?: FormErrors,
    status?: number,
  ) =>
    reply.code(status ?? (errors ? 400 : 200)).render('schools/views/form.njk', {
      pageTitle: `Change ${school.name}`,
      mode: 'edit',
      action: paths.schools.edit(school.id),
      backHref: paths.schools.show(school.id),
      version,
      ...schoolFormModel(values, errors),
    })

  app.get<{ Params: { schoolId: string } }>(
    paths.schools.edit(':schoolId'),
    { config: page('school.form.view') },
    async (request, reply) => {
      const school = await schoolInScope(request, reply, request.params.schoolId)
      if (!school) return reply
      return renderEdit(
        reply,
        school,
        {
          name: school.name,
          urn: school.urn ?? '',
          dfeNumber: school.dfeNumber ?? '',
          type: school.type,
          phase: school.phase,
          open: school.open ? 'yes' : 'no',
        },
        schoolVersion(school),
      )
    },
  )

  app.post<{ Params: { schoolId: string }; Body: Body }>(
    paths.schools.edit(':schoolId'),
    { config: change },
    async (request, reply) => {
      const school = await schoolInScope(request, reply, request.params.schoolId)
      if (!school) return reply
      const raw = readSchoolForm(request.body)
      const version = text(request.body, 'version')
      const taken = isUrn(raw.urn) && (await urnTaken(db, raw.urn, school.id))
      const result = validateSchool(raw, () => taken)
      if (!result.ok) return renderEdit(reply, school, raw, version, toErrors(result.problems))
      const outcome = await updateSchool(
        db,
        actor(request),
        scope(request),
        school.id,
        version,
        result.value,
      ).catch((error: unknown) => {
        if (isUniqueViolation(error)) return 'urn-taken' as const
        throw error
      })
      if (outcome === 'urn-taken')
        return renderEdit(reply, school, raw, version, formError('urn', URN_TAKEN(raw.urn)))
      if (outcome === 'gone') return notFound(reply)
      if (outcome === 'conflict') {
        const fresh = (await findSchool(db, scope(request), school.id))!
        return renderEdit(
          reply,
          fresh,
          raw,
          schoolVersion(fresh),
          formError(
            'name',
            'Someone else changed this school after you opened the form: check the details below (yours) against the school’s page, then save again',
          ),
          409,
        )
      }
      request.flash('success', `${result.value.name} saved`)
      return reply.redirect(paths.schools.show(school.id), 303)
    },
  )

  // ---- Academy conversion ----

  interface ConversionValues {
    name: string
    urn: string
    dfeNumber: string
    convertedOn: DateInputValues
  }

  const renderConvert = (
    reply: FastifyReply,
    school: SchoolRow,
    values: ConversionValues,
    errors?: FormErrors,
    status?: number,
  ) =>
    reply.code(status ?? (errors ? 400 : 200)).render('schools/views/convert.njk', {
      pageTitle: `Record an academy conversion – ${school.name}`,
      school: { name: school.name, urn: school.urn, href: paths.schools.show(school.id) },
      action: paths.schools.convert(school.id),
      values,
      errors,
    })

  app.get<{ Params: { schoolId: string } }>(
    paths.schools.convert(':schoolId'),
    { config: page('school.form.view') },
    async (request, reply) => {
      const school = await schoolInScope(request, reply, request.params.schoolId)
      if (!school) return reply
      return renderConvert(reply, school, {
        name: school.name,
        urn: '',
        dfeNumber: '',
        convertedOn: { day: '', month: '', year: '' },
      })
    },
  )

  app.post<{ Params: { schoolId: string }; Body: Body }>(
    paths.schools.convert(':schoolId'),
    { config: change },
    async (request, reply) => {
      const school = await schoolInScope(request, reply, request.params.schoolId)
      if (!school) return reply
      const body = request.body
      const date = readDateInput(body, 'convertedOn', 'the date of conversion')
      const values: ConversionValues = {
        name: text(body, 'name'),
        urn: text(body, 'urn'),
        dfeNumber: text(body, 'dfeNumber'),
        convertedOn: date.typed,
      }
      const problems = new FormProblems()
      if (!values.name) problems.add('name', 'Enter the name of the academy')
      else if ([...values.name].length > 200)
        problems.add('name', 'The name must be 200 characters or fewer')
      if (!values.urn) problems.add('urn', 'Enter the academy’s new URN')
      else if (!isUrn(values.urn)) problems.add('urn', 'URN must be 6 digits, like 123456')
      else if (await urnTaken(db, values.urn))
        problems.add('urn', `URN ${values.urn} is already used by another school`)
      if (!values.dfeNumber)
        problems.add('dfeNumber', 'Enter the academy’s DfE establishment number')
      else if (!isDfeNumber(values.dfeNumber))
        problems.add('dfeNumber', 'DfE establishment number must be like 123/4567')
      const today = londonDate(clock.now())
      if (!date.ok) problems.add('convertedOn', date.error, `convertedOn-${date.part}`)
      else if (daysBetween(today, date.value) > 0)
        problems.add(
          'convertedOn',
          'The date of conversion must be today or in the past',
          'convertedOn-day',
        )
      else if (school.openedOn && daysBetween(school.openedOn, date.value) < 0)
        problems.add(
          'convertedOn',
          `The date of conversion must be on or after the day the school opened, ${formatDate(school.openedOn)}`,
          'convertedOn-day',
        )
      if (!school.open) problems.add('name', `${school.name} is already closed`)
      if (problems.any || !date.ok) return renderConvert(reply, school, values, problems.errors)
      const result = await convertToAcademy(db, actor(request), school, {
        convertedOn: date.value,
        name: values.name,
        urn: values.urn,
        dfeNumber: values.dfeNumber,
      }).catch((error: unknown) => {
        if (isUniqueViolation(error)) return 'urn-taken' as const
        throw error
      })
      if (result === 'urn-taken')
        return renderConvert(reply, school, values, formError('urn', URN_TAKEN(values.urn)))
      if (result === 'already-converted')
        return renderConvert(
          reply,
          school,
          values,
          formError('name', `${school.name} has already been converted or closed`),
          409,
        )
      request.flash(
        'success',
        `${school.name} converted to ${values.name}: ${result.children} ${result.children === 1 ? 'child' : 'children'} moved to the academy`,
      )
      return reply.redirect(paths.schools.show(result.schoolId), 303)
    },
  )

  // ---- Import ----

  const renderImport = (
    reply: FastifyReply,
    authority: AuthorityChoice,
    refused?: Extract<ImportOutcome, { ok: false }>,
  ) =>
    reply.code(refused ? 400 : 200).render('schools/views/import.njk', {
      pageTitle: 'Import schools from a CSV file',
      authority,
      ...importPageModel(refused),
    })

  app.get<{ Querystring: { authority?: string } }>(
    paths.schools.import(),
    { config: page('school.form.view') },
    async (request, reply) => {
      const authority = await authorityFor(request, reply, request.query.authority, {
        title: 'Import schools from a CSV file',
        href: paths.schools.import(),
      })
      if (!authority) return reply
      return renderImport(reply, authority)
    },
  )

  app.get(
    paths.schools.importTemplate(),
    { config: { access: { action: 'schools.manage' }, audit: 'none' } },
    async (_request, reply) =>
      sendExport(reply, 'csv', importTemplate('schools-template', SCHOOL_CSV_COLUMNS), {
        bom: false,
      }),
  )

  app.post<{ Body: Body }>(paths.schools.import(), { config: change }, async (request, reply) => {
    const body = request.body ?? {}
    const authority = await authorityFor(request, reply, body.authority ?? '', {
      title: 'Import schools from a CSV file',
      href: paths.schools.import(),
    })
    if (!authority) return reply
    const who = actor(request)
    const outcome = await runImport(db, who, {
      file: body.file,
      maxBytes: IMPORT_MAX_BYTES,
      action: 'schools.import',
      authorityId: authority.id,
      spec: async () => schoolImportSpec(await allUrns(db)),
      save: (schools) => importSchools(db, who, authority.id, schools),
      raceMessage:
        'Nothing was imported: a school with one of these URNs was added meanwhile. Upload the file again',
    })
    if (!outcome.ok) return renderImport(reply, authority, outcome)
    const count = outcome.count
    request.flash('success', `${count} ${count === 1 ? 'school' : 'schools'} added`)
    return reply.redirect(paths.schools.list(), 303)
  })
}
