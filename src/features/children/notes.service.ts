import type { Database } from '../../db/connection.ts'
import { audit, type PersonActor } from '../../shared/actor.ts'
import { addNote, type NoteKind } from './notes.repository.ts'

/** Adds a note to a child's record, in one transaction with its audit event (ADR 7). */
export async function addChildNote(
  db: Database,
  actor: PersonActor,
  input: { childId: string; kind: NoteKind; body: string },
): Promise<{ noteId: string }> {
  return db.transaction().execute(async (trx) => {
    const note = await addNote(trx, {
      childId: input.childId,
      kind: input.kind,
      body: input.body,
      authorId: actor.userId,
      at: actor.now,
    })
    await audit(trx, actor, {
      action: 'child.note.add',
      childId: input.childId,
      details: { noteId: note.id, kind: input.kind },
    })
    return { noteId: note.id }
  })
}
