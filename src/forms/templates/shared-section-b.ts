import type { Condition, Page, Question, RepeatingQuestion } from '../types.ts'
import { AREAS_OF_NEED, PROGRESS, SEN_STATUSES, capitalise, their, type Phase } from './shared.ts'

/*
 * Section B's education pages, completed by the designated teacher (or designated person). The
 * targets and the meeting, which close the section, are in shared-targets.ts.
 */

export function previousSchoolsPage(p: Phase): Page {
  return {
    id: 'previous-schools',
    title: p.place === 'setting' ? 'Previous settings' : 'Previous schools and settings',
    intro:
      'List the schools and settings attended before the current one, most recent first. Moves recorded in OpenPEP are added for you.',
    carryForward: true,
    questions: [
      {
        id: 'previous-schools',
        type: 'repeating',
        label: 'Previous schools and settings',
        itemName: 'previous school',
        fields: [
          { id: 'school-name', type: 'text', label: 'Name of school or setting', mandatory: true },
          {
            id: 'urn',
            type: 'text',
            label: 'Unique reference number (URN)',
            hint: 'Leave blank if you do not know it.',
            maxLength: 8,
          },
          {
            id: 'from-date',
            type: 'date',
            label: `When did ${p.the} start there?`,
            mandatory: true,
          },
          { id: 'to-date', type: 'date', label: `When did ${p.the} leave?`, mandatory: true },
          { id: 'reason-for-leaving', type: 'text', label: 'Why did they leave?' },
        ],
      },
    ],
  }
}

export function attendancePage(p: Phase, condition?: Condition): Page {
  return {
    id: 'attendance',
    title: 'Attendance',
    intro: `Give ${their(p)} attendance for this school year so far, or since they joined if that is later.`,
    ...(condition && { condition }),
    questions: [
      {
        id: 'attendance-from',
        type: 'date',
        label: 'What date does the attendance figure start from?',
        name: 'the start of the attendance period',
        mandatory: true,
      },
      {
        id: 'attendance-to',
        type: 'date',
        label: 'What date does it run to?',
        name: 'the end of the attendance period',
        mandatory: true,
      },
      {
        id: 'attendance-percentage',
        type: 'percentage',
        label: `What was ${their(p)} attendance over that period?`,
        name: 'the attendance percentage',
        mandatory: true,
        prompt: {
          when: { answer: 'attendance-percentage', lessThan: 90 },
          text: 'Attendance is below 90%. Agree a SMART target on attendance at the meeting, with the actions that will improve it.',
        },
      },
      {
        id: 'attendance-comments',
        type: 'longText',
        label: 'Is anything affecting attendance?',
        hint: 'For example, illness, appointments, family time or lateness.',
      },
    ],
  }
}

/** Grades by subject (secondary) or qualification (post-16). */
export function subjectGradesQuestion(itemName: 'subject' | 'qualification'): RepeatingQuestion {
  return {
    id: 'subject-grades',
    type: 'repeating',
    label: itemName === 'subject' ? 'Subjects' : 'Qualifications',
    itemName,
    mandatory: true,
    fields: [
      { id: 'subject', type: 'text', label: `Which ${itemName}?`, mandatory: true },
      {
        id: 'current-grade',
        type: 'text',
        label: 'What grade are they working at now?',
        hint: 'For example, 5, or Merit.',
        mandatory: true,
        maxLength: 20,
      },
      {
        id: 'target-grade',
        type: 'text',
        label: 'What is their target grade?',
        mandatory: true,
        maxLength: 20,
      },
      {
        id: 'progress',
        type: 'singleChoice',
        label: 'How much progress have they made since the last PEP?',
        mandatory: true,
        options: PROGRESS,
      },
    ],
  }
}

const hasSen: Condition = {
  any: [
    { answer: 'sen-status', equals: 'sen_support' },
    { answer: 'sen-status', equals: 'ehc_plan' },
  ],
}
export const hasEhcPlan: Condition = { answer: 'sen-status', equals: 'ehc_plan' }

