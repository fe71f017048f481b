import { sql, type Kysely } from 'kysely'

/*
 * What a person sent after their session had ended (issue 15: nothing lost at the edges). A PEP
 * page saved after 30 idle minutes used to be refused with "What you sent was not saved". Now the
 * form is kept here for a day, encrypted under a key made from a one-time token that only the
 * person's browser holds (a cookie), and shown again, filled in, once they have signed in.
 * The database alone cannot read it; the token is stored only as its hash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unsaved_form')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    // Whose ended session sent it, when known: only they get it back.
    .addColumn('user_id', 'uuid', (c) => c.references('app_user.id').onDelete('cascade'))
    // The page it was sent to (its path), the only page that shows it again.
    .addColumn('path', 'text', (c) => c.notNull())
    // AES-256-GCM: iv.tag.ciphertext in base64url, the path bound in as additional data.
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create index unsaved_form_expires_at on unsaved_form (expires_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('unsaved_form').execute()
}
