import { sql, type Kysely } from 'kysely'

/*
 * A task raised by an alarm about a period (attendance below the line) names the period's last
 * day in a column, so the change that clears the condition closes exactly that task, whatever
 * its title says. Tasks raised before this migration get the day from the notice that raised
 * them (the same child, kind and moment).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task add column about_date date`.execute(db)
  await sql`
    update task as t set about_date = n.for_date
    from scheduled_notice as n
    where t.kind = 'attendance-below' and n.kind = 'attendance-below'
      and n.subject_id = t.child_id and n.created_at = t.created_at`.execute(db)
  await sql`
    create index task_child_about_open_idx on task (child_id, kind, about_date)
    where status = 'open' and about_date is not null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task drop column about_date`.execute(db)
}
