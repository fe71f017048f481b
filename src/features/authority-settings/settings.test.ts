import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { AUTHORITY_SETTING_DEFAULTS } from '../../domain/authority-settings.ts'
import { TestAgent } from '../../testing/agent.ts'
import { giveRole } from '../../testing/factories.ts'
import { createTestApp, type TestContext } from '../../testing/app.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import { listClosureDays } from './closure-days.repository.ts'

/*
 * The settings pages through HTTP on a real database: who may see and change them, every page's
 * validation with the input kept, the audit trail, and another authority left alone.
 */

let t: TestContext
let harrowfield: string
let eastmere: string
let admin: TestAgent

const OVERVIEW = '/admin/settings'
const url = (path: string, authority = harrowfield) => `${path}?authority=${authority}`
/** As a page shows it: Nunjucks escapes apostrophes and quotes. */
const html = (text: string) => text.replace(/'/g, '&#39;').replace(/"/g, '&quot;')

async function agent(email: string): Promise<TestAgent> {
  const a = new TestAgent(t.app)
  await a.signIn(email, DEMO_PASSWORD)
  return a
}

async function auditEvents(action: string) {
  return t.database.db
    .selectFrom('audit_event')
    .select(['authority_id', 'details', 'outcome'])
    .where('action', '=', action)
    .orderBy('occurred_at')
    .execute()
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' })
  const authorities = await t.database.db.selectFrom('authority').select(['id', 'code']).execute()
  harrowfield = authorities.find((a) => a.code === 'HFD')!.id
  eastmere = authorities.find((a) => a.code === 'EMR')!.id
  admin = await agent('vs.admin@example.org')
})
afterAll(() => t.close())

describe('who may see the settings', () => {
  it('shows a Virtual School administrator every setting, linked from the menu', async () => {
    const home = await admin.get('/')
    expect(home.body).toContain(`href="${OVERVIEW}"`)
    const page = await admin.get(OVERVIEW)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Harrowfield County Council')
    for (const text of [
      '7 December',
      '7 March',
      '7 July',
      'Within 10 working days of entering care',
      'Within 20 working days of entering care',
      '10 days before the meeting',
      '7 days after the meeting',
      '14 calendar days after the meeting',
      'No more than 6 months',
      '2 working days before its due date',
      'When 1 working day overdue',
      'When 5 working days overdue',
      '100%',
    ])
      expect(page.body, text).toContain(text)
    for (const path of [
      'term-windows',
      'timescales',
      'reminders',
      'quality-assurance',
      'closure-days',
    ])
      expect(page.body).toContain(`href="/admin/settings/${path}?authority=${harrowfield}"`)
  })

  it('refuses every other role', async () => {
    for (const email of [
      'vs.head@example.org',
      'vs.consultant@example.org',
      'business.support@example.org',
      'social.worker@example.org',
      'auditor@example.org',
    ]) {
      const other = await agent(email)
      expect((await other.get(OVERVIEW)).statusCode, email).toBe(403)
      expect((await other.get(url('/admin/settings/timescales'))).statusCode, email).toBe(403)
      expect((await other.get('/')).body).not.toContain(`href="${OVERVIEW}"`)
      const refused = await other.post(url('/admin/settings/quality-assurance'), {
        bsoCheck: 'yes',
        qaSamplePercent: '1',
        headSignsOffFrom: 'inadequate',
        attendanceTargetBelowPercent: '90',
      })
      expect(refused.statusCode, email).toBe(403)
    }
    expect((await loadAuthoritySettings(t.database.db, harrowfield)).qaSamplePercent).toBe(100)
  })

  it('sends someone signed out to sign in', async () => {
    const anonymous = new TestAgent(t.app)
    const response = await anonymous.get(OVERVIEW)
    expect(response.statusCode).toBe(302)
    expect(response.headers.location).toMatch(/^\/sign-in/)
  })

  it('hides another authority’s settings from its administrator', async () => {
    const other = await agent('eastmere.admin@example.org')
    expect((await other.get(url(OVERVIEW, harrowfield))).statusCode).toBe(404)
    const refused = await other.post(url('/admin/settings/quality-assurance', harrowfield), {
      bsoCheck: 'yes',
      qaSamplePercent: '1',
      headSignsOffFrom: 'inadequate',
      attendanceTargetBelowPercent: '90',
    })
    expect(refused.statusCode).toBe(404)
    expect((await other.get(OVERVIEW)).body).toContain('Eastmere Borough Council')
  })
})

