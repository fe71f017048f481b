import type { FastifyPluginAsync } from 'fastify'
import { SCHOOL_CSV_COLUMNS, schoolImportSpec, type SchoolFields } from '../../domain/school.ts'
import { schoolProblemText } from '../../forms/school-messages.ts'
import { paths } from '../../paths.ts'
import { importRoutes } from '../../shared/import/routes.ts'
import type { SchoolsRouteOptions } from './routes.ts'
import { allUrns } from '../../shared/uniqueness.ts'
import { IMPORT_TITLE, importedMessage } from './schools.presenter.ts'
import { importSchools } from './schools.service.ts'

const IMPORT_MAX_BYTES = 5 * 1024 * 1024

/** Importing schools from a CSV file (ADR 7's one import pipeline), and its template. */
export const schoolImportRoutes: FastifyPluginAsync<SchoolsRouteOptions> = async (app, options) => {
  const { db } = options
  await importRoutes<SchoolFields>(app, options, {
    path: paths.schools.import(),
    template: {
      path: paths.schools.importTemplate(),
      name: 'schools-template',
      columns: SCHOOL_CSV_COLUMNS,
    },
    access: 'schools.manage',
    pageAudit: 'school.form.view',
    title: IMPORT_TITLE,
    view: 'schools/views/import.njk',
    maxBytes: IMPORT_MAX_BYTES,
    importInto: (authority, who) => ({
      action: 'schools.import',
      spec: async () => schoolImportSpec(await allUrns(db), schoolProblemText),
      save: (schools) => importSchools(db, who, authority.id, schools),
      raceMessage:
        'Nothing was imported: a school with one of these URNs was added meanwhile. Upload the file again',
      imported: (count) => ({ message: importedMessage(count), redirect: paths.schools.list() }),
    }),
  })
}
