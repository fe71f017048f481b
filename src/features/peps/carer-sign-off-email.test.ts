import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OutboxRelay } from '../../email/relay.ts'
import { holds } from '../../forms/conditions.ts'
import { sampleAnswers } from '../../forms/sample-answers.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import type { Answers } from '../../forms/types.ts'
import { loadAuthoritySettings } from '../../shared/settings.ts'
import type { TestAgent } from '../../testing/agent.ts'
import type { TestContext } from '../../testing/app.ts'
import { demoWorld, type DemoWorld } from '../../testing/demo-world.ts'
import { startSmtpServer } from '../../testing/smtp.ts'
import { paths } from '../../paths.ts'
import { writePage } from './peps.repository.ts'

/*
 * The authority's setting for the carer's email when a PEP is signed off (issue 20), both ways,
 * through HTTP and the real outbox relay to a real local SMTP server: the Virtual School's
 * administrator turns it off on the settings page and a PEP signed off emails the social worker
 * and the designated teacher but not the carer; turned on again, the carer gets a link to sign
 * in, naming no child and attaching nothing. Today is Monday 23 November 2026.
 */

let world: DemoWorld
let t: TestContext
let smtp: Awaited<ReturnType<typeof startSmtpServer>>
let relay: OutboxRelay
let serial = 0
const secondary = currentTemplate('secondary')
const CARER = 'carer@example.org'
const SETTINGS = '/admin/settings/carers'

beforeAll(async () => {
  smtp = await startSmtpServer()
  world = await demoWorld()
  t = world.t
  relay = new OutboxRelay({
    db: t.database.db,
    clock: t.clock,
    log: pino({ level: 'silent' }),
    smtpUrl: smtp.url,
    from: 'OpenPEP <no-reply@example.org>',
    baseUrl: t.config.baseUrl,
  })
})
afterAll(async () => {
  await world.close()
  await smtp.close()
})

const admin = () => world.agent('vs.admin@example.org')
const consultant = () => world.agent('vs.consultant@example.org')
const settingsUrl = () => `${SETTINGS}?authority=${world.authorityId}`

/** What the SMTP server received for an address, decoded from quoted-printable. */
function mailTo(address: string): string[] {
  return smtp.received
    .filter((m) => m.to.includes(address))
    .map((m) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))
}

/** A PEP of a new child placed with the demo carer, waiting for quality assurance, rated Good. */
async function pepReadyToSignOff() {
  serial += 1
  const lastName = `Zephyrine-${serial}`
  const childId = await world.newChild({
    firstName: 'Signoff',
    lastName,
    caseReference: `HFD-CARER-MAIL-${serial}`,
    access: [
      ['social.worker@example.org', 'social_worker'],
      ['designated.teacher@example.org', 'designated_teacher'],
      [CARER, 'carer'],
    ],
  })
  const pepId = await world.startPep(childId, { meetingOn: '2026-11-20' })
  const db = t.database.db
  let n = 7
  const random = () => (n = (n * 16807) % 2147483647) / 2147483647
  for (const section of secondary.sections)
    for (const page of section.pages) {
      if (!holds(page.condition, { yearGroup: 'Y9', answers: {} })) continue
      const answers: Answers = {
        ...sampleAnswers(page, random, randomUUID, '2026-11-20'),
        ...(page.id === 'attendance' ? { 'attendance-percentage': 96 } : {}),
        ...(page.id === 'pep-meeting'
          ? { 'next-meeting-date': '2027-03-04', 'next-meeting-time': '14:30' }
          : {}),
        ...(page.id === 'quality-assurance' ? { 'qa-overall': 'good' } : {}),
      }
      await writePage(db, {
        pepId,
        pageId: page.id,
        answers,
        version: 1,
        savedBy: world.ids['social.worker@example.org']!,
        at: t.clock.now(),
        kind: 'saved',
      })
    }
  await db
    .insertInto('pep_section')
    .values(
      ['A', 'B', 'C', 'D'].map((section_id) => ({
        pep_id: pepId,
        section_id,
        completed_at: t.clock.now(),
        completed_by: world.ids['social.worker@example.org']!,
      })),
    )
    .execute()
  await db
    .updateTable('pep')
    .set({
      status: 'awaiting_qa',
      meeting_confirmed_at: t.clock.now(),
      meeting_confirmed_by: world.ids['social.worker@example.org']!,
    })
    .where('id', '=', pepId)
    .execute()
  return { childId, pepId, lastName }
}

async function signOff(p: { childId: string; pepId: string }) {
  const agent: TestAgent = await consultant()
  const url = `/children/${p.childId}/peps/${p.pepId}/actions/sign-off`
  t.clock.advance(60_000)
  expect((await agent.get(url)).statusCode).toBe(200)
  const response = await agent.post(url, {})
  expect(response.statusCode).toBe(303)
  await relay.sendDue()
}