describe('changing the settings', () => {
  it('term windows: refuses dates that are not real, naming the field, and keeps the input', async () => {
    const page = await admin.get(url('/admin/settings/term-windows'))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('name="autumn-day"')
    expect(page.body).toMatch(/name="autumn-month"[^>]*value="12"/)
    const refused = await admin.post(url('/admin/settings/term-windows'), {
      'autumn-day': '30',
      'autumn-month': '11',
      'spring-day': '31',
      'spring-month': '2',
      'summer-day': '7',
      'summer-month': '7',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('There is a problem')
    expect(refused.body).toContain('href="#spring-day"')
    expect(refused.body).toContain('Spring term deadline must be a real date')
    expect(refused.body).toMatch(/name="spring-day"[^>]*value="31"/)
    expect(refused.body).toMatch(/name="autumn-day"[^>]*value="30"/)
    expect(await auditEvents('authority.settings.update')).toHaveLength(0)

    const saved = await admin.post(url('/admin/settings/term-windows'), {
      'autumn-day': '30',
      'autumn-month': '11',
      'spring-day': '28',
      'spring-month': '2',
      'summer-day': '7',
      'summer-month': '7',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(url(OVERVIEW))
    const settings = await loadAuthoritySettings(t.database.db, harrowfield)
    expect(settings.termWindows).toEqual({ autumn: '11-30', spring: '02-28', summer: '07-07' })
    const overview = await admin.get(saved.headers.location as string)
    expect(overview.body).toContain('Term windows saved')
    expect(overview.body).toContain('30 November')
    const [event] = await auditEvents('authority.settings.update')
    expect(event).toMatchObject({
      authority_id: harrowfield,
      outcome: 'success',
      details: {
        page: 'Term windows',
        changes: {
          termWindows: {
            from: AUTHORITY_SETTING_DEFAULTS.termWindows,
            to: { autumn: '11-30', spring: '02-28', summer: '07-07' },
          },
        },
      },
    })
  })

  it('timescales: min and max messages, and the delegation due in working days', async () => {
    const page = await admin.get(url('/admin/settings/timescales'))
    expect(page.body).toMatch(/name="delegationDueDays"[^>]*value="14"/)
    const form = {
      initialPepInitiateWorkingDays: '10',
      initialPepMeetingWorkingDays: '20',
      socialWorkerDaysBeforeMeeting: '10',
      targetDaysAfterMeeting: '7',
      delegationDueDays: '61',
      delegationDueUnit: 'working',
      maxMonthsBetweenReviews: 'six',
    }
    const refused = await admin.post(url('/admin/settings/timescales'), form)
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain(
      html('Days after the meeting for the school’s due date must be between 1 and 60'),
    )
    expect(refused.body).toContain('Months between reviews must be a whole number, like 10')
    expect(refused.body).toContain('href="#delegationDueDays"')
    expect(refused.body).toMatch(/name="maxMonthsBetweenReviews"[^>]*value="six"/)
    expect(refused.body).toMatch(/value="working" checked/)

    const saved = await admin.post(url('/admin/settings/timescales'), {
      ...form,
      delegationDueDays: '10',
      maxMonthsBetweenReviews: '6',
    })
    expect(saved.statusCode).toBe(303)
    const settings = await loadAuthoritySettings(t.database.db, harrowfield)
    expect(settings.delegationDue).toEqual({ days: 10, unit: 'working' })
    expect((await admin.get(url(OVERVIEW))).body).toContain('10 working days after the meeting')
    const events = await auditEvents('authority.settings.update')
    expect(events.at(-1)!.details).toEqual({
      page: 'Timescales',
      changes: {
        delegationDue: { from: { days: 14, unit: 'calendar' }, to: { days: 10, unit: 'working' } },
      },
    })
  })

  it('reminders and escalations: switches and numbers', async () => {
    const refused = await admin.post(url('/admin/settings/reminders'), {
      reminderWorkingDaysBeforeDue: '21',
      escalateToSocialWorkerAfterWorkingDays: '1',
      escalateToVirtualSchoolAfterWorkingDays: '5',
      bulkStartNextTerm: 'yes',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Select whether to send reminders')
    expect(refused.body).toContain(
      'Working days before the due date to remind the school must be between 0 and 20',
    )
    expect(refused.body).toMatch(/value="yes" checked/)
    const saved = await admin.post(url('/admin/settings/reminders'), {
      remindersOn: 'no',
      reminderWorkingDaysBeforeDue: '3',
      escalateToSocialWorkerAfterWorkingDays: '2',
      escalateToVirtualSchoolAfterWorkingDays: '6',
      bulkStartNextTerm: 'yes',
    })
    expect(saved.statusCode).toBe(303)
    expect(await loadAuthoritySettings(t.database.db, harrowfield)).toMatchObject({
      remindersOn: false,
      reminderWorkingDaysBeforeDue: 3,
      escalateToSocialWorkerAfterWorkingDays: 2,
      escalateToVirtualSchoolAfterWorkingDays: 6,
      bulkStartNextTerm: true,
    })
  })

  it('quality assurance: the business support check and a sample from 0 to 100%', async () => {
    const refused = await admin.post(url('/admin/settings/quality-assurance'), {
      bsoCheck: 'yes',
      qaSamplePercent: '101',
      headSignsOffFrom: 'inadequate',
      attendanceTargetBelowPercent: '90',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Percentage of PEPs to quality assure must be between 0 and 100')
    expect(refused.body).toMatch(/name="qaSamplePercent"[^>]*value="101"/)
    const saved = await admin.post(url('/admin/settings/quality-assurance'), {
      bsoCheck: 'yes',
      qaSamplePercent: '0',
      headSignsOffFrom: 'inadequate',
      attendanceTargetBelowPercent: '90',
    })
    expect(saved.statusCode).toBe(303)
    expect(await loadAuthoritySettings(t.database.db, harrowfield)).toMatchObject({
      bsoCheck: true,
      qaSamplePercent: 0,
    })
  })

  it('survives hostile input without a 500', async () => {
    for (const path of ['term-windows', 'timescales', 'reminders', 'quality-assurance']) {
      const response = await admin.post(url(`/admin/settings/${path}`), {
        'autumn-day': ['1', '2'],
        bsoCheck: '\u0000',
        qaSamplePercent: '1e3',
        headSignsOffFrom: 'inadequate',
        attendanceTargetBelowPercent: '90',
        delegationDueDays: '9'.repeat(400),
      })
      expect(response.statusCode, path).toBe(400)
    }
  })
})

describe('closure days', () => {
  const CLOSURES = '/admin/settings/closure-days'
  const add = (d: string, m: string, y: string, description: string) =>
    admin.post(url(CLOSURES), {
      'date-day': d,
      'date-month': m,
      'date-year': y,
      description,
    })

  it('adds a day with any text, exactly as typed', async () => {
    expect((await admin.get(url(CLOSURES))).body).toContain('You have no closure days')
    const description = 'Swyddfa ar gau rhwng y Nadolig a’r Flwyddyn Newydd 🎄 <b>&</b>'
    const response = await add('29', '12', '2026', description)
    expect(response.statusCode).toBe(303)
    const days = await listClosureDays(t.database.db, harrowfield)
    expect(days.map((d) => [d.onDate, d.description])).toEqual([['2026-12-29', description]])
    const page = await admin.get(url(CLOSURES))
    expect(page.body).toContain('29 December 2026 added as a closure day')
    expect(page.body).toContain(
      'Swyddfa ar gau rhwng y Nadolig a’r Flwyddyn Newydd 🎄 &lt;b&gt;&amp;&lt;/b&gt;',
    )
    expect((await admin.get(url(OVERVIEW))).body).toContain('29 December 2026')
    const [event] = await auditEvents('authority.closure-day.add')
    expect(event).toMatchObject({
      authority_id: harrowfield,
      details: { onDate: '2026-12-29', description },
    })
  })

  it('refuses a duplicate, a bank holiday, a blank or long description, keeping the input', async () => {
    const duplicate = await add('29', '12', '2026', 'Again')
    expect(duplicate.statusCode).toBe(400)
    expect(duplicate.body).toContain('29 December 2026 is already a closure day')
    expect(duplicate.body).toMatch(/name="description"[^>]*value="Again"/)
    const holiday = await add('25', '12', '2026', 'Christmas')
    expect(holiday.body).toContain('25 December 2026 is already a bank holiday (Christmas Day)')
    expect(holiday.body).toContain('href="#date-day"')
    const blank = await add('30', '12', '2026', '   ')
    expect(blank.statusCode).toBe(400)
    expect(blank.body).toContain('Enter a description of the closure day')
    expect(blank.body).toMatch(/name="date-day"[^>]*value="30"/)
    const long = await add('30', '12', '2026', 'x'.repeat(201))
    expect(long.body).toContain('Description must be 200 characters or fewer')
    const unreal = await add('31', '2', '2027', 'Nope')
    expect(unreal.body).toContain('The date of the closure day must be a real date')
    expect(await listClosureDays(t.database.db, harrowfield)).toHaveLength(1)
    expect(await auditEvents('authority.closure-day.add')).toHaveLength(1)
  })

  it('removes a day with its button, once', async () => {
    const page = await admin.get(url(CLOSURES))
    const action = url('/admin/settings/closure-days/2026-12-29/remove')
    expect(page.body).toContain(
      `action="/admin/settings/closure-days/2026-12-29/remove?authority=${harrowfield}"`,
    )
    const removed = await admin.post(action)
    expect(removed.statusCode).toBe(303)
    expect(await listClosureDays(t.database.db, harrowfield)).toHaveLength(0)
    expect((await admin.post(action)).statusCode).toBe(404)
    expect(
      (await admin.post(url('/admin/settings/closure-days/2026-02-30/remove'))).statusCode,
    ).toBe(404)
    const [event] = await auditEvents('authority.closure-day.remove')
    expect(event).toMatchObject({ authority_id: harrowfield, details: { onDate: '2026-12-29' } })
  })

  it('leaves another authority’s settings and closure days untouched', async () => {
    expect(await loadAuthoritySettings(t.database.db, eastmere)).toEqual(AUTHORITY_SETTING_DEFAULTS)
    expect(await listClosureDays(t.database.db, eastmere)).toEqual([])
    const other = await agent('eastmere.admin@example.org')
    await other.get(url(CLOSURES, eastmere))
    expect(
      (await other.post(url('/admin/settings/closure-days/2026-12-29/remove', harrowfield)))
        .statusCode,
    ).toBe(404)
  })
})

describe('an administrator of two authorities', () => {
  it('chooses the authority first, and each page works in the one chosen', async () => {
    const user = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'vs.admin@example.org')
      .executeTakeFirstOrThrow()
    await giveRole(t.database.db, { userId: user.id, authorityId: eastmere, role: 'vs_admin' })
    const both = await agent('vs.admin@example.org')
    const choose = await both.get(OVERVIEW)
    expect(choose.statusCode).toBe(200)
    expect(choose.body).toContain(`href="${OVERVIEW}?authority=${eastmere}"`)
    expect(choose.body).toContain(`href="${OVERVIEW}?authority=${harrowfield}"`)
    const unchosen = await both.get('/admin/settings/timescales')
    expect(unchosen.statusCode).toBe(303)
    expect(unchosen.headers.location).toBe(OVERVIEW)
    await both.get(url('/admin/settings/quality-assurance', eastmere))
    const saved = await both.post(url('/admin/settings/quality-assurance', eastmere), {
      bsoCheck: 'no',
      qaSamplePercent: '40',
      headSignsOffFrom: 'inadequate',
      attendanceTargetBelowPercent: '90',
    })
    expect(saved.headers.location).toBe(url(OVERVIEW, eastmere))
    expect((await loadAuthoritySettings(t.database.db, eastmere)).qaSamplePercent).toBe(40)
    expect((await loadAuthoritySettings(t.database.db, harrowfield)).qaSamplePercent).toBe(0)
  })
})
