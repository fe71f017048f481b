/** Every URL in the service is built here; templates and redirects never hand-build one. */

/** A path segment: route patterns (":id") pass through, values are encoded. */
const segment = (value: string) => (value.startsWith(':') ? value : encodeURIComponent(value))

export const paths = {
  home: () => '/',
  health: () => '/health',
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  children: {
    list: () => '/children',
  },
  devMailbox: {
    list: () => '/dev/mailbox',
    show: (emailId: string) => `/dev/mailbox/${segment(emailId)}`,
  },
  assets: (file: string) => `/assets/${file}`,
} as const

export type Paths = typeof paths
