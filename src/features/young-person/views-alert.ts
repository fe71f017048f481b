import type { Queryable } from '../../db/connection.ts'
import { enqueueEmail } from '../../email/outbox.repository.ts'
import { viewsSentEmail, type ViewsGiver } from '../../email/pep-emails.ts'
import { paths } from '../../paths.ts'
import { raiseAlert } from '../../shared/tasks.ts'
import { schoolContact, socialWorkerOf } from '../peps/peps.service.ts'

/** The tray alert's words, by whose views were sent (the tray names the child beside it). */
const ALERT_TITLES: Record<ViewsGiver, string> = {
  'young-person': 'The young person sent their views for the PEP',
  'on-behalf': 'The young person’s views were recorded on their behalf',
  carer: 'The carer sent their views for the PEP',
}

/**
 * Tells the social worker and the school's designated teacher that views were sent for a PEP
 * (issue 20): a tray alert each and one email each through the outbox, in the sending change's
 * transaction. The email names no child and links to the tray; whoever sent them is not told.
 */
export async function alertViewsSent(
  trx: Queryable,
  input: {
    authorityId: string
    childId: string
    pepId: string
    giver: ViewsGiver
    sentBy: string
    at: Date
    baseUrl: string
  },
): Promise<void> {
  const [socialWorker, school] = await Promise.all([
    socialWorkerOf(trx, input.childId),
    schoolContact(trx, input.childId),
  ])
  const told = new Set<string>([input.sentBy])
  for (const person of [socialWorker, school]) {
    if (!person || told.has(person.id)) continue
    told.add(person.id)
    await raiseAlert(trx, {
      authorityId: input.authorityId,
      childId: input.childId,
      pepId: input.pepId,
      at: input.at,
      kind: 'views-sent',
      userId: person.id,
      title: ALERT_TITLES[input.giver],
    })
    await enqueueEmail(
      trx,
      viewsSentEmail({
        to: person.email,
        name: person.name,
        url: `${input.baseUrl}${paths.trays.mine()}`,
        giver: input.giver,
      }),
      input.at,
      { childId: input.childId },
    )
  }
}
