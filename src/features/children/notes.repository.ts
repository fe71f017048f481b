import type { Queryable } from '../../db/connection.ts'

export type NoteKind = 'user_note' | 'case_note'

export interface NoteRow {
  id: string
  kind: NoteKind
  body: string
  authorName: string
  createdAt: Date
}

export async function listNotes(
  db: Queryable,
  childId: string,
  page: { offset: number; limit: number },
) {
  const base = db.selectFrom('child_note as n').where('n.child_id', '=', childId)
  const [rows, count] = await Promise.all([
    base
      .innerJoin('app_user as u', 'u.id', 'n.author_id')
      .select([
        'n.id',
        'n.kind',
        'n.body',
        'u.display_name as authorName',
        'n.created_at as createdAt',
      ])
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows as NoteRow[], total: Number(count.total) }
}

/** Notes are only ever added: never edited or deleted, so what was written stays as written. */
export async function addNote(
  db: Queryable,
  note: { childId: string; kind: NoteKind; body: string; authorId: string; at: Date },
) {
  return db
    .insertInto('child_note')
    .values({
      child_id: note.childId,
      kind: note.kind,
      body: note.body,
      author_id: note.authorId,
      created_at: note.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