export function senPage(p: Phase): Page {
  return {
    id: 'sen',
    title: 'Special educational needs',
    questions: [
      {
        id: 'sen-status',
        type: 'singleChoice',
        label: `What is ${their(p)} special educational needs (SEN) status?`,
        name: 'the SEN status',
        mandatory: true,
        options: SEN_STATUSES,
      },
      {
        id: 'primary-need',
        type: 'singleChoice',
        label: `What is ${their(p)} main area of need?`,
        mandatory: true,
        options: AREAS_OF_NEED,
        condition: hasSen,
      },
      {
        id: 'sen-needs',
        type: 'longText',
        label: `How do ${their(p)} needs affect their learning?`,
        mandatory: true,
        condition: hasSen,
      },
      {
        id: 'sen-support-plan',
        type: 'longText',
        label: 'What support is in place, and how well is it working?',
        hint: 'Attach the SEN support plan to the PEP.',
        mandatory: true,
        condition: { answer: 'sen-status', equals: 'sen_support' },
      },
      {
        id: 'ehc-assessment-requested',
        type: 'yesNo',
        label: 'Has an EHC needs assessment been requested?',
        condition: { answer: 'sen-status', equals: 'sen_support' },
      },
      {
        id: 'ehc-plan-review-date',
        type: 'date',
        label: 'When was the EHC plan last reviewed?',
        hint: 'Attach the EHC plan to the PEP.',
        mandatory: true,
        condition: hasEhcPlan,
      },
      {
        id: 'ehc-plan-provision',
        type: 'longText',
        label: 'Is all the provision in the EHC plan being delivered?',
        hint: 'Say what is not being delivered, why, and what is being done about it.',
        mandatory: true,
        condition: hasEhcPlan,
      },
    ],
  }
}

export function socialEmotionalPage(p: Phase): Page {
  return {
    id: 'social-emotional-mental-health',
    title: 'Social, emotional and mental health',
    questions: [
      {
        id: 'semh-now',
        type: 'longText',
        label: `How is ${p.the} doing socially and emotionally at their ${p.place}?`,
        hint: 'Include friendships, behaviour and how they manage their feelings.',
        mandatory: true,
      },
      {
        id: 'semh-concerns',
        type: 'longText',
        label: `Are there any concerns about ${their(p)} social, emotional or mental health?`,
        hint: 'Write "none" if there are none.',
        mandatory: true,
      },
      {
        id: 'semh-support',
        type: 'longText',
        label: 'What support is in place for this?',
        hint: 'For example, a key adult, mentoring, or emotional literacy support.',
      },
      {
        id: 'trusted-adult',
        type: 'text',
        label: `Who is ${their(p)} trusted adult at their ${p.place}?`,
        hint:
          p.place === 'setting'
            ? 'Their role, for example, their key person.'
            : 'Their role, for example, learning mentor.',
      },
    ],
  }
}

export function transitionsPage(p: Phase): Page {
  return {
    id: 'transitions',
    title: 'Transitions',
    questions: [
      {
        id: 'transition-due',
        type: 'yesNo',
        label: `Is ${p.the} due a move before the next PEP?`,
        hint: `For example, to a new ${p.place}, class, key stage or placement.`,
        mandatory: true,
      },
      {
        id: 'transition-plan',
        type: 'longText',
        label: 'What is planned to support the move?',
        hint: 'Include visits, sharing information with the new setting, and who is responsible.',
        mandatory: true,
        condition: { answer: 'transition-due', equals: 'yes' },
      },
      {
        id: 'recent-changes',
        type: 'longText',
        label: `How has ${p.the} managed any recent changes?`,
      },
    ],
  }
}

export const PART_TIME_HOURS = 25
const partTime: Condition = { answer: 'hours-per-week', lessThan: PART_TIME_HOURS }

export function partTimeTimetablePage(p: Phase, condition?: Condition): Page {
  return {
    id: 'part-time-timetable',
    title: 'Part-time timetable and alternative provision',
    intro: `Full-time education is usually at least ${PART_TIME_HOURS} hours a week. Below that, give the full detail.`,
    ...(condition && { condition }),
    questions: [
      {
        id: 'hours-per-week',
        type: 'number',
        label: `How many hours of education a week does ${p.the} receive?`,
        name: 'the hours of education a week',
        hint: 'Include any time in alternative provision.',
        mandatory: true,
        min: 0,
        max: 60,
        integer: false,
        suffix: 'hours a week',
      },
      {
        id: 'part-time-reason',
        type: 'longText',
        label: `Why is ${p.the} not in full-time education?`,
        mandatory: true,
        condition: partTime,
      },
      {
        id: 'part-time-start-date',
        type: 'date',
        label: 'When did the part-time timetable start?',
        mandatory: true,
        condition: partTime,
      },
      {
        id: 'return-to-full-time',
        type: 'longText',
        label: 'What is the plan to return to full-time education?',
        hint: 'Include the steps, the dates and who is responsible.',
        mandatory: true,
        condition: partTime,
      },
      {
        id: 'alternative-provision',
        type: 'longText',
        label: `What alternative provision does ${p.the} attend?`,
        hint: 'Give the provider, days and hours, and how attendance and safety are checked. Write "none" if there is none.',
        mandatory: true,
        condition: partTime,
      },
    ],
  }
}

