import type { Choice, Page } from '../types.ts'
import { hasEhcPlan } from './shared-section-b.ts'
import { PROGRESS, capitalise, their, type Phase } from './shared.ts'

/*
 * What the special school forms (primary special, secondary special) ask besides the common
 * pages: attainment on the school's own steps, communication and sensory needs, progress
 * towards the EHC plan's outcomes, therapies, and, from Year 9, preparing for adulthood.
 */

export const SPECIAL_TARGET_AREAS: readonly Choice[] = [
  { value: 'communication', text: 'Communication' },
  { value: 'sensory_and_physical', text: 'Sensory and physical' },
  { value: 'independence', text: 'Independence and self-care' },
]

export function specialAttainmentPage(p: Phase): Page {
  return {
    id: 'attainment-and-progress',
    title: 'Attainment and progress',
    questions: [
      {
        id: 'assessment-date',
        type: 'date',
        label: 'When were these assessments made?',
        mandatory: true,
      },
      {
        id: 'assessment-approach',
        type: 'singleChoice',
        label: `How does the school assess ${their(p)} learning?`,
        mandatory: true,
        options: [
          { value: 'national_curriculum', text: 'National curriculum assessments' },
          { value: 'pre_key_stage', text: 'Pre-key stage standards' },
          { value: 'engagement_model', text: 'The engagement model' },
          { value: 'school_framework', text: "The school's own framework" },
        ],
      },
      {
        id: 'literacy-attainment',
        type: 'longText',
        label: `Where is ${p.the} working in literacy?`,
        hint: "Use the school's own steps or levels, and say what they mean.",
        mandatory: true,
      },
      {
        id: 'literacy-progress',
        type: 'singleChoice',
        label: 'How much progress has been made in literacy since the last PEP?',
        mandatory: true,
        options: PROGRESS,
      },
      {
        id: 'maths-attainment',
        type: 'longText',
        label: `Where is ${p.the} working in mathematics?`,
        hint: "Use the school's own steps or levels, and say what they mean.",
        mandatory: true,
      },
      {
        id: 'maths-progress',
        type: 'singleChoice',
        label: 'How much progress has been made in mathematics since the last PEP?',
        mandatory: true,
        options: PROGRESS,
      },
      {
        id: 'qualifications',
        type: 'longText',
        label: `Which qualifications or awards is ${p.the} working towards?`,
        hint: 'For example, entry level certificates or GCSEs. Leave blank if none.',
      },
      {
        id: 'attainment-summary',
        type: 'longText',
        label: `What progress has ${p.the} made since the last PEP, and what are the next steps?`,
        mandatory: true,
      },
    ],
  }
}

export function communicationAndSensoryPage(p: Phase): Page {
  return {
    id: 'communication-and-sensory',
    title: 'Communication and sensory needs',
    questions: [
      {
        id: 'communication-methods',
        type: 'multipleChoice',
        label: `How does ${p.the} communicate?`,
        mandatory: true,
        options: [
          { value: 'speech', text: 'Speech' },
          { value: 'signing', text: 'Signing, such as Makaton or British Sign Language' },
          { value: 'symbols', text: 'Symbols or pictures' },
          { value: 'device', text: 'A communication aid or device' },
          { value: 'gesture', text: 'Gestures, sounds or facial expressions' },
          { value: 'other', text: 'Another way' },
        ],
      },
      {
        id: 'communication-help',
        type: 'longText',
        label: `What helps ${p.the} understand and be understood?`,
        mandatory: true,
      },
      {
        id: 'sensory-needs',
        type: 'longText',
        label: `Does ${p.the} have sensory, hearing, vision or physical needs?`,
        hint: 'Include equipment and any sensory plan. Write "none" if there are none.',
        mandatory: true,
      },
      {
        id: 'personal-care',
        type: 'longText',
        label: `What help does ${p.the} need with personal care, eating or moving around?`,
      },
    ],
  }
}

export function ehcPlanOutcomesPage(p: Phase): Page {
  return {
    id: 'ehc-plan-outcomes',
    title: 'EHC plan outcomes',
    intro: `Record progress towards each outcome in ${their(p)} education, health and care plan.`,
    condition: hasEhcPlan,
    questions: [
      {
        id: 'ehc-outcomes',
        type: 'repeating',
        label: 'EHC plan outcomes',
        itemName: 'outcome',
        mandatory: true,
        fields: [
          { id: 'outcome', type: 'longText', label: 'What is the outcome?', mandatory: true },
          {
            id: 'progress',
            type: 'singleChoice',
            label: 'How much progress has been made towards it?',
            mandatory: true,
            options: [
              { value: 'achieved', text: 'Achieved' },
              { value: 'good_progress', text: 'Good progress' },
              { value: 'some_progress', text: 'Some progress' },
              { value: 'little_progress', text: 'Little or no progress' },
            ],
          },
          { id: 'evidence', type: 'longText', label: 'What shows this?' },
          { id: 'next-steps', type: 'longText', label: 'What are the next steps?' },
        ],
      },
    ],
  }
}

export function therapiesPage(p: Phase): Page {
  return {
    id: 'therapies',
    title: 'Therapies',
    questions: [
      {
        id: 'therapies',
        type: 'repeating',
        label: 'Therapies',
        itemName: 'therapy',
        fields: [
          {
            id: 'therapy',
            type: 'singleChoice',
            label: 'Which therapy is it?',
            mandatory: true,
            options: [
              { value: 'speech_and_language', text: 'Speech and language therapy' },
              { value: 'occupational', text: 'Occupational therapy' },
              { value: 'physiotherapy', text: 'Physiotherapy' },
              { value: 'creative', text: 'Music, art or play therapy' },
              { value: 'psychological', text: 'Psychological or counselling support' },
              { value: 'other', text: 'Other' },
            ],
          },
          { id: 'provider', type: 'text', label: 'Who provides it?' },
          {
            id: 'frequency',
            type: 'text',
            label: 'How often?',
            hint: 'For example, 30 minutes a week.',
          },
          { id: 'in-ehc-plan', type: 'yesNo', label: 'Is it set out in the EHC plan?' },
          { id: 'difference', type: 'longText', label: 'What difference is it making?' },
        ],
      },
      {
        id: 'therapy-gaps',
        type: 'longText',
        label: `Is there any therapy ${p.the} needs but is not getting?`,
        hint: 'Say why, and what is being done about it.',
      },
    ],
  }
}

/** The four preparing-for-adulthood areas, from Year 9 in special schools. */
export function preparingForAdulthoodPage(p: Phase): Page {
  const The = capitalise(p.the)
  return {
    id: 'preparing-for-adulthood',
    title: 'Preparing for adulthood',
    intro: `${The}'s plans for adult life, in the four preparing-for-adulthood areas.`,
    condition: { yearGroupIn: ['Y9', 'Y10', 'Y11', 'Y12', 'Y13'] },
    questions: [
      {
        id: 'pfa-employment',
        type: 'longText',
        label: 'What is planned towards further learning and work?',
        mandatory: true,
      },
      {
        id: 'pfa-independent-living',
        type: 'longText',
        label: `What is ${p.the} learning towards living independently?`,
        hint: 'For example, travel training, cooking or managing money.',
        mandatory: true,
      },
      {
        id: 'pfa-community',
        type: 'longText',
        label: `How is ${p.the} taking part in their community?`,
        hint: 'Friendships, clubs and activities.',
      },
      {
        id: 'pfa-health',
        type: 'longText',
        label: `What is planned to help ${p.the} stay healthy as an adult?`,
        hint: 'Including the move to adult health services.',
      },
    ],
  }
}
