/** The page number asked for, or 1 when it is missing or not a whole number. */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : NaN
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1
}

export interface PaginationModel {
  items: { number: number; href: string; current: boolean }[]
  previous?: { href: string }
  next?: { href: string }
  from: number
  to: number
  total: number
}

/** The model for govukPagination, with a window of pages around the current one. */
export function paginate(
  page: number,
  pageSize: number,
  total: number,
  baseHref: string,
): PaginationModel {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const href = (n: number) => `${baseHref}${baseHref.includes('?') ? '&' : '?'}page=${n}`
  const first = Math.max(1, page - 2)
  const last = Math.min(pages, page + 2)
  const items = []
  for (let n = first; n <= last; n++) items.push({ number: n, href: href(n), current: n === page })
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    from: total === 0 ? 0 : (page - 1) * pageSize + 1,
    to: Math.min(total, page * pageSize),
    total,
  }
}
