import { describe, expect, it } from 'vitest'
import { findPage } from '../../forms/completion.ts'
import { currentTemplate } from '../../forms/templates/index.ts'
import { answersFromRecord, fillsFromRecord } from './education-from-record.presenter.ts'

const page = (formType: Parameters<typeof currentTemplate>[0]) =>
  findPage(currentTemplate(formType), 'education-information')!.page

describe('Education information from the record', () => {
  it('gives the school’s type and when the child joined it, where the form offers them', () => {
    expect(
      answersFromRecord(page('secondary'), { schoolType: 'academy', since: '2025-09-03' }),
    ).toEqual({
      'setting-type': 'academy',
      'setting-start-date': '2025-09-03',
    })
    expect(answersFromRecord(page('early_years'), { schoolType: 'nursery', since: null })).toEqual({
      'setting-type': 'nursery_school',
    })
    expect(
      answersFromRecord(page('post_16'), { schoolType: 'further_education', since: null }),
    ).toEqual({
      'setting-type': 'fe_college',
    })
  })

  it('gives nothing the form does not offer, nor what the record does not know', () => {
    // Post-16 forms offer no "academy": the provider's type is left for the Virtual School.
    expect(answersFromRecord(page('post_16'), { schoolType: 'academy', since: null })).toEqual({})
    expect(answersFromRecord(page('secondary'), { schoolType: null, since: null })).toEqual({})
    expect(answersFromRecord(page('secondary'), { schoolType: 'unknown', since: null })).toEqual({})
  })

  it('fills only the page that asks the setting type', () => {
    expect(fillsFromRecord(page('secondary'))).toBe(true)
    const other = findPage(currentTemplate('secondary'), 'attendance')!.page
    expect(fillsFromRecord(other)).toBe(false)
  })
})