const excludedQuestion = (p: Phase, hint?: string): Question => ({
  id: 'excluded',
  type: 'yesNo',
  label: `Has ${p.the} been suspended or permanently excluded since the last PEP?`,
  ...(hint && { hint }),
  mandatory: true,
})

/** Early years asks only whether; school-age forms list each exclusion and what was provided. */
export function exclusionsPage(p: Phase, detail: boolean): Page {
  if (!detail) {
    return {
      id: 'exclusions',
      title: 'Exclusions',
      questions: [excludedQuestion(p, 'If yes, record what happened in the PEP meeting notes.')],
    }
  }
  return {
    id: 'exclusions',
    title: 'Exclusions',
    questions: [
      excludedQuestion(p),
      {
        id: 'exclusion-list',
        type: 'repeating',
        label: 'Suspensions and exclusions',
        itemName: 'exclusion',
        mandatory: true,
        condition: { answer: 'excluded', equals: 'yes' },
        fields: [
          {
            id: 'type',
            type: 'singleChoice',
            label: 'What type of exclusion was it?',
            mandatory: true,
            options: [
              { value: 'suspension', text: 'Suspension (fixed-term exclusion)' },
              { value: 'permanent', text: 'Permanent exclusion' },
            ],
          },
          { id: 'start-date', type: 'date', label: 'When did it start?', mandatory: true },
          {
            id: 'days',
            type: 'number',
            label: 'How many school days was it for?',
            hint: 'Use 0.5 for a lunchtime or half a day.',
            mandatory: true,
            min: 0.5,
            max: 45,
            integer: false,
            suffix: 'days',
          },
          { id: 'reason', type: 'longText', label: 'What was the reason?', mandatory: true },
          {
            id: 'provision',
            type: 'longText',
            label: 'What education and support was provided?',
            hint: 'From the sixth school day, full-time education must be arranged.',
            mandatory: true,
          },
        ],
      },
    ],
  }
}

export function extraSupportPage(p: Phase): Page {
  return {
    id: 'extra-support',
    title: 'Extra support',
    questions: [
      {
        id: 'extra-support',
        type: 'longText',
        label: `What extra support does ${p.the} get?`,
        name: 'the extra support',
        hint: 'For example, tutoring, mentoring or small-group teaching. Write "none" if there is none.',
        mandatory: true,
      },
    ],
  }
}

/** Required in Years 10 and 11 (secondary and secondary special). */
export function plan1419Page(p: Phase): Page {
  const The = capitalise(p.the)
  return {
    id: 'plan-14-19',
    title: '14-19 plan for education, employment and training',
    intro: `${The}, their careers adviser and the school can all add to this plan.`,
    condition: { yearGroupIn: ['Y10', 'Y11'] },
    questions: [
      {
        id: 'careers-guidance',
        type: 'yesNo',
        label: `Has ${p.the} had independent careers guidance this school year?`,
        mandatory: true,
      },
      {
        id: 'careers-guidance-date',
        type: 'date',
        label: 'When was the latest careers guidance meeting?',
        condition: { answer: 'careers-guidance', equals: 'yes' },
      },
      {
        id: 'work-experience',
        type: 'longText',
        label: `What work experience or contact with employers has ${p.the} had?`,
      },
      {
        id: 'post-16-plan',
        type: 'longText',
        label: `What does ${p.the} plan to do after Year 11?`,
        hint: 'Give the course and level, apprenticeship or training, and where.',
        mandatory: true,
      },
      {
        id: 'post-16-applications',
        type: 'longText',
        label: 'What applications have been made, and where are they up to?',
      },
      {
        id: 'post-16-support',
        type: 'longText',
        label: `What support will ${p.the} need to make the move?`,
        hint: 'For example, visits, a transition plan, travel training or the 16 to 19 bursary.',
        mandatory: true,
      },
    ],
  }
}
