import type { Choice, Page, Question } from '../types.ts'
import {
  LEGAL_STATUSES,
  PERMANENCE_PLANS,
  PLACEMENT_TYPES,
  VIRTUAL_SCHOOL_STAFF,
  their,
  type Phase,
} from './shared.ts'

/* Section A, completed by the social worker (or personal advisor), in every form. */

export function personalInformationPage(p: Phase): Page {
  return {
    id: 'personal-information',
    title: 'Personal information',
    intro: `Names, date of birth and reference numbers come from ${their(p)} record. Tell the Virtual School if any of them are wrong.`,
    carryForward: true,
    questions: [
      {
        id: 'preferred-name',
        type: 'text',
        label: `What does ${p.the} like to be called?`,
        hint: 'Leave blank if it is their first name.',
      },
      {
        id: 'first-language',
        type: 'text',
        label: `What is ${their(p)} first language?`,
        mandatory: true,
      },
      {
        id: 'english-additional-language',
        type: 'yesNo',
        label: `Is English an additional language for ${p.the}?`,
        mandatory: true,
      },
      {
        id: 'interpreter-needed',
        type: 'yesNo',
        label: `Does ${p.the} or their family need an interpreter at meetings?`,
        mandatory: true,
      },
      { id: 'ethnicity', type: 'text', label: `What is ${their(p)} ethnicity?` },
      {
        id: 'religion',
        type: 'text',
        label: `What is ${their(p)} religion or belief, if any?`,
      },
      {
        id: 'identity-and-culture',
        type: 'longText',
        label: `What should everyone know about ${their(p)} identity, culture and background?`,
        hint: 'For example, what they eat, festivals they celebrate, or how they talk about their family.',
      },
    ],
  }
}

export function careInformationPage(p: Phase): Page {
  return {
    id: 'care-information',
    title: 'Care information',
    intro: 'Check this page before each meeting: it is copied from the last PEP.',
    carryForward: true,
    questions: [
      {
        id: 'legal-status',
        type: 'singleChoice',
        label: `What is ${their(p)} legal status?`,
        mandatory: true,
        options: LEGAL_STATUSES,
      },
      {
        id: 'placement-type',
        type: 'singleChoice',
        label: `What kind of placement does ${p.the} live in?`,
        mandatory: true,
        options: PLACEMENT_TYPES,
      },
      {
        id: 'placement-start-date',
        type: 'date',
        label: 'When did the current placement start?',
        mandatory: true,
      },
      {
        id: 'permanence-plan',
        type: 'singleChoice',
        label: `What is the plan for ${their(p)} long-term future?`,
        name: 'the plan for permanence',
        mandatory: true,
        options: PERMANENCE_PLANS,
      },
      {
        id: 'delegated-authority',
        type: 'longText',
        label: 'Who can give consent for things like trips, photographs and clubs?',
        hint: 'Say what the carer has delegated authority for, and what needs the social worker.',
        mandatory: true,
      },
      {
        id: 'sharing-restrictions',
        type: 'longText',
        label: `Is there anyone who must not be given information about ${p.the}, or have contact with them?`,
        hint: 'Include any court orders. Write "none" if there is no one.',
        mandatory: true,
      },
      {
        id: 'family-time',
        type: 'longText',
        label: `Do any family time (contact) arrangements affect ${their(p)} education?`,
        hint: 'For example, collections, or days and lessons missed.',
      },
      {
        id: 'travel',
        type: 'longText',
        label: `How does ${p.the} travel to their ${p.place}?`,
        hint: 'Include any transport the local authority arranges and how long the journey takes.',
      },
    ],
  }
}

export function educationInformationPage(
  p: Phase,
  settingTypes: readonly Choice[],
  /** What only this form asks, e.g. early years funded hours. */
  extra: readonly Question[] = [],
): Page {
  return {
    id: 'education-information',
    title: 'Education information',
    intro:
      'The Virtual School maintains this page. Tell the Virtual School if anything on it is wrong.',
    editableBy: VIRTUAL_SCHOOL_STAFF,
    questions: [
      {
        id: 'setting-type',
        type: 'singleChoice',
        label: `What type of ${p.place} does ${p.the} attend?`,
        mandatory: true,
        options: settingTypes,
      },
      {
        id: 'setting-start-date',
        type: 'date',
        label: `When did ${p.the} join their current ${p.place}?`,
        mandatory: true,
      },
      {
        id: 'out-of-area',
        type: 'yesNo',
        label: `Is the ${p.place} outside the area of the local authority that looks after ${p.the}?`,
        mandatory: true,
      },
      {
        id: 'moves-in-care',
        type: 'number',
        label: `How many times has ${p.the} changed ${p.place} since entering care?`,
        hint: 'Do not count moves at the usual times, such as into Reception or Year 7.',
        min: 0,
        max: 50,
      },
      ...extra,
      {
        id: 'virtual-school-notes',
        type: 'longText',
        label: 'Does the Virtual School have anything to add?',
      },
    ],
  }
}

export function healthAndWellbeingPage(p: Phase): Page {
  return {
    id: 'health-and-wellbeing',
    title: 'Health and emotional wellbeing',
    questions: [
      {
        id: 'health-needs',
        type: 'longText',
        label: `Does ${p.the} have any health needs that affect their education?`,
        hint: 'Include medical conditions, medication, allergies and disabilities. Write "none" if there are none.',
        mandatory: true,
      },
      {
        id: 'health-assessment-date',
        type: 'date',
        label: 'When was the last health assessment?',
        hint: 'The initial health assessment or the latest review health assessment.',
        mandatory: true,
      },
      {
        id: 'emotional-wellbeing',
        type: 'longText',
        label: `How is ${their(p)} emotional wellbeing?`,
        hint: `Include anything at home or in family time that may affect them at their ${p.place}.`,
        mandatory: true,
      },
      {
        id: 'sdq-score',
        type: 'number',
        label: `What is ${their(p)} latest Strengths and Difficulties Questionnaire (SDQ) score?`,
        name: 'the SDQ score',
        hint: 'The total difficulties score, from 0 to 40. Leave blank if there is no SDQ yet.',
        min: 0,
        max: 40,
      },
      { id: 'sdq-date', type: 'date', label: 'When was the SDQ completed?' },
      {
        id: 'therapeutic-support',
        type: 'yesNo',
        label: `Is ${p.the} getting help from mental health or therapeutic services?`,
        hint: 'For example, CAMHS, a therapist or a counsellor.',
        mandatory: true,
      },
      {
        id: 'therapeutic-support-detail',
        type: 'longText',
        label: 'What help are they getting, and from whom?',
        mandatory: true,
        condition: { answer: 'therapeutic-support', equals: 'yes' },
      },
    ],
  }
}

export function keyContactsPage(p: Phase): Page {
  return {
    id: 'key-contacts',
    title: 'Key contacts',
    intro: `The people working with ${p.the}, including their carer and independent reviewing officer.`,
    questions: [
      {
        id: 'contacts',
        type: 'repeating',
        label: 'Key contacts',
        itemName: 'contact',
        mandatory: true,
        fields: [
          { id: 'name', type: 'text', label: 'Name', mandatory: true },
          {
            id: 'role',
            type: 'text',
            label: 'Role',
            hint: 'For example, foster carer or independent reviewing officer.',
            mandatory: true,
          },
          { id: 'organisation', type: 'text', label: 'Organisation' },
          { id: 'phone', type: 'text', label: 'Phone number', maxLength: 30 },
          { id: 'email', type: 'text', label: 'Email address', maxLength: 254 },
        ],
      },
    ],
  }
}
