import type { SsoRefusal } from './sso.service.ts'

/* The words of signing in through an organisation's provider (ADR 7, ADR 14). */

export const continueTitle = (providerName: string) => `Sign in with ${providerName}`

/** The page a refused sign-in shows: a title and what to do. */
export function refusalWords(code: SsoRefusal, authorityName: string | null) {
  const where = authorityName ?? 'your authority'
  switch (code) {
    case 'sso.state.missing':
    case 'sso.state.expired':
      return {
        title: 'Your sign-in was not finished',
        body: 'It took longer than 10 minutes, or the page you came back from was used already. Start again from the sign-in page.',
      }
    case 'sso.email.missing':
    case 'sso.email.unverified':
      return {
        title: 'Your organisation did not confirm your email address',
        body: 'OpenPEP signs you in only with an email address your organisation has verified. Ask your IT service desk to check your account’s email address.',
      }
    case 'sso.email.other-domain':
    case 'sso.person.unknown':
      return {
        title: `You do not have an OpenPEP account in ${where}`,
        body: `Your organisation signed you in, but nobody with your email address has a role in ${where}. Ask your Virtual School administrator to invite you with this address.`,
      }
    case 'sso.provider.refused':
    case 'sso.provider.not-found':
      return {
        title: 'Your organisation did not sign you in',
        body: 'OpenPEP could not accept the answer from your organisation’s sign-in service. Try again; if it keeps happening, tell your Virtual School administrator.',
      }
  }
}

export const SIGNED_OUT_TITLE = 'You have signed out of OpenPEP'

export const EMAIL_FIRST_TITLE = 'What is your email address?'
