import { parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../src/db/schema.ts'
import { openDatabase, type DatabaseHandle } from '../src/db/connection.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { hashPassword } from '../src/shared/passwords.ts'
import { setSetting } from '../src/shared/settings.ts'
import { previousTerm, termEnd, termOf, termStart, type Term } from '../src/domain/terms.ts'
import { formTypeFor, YEAR_GROUPS } from '../src/domain/year-group.ts'
import { currentTemplate } from '../src/forms/templates/index.ts'
import { holds } from '../src/forms/conditions.ts'
import { sampleAnswers } from '../src/forms/sample-answers.ts'
import { BENCH_PASSWORD, benchEmail, isProfileName, PROFILES, type Profile } from './profiles.ts'
import { FIRST_NAMES, LAST_NAMES, LEGAL_STATUSES, PLACEMENTS } from '../src/db/fictional-data.ts'

/*
 * Fictional data at national scale, generated inside PostgreSQL: every table is filled by one
 * INSERT ... SELECT over generate_series (or over the rows already made), so the national
 * profile loads in minutes on a server and the county profile into PGlite. Ids are md5 hashes of
 * what a row is ("bench:child:3:17"), so rows can point at each other without lookups, and every
 * random choice is a hash of the row's numbers, so the same profile always gives the same data.
 *
 * What each child gets: a date of birth (ages 1-17, weighted to teenagers as in the national
 * statistics), a date entering care (up to 10 years ago), a school of the right phase (8% at a
 * special school), a move of school for 30%, an access list (social worker, designated teacher
 * or person, IRO, carer; personal advisor from 16; a young person login for some), notes and
 * audit rows. About 8% more children have ceased to be in care.
 *
 * PEPs: one a term from entering care (and from age 2) for the profile's years, plus the current
 * term (8% of children have not started it yet). Historical PEPs are signed off (a few of last
 * term's still wait for QA) with their delegation, events and sections, and answers on three
 * pages only: attendance, SMART targets and quality assurance, to keep the national pep_page
 * table reasonable. Current PEPs are in every state: in progress (Section A answered, half
 * delegated to the school with a task in its tray), awaiting the business support check,
 * awaiting QA (in the group tray, a quarter picked up) and signed off, with full answers.
 */

export interface GenerateOptions {
  /** "Today" for the data: terms, ages and dates are counted from it. */
  today: Date
  log?: (line: string) => void
}

const ROLE_SHARES: [role: string, share: number][] = [
  ['vs_admin', 0.01],
  ['vs_head', 0],
  ['vs_consultant', 0.02],
  ['business_support', 0.02],
  ['auditor', 0],
  ['social_worker', 0.25],
  ['personal_advisor', 0.04],
  ['designated_teacher', 0.28],
  ['designated_person', 0.03],
  ['carer', 0.25],
  ['iro', 0.04],
]

/** How many users of each role each authority has; young people take what is left. */
export function roleCounts(usersPerAuthority: number): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [role, share] of ROLE_SHARES)
    counts[role] = Math.max(1, Math.round(usersPerAuthority * share))
  const used = Object.values(counts).reduce((a, b) => a + b, 0)
  counts['young_person'] = Math.max(1, usersPerAuthority - used)
  return counts
}

/** Schools of each authority, numbered by type so a child can pick one of the right phase. */
function schoolPlan(childrenPerAuthority: number) {
  const total = Math.max(20, Math.round(childrenPerAuthority / 4))
  const share = [
    ['nursery', 0.08, 'nursery'],
    ['maintained', 0.45, 'primary'],
    ['academy', 0.25, 'secondary'],
    ['special', 0.08, 'all-through'],
  ] as const
  const types: { type: string; phase: string; from: number; count: number }[] = []
  let next = 1
  for (const [type, s, phase] of share) {
    const count = Math.max(1, Math.round(total * s))
    types.push({ type, phase, from: next, count })
    next += count
  }
  const further = Math.max(1, total - next + 1)
  types.push({ type: 'further_education', phase: '16 plus', from: next, count: further })
  return { total: next - 1 + further, nonFurther: next - 1, types }
}

/** A text[] literal for SQL. */
const textArray = (values: readonly string[]) => sql`${sql.val(values)}::text[]`

/** A stable pseudo-random integer in [0, mod) from an SQL expression and a salt. */
const hs = (expr: string, salt: string, mod: number) =>
  `((hashtext(${expr} || '${salt}')::bigint + 2147483648) % ${mod})`
