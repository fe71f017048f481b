import type { Database } from './connection.ts'
import type { Role } from '../domain/roles.ts'
import { hashPassword } from '../shared/passwords.ts'
import { withCheckLetter } from '../domain/upn.ts'
import { seedDemoPeps } from './seed-peps.ts'
import { FIRST_NAMES, LAST_NAMES, LEGAL_STATUSES, PLACEMENTS } from './fictional-data.ts'

/*
 * The demo: two fictional authorities, their schools, a person in every role and about thirty
 * children. Every name, email and number here is invented; emails use the reserved example.org.
 */

export const DEMO_PASSWORD = 'demo-password-2026'
export const DEMO_AUTHORITY_CODE = 'HFD'

interface DemoUser {
  email: string
  name: string
  role: Role
  authority: 'HFD' | 'EMR'
  school?: string
}

const AUTHORITIES = [
  { code: 'HFD', name: 'Harrowfield County Council' },
  { code: 'EMR', name: 'Eastmere Borough Council' },
] as const

const SCHOOLS = [
  {
    key: 'oak',
    authority: 'HFD',
    name: 'Oakbridge Primary School',
    urn: '990001',
    dfe: '999/2001',
    type: 'maintained',
    phase: 'primary',
  },
  {
    key: 'kingsmead',
    authority: 'HFD',
    name: 'Kingsmead Academy',
    urn: '990002',
    dfe: '999/4001',
    type: 'academy',
    phase: 'secondary',
  },
  {
    key: 'willow',
    authority: 'HFD',
    name: 'Willowbank Special School',
    urn: '990003',
    dfe: '999/7001',
    type: 'special',
    phase: 'all-through',
  },
  {
    key: 'little',
    authority: 'HFD',
    name: 'Little Acorns Nursery',
    urn: '990004',
    dfe: '999/1001',
    type: 'nursery',
    phase: 'nursery',
  },
  {
    key: 'college',
    authority: 'HFD',
    name: 'Harrowfield College',
    urn: '990005',
    dfe: '999/8001',
    type: 'further_education',
    phase: '16 plus',
  },
  {
    key: 'fenside',
    authority: 'EMR',
    name: 'Fenside Primary School',
    urn: '990006',
    dfe: '998/2001',
    type: 'maintained',
    phase: 'primary',
  },
  {
    key: 'marsh',
    authority: 'EMR',
    name: 'Marshgate High School',
    urn: '990007',
    dfe: '998/4001',
    type: 'maintained',
    phase: 'secondary',
  },
] as const

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'vs.admin@example.org', name: 'Alex Admin', role: 'vs_admin', authority: 'HFD' },
  { email: 'vs.head@example.org', name: 'Morgan Head', role: 'vs_head', authority: 'HFD' },
  {
    email: 'vs.consultant@example.org',
    name: 'Sam Consultant',
    role: 'vs_consultant',
    authority: 'HFD',
  },
  {
    email: 'business.support@example.org',
    name: 'Bailey Support',
    role: 'business_support',
    authority: 'HFD',
  },
  {
    email: 'social.worker@example.org',
    name: 'Jordan Social',
    role: 'social_worker',
    authority: 'HFD',
  },
  {
    email: 'personal.advisor@example.org',
    name: 'Casey Advisor',
    role: 'personal_advisor',
    authority: 'HFD',
  },
  {
    email: 'designated.teacher@example.org',
    name: 'Robin Teacher',
    role: 'designated_teacher',
    authority: 'HFD',
    school: 'kingsmead',
  },
  {
    email: 'designated.person@example.org',
    name: 'Jamie College',
    role: 'designated_person',
    authority: 'HFD',
    school: 'college',
  },
  { email: 'carer@example.org', name: 'Taylor Carer', role: 'carer', authority: 'HFD' },
  { email: 'iro@example.org', name: 'Riley Reviewer', role: 'iro', authority: 'HFD' },
  {
    email: 'young.person@example.org',
    name: 'Charlie Young',
    role: 'young_person',
    authority: 'HFD',
  },
  { email: 'auditor@example.org', name: 'Drew Auditor', role: 'auditor', authority: 'HFD' },
  {
    email: 'eastmere.admin@example.org',
    name: 'Avery Eastmere',
    role: 'vs_admin',
    authority: 'EMR',
  },
]

