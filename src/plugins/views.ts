import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { csrfUserInfo } from './session.ts'
import nunjucks from 'nunjucks'
import { paths } from '../paths.ts'
import { formatDate, formatDateTime } from '../views/format.ts'
import { isYoungPersonOnly, navigationFor } from '../views/navigation.ts'
import { precompiledLoader, VIEW_OPTIONS, VIEW_PATHS } from '../views/precompiled.ts'
import { presentErrorPage, type ErrorPage } from './error-pages.presenter.ts'

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a Nunjucks page with the layout's shared values, and sends it as HTML. */
    render(template: string, model?: Record<string, unknown>): FastifyReply
    /** Renders a design-system error page (src/views/pages) with its title, at the status set. */
    errorPage(page: ErrorPage, model?: Record<string, unknown>): FastifyReply
    /** A 404 with the design-system "Page not found" page. */
    notFound(): FastifyReply
    /** A 403 with the design-system "You do not have permission to do this" page. */
    forbidden(): FastifyReply
  }
  interface FastifyInstance {
    views: nunjucks.Environment
  }
}

/**
 * Templates are compiled once and kept: recompiling the layout and the design system's macros on
 * every render cost more than the rest of most pages (see bench/results).
 * In development, OPENPEP_WATCH_VIEWS=1 reads them afresh on each render instead.
 */
export function createViewEnvironment(options: {
  watch: boolean
  /** The templates compiled at build time (views/precompiled.ts), or none: only files. */
  precompiled?: string | null
}): nunjucks.Environment {
  const reload = options.watch && process.env['OPENPEP_WATCH_VIEWS'] === '1'
  const files = new nunjucks.FileSystemLoader(VIEW_PATHS, { noCache: reload })
  // Compiled at build time where the build is current (views/precompiled.ts); else from files.
  const built =
    reload || options.precompiled === null ? null : precompiledLoader(options.precompiled)
  const env = new nunjucks.Environment(built ? [built, files] : files, VIEW_OPTIONS)
  // Nunjucks' own trim is /^\s*|\s*$/g, which is quadratic in runs of whitespace: on the design
  // system's macros (which trim what they wrap) it took 11% of a PEP page's time. Same result.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value).trim()
    return value instanceof nunjucks.runtime.SafeString
      ? new nunjucks.runtime.SafeString(trimmed)
      : trimmed
  })
  env.addGlobal('paths', paths)
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  // The MoJ timeline formats its dates with this filter; ours gives the service's one format.
  env.addFilter('mojDate', (value: string, type?: string) =>
    type === 'date' ? formatDate(value) : formatDateTime(value),
  )
  return env
}

function hasFlash(request: FastifyRequest, type: string): boolean {
  const store = (request.session as unknown as { flash?: Record<string, unknown[]> } | undefined)
    ?.flash
  return Boolean(store?.[type]?.length)
}

export const viewsPlugin = fp<{
  serviceName: string
  watch: boolean
  demo: boolean
  /** The session's idle timeout, for the warning before it ends (assets/js/application.js). */
  sessionIdleSeconds?: number
}>(async (app, options) => {
  const env = createViewEnvironment({ watch: options.watch })
  app.decorate('views', env)
  app.decorateReply('render', function (template: string, model: Record<string, unknown> = {}) {
    const request = this.request
    // One token for all the page's forms (a tray has one an alert): each is as good as another
    // for the same person, and each costs an HMAC.
    let csrfToken: string | undefined
    const context = {
      serviceName: options.serviceName,
      demoNotice: options.demo,
      sessionIdleSeconds: options.sessionIdleSeconds ?? 30 * 60,
      cspNonce: this.cspNonce?.script,
      csrfToken: () => (csrfToken ??= this.generateCsrf({ userInfo: csrfUserInfo(request) })),
      currentUser: request.user,
      navigation: navigationFor(request.user, request.url),
      // A young person reads every page in their own styling: bigger text and targets (issue 20).
      youngReader: request.user ? isYoungPersonOnly(request.user) : false,
      // Read only when there is something to read: reading makes an empty store in the
      // session, which would write a session row for every anonymous visit.
      flash: {
        success: hasFlash(request, 'success') ? this.flash('success') : [],
        info: hasFlash(request, 'info') ? this.flash('info') : [],
      },
      ...model,
    }
    const html = env.render(template, context)
    return this.type('text/html; charset=utf-8').send(html)
  })
  app.decorateReply('errorPage', function (page: ErrorPage, model?: Record<string, unknown>) {
    const shown = presentErrorPage(page, model)
    return this.render(shown.template, shown.model)
  })
  app.decorateReply('notFound', function () {
    return this.code(404).errorPage('404')
  })
  app.decorateReply('forbidden', function () {
    return this.code(403).errorPage('403')
  })
})
