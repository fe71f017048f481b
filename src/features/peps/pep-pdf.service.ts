import { pepExtras } from './pep-record.presenter.ts'
import { createHash } from 'node:crypto'
import type { Database, Queryable } from '../../db/connection.ts'
import { isYearGroup } from '../../domain/year-group.ts'
import { findTemplate } from '../../forms/templates/index.ts'
import { FULL_READER, type PepInContext } from './pep-context.ts'
import type { PepReader } from '../../forms/reading.ts'
import { renderPepPdf } from './pep.pdf.ts'
import { academicYearLabel, pepPdfFilename, pepTitle, readModel } from './pep.presenter.ts'
import { pepCover } from './pep-cover.presenter.ts'
import { formatDateTime } from '../../views/format.ts'
import { findPepOfChild, pagesOf, sectionsOf } from './peps.repository.ts'
import { contextOf } from './peps.service.ts'
import { ok, refuse, type Result } from '../../shared/result.ts'
import { isUuid } from '../../domain/ids.ts'
import { ownWordsOf } from '../young-person/voice.service.ts'
import { withTermAttainment } from '../attendance/pep-attainment.presenter.ts'

/*
 * The PEP's PDF: the one kept at sign-off (made inside the sign-off's transaction) and, for a
 * reader who may not read all of it, one made for them (ADR 10).
 */

/** Makes the signed-off PEP's PDF (every section, the QA, who completed what and when) and keeps it. */
export async function storePdf(trx: Queryable, pep: PepInContext, childName: string, at: Date) {
  const [pages, sections] = await Promise.all([pagesOf(trx, pep.id), sectionsOf(trx, pep.id)])
  const content = await renderPdf(trx, pep, FULL_READER, pages, sections, childName, at)
  const sha256 = createHash('sha256').update(content).digest('hex')
  await trx
    .insertInto('pep_pdf')
    .values({ pep_id: pep.id, content, sha256, created_at: at })
    .onConflict((oc) => oc.column('pep_id').doUpdateSet({ content, sha256, created_at: at }))
    .execute()
}

/**
 * A PEP's PDF for one reader. Signed off: the one kept at sign-off when they may read all it
 * holds, else one made now from the same signed-off answers with only what they may read
 * (ADR 10). Not signed off (nothing kept): made now, marked DRAFT on every page.
 */
export async function pepPdfFor(
  db: Queryable,
  pep: PepInContext,
  reader: PepReader,
  options: { childName: string; at: Date; kept: Buffer | null },
): Promise<Buffer> {
  const [pages, sections] = await Promise.all([pagesOf(db, pep.id), sectionsOf(db, pep.id)])
  if (!options.kept)
    return renderPdf(db, pep, reader, pages, sections, options.childName, options.at)
  const context = contextOf(pep.yearGroupValue, pages)
  const answersIn = (model: ReturnType<typeof readModel>) =>
    model.reduce((n, s) => n + s.pages.reduce((m, p) => m + p.answers.length, 0), 0)
  const theirs = answersIn(
    await withTermAttainment(
      db,
      pep,
      reader.role,
      readModel(pep, reader, pages, sections, context),
    ),
  )
  const all = answersIn(
    await withTermAttainment(
      db,
      pep,
      FULL_READER.role,
      readModel(pep, FULL_READER, pages, sections, context),
    ),
  )
  const [theirExtras, allExtras, theirCover, allCover] = await Promise.all([
    pepExtras(db, pep, reader.role),
    pepExtras(db, pep, FULL_READER.role),
    pepCover(db, pep, reader, pages),
    pepCover(db, pep, FULL_READER, pages),
  ])
  if (
    theirs === all &&
    theirExtras.documents.length === allExtras.documents.length &&
    theirExtras.meeting.length === allExtras.meeting.length &&
    theirExtras.carerViews.length === allExtras.carerViews.length &&
    JSON.stringify(theirCover) === JSON.stringify(allCover)
  )
    return options.kept
  return renderPdf(db, pep, reader, pages, sections, options.childName, options.at)
}

/**
 * A signed-off PEP of the authority's, as the Virtual School reads it (the API's `pdfs:read`):
 * its PDF, the file name the pages give it, and the child it is about (for the audit). Another
 * authority's PEP, an unknown id and one that is not a UUID are alike not found.
 */