const h = (expr: string, salt: string, mod: number) => sql.raw(hs(expr, salt, mod))

const iso = (d: Date) => d.toISOString().slice(0, 10)

export async function generateBenchData(
  db: Kysely<DB>,
  profile: Profile,
  options: GenerateOptions,
): Promise<Record<string, number>> {
  const log = options.log ?? (() => undefined)
  const existing = await db.selectFrom('authority').select('id').limit(1).execute()
  if (existing.length > 0) throw new Error('The bench generates into an empty database only.')
  const today = iso(options.today)
  const A = profile.authorities
  const perAuthority = Math.round(profile.children / A)
  const withCeased = Math.round(perAuthority * 1.08)
  // The first authority may be the largest (about 3,000 children in care, as the oversight's
  // budgets say); the rest share the profile's children evenly.
  const largest = Math.max(perAuthority, profile.largest ?? perAuthority)
  const inCareOf = sql.raw(`(case when a = 1 then ${largest} else ${perAuthority} end)`)
  const childrenOf = sql.raw(
    `(case when a = 1 then ${Math.round(largest * 1.08)} else ${withCeased} end)`,
  )
  const roles = roleCounts(Math.round(profile.users / A))
  const schools = schoolPlan(perAuthority)
  const passwordHash = await hashPassword(BENCH_PASSWORD)

  // Terms: the current one and `years` years before it, oldest first.
  const current = termOf(today)
  const terms: Term[] = [current]
  while (terms.length < profile.years * 3 + 1) terms.unshift(previousTerm(terms[0]!))
  const T = terms.length - 1

  const step = async (label: string, query: RawBuilder<unknown>, conn: Kysely<DB>) => {
    const started = performance.now()
    const result = await query.execute(conn)
    log(
      `  ${label}: ${result.numAffectedRows ?? ''} rows in ${Math.round(performance.now() - started)} ms`,
    )
  }

  await db.connection().execute(async (conn) => {
    const uid = (role: string, a: string, k: string) =>
      sql.raw(`md5('bench:user:${role}:' || ${a} || ':' || ${k})::uuid`)
    const sid = (a: string, s: string) =>
      sql.raw(`md5('bench:school:' || ${a} || ':' || ${s})::uuid`)

    await step(
      'authority',
      sql`insert into authority (id, name, code)
          select md5('bench:authority:' || a)::uuid, 'Benchshire ' || a || ' Council', 'B' || lpad(a::text, 3, '0')
          from generate_series(1, ${sql.lit(A)}) a`,
      conn,
    )
    for (const t of schools.types) {
      await step(
        `school ${t.type}`,
        sql`insert into school (id, authority_id, name, urn, dfe_number, type, phase)
            select ${sid('a', 's')}, md5('bench:authority:' || a)::uuid,
                   'Bench ' || initcap(${t.type}) || ' School ' || a || '-' || s,
                   (800000 + (a - 1) * ${schools.total} + s)::text,
                   (100 + a) || '/' || lpad(s::text, 4, '0'), ${t.type}, ${t.phase}
            from generate_series(1, ${sql.lit(A)}) a, generate_series(${sql.lit(t.from)}, ${sql.lit(t.from + t.count - 1)}) s`,
        conn,
      )
    }
    for (const [role, count] of Object.entries(roles)) {
      const email = benchEmail(role, 0, 0).split('.0@')[0]!
      await step(
        `app_user ${role}`,
        sql`insert into app_user (id, email, display_name, password_hash, password_changed_at, last_sign_in_at)
            select ${uid(role, 'a', 'k')}, ${email} || '.' || k || '@a' || a || '.bench.example.org',
                   (${textArray(FIRST_NAMES)})[1 + ${h("a || ':' || k", role + 'f', FIRST_NAMES.length)}] || ' ' ||
                   (${textArray(LAST_NAMES)})[1 + ${h("a || ':' || k", role + 'l', LAST_NAMES.length)}],
                   ${passwordHash}, now(), now() - interval '1 day' * ${h("a || ':' || k", role + 's', 30)}
            from generate_series(1, ${sql.lit(A)}) a, generate_series(1, ${sql.lit(count)}) k`,
        conn,
      )
      // Designated teachers each have a school (not further education); designated persons a college.
      const school =
        role === 'designated_teacher'
          ? sid('a', `(((k - 1) % ${schools.nonFurther}) + 1)`)
          : role === 'designated_person'
            ? sid(
                'a',
                `(${schools.nonFurther} + ((k - 1) % ${schools.total - schools.nonFurther}) + 1)`,
              )
            : sql`null::uuid`
      await step(
        `membership ${role}`,
        sql`insert into membership (user_id, authority_id, role, school_id)
            select ${uid(role, 'a', 'k')}, md5('bench:authority:' || a)::uuid, ${role}, ${school}
            from generate_series(1, ${sql.lit(A)}) a, generate_series(1, ${sql.lit(count)}) k`,
        conn,
      )
    }

    // The children, first as a working table of numbers, then as rows of `child`.
    const key = "a || ':' || j"
    const pick = (t: { from: number; count: number }) => `${t.from} + ${hs(key, 'sc', t.count)}`
    const byType = Object.fromEntries(schools.types.map((t) => [t.type, pick(t)]))
    await sql`drop table if exists bench_child`.execute(conn)
    await step(
      'bench_child',
      sql`create temp table bench_child as
          with base as (
            select a, j,
              case when ${h(key, 'age', 100)} < 4 then 1
                   when ${h(key, 'age', 100)} < 12 then 2 + ${h(key, 'a2', 3)}
                   when ${h(key, 'age', 100)} < 30 then 5 + ${h(key, 'a2', 5)}
                   when ${h(key, 'age', 100)} < 72 then 10 + ${h(key, 'a2', 6)}
                   else 16 + ${h(key, 'a2', 2)} end as age,
              ${h(key, 'special', 100)} < 8 as special
            from generate_series(1, ${sql.lit(A)}) a, generate_series(1, ${childrenOf}) j
          ), dated as (
            select *, (${today}::date - (age * 365 + ${h(key, 'dob', 365)})::int) as dob,
              least(age * 365 + ${h(key, 'dob', 365)} - 20,
                    case when ${h(key, 'yic', 100)} < 60 then 365 * 3 + ${h(key, 'yic2', 365 * 7)}
                         else ${h(key, 'yic2', 365 * 3)} end)::int as days_in_care
            from base
          ), placed as (
            select *,
              case when age < 2 then null
                   when special and age >= 4 then ${sql.raw(byType['special']!)}
                   when age < 4 then ${sql.raw(byType['nursery']!)}
                   when age < 11 then ${sql.raw(byType['maintained']!)}
                   when age < 16 then ${sql.raw(byType['academy']!)}
                   else ${sql.raw(byType['further_education']!)} end as school_n
            from dated
          )
          select a, j, age, special, dob, school_n,
            md5('bench:child:' || a || ':' || j)::uuid as id,
            (${today}::date - days_in_care) as entered,
            case when j > ${inCareOf} then 'ceased' else 'in_care' end as status,
            case when j > ${inCareOf}
                 then greatest(${today}::date - days_in_care + 1, ${today}::date - ${h(key, 'ceased', 300)}::int)
                 end as ceased_on,
            case when school_n is null then null else ${sid('a', 'school_n')} end as school_id,
            ${uid('social_worker', 'a', `(((j - 1) % ${roles['social_worker']}) + 1)`)} as sw_id,
            case when school_n > ${schools.nonFurther}
                 then ${uid('designated_person', 'a', `(((school_n - ${schools.nonFurther} - 1) % ${roles['designated_person']}) + 1)`)}
                 else ${uid('designated_teacher', 'a', `(((school_n - 1) % ${roles['designated_teacher']}) + 1)`)} end as dt_id,
            case when school_n > ${schools.nonFurther} then 'designated_person' else 'designated_teacher' end as dt_role,
            ${uid('iro', 'a', `(((j - 1) % ${roles['iro']}) + 1)`)} as iro_id,
            ${uid('carer', 'a', `(((j - 1) % ${roles['carer']}) + 1)`)} as carer_id,
            ${uid('vs_consultant', 'a', `(((j - 1) % ${roles['vs_consultant']}) + 1)`)} as cons_id,
            case when age >= 16 then ${uid('personal_advisor', 'a', `(((j - 1) % ${roles['personal_advisor']}) + 1)`)} end as pa_id,
            case when j <= ${roles['young_person']} then ${uid('young_person', 'a', 'j')} end as yp_id
          from placed`,
      conn,
    )
    await sql`create index on bench_child (id)`.execute(conn)

    await step(
      'child',
      sql`insert into child (id, authority_id, first_name, last_name, date_of_birth, gender, case_reference,
            entered_care_on, school_id, status, placement, legal_status, sen_status, record_owner_id,
            emergency_placement, ceased_on, ceased_reason, created_at, updated_at)
          select id, md5('bench:authority:' || a)::uuid,
            (${textArray(FIRST_NAMES)})[1 + ${h(key, 'fn', FIRST_NAMES.length)}],
            (${textArray(LAST_NAMES)})[1 + ${h(key, 'ln', LAST_NAMES.length)}],
            dob, (array['female','male','female','male','non_binary'])[1 + ${h(key, 'g', 5)}],
            'B' || a || '-' || lpad(j::text, 6, '0'), entered, school_id, status,
            (${textArray(PLACEMENTS)})[1 + ${h(key, 'pl', PLACEMENTS.length)}],
            (${textArray(LEGAL_STATUSES)})[1 + ${h(key, 'ls', LEGAL_STATUSES.length)}],
            (array['none','none','none','sen_support','ehc_plan'])[1 + ${h(key, 'sen', 5)}],
            sw_id, ${h(key, 'em', 10)} = 0, ceased_on,
            case when ceased_on is not null then 'Returned home to live with parents' end,
            entered::timestamptz, entered::timestamptz
          from bench_child`,
      conn,
    )
    const september = `${current.academicYear}-09-01`
    await step(
      'child_school (current)',
      sql`insert into child_school (child_id, school_id, started_on, reason, recorded_by)
          select id, school_id, greatest(entered, (${september}::date - interval '1 year' * ${h(key, 'st', 3)})::date),
                 'Admission', sw_id
          from bench_child where school_id is not null`,
      conn,
    )
    // 30% of children of school age moved school since entering care: the old school closes the day the new one starts.
    await step(
      'child_school (moves)',
      sql`insert into child_school (child_id, school_id, started_on, ended_on, reason, recorded_by)
          select c.id, ${sid('c.a', `(1 + ${hs("c.a || ':' || c.j", 'mv', schools.nonFurther)})`)}, c.entered, cs.started_on,
                 'Moved with a change of placement', c.sw_id
          from bench_child c join child_school cs on cs.child_id = c.id
          where c.age >= 5 and ${h("c.a || ':' || c.j", 'moved', 100)} < 30 and cs.started_on > c.entered`,
      conn,
    )
    await step(
      'child_event (school changes)',
      sql`insert into child_event (child_id, kind, occurred_on, summary, recorded_by, recorded_at)
          select cs.child_id, 'school_change', cs.ended_on, 'Changed school', cs.recorded_by, cs.ended_on::timestamptz
          from child_school cs where cs.ended_on is not null`,
      conn,
    )
    await step(
      'child_access',
      sql`insert into child_access (child_id, user_id, capacity, added_at)
          select id, sw_id, 'social_worker', entered::timestamptz from bench_child
          union all select id, dt_id, dt_role, entered::timestamptz from bench_child where school_id is not null
          union all select id, iro_id, 'iro', entered::timestamptz from bench_child
          union all select id, carer_id, 'carer', entered::timestamptz from bench_child
          union all select id, pa_id, 'personal_advisor', entered::timestamptz from bench_child where pa_id is not null
          union all select id, yp_id, 'young_person', entered::timestamptz from bench_child where yp_id is not null`,
      conn,
    )
    await step(
      'child_note',
      sql`insert into child_note (child_id, kind, body, author_id, created_at)
          select id, case when n = 1 then 'case_note' else 'user_note' end,
                 'Spoke with the carer about the move; school attendance is settling.', sw_id,
                 (${today}::date - ${h("a || ':' || j || ':' || n", 'note', 300)}::int)::timestamptz
          from bench_child, generate_series(1, 2) n`,
      conn,
    )

    // Terms, and the answers each form type and year group's pages can take (three variants each).
    await sql`drop table if exists bench_term`.execute(conn)
    await sql`create temp table bench_term (i int, academic_year int, term text, starts date, ends date)`.execute(
      conn,
    )
    await sql`insert into bench_term values ${sql.join(
      terms.map(
        (t, i) =>
          sql`(${i}, ${t.academicYear}, ${t.name}, ${termStart(t)}::date, ${termEnd(t)}::date)`,
      ),
    )}`.execute(conn)

    const answerRows: RawBuilder<unknown>[] = []
    const sectionRows: RawBuilder<unknown>[] = []
    let seed = 1
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const formTypes = new Set<string>()
    const done = new Set<string>()
    for (const yearGroup of YEAR_GROUPS) {
      for (const special of [false, true]) {
        const template = currentTemplate(formTypeFor(yearGroup, special))
        if (done.has(`${template.formType}:${yearGroup}`)) continue
        done.add(`${template.formType}:${yearGroup}`)
        if (!formTypes.has(template.formType)) {
          formTypes.add(template.formType)
          for (const s of template.sections)
            sectionRows.push(sql`(${template.formType}, ${template.version}, ${s.id})`)
        }
        for (const section of template.sections)
          for (const page of section.pages) {
            if (!holds(page.condition, { yearGroup, answers: {} })) continue
            for (let variant = 0; variant < 3; variant++)
              answerRows.push(
                sql`(${template.formType}, ${yearGroup}, ${section.id}, ${page.id}, ${variant}, ${JSON.stringify(
                  sampleAnswers(page, random, randomUUID, today),
                )}::jsonb)`,
              )
          }
      }
    }
    await sql`drop table if exists bench_answers`.execute(conn)
    await sql`create temp table bench_answers (form_type text, year_group text, section_id text, page_id text, variant int, answers jsonb)`.execute(
      conn,
    )
    for (let i = 0; i < answerRows.length; i += 500)
      await sql`insert into bench_answers values ${sql.join(answerRows.slice(i, i + 500))}`.execute(
        conn,
      )
    await sql`drop table if exists bench_section`.execute(conn)
    await sql`create temp table bench_section (form_type text, template_version int, section_id text)`.execute(
      conn,
    )
    await sql`insert into bench_section values ${sql.join(sectionRows)}`.execute(conn)

    // The PEPs: one a term while in care and of age, oldest first, each carried from the last.
    const ageAt = `(t.academic_year - extract(year from c.dob)::int - case when to_char(c.dob, 'MM-DD') > '08-31' then 1 else 0 end)`
    const pk = "c.a || ':' || c.j || ':' || t.i"
    await step(
      'pep',
      sql`insert into pep (id, child_id, authority_id, academic_year, term, form_type, template_version,
            year_group, school_id, status, started_on, meeting_on, meeting_time, meeting_location,
            meeting_reasons, contact_name, contact_phone, target_on, is_initial, meeting_confirmed_by,
            meeting_confirmed_at, submitted_at, signed_off_by, signed_off_at, carried_from_id,
            created_by, created_at, updated_at)
          select id, child_id, authority_id, academic_year, term, form_type, 1, year_group, school_id,
            status, started_on, meeting_on, case when meeting_on is not null then '10:00' end,
            'At school', '["review"]', 'Virtual School office', '01632 960000', meeting_on + 7, is_initial,
            case when status <> 'in_progress' then sw_id end,
            case when status <> 'in_progress' then meeting_on::timestamptz end,
            case when status <> 'in_progress' then least(now(), (meeting_on + 10)::timestamptz) end,
            case when status = 'signed_off' then cons_id end,
            case when status = 'signed_off' then least(now(), (meeting_on + 20)::timestamptz) end,
            lag(id) over (partition by child_id order by i), sw_id,
            started_on::timestamptz, started_on::timestamptz
          from (
            select md5('bench:pep:' || ${sql.raw(pk)})::uuid as id, c.id as child_id,
              md5('bench:authority:' || c.a)::uuid as authority_id, t.academic_year, t.term, t.i,
              case when ${sql.raw(ageAt)} <= 4 then 'early_years'
                   when ${sql.raw(ageAt)} <= 10 then case when c.special then 'primary_special' else 'primary' end
                   when ${sql.raw(ageAt)} <= 15 then case when c.special then 'secondary_special' else 'secondary' end
                   else case when c.special then 'secondary_special' else 'post_16' end end as form_type,
              case when ${sql.raw(ageAt)} <= 3 then 'N' when ${sql.raw(ageAt)} = 4 then 'R'
                   else 'Y' || (${sql.raw(ageAt)} - 4) end as year_group,
              c.school_id, c.sw_id, c.cons_id,
              case when t.i = ${T} then
                     case when ${h(pk, 'st', 100)} < 55 then 'in_progress'
                          when ${h(pk, 'st', 100)} < 60 then 'awaiting_bso_check'
                          when ${h(pk, 'st', 100)} < 80 then 'awaiting_qa' else 'signed_off' end
                   when t.i = ${T - 1} then
                     case when ${h(pk, 'st', 100)} < 8 then 'awaiting_qa'
                          when ${h(pk, 'st', 100)} < 11 then 'awaiting_bso_check' else 'signed_off' end
                   else 'signed_off' end as status,
              least(${today}::date, greatest(t.starts, c.entered) + ${h(pk, 'sd', 20)}::int) as started_on,
              greatest(t.starts, c.entered) + 25 + ${h(pk, 'md', 40)}::int as meeting_on,
              c.entered between t.starts and t.ends as is_initial
            from bench_child c join bench_term t
              on t.ends >= c.entered and (c.ceased_on is null or t.starts < c.ceased_on)
            where ${sql.raw(ageAt)} between 2 and 17 and not (t.i = ${T} and c.j % 12 = 0)
          ) p`,
      conn,
    )
    // The current term's PEPs: only the ones that have started (their meeting may lie ahead).
    const cur = sql`p.academic_year = ${current.academicYear} and p.term = ${current.name}`
    await step(
      'pep_page',
      sql`insert into pep_page (pep_id, page_id, answers, version, saved_by, saved_at)
          select p.id, b.page_id, b.answers, 1,
            case b.section_id when 'A' then c.sw_id when 'D' then c.cons_id else c.dt_id end,
            least(now(), (p.meeting_on - 3)::timestamptz)
          from pep p join bench_child c on c.id = p.child_id
            join bench_answers b on b.form_type = p.form_type and b.year_group = p.year_group
              and b.variant = (hashtext(p.id::text)::bigint + 2147483648) % 3
          where case when ${cur}
                     then (b.section_id = 'A' or p.status <> 'in_progress') and (b.section_id <> 'D' or p.status = 'signed_off')
                     else b.page_id in ('attendance', 'smart-targets', 'quality-assurance')
                          and (b.section_id <> 'D' or p.status = 'signed_off') end`,
      conn,
    )
    await step(
      'pep_page_revision',
      sql`insert into pep_page_revision (pep_id, page_id, version, answers, saved_by, saved_at, kind)
          select pep_id, page_id, version, answers, saved_by, saved_at, 'saved' from pep_page`,
      conn,
    )
    await step(
      'pep_section',
      sql`insert into pep_section (pep_id, section_id, completed_by, completed_at)
          select p.id, s.section_id,
            case s.section_id when 'A' then c.sw_id when 'D' then c.cons_id else c.dt_id end,
            coalesce(p.signed_off_at, p.submitted_at)
          from pep p join bench_child c on c.id = p.child_id
            join bench_section s on s.form_type = p.form_type
          where p.status <> 'in_progress' and (s.section_id <> 'D' or p.status = 'signed_off')`,
      conn,
    )
    await step(
      'pep_delegation',
      sql`insert into pep_delegation (pep_id, delegated_to, delegated_by, sections, due_on, status, created_at, submitted_at, ended_at)
          select p.id, c.dt_id, c.sw_id,
            (case when p.form_type = 'early_years' then '["B"]' else '["B","C"]' end)::jsonb,
            p.meeting_on + 14,
            case when p.status = 'in_progress' then 'delegated' else 'done' end,
            (p.started_on + 2)::timestamptz,
            case when p.status <> 'in_progress' then p.submitted_at - interval '2 days' end,
            case when p.status <> 'in_progress' then p.submitted_at end
          from pep p join bench_child c on c.id = p.child_id
          where c.school_id is not null
            and (p.status <> 'in_progress' or (hashtext(p.id::text)::bigint + 2147483648) % 2 = 0)`,
      conn,
    )
    await step(
      'pep_event',
      sql`insert into pep_event (pep_id, kind, by_user, at)
          select d.pep_id, 'delegated', d.delegated_by, d.created_at from pep_delegation d
          union all select d.pep_id, 'contribution-submitted', d.delegated_to, d.submitted_at
            from pep_delegation d where d.submitted_at is not null
          union all select p.id, 'submitted-to-vs', p.created_by, p.submitted_at from pep p where p.submitted_at is not null
          union all select p.id, 'signed-off', p.signed_off_by, p.signed_off_at from pep p where p.signed_off_at is not null`,
      conn,
    )
    await step(
      'task (open)',
      sql`insert into task (kind, is_alert, authority_id, child_id, pep_id, assigned_to, group_role, title, due_on, created_at)
          select 'complete-school-sections', false, p.authority_id, p.child_id, p.id, d.delegated_to, null,
                 'Complete the school’s sections of the PEP', d.due_on, d.created_at
            from pep_delegation d join pep p on p.id = d.pep_id where d.status = 'delegated'
          union all
          select 'bso-check', false, p.authority_id, p.child_id, p.id, null, 'business_support',
                 'Check the PEP before quality assurance', null, p.submitted_at
            from pep p where p.status = 'awaiting_bso_check'
          union all
          select 'quality-assure', false, p.authority_id, p.child_id, p.id,
                 case when (hashtext(p.id::text)::bigint + 2147483648) % 4 = 0 then c.cons_id end,
                 'vs_consultant', 'Quality assure the PEP', null, p.submitted_at
            from pep p join bench_child c on c.id = p.child_id where p.status = 'awaiting_qa'
          union all
          select 'signed-off', true, p.authority_id, p.child_id, p.id, p.created_by, null,
                 'A PEP was signed off', null, p.signed_off_at
            from pep p where p.status = 'signed_off' and ${cur}`,
      conn,
    )
    await step(
      'task (done, last year)',
      sql`insert into task (kind, authority_id, child_id, pep_id, assigned_to, group_role, title, status, created_at, closed_at, closed_by)
          select 'quality-assure', p.authority_id, p.child_id, p.id, p.signed_off_by, 'vs_consultant',
                 'Quality assure the PEP', 'done', p.submitted_at, p.signed_off_at, p.signed_off_by
          from pep p join bench_term t on t.academic_year = p.academic_year and t.term = p.term
          where p.status = 'signed_off' and t.i >= ${T - 3}`,
      conn,
    )
    const views = textArray([
      'child.view',
      'peps.list',
      'pep.view',
      'pep.page.view',
      'pep.page.save',
    ])
    await step(
      'audit_event (children)',
      sql`insert into audit_event (occurred_at, user_id, acting_role, authority_id, action, outcome, child_id, method, path)
          select now() - interval '1 minute' * ${h("c.a || ':' || c.j || ':' || n", 'au', 525600)},
                 c.sw_id, 'social_worker', md5('bench:authority:' || c.a)::uuid,
                 (${views})[1 + n % 5], 'success', c.id,
                 case when n % 5 = 4 then 'POST' else 'GET' end, '/children/' || c.id
          from bench_child c, generate_series(1, 12) n`,
      conn,
    )
    await step(
      'audit_event (sign-ins)',
      sql`insert into audit_event (occurred_at, user_id, authority_id, action, outcome, subject_user_id, method, path)
          select now() - interval '1 minute' * ${h("u.user_id::text || ':' || n", 'si', 525600)},
                 u.user_id, u.authority_id, 'sign-in.success', 'success', u.user_id, 'POST', '/sign-in'
          from membership u, generate_series(1, 3) n`,
      conn,
    )
    await setSetting(conn, 'mfaRequiredForStaff', false, options.today)
    // Vacuum as well as analyze: a database in service has had autovacuum set its visibility
    // map, and without it an index-only scan still reads every row's page (a generated national
    // database had relallvisible 0 on every table).
    await sql`vacuum (analyze)`.execute(conn)
  })

  const counts: Record<string, number> = {}
  for (const table of [
    'authority',
    'school',
    'app_user',
    'child',
    'child_access',
    'pep',
    'pep_page',
    'pep_page_revision',
    'pep_delegation',
    'pep_event',
    'task',
    'audit_event',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    counts[table] = row.n
  }
  return counts
}

/** `node bench/generate.ts --profile county [--database-url postgres://...] [--pglite-dir dir]` */
async function main() {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'small' },
      'database-url': { type: 'string' },
      'pglite-dir': { type: 'string' },
    },
  })
  if (!isProfileName(values.profile)) throw new Error('--profile is small, county or national')
  const handle: DatabaseHandle = await openDatabase(
    values['database-url']
      ? { url: values['database-url'] }
      : { pgliteDir: values['pglite-dir'] ?? './data/bench-pglite' },
  )
  try {
    await migrateToLatest(handle.db)
    const started = performance.now()
    const counts = await generateBenchData(handle.db, PROFILES[values.profile], {
      today: new Date(),
      log: console.log,
    })
    console.log(
      `Generated ${values.profile} in ${Math.round(performance.now() - started)} ms`,
      counts,
    )
  } finally {
    await handle.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