async function setCarersEmailed(value: 'yes' | 'no') {
  const agent = await admin()
  await agent.get(settingsUrl())
  const saved = await agent.post(settingsUrl(), { carersEmailedSignedOffPep: value })
  expect(saved.statusCode).toBe(303)
  const overview = await agent.get(saved.headers.location!)
  expect(overview.body).toContain('Carers saved')
  return overview.body
}

describe('the carers’ email when a PEP is signed off, by the authority’s setting', () => {
  it('is on by default, and the settings page shows it with the other settings', async () => {
    expect(
      (await loadAuthoritySettings(t.database.db, world.authorityId)).carersEmailedSignedOffPep,
    ).toBe(true)
    const overview = await (await admin()).get(`/admin/settings?authority=${world.authorityId}`)
    expect(overview.body).toContain('Email carers when a PEP is signed off')
    expect(overview.body).toContain('On: a link to sign in and read it, never the PEP itself')
    expect(overview.body).toContain(`href="${SETTINGS}?authority=${world.authorityId}"`)
    const page = await (await admin()).get(settingsUrl())
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/name="carersEmailedSignedOffPep"[^>]*value="yes" checked/)
  })

  it('refuses no choice, naming the field, and other roles and authorities get nothing', async () => {
    const agent = await admin()
    await agent.get(settingsUrl())
    const refused = await agent.post(settingsUrl(), {})
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Select whether to email carers when a PEP is signed off')
    expect(refused.body).toContain('href="#carersEmailedSignedOffPep"')
    for (const email of ['vs.consultant@example.org', 'social.worker@example.org', CARER]) {
      const other = await world.agent(email)
      expect((await other.get(settingsUrl())).statusCode, email).toBe(403)
      expect(
        (await other.post(settingsUrl(), { carersEmailedSignedOffPep: 'no' })).statusCode,
        email,
      ).toBe(403)
    }
    const eastmere = await world.agent('eastmere.admin@example.org')
    expect((await eastmere.get(settingsUrl())).statusCode).toBe(404)
    expect(
      (await loadAuthoritySettings(t.database.db, world.authorityId)).carersEmailedSignedOffPep,
    ).toBe(true)
  })

  it('turned off: the social worker and designated teacher are emailed, the carer is not', async () => {
    const overview = await setCarersEmailed('no')
    expect(overview).toMatch(/Email carers when a PEP is signed off\s*<\/dt>\s*<dd[^>]*>\s*Off/)
    const before = smtp.received.length
    const p = await pepReadyToSignOff()
    await signOff(p)
    const sent = smtp.received.slice(before).flatMap((m) => m.to)
    expect(sent).toContain('social.worker@example.org')
    expect(sent).toContain('designated.teacher@example.org')
    expect(sent).not.toContain(CARER)
    const outbox = await t.database.db
      .selectFrom('outbox_email')
      .select('to_address')
      .where('to_address', '=', CARER)
      .execute()
    expect(outbox).toEqual([])
    const events = await t.database.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'authority.settings.update')
      .orderBy('occurred_at')
      .execute()
    expect(events.at(-1)!.details).toEqual({
      page: 'Carers',
      changes: { carersEmailedSignedOffPep: { from: true, to: false } },
    })
  })

  it('turned on: the carer gets a link to sign in, naming no child and attaching nothing', async () => {
    await setCarersEmailed('yes')
    const p = await pepReadyToSignOff()
    await signOff(p)
    const mails = mailTo(CARER)
    expect(mails).toHaveLength(1)
    const [mail] = mails as [string]
    expect(mail).toContain('Subject: A Personal Education Plan has been signed off')
    expect(mail).toContain(`${t.config.baseUrl}/sign-in`)
    expect(mail).not.toContain(p.lastName)
    expect(mail).not.toContain('Signoff')
    expect(mail).not.toContain('application/pdf')
    expect(mail).not.toMatch(/Content-Disposition: attachment/i)

    // Following the link: the carer signs in and reads the signed-off PEP and its PDF there.
    const carer = await world.agent(CARER)
    let home = await carer.get('/')
    if (home.statusCode === 303) home = await carer.get(home.headers.location!)
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain(p.lastName)
    const read = await carer.get(paths.peps.read(p.childId, p.pepId))
    expect(read.statusCode).toBe(200)
    expect(read.body).toContain(`Signoff ${p.lastName}`)
    expect(read.body).toContain('Signed off')
    const pdf = await carer.get(paths.peps.pdf(p.childId, p.pepId))
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })
})