export async function signedOffPdfOfAuthority(
  db: Queryable,
  authorityId: string,
  pepId: string,
  at: Date,
): Promise<
  Result<
    { content: Buffer; filename: string; childId: string },
    'pep.not-found' | 'pep.not-signed-off'
  >
> {
  if (!isUuid(pepId)) return refuse('pep.not-found')
  const row = await db
    .selectFrom('pep as p')
    .innerJoin('child as c', 'c.id', 'p.child_id')
    .select(['p.child_id', 'c.first_name', 'c.last_name', 'c.case_reference'])
    .where('p.id', '=', pepId)
    .where('p.authority_id', '=', authorityId)
    .where('c.authority_id', '=', authorityId)
    .executeTakeFirst()
  const pep = row && (await findPepOfChild(db, row.child_id, pepId))
  const template = pep && findTemplate(pep.formType, pep.templateVersion)
  if (!row || !pep || !template) return refuse('pep.not-found')
  if (pep.status !== 'signed_off') return refuse('pep.not-signed-off')
  const kept = await db
    .selectFrom('pep_pdf')
    .select('content')
    .where('pep_id', '=', pep.id)
    .executeTakeFirst()
  const childName = `${row.first_name} ${row.last_name}`
  const inContext: PepInContext = {
    ...pep,
    template,
    yearGroupValue: isYearGroup(pep.yearGroup) ? pep.yearGroup : null,
  }
  const content = await pepPdfFor(db, inContext, FULL_READER, {
    childName,
    at,
    kept: kept?.content ?? null,
  })
  return ok({
    content,
    filename: pepPdfFilename(pep, { caseReference: row.case_reference, name: childName }),
    childId: row.child_id,
  })
}

async function renderPdf(
  db: Queryable,
  pep: PepInContext,
  reader: PepReader,
  pages: Awaited<ReturnType<typeof pagesOf>>,
  sections: Awaited<ReturnType<typeof sectionsOf>>,
  childName: string,
  at: Date,
): Promise<Buffer> {
  const model = await withTermAttainment(
    db,
    pep,
    reader.role,
    readModel(pep, reader, pages, sections, contextOf(pep.yearGroupValue, pages)),
  )
  const [cover, extras, views] = await Promise.all([
    pepCover(db, pep, reader, pages),
    pepExtras(db, pep, reader.role),
    ownWordsOf(db, pep, pages, childName),
  ])
  return renderPepPdf({
    title: `${pepTitle(pep)} (${academicYearLabel(pep.academicYear)})`,
    childName,
    ...cover,
    sections: model.map((section) => ({
      id: section.id,
      title: section.title,
      completed: section.completed,
      // Section C is the young person's views, in their own words unless staff recorded them
      // on their behalf; the note says who gave them, when, and how they were gathered.
      ownWords: section.id === 'C' && !views.onBehalf,
      viewsNote: section.id === 'C' ? views.note : undefined,
      pages: section.pages.map((page) => ({
        title: page.title,
        saved: page.saved,
        answers: page.answers,
      })),
    })),
    ...extras,
    draft: pep.status !== 'signed_off',
    generatedAt: formatDateTime(at),
  })
}

/**
 * Makes and keeps the PDF of every signed-off PEP that has none: the demo's, signed off by the
 * seed rather than through the workflow. Each in its own transaction; returns how many it made.
 */
export async function keepMissingPdfs(db: Database, at: Date): Promise<number> {
  const missing = await db
    .selectFrom('pep')
    .innerJoin('child as c', 'c.id', 'pep.child_id')
    .leftJoin('pep_pdf', 'pep_pdf.pep_id', 'pep.id')
    .select(['pep.id', 'pep.child_id as childId', 'c.first_name', 'c.last_name'])
    .where('pep.status', '=', 'signed_off')
    .where('pep_pdf.pep_id', 'is', null)
    .execute()
  for (const row of missing) {
    const pep = await findPepOfChild(db, row.childId, row.id)
    const template = pep && findTemplate(pep.formType, pep.templateVersion)
    if (!pep || !template) continue
    const inContext: PepInContext = {
      ...pep,
      template,
      yearGroupValue: isYearGroup(pep.yearGroup) ? pep.yearGroup : null,
    }
    await db
      .transaction()
      .execute((trx) => storePdf(trx, inContext, `${row.first_name} ${row.last_name}`, at))
  }
  return missing.length
}
