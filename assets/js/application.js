import { initAll } from '/assets/govuk/govuk-frontend.mjs'

// The page works without this file; it only adds the design system's enhancements.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

/*
 * The session timeout warning (the GOV.UK / HMRC timeout warning pattern; WCAG 2.2.1 Timing
 * Adjustable). A session ends after `data-idle-seconds` without a request; `data-warn-seconds`
 * before that, a modal dialog says so, counts down, and offers "Stay signed in" (a request to
 * `data-keep-alive-url`, which keeps the session alive) or "Sign out". Escape also stays signed in.
 * Focus moves into the dialog and back to where it was; the time left is announced when the
 * dialog opens and then every 30 seconds (the visible countdown changes every second, but
 * announcing each second would drown everything else). When the time is up, the dialog says the
 * person has been signed out and that what they typed is still on the page.
 * Several tabs share one session: each page load and each "Stay signed in" is written to
 * localStorage, and every tab counts from the latest, so a tab left alone does not warn (or
 * claim the person was signed out) while they are working in another.
 * Timing uses Date.now and setInterval only, so tests control it with a fake clock.
 */
const LAST_ACTIVE_KEY = 'openpep.lastActive'

function sharedLastActive() {
  try {
    return Number(localStorage.getItem(LAST_ACTIVE_KEY)) || 0
  } catch {
    return 0
  }
}

function shareLastActive(at) {
  try {
    localStorage.setItem(LAST_ACTIVE_KEY, String(at))
  } catch {
    // Storage refused (private mode): this tab counts alone.
  }
}

class TimeoutWarning {
  constructor(dialog) {
    this.dialog = dialog
    this.idleMs = Number(dialog.dataset.idleSeconds) * 1000
    this.warnMs = Number(dialog.dataset.warnSeconds) * 1000
    this.keepAliveUrl = dialog.dataset.keepAliveUrl
    this.content = dialog.querySelector('.app-timeout-warning__content')
    this.countdown = dialog.querySelector('[data-timeout-countdown]')
    this.announce = dialog.querySelector('[data-timeout-announce]')
    this.heading = dialog.querySelector('[data-timeout-heading]')
    this.lastAnnounced = undefined
    this.returnFocus = null
    this.ended = false
    dialog.querySelector('[data-timeout-stay]').addEventListener('click', () => this.stay())
    dialog.querySelector('[data-timeout-close]').addEventListener('click', () => this.close())
    const signIn = dialog.querySelector('[data-timeout-sign-in]')
    signIn.href = `${dialog.dataset.signInUrl}?returnTo=${encodeURIComponent(location.pathname + location.search)}`
    // Escape: stay signed in (or, once signed out, go back to the page).
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      if (this.ended) this.close()
      else this.stay()
    })
  }

  start() {
    this.lastActive = Date.now()
    shareLastActive(this.lastActive)
    this.timer = setInterval(() => this.tick(), 1000)
  }

  tick() {
    const shared = sharedLastActive()
    if (shared > this.lastActive) {
      // Another tab kept the session alive: start again from there.
      this.lastActive = shared
      if (this.dialog.open && !this.ended) {
        this.lastAnnounced = undefined
        this.close()
      }
    }
    const left = this.lastActive + this.idleMs - Date.now()
    if (left <= 0) return this.end()
    if (left <= this.warnMs) {
      if (!this.dialog.open) this.open()
      this.showLeft(left)
    }
  }

  open() {
    this.returnFocus = document.activeElement
    this.dialog.showModal()
    this.content.focus()
  }

  showLeft(ms) {
    const text = timeLeft(ms)
    this.countdown.textContent = text
    // Announced on opening and then every 30 seconds.
    const step = Math.ceil(ms / 30_000)
    if (step !== this.lastAnnounced) {
      this.lastAnnounced = step
      this.announce.textContent = `You will be signed out in ${text}.`
    }
  }

  async stay() {
    try {
      const response = await fetch(this.keepAliveUrl, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        redirect: 'manual',
      })
      if (!response.ok) return this.end()
    } catch {
      // Offline: the session may still be alive; warn again when it is nearly over.
    }
    this.lastActive = Date.now()
    shareLastActive(this.lastActive)
    this.lastAnnounced = undefined
    this.announce.textContent = ''
    this.close()
  }

  end() {
    clearInterval(this.timer)
    this.ended = true
    for (const el of this.dialog.querySelectorAll('[data-timeout-warning]')) el.hidden = true
    for (const el of this.dialog.querySelectorAll('[data-timeout-ended]')) el.hidden = false
    this.heading.textContent = 'You have been signed out'
    this.announce.textContent = ''
    if (!this.dialog.open) this.open()
    this.content.focus()
  }

  close() {
    this.dialog.close()
    if (this.returnFocus && typeof this.returnFocus.focus === 'function') this.returnFocus.focus()
    this.returnFocus = null
  }
}

function timeLeft(ms) {
  const seconds = Math.ceil(ms / 1000)
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  const part = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (minutes === 0) return part(rest, 'second')
  if (rest === 0) return part(minutes, 'minute')
  return `${part(minutes, 'minute')} ${part(rest, 'second')}`
}

const timeoutDialog = document.querySelector('[data-module="app-timeout-warning"]')
if (timeoutDialog && typeof timeoutDialog.showModal === 'function')
  new TimeoutWarning(timeoutDialog).start()
