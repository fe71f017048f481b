import { initAll } from '/assets/govuk/govuk-frontend.mjs'

// The page works without this file; it only adds the design system's enhancements.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
