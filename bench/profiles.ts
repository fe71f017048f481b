/* The three sizes of fictional data the bench generates (quality.md, "Scale the product is built for"). */

export interface Profile {
  name: 'small' | 'county' | 'national'
  authorities: number
  /** Children in care, across all authorities; about 8% more who have ceased to be in care are added. */
  children: number
  /** Years of PEP history before the current term. */
  years: number
  users: number
  /** Children in care of the first authority, when it is larger than the rest (the budgets' "largest authority"). */
  largest?: number
}

export const PROFILES: Record<Profile['name'], Profile> = {
  small: { name: 'small', authorities: 1, children: 300, years: 3, users: 200 },
  county: { name: 'county', authorities: 1, children: 2_000, years: 5, users: 1_500 },
  national: {
    name: 'national',
    authorities: 150,
    children: 84_000,
    years: 5,
    users: 60_000,
    largest: 3_000,
  },
}

export function isProfileName(value: unknown): value is Profile['name'] {
  return value === 'small' || value === 'county' || value === 'national'
}

/** Every generated user signs in with this password (its hash is computed once and reused). */
export const BENCH_PASSWORD = 'bench-password-2026'

/** Generated email addresses: `<role>.<n>@a<authority>.bench.example.org`. */
export const benchEmail = (role: string, n: number, authority: number) =>
  `${role.replaceAll('_', '.')}.${n}@a${authority}.bench.example.org`
