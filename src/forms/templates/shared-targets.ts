import type { Choice, FieldQuestion, Page } from '../types.ts'
import { SECTION_B_EDITORS, TARGET_OUTCOMES, their, type Phase } from './shared.ts'

/*
 * How Section B closes in every form: last term's targets reviewed, new SMART targets agreed
 * (with Pupil Premium Plus requests below post-16), and the meeting recorded.
 */

export function reviewOfTargetsPage(p: Phase): Page {
  return {
    id: 'review-of-targets',
    title: "Review of last term's targets",
    intro:
      'Start the meeting here. The targets from the last PEP are listed for you: record how far each was achieved and what difference it made.',
    questions: [
      {
        id: 'target-reviews',
        type: 'repeating',
        label: "Last term's targets",
        itemName: 'target',
        fields: [
          { id: 'area', type: 'text', label: 'Area' },
          { id: 'target', type: 'longText', label: 'What was the target?', mandatory: true },
          {
            id: 'outcome',
            type: 'singleChoice',
            label: 'Was it achieved?',
            mandatory: true,
            options: TARGET_OUTCOMES,
          },
          {
            id: 'impact',
            type: 'longText',
            label: `What difference has it made to ${p.the}?`,
            hint: 'If it was not achieved, say what will be done differently.',
            mandatory: true,
          },
        ],
      },
      ...(p.funded
        ? [
            {
              id: 'funding-impact',
              type: 'longText' as const,
              label: 'What difference has Pupil Premium Plus funding made since the last PEP?',
            },
          ]
        : []),
    ],
  }
}

const fundingFields: readonly FieldQuestion[] = [
  {
    id: 'funding-amount',
    type: 'money',
    label: 'How much Pupil Premium Plus funding is requested?',
    name: 'the funding requested',
    hint: 'Leave blank if this target needs no funding.',
  },
  {
    id: 'funding-purpose',
    type: 'longText',
    label: 'What will the funding pay for?',
    hint: 'For example, 10 one-to-one maths tutoring sessions.',
  },
]

export function smartTargetsPage(p: Phase, areas: readonly Choice[]): Page {
  return {
    id: 'smart-targets',
    title: 'SMART targets',
    intro: p.funded
      ? 'Agree the new targets at the meeting. Each should be specific, measurable, achievable, relevant and time-bound. The Virtual School approves any funding requested.'
      : 'Agree the new targets at the meeting. Each should be specific, measurable, achievable, relevant and time-bound.',
    questions: [
      {
        id: 'targets',
        type: 'repeating',
        label: 'Targets',
        itemName: 'target',
        mandatory: true,
        prompt: {
          when: { answer: 'attendance-percentage', lessThan: 90 },
          text: 'Attendance is below 90%: include a target on attendance.',
        },
        fields: [
          {
            id: 'area',
            type: 'singleChoice',
            label: 'Which area is the target for?',
            mandatory: true,
            options: areas,
          },
          { id: 'target', type: 'longText', label: 'What is the target?', mandatory: true },
          {
            id: 'success-measure',
            type: 'longText',
            label: 'How will success be measured?',
            mandatory: true,
          },
          {
            id: 'actions',
            type: 'longText',
            label: 'What will be done to achieve it?',
            mandatory: true,
          },
          {
            id: 'responsible',
            type: 'text',
            label: 'Who is responsible?',
            hint: 'Their role, for example, class teacher.',
            mandatory: true,
          },
          { id: 'by-date', type: 'date', label: 'When should it be achieved by?', mandatory: true },
          ...(p.funded ? fundingFields : []),
        ],
      },
    ],
  }
}

export function pepMeetingPage(p: Phase): Page {
  return {
    id: 'pep-meeting',
    title: 'The PEP meeting',
    intro: `Record the meeting so that anyone reading the PEP can follow ${their(p)} journey from term to term.`,
    editableBy: SECTION_B_EDITORS,
    questions: [
      {
        id: 'child-attended',
        type: 'singleChoice',
        label: `Did ${p.the} attend the meeting?`,
        mandatory: true,
        options: [
          { value: 'yes', text: 'Yes, all of it' },
          { value: 'part', text: 'Yes, part of it' },
          { value: 'no', text: 'No' },
        ],
      },
      {
        id: 'meeting-narrative',
        type: 'longText',
        label: `How is ${p.the} doing, and what was agreed?`,
        hint: `Link the review of targets, attainment, attendance and wellbeing to the new targets. For example, "The review of last term's targets shows that… As a result…".`,
        mandatory: true,
      },
      {
        id: 'views-shaped-plan',
        type: 'longText',
        label: `How did the views of ${p.the} and their carer shape the plan?`,
        hint: 'For example, "The carer asked for… As a result, we agreed…". Say if symbols were used.',
        mandatory: true,
      },
      {
        id: 'next-meeting-date',
        type: 'date',
        label: 'When is the next PEP meeting?',
        name: 'the date of the next meeting',
        hint: 'Usually next term, and never more than 6 months away.',
        mandatory: true,
      },
      {
        id: 'next-meeting-time',
        type: 'time',
        label: 'What time is the next PEP meeting?',
        name: 'the time of the next meeting',
        hint: 'For example, 14:30 or 2:30pm.',
        mandatory: true,
      },
      { id: 'next-meeting-location', type: 'text', label: 'Where will it be held?' },
    ],
  }
}
