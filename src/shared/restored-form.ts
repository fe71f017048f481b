/*
 * A form sent after its sender's session had ended is kept, and shown again once they have signed
 * in (issue 15, src/plugins/unsaved-forms.ts). The page that shows it says so with these words,
 * above the form, filled in with what was sent: nothing is saved for them unseen.
 */

export const RESTORED_FORM_NOTICE =
  'What you sent was not saved because you were signed out. Check it and send it again.'

/** A kept form's text field, as the form reads it. */
export const keptText = (kept: Record<string, unknown>, name: string): string => {
  const value = kept[name]
  return typeof value === 'string' ? value : ''
}
