import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

export interface ReceivedEmail {
  to: string[]
  raw: string
}

/** A real SMTP server on a free local port, collecting what it receives; it can refuse mail to simulate an outage. */
export async function startSmtpServer() {
  const received: ReceivedEmail[] = []
  let refusing = false
  let losingReplies = false
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (refusing)
          return callback(Object.assign(new Error('Service unavailable'), { responseCode: 421 }))
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        if (losingReplies)
          return callback(Object.assign(new Error('Connection lost'), { responseCode: 451 }))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(value: boolean) {
      refusing = value
    },
    /** Keeps each message but answers with an error, as when the reply is lost in an outage. */
    loseReplies(value: boolean) {
      losingReplies = value
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