const SEN_STATUSES = ['none', 'none', 'sen_support', 'ehc_plan'] as const
const GENDERS = ['female', 'male', 'female', 'male', 'non_binary'] as const

/** A small deterministic generator, so every demo has the same children. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

export async function isSeeded(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('authority')
    .select('id')
    .where('code', '=', DEMO_AUTHORITY_CODE)
    .executeTakeFirst()
  return row !== undefined
}

/** True when the database holds any authority, school, person or child (the demo's or not). */
export async function holdsData(db: Database): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom('authority').select('id')),
          eb.exists(eb.selectFrom('school').select('id')),
          eb.exists(eb.selectFrom('app_user').select('id')),
          eb.exists(eb.selectFrom('child').select('id')),
        ])
        .as('any'),
    ])
    .executeTakeFirstOrThrow()
  return Boolean(row.any)
}

/** True when the database has any of the demo's fictional accounts (known passwords). */
export async function hasDemoAccounts(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('demo_account', '=', true)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Why production will not start on this database, or null: the demo's accounts have known
 * passwords and skip two-step verification, so they must never be reachable in production.
 */
export async function demoRefusedInProduction(
  db: Database,
  env: 'development' | 'test' | 'production',
): Promise<string | null> {
  if (env !== 'production' || !(await hasDemoAccounts(db))) return null
  return "This database has the demo's fictional accounts, whose passwords are published: production does not start on it. Use a new database, or run the demo without NODE_ENV=production."
}

export type SeedOutcome = 'seeded' | 'already-seeded' | 'holds-data'

export const SEED_MESSAGES: Record<SeedOutcome, string> = {
  seeded: 'Seeded the fictional demo.',
  'already-seeded': 'The demo is already there; nothing to do.',
  'holds-data':
    'Not seeding the demo: this database already holds other data, and demo data is never added to it.',
}

/**
 * Seeds the demo in one transaction, only into a database that holds nothing else: never next
 * to real people or children (`holds-data`). Does nothing if the demo is already there. It
 * changes no setting: its accounts are marked as demo accounts, which skip two-step
 * verification, and every other account follows the installation's setting.
 */
export async function seedDemo(db: Database, today: Date): Promise<SeedOutcome> {
  if (await isSeeded(db)) return 'already-seeded'
  if (await holdsData(db)) return 'holds-data'
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  await db.transaction().execute(async (trx) => {
    const authorities = await trx
      .insertInto('authority')
      .values([...AUTHORITIES])
      .returning(['id', 'code'])
      .execute()
    const authorityId = (code: string) => authorities.find((a) => a.code === code)!.id

    const schools = await trx
      .insertInto('school')
      .values(
        SCHOOLS.map((s) => ({
          authority_id: authorityId(s.authority),
          name: s.name,
          urn: s.urn,
          dfe_number: s.dfe,
          type: s.type,
          phase: s.phase,
        })),
      )
      .returning(['id', 'name'])
      .execute()
    const schoolId = (key: string) => {
      const name = SCHOOLS.find((s) => s.key === key)!.name
      return schools.find((s) => s.name === name)!.id
    }

    const users = await trx
      .insertInto('app_user')
      .values(
        DEMO_USERS.map((u) => ({
          email: u.email,
          display_name: u.name,
          password_hash: passwordHash,
          demo_account: true,
        })),
      )
      .returning(['id', 'email'])
      .execute()
    await trx
      .insertInto('membership')
      .values(
        DEMO_USERS.map((u) => ({
          user_id: users.find((x) => x.email === u.email)!.id,
          authority_id: authorityId(u.authority),
          role: u.role,
          school_id: u.school ? schoolId(u.school) : null,
        })),
      )
      .execute()

    const next = random(20261123)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
    const children = []
    for (let i = 0; i < 32; i++) {
      const authority = i < 28 ? 'HFD' : 'EMR'
      const age = 3 + Math.floor(next() * 15)
      const birth = new Date(
        Date.UTC(
          today.getUTCFullYear() - age,
          Math.floor(next() * 12),
          1 + Math.floor(next() * 28),
        ),
      )
      const yearsInCare = Math.min(age, Math.floor(next() * 6))
      const enteredCare = new Date(
        Date.UTC(
          today.getUTCFullYear() - yearsInCare,
          Math.floor(next() * 12),
          1 + Math.floor(next() * 28),
        ),
      )
      const school =
        authority === 'EMR'
          ? age < 11
            ? 'fenside'
            : 'marsh'
          : age < 5
            ? 'little'
            : age >= 16
              ? 'college'
              : i % 7 === 0
                ? 'willow'
                : age < 11
                  ? 'oak'
                  : 'kingsmead'
      children.push({
        authority_id: authorityId(authority),
        first_name: FIRST_NAMES[i % FIRST_NAMES.length]!,
        last_name: pick(LAST_NAMES),
        date_of_birth: isoDate(birth),
        gender: pick(GENDERS),
        upn: withCheckLetter(String(900000000000 + i * 7919).slice(0, 12)),
        case_reference: `${authority}-${String(10000 + i)}`,
        entered_care_on: isoDate(
          enteredCare > today ? today : enteredCare < birth ? birth : enteredCare,
        ),
        school_id: schoolId(school),
        placement: pick(PLACEMENTS),
        legal_status: pick(LEGAL_STATUSES),
        sen_status: pick(SEN_STATUSES),
      })
    }
    // The young person's account is the child with their name: the first Harrowfield child of
    // secondary age is Charlie Young, and the demo carer is their carer.
    const ages = children.map((c) => today.getUTCFullYear() - Number(c.date_of_birth.slice(0, 4)))
    const charlie = children.findIndex(
      (c, i) => c.authority_id === authorityId('HFD') && ages[i]! >= 12 && ages[i]! <= 17,
    )
    children[charlie] = { ...children[charlie]!, first_name: 'Charlie', last_name: 'Young' }
    const inserted = await trx
      .insertInto('child')
      .values(children)
      .returning(['id', 'authority_id', 'school_id', 'entered_care_on', 'first_name', 'last_name'])
      .execute()
    // Each child's current school, from the September they started there (or entering care).
    const september = `${today.getUTCMonth() >= 8 ? today.getUTCFullYear() : today.getUTCFullYear() - 1}-09-01`
    await trx
      .insertInto('child_school')
      .values(
        inserted.map((c) => ({
          child_id: c.id,
          school_id: c.school_id!,
          started_on: c.entered_care_on > september ? c.entered_care_on : september,
        })),
      )
      .execute()

    // Access lists: the social worker, carer and IRO have some of Harrowfield's children; the
    // designated teacher and designated person have those at their school; the carer and the
    // young person (whose own account it is) have Charlie Young.
    const userId = (email: string) => users.find((u) => u.email === email)!.id
    const hfd = inserted.filter((c) => c.authority_id === authorityId('HFD'))
    const access: { child_id: string; user_id: string; capacity: Role }[] = []
    hfd.forEach((child, i) => {
      if (i % 2 === 0)
        access.push({
          child_id: child.id,
          user_id: userId('social.worker@example.org'),
          capacity: 'social_worker',
        })
      if (i % 3 === 0)
        access.push({ child_id: child.id, user_id: userId('iro@example.org'), capacity: 'iro' })
      if (child.school_id === schoolId('kingsmead'))
        access.push({
          child_id: child.id,
          user_id: userId('designated.teacher@example.org'),
          capacity: 'designated_teacher',
        })
      if (child.school_id === schoolId('college')) {
        access.push({
          child_id: child.id,
          user_id: userId('designated.person@example.org'),
          capacity: 'designated_person',
        })
        access.push({
          child_id: child.id,
          user_id: userId('personal.advisor@example.org'),
          capacity: 'personal_advisor',
        })
      }
    })
    const charlieId = inserted.find(
      (c) => c.first_name === 'Charlie' && c.last_name === 'Young',
    )!.id
    access.push({ child_id: charlieId, user_id: userId('carer@example.org'), capacity: 'carer' })
    const socialWorker = userId('social.worker@example.org')
    const owned = access.filter((a) => a.user_id === socialWorker).map((a) => a.child_id)
    await trx
      .updateTable('child')
      .set({ record_owner_id: socialWorker })
      .where('id', 'in', owned)
      .execute()
    access.push({
      child_id: charlieId,
      user_id: userId('young.person@example.org'),
      capacity: 'young_person',
    })
    await trx.insertInto('child_access').values(access).execute()
    await seedDemoPeps(
      trx,
      today,
      {
        socialWorker,
        designatedTeacher: userId('designated.teacher@example.org'),
        consultant: userId('vs.consultant@example.org'),
      },
      next,
    )
  })
  return 'seeded'
}
