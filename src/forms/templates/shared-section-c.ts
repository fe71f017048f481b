import type { Role } from '../../domain/roles.ts'
import type { Page, Question } from '../types.ts'
import { SYMBOL_FEELINGS } from './shared.ts'

/*
 * The child's own views. Section C is written to the child ("you") and answered in their own
 * words; children in the early years, and many at special schools, give their views with
 * symbols instead ("liked a lot", "OK", "did not like" against pictured activities).
 */

/** The words Section C uses for where and how the child learns. */
export interface Voice {
  /** 'school', or post-16 'your course or training'. */
  place: string
  teachers: string
  lessons: string
  /** When the future starts: 'when you grow up', 'when you leave school'... */
  after: string
  /** Who helps them fill it in. */
  helper: string
  /** Whether the first question on each page must be answered (not where symbols may be used instead). */
  mandatory: boolean
}

export const PRIMARY_VOICE: Voice = {
  place: 'school',
  teachers: 'teachers',
  lessons: 'lessons',
  after: 'when you grow up',
  helper: 'designated teacher',
  mandatory: true,
}

export const SECONDARY_VOICE: Voice = { ...PRIMARY_VOICE, after: 'when you leave school' }

export const POST_16_VOICE: Voice = {
  place: 'your course or training',
  teachers: 'teachers or tutors',
  lessons: 'parts of your course or training',
  after: 'when you finish your course or training',
  helper: 'designated person',
  mandatory: true,
}

function ask(v: Voice, id: string, label: string, hint?: string, first = false): Question {
  return {
    id,
    type: 'longText',
    label,
    ...(hint && { hint }),
    ...(first && v.mandatory && { mandatory: true }),
  }
}

/** The six topics of the young person's views, a page each. */
export function viewsPages(v: Voice): Page[] {
  return [
    {
      id: 'your-assessments-and-achievements',
      title: 'Your assessments and achievements',
      intro: `Your ${v.helper} will go through these pages with you before your PEP meeting. Write in your own words: there are no wrong answers.`,
      questions: [
        ask(
          v,
          'yp-proud-of',
          'What are you most proud of since your last PEP?',
          'For example, a certificate, a good result, or something hard that you kept trying at.',
          true,
        ),
        ask(v, 'yp-how-doing', 'How do you think you are doing in your work and tests?'),
      ],
    },
    {
      id: 'your-feelings-about-school',
      title: `Your feelings about ${v.place}`,
      questions: [
        ask(v, 'yp-likes', `What do you like about ${v.place}?`, undefined, true),
        ask(v, 'yp-dislikes', `What do you not like about ${v.place}?`),
        ask(v, 'yp-worries', `Is there anything that worries you about ${v.place}?`),
      ],
    },
    {
      id: 'your-feelings-about-learning',
      title: 'Your feelings about learning',
      questions: [
        ask(v, 'yp-enjoy', `Which ${v.lessons} do you enjoy most, and why?`, undefined, true),
        ask(v, 'yp-hardest', 'What do you find hardest to learn?'),
        ask(
          v,
          'yp-helps-learning',
          'What helps you learn best?',
          'For example, working in a small group, pictures, or extra time.',
        ),
      ],
    },
    {
      id: 'your-teachers',
      title: `Your relationship with your ${v.teachers}`,
      questions: [
        ask(v, 'yp-teachers', `How do you get on with your ${v.teachers}?`, undefined, true),
        ask(v, 'yp-trusted-adult', 'Is there an adult you can talk to if something is wrong?'),
        ask(v, 'yp-teachers-help', `What could your ${v.teachers} do to help you more?`),
      ],
    },
    {
      id: 'your-talents-and-interests',
      title: 'Your talents and interests',
      questions: [
        ask(v, 'yp-good-at', 'What are you good at?', undefined, true),
        ask(v, 'yp-free-time', 'What do you enjoy doing in your free time?'),
        ask(v, 'yp-try-next', 'Is there a club, hobby or activity you would like to try?'),
      ],
    },
    {
      id: 'your-future',
      title: 'Your future aspirations and needs',
      questions: [
        ask(v, 'yp-future', `What would you like to do ${v.after}?`, undefined, true),
        ask(v, 'yp-help-needed', 'What help do you need to get there?'),
        ask(
          v,
          'yp-anything-else',
          'Is there anything else you want the people at your PEP meeting to know?',
        ),
      ],
    },
  ]
}

/** A pictured activity on the symbols page: `id` becomes the question id `view-<id>`. */
export interface Activity {
  id: string
  /** As it follows "How do you feel about": "playing outside". */
  name: string
}

export const EARLY_YEARS_ACTIVITIES: readonly Activity[] = [
  { id: 'playing-outside', name: 'playing outside' },
  { id: 'stories', name: 'stories' },
  { id: 'painting', name: 'painting and drawing' },
  { id: 'music', name: 'music and singing' },
  { id: 'building', name: 'building and construction' },
  { id: 'sand-and-water', name: 'sand and water play' },
  { id: 'snack-time', name: 'snack time' },
  { id: 'friends', name: 'playing with friends' },
]

export const SCHOOL_ACTIVITIES: readonly Activity[] = [
  { id: 'reading-and-writing', name: 'reading and writing' },
  { id: 'numbers', name: 'numbers and shapes' },
  { id: 'art', name: 'art' },
  { id: 'music', name: 'music' },
  { id: 'pe', name: 'PE and sport' },
  { id: 'playing-outside', name: 'playtime outside' },
  { id: 'lunchtime', name: 'lunchtime' },
  { id: 'trips', name: 'trips out' },
  { id: 'friends', name: 'being with friends' },
  { id: 'adults', name: 'the adults who help you' },
]

export function symbolViewsPage(
  page: { id: string; title: string; editableBy?: readonly Role[] },
  activities: readonly Activity[],
  who: string,
  /** Whether saying how the views were gathered is required (where symbols are the only way in). */
  mandatory: boolean,
): Page {
  return {
    ...page,
    intro: `Show ${who} each picture and ask them to point to the face that shows how they feel. Record what they choose; leave blank any they do not answer.`,
    questions: [
      ...activities.map((activity): Question => ({
        id: `view-${activity.id}`,
        type: 'singleChoice',
        label: `How do you feel about ${activity.name}?`,
        options: SYMBOL_FEELINGS,
      })),
      {
        id: 'views-other',
        type: 'longText',
        label: `What else did ${who} tell or show you?`,
      },
      {
        id: 'views-how-gathered',
        type: 'longText',
        label: `How were ${who}'s views gathered, and by whom?`,
        hint: 'For example, with these symbols, by watching them play, or from their key person.',
        ...(mandatory && { mandatory }),
      },
    ],
  }
}
