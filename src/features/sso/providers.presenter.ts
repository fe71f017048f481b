import { paths } from '../../paths.ts'
import type { AuthorityChoice } from '../../shared/authority-scope.ts'
import type { ProviderRow } from './sso.repository.ts'

/* The words and view models of the single sign-on settings pages (ADR 7). */

export const SSO_TITLE = 'Single sign-on'
export const NEW_PROVIDER_TITLE = 'Add a single sign-on provider'
export const CHANGE_PROVIDER_TITLE = 'Change a single sign-on provider'
export const PASSWORDS_TITLE = 'Passwords beside single sign-on'

export const SAVED = {
  added: (name: string) => `${name} added: people in its domains now sign in there`,
  changed: (name: string) => `${name} saved`,
  removed: (name: string) => `${name} removed: people in its domains sign in with a password again`,
  passwordsOn: 'People in your single sign-on domains may also sign in with a password',
  passwordsOff: 'People in your single sign-on domains can now sign in only through their provider',
} as const

export const forAuthority = (path: string, authority: { id: string }) =>
  `${path}?authority=${encodeURIComponent(authority.id)}`

/** The overview of an authority's single sign-on: its providers and the passwords switch. */
export function ssoOverviewModel(
  authority: AuthorityChoice,
  providers: ProviderRow[],
  passwordsAllowed: boolean,
  callbackUrl: string,
  signedOutUrl: string,
) {
  return {
    pageTitle: SSO_TITLE,
    authority,
    back: forAuthority(paths.authoritySettings.overview(), authority),
    addHref: forAuthority(paths.authoritySettings.newProvider(), authority),
    passwordsHref: forAuthority(paths.authoritySettings.passwords(), authority),
    passwords: passwordsAllowed
      ? 'Yes: people in these domains may choose a password or their provider'
      : 'No: people in these domains sign in only through their provider',
    callbackUrl,
    signedOutUrl,
    providers: providers.map((p) => ({
      name: p.name,
      rows: [
        { key: 'Issuer', value: p.issuer },
        { key: 'Client ID', value: p.clientId },
        { key: 'Client secret', value: 'Stored encrypted (not shown)' },
        { key: 'Email domains', value: p.domains.join(', ') },
      ],
      changeHref: paths.authoritySettings.provider(p.id),
    })),
  }
}

export function providerFormModel(
  authority: AuthorityChoice,
  provider: ProviderRow | null,
  callbackUrl: string,
) {
  return {
    pageTitle: provider ? CHANGE_PROVIDER_TITLE : NEW_PROVIDER_TITLE,
    heading: provider ? `Change ${provider.name}` : NEW_PROVIDER_TITLE,
    authority,
    adding: !provider,
    callbackUrl,
    back: forAuthority(paths.authoritySettings.singleSignOn(), authority),
    action: provider
      ? paths.authoritySettings.provider(provider.id)
      : forAuthority(paths.authoritySettings.newProvider(), authority),
    removeAction: provider ? paths.authoritySettings.removeProvider(provider.id) : null,
    submit: provider ? 'Save provider' : 'Add provider',
  }
}

export function passwordsFormModel(authority: AuthorityChoice) {
  return {
    pageTitle: PASSWORDS_TITLE,
    authority,
    back: forAuthority(paths.authoritySettings.singleSignOn(), authority),
    action: forAuthority(paths.authoritySettings.passwords(), authority),
  }
}
