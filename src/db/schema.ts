import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/* Table types, kept by hand beside the migrations that create them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
/** Calendar dates travel as 'YYYY-MM-DD' strings (see connection.ts). */
type CalendarDate = string

export interface AuthorityTable {
  id: Generated<string>
  name: string
  code: string
  created_at: CreatedAt
}

export type UserStatus = 'invited' | 'active' | 'deactivated'

export interface AppUserTable {
  id: Generated<string>
  email: string
  display_name: string
  password_hash: string | null
  status: ColumnType<UserStatus, UserStatus | undefined, UserStatus>
  created_at: CreatedAt
  updated_at: Timestamp
  failed_sign_ins: ColumnType<number, number | undefined, number>
  locked_until: Date | null
  /** The TOTP secret; null until the user has set up MFA. */
  mfa_secret: string | null
  mfa_enabled_at: Date | null
  password_changed_at: Date | null
  last_sign_in_at: Date | null
  /** A fictional account made by the demo seed: it skips two-step verification. */
  demo_account: Generated<boolean>
}

export interface RecoveryCodeTable {
  id: Generated<string>
  user_id: string
  code_hash: string
  used_at: Date | null
  created_at: CreatedAt
}

export type AccountTokenPurpose = 'invitation' | 'password_reset'

export interface AccountTokenTable {
  id: Generated<string>
  user_id: string
  purpose: AccountTokenPurpose
  /** SHA-256 of the token; the token itself is only ever in the email. */
  token_hash: string
  expires_at: Timestamp
  used_at: Date | null
  created_by: string | null
  created_at: CreatedAt
}

export interface ChildAccessTable {
  id: Generated<string>
  child_id: string
  user_id: string
  /** The role in which this user sees the child (social_worker, designated_teacher, carer ...). */
  capacity: string
  added_by: string | null
  added_at: ColumnType<Date, Date | string | undefined, never>
  removed_by: string | null
  removed_at: Date | null
  /** Why the place ended (ADR 8); null while live, and for someone taken off the list by hand. */
  end_reason: AccessEndReason | null
}

/** The changes that end a place on a child's access list; 'lapsed' for those found ended by a migration. */
export type AccessEndReason =
  | 'role_removed'
  | 'account_deactivated'
  | 'school_changed'
  | 'owner_changed'
  | 'placement_ended'
  | 'left_care'
  | 'lapsed'

export interface AppSettingTable {
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Timestamp
}

export type AuditOutcome = 'success' | 'failure' | 'denied'

export interface AuditEventTable {
  id: Generated<string>
  occurred_at: Date
  user_id: string | null
  acting_role: string | null
  authority_id: string | null
  action: string
  outcome: AuditOutcome
  child_id: string | null
  subject_user_id: string | null
  method: string | null
  path: string | null
  ip: string | null
  user_agent: string | null
  request_id: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, never>
  /** The API client that acted (issue 22), when it was not a person or OpenPEP itself. */
  api_client_id: ColumnType<string | null, string | null | undefined, never>
}

/** A system registered by a Virtual School administrator to call the API for their authority. */
export interface ApiClientTable {
  id: Generated<string>
  authority_id: string
  name: string
  scopes: ColumnType<string[], string[], string[]>
  /** SHA-256 (hex) of the whole secret: the secret itself is shown once and never stored. */
  secret_hash: string
  /** The secret's last characters, to tell two clients' secrets apart in the list. */
  secret_hint: string
  created_by: string | null
  created_at: Date
  revoked_at: Date | null
  revoked_by: string | null
  last_used_at: Date | null
}

export interface ApiWebhookTable {
  id: Generated<string>
  client_id: string
  url: string
  events: ColumnType<string[], string[], string[]>
  /** The signing secret, encrypted under MFA_ENCRYPTION_KEYS (the HMAC needs it back). */
  secret_sealed: string
  created_at: Date
  removed_at: Date | null
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed'

/** The webhooks' outbox: one row per event per webhook; its id is the event id a receiver sees. */
export interface ApiWebhookDeliveryTable {
  id: Generated<string>
  webhook_id: string
  event_type: string
  payload: ColumnType<Record<string, unknown>, string, never>
  created_at: Date
  status: ColumnType<
    WebhookDeliveryStatus,
    WebhookDeliveryStatus | undefined,
    WebhookDeliveryStatus
  >
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Date
  last_error: string | null
  last_status: number | null
  delivered_at: Date | null
}

export interface SchoolTable {
  id: Generated<string>
  authority_id: string
  name: string
  urn: string | null
  dfe_number: string | null
  type: string
  phase: string
  open: ColumnType<boolean, boolean | undefined, boolean>
  created_at: CreatedAt
  /** For an academy conversion: the school this one replaced. */
  predecessor_id: string | null
  opened_on: CalendarDate | null
  closed_on: CalendarDate | null
  updated_at: Timestamp
}

/**
 * A person's place in an authority, kept when their last role there goes (ADR 9). `joined_at`
 * null: invited, not yet accepted; the administrator sees only `invited_name` and `invited_email`.
 */
export interface AuthorityMemberTable {
  user_id: string
  authority_id: string
  invited_name: string | null
  invited_email: string | null
  invited_at: Date | null
  invited_by: string | null
  joined_at: Date | null
}

/** A role an invitation offers; it becomes a membership when the person accepts. */
export interface RoleOfferTable {
  id: Generated<string>
  user_id: string
  authority_id: string
  role: string
  school_id: string | null
  offered_by: string | null
  offered_at: Date
}

export interface MembershipTable {
  id: Generated<string>
  user_id: string
  authority_id: string
  role: string
  school_id: string | null
  created_at: CreatedAt
}

export type ChildStatus = 'in_care' | 'ceased'

export interface ChildTable {
  id: Generated<string>
  authority_id: string
  first_name: string
  last_name: string
  date_of_birth: CalendarDate
  gender: string
  upn: string | null
  case_reference: string
  entered_care_on: CalendarDate
  school_id: string | null
  status: ColumnType<ChildStatus, ChildStatus | undefined, ChildStatus>
  created_at: CreatedAt
  updated_at: Timestamp
  preferred_name: string | null
  uln: string | null
  emergency_placement: ColumnType<boolean, boolean | undefined, boolean>
  legal_status: string | null
  placement: string | null
  sen_status: ColumnType<SenStatus, SenStatus | undefined, SenStatus>
  record_owner_id: string | null
  /** For a child taught out of their chronological year. */
  year_group_override: string | null
  ceased_on: CalendarDate | null
  ceased_reason: string | null
  /** Bumped by every edit, so two people editing at once cannot overwrite each other. */
  version: ColumnType<number, number | undefined, number>
}

export type SenStatus = 'none' | 'sen_support' | 'ehc_plan'

export interface ChildSchoolTable {
  id: Generated<string>
  child_id: string
  school_id: string
  started_on: CalendarDate
  ended_on: CalendarDate | null
  reason: string | null
  recorded_by: string | null
  created_at: CreatedAt
}

export interface ChildEventTable {
  id: Generated<string>
  child_id: string
  kind: string
  occurred_on: CalendarDate
  summary: string
  details: ColumnType<Record<string, unknown>, string | undefined, never>
  recorded_by: string | null
  recorded_at: Date
}

export interface ChildNoteTable {
  id: Generated<string>
  child_id: string
  kind: 'user_note' | 'case_note'
  body: string
  author_id: string
  created_at: Date
}

export interface ChildDocumentTable {
  id: Generated<string>
  child_id: string
  title: string
  filename: string
  content_type: string
  size_bytes: number
  sha256: string
  content: Buffer
  uploaded_by: string
  uploaded_at: Date
  /** The PEP it was attached from, if any: still one of the child's documents. */
  pep_id: string | null
  kind: 'ehc-plan' | 'sen-support-plan' | 'report' | 'other' | null
}

/** A form sent after its session ended, kept (sealed) to show again after signing in. */
export interface UnsavedFormTable {
  token_hash: string
  user_id: string | null
  path: string
  sealed: string
  created_at: Date
  expires_at: Date
}

export interface WebSessionTable {
  sid: string
  user_id: string | null
  data: ColumnType<unknown, string, string>
  expires_at: Timestamp
  created_at: CreatedAt
  updated_at: Timestamp
}

export type OutboxStatus = 'pending' | 'sent' | 'failed'

export interface OutboxAttachment {
  filename: string
  contentType: string
  content: string
}

export interface OutboxEmailTable {
  id: Generated<string>
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  attachments: ColumnType<OutboxAttachment[], string | undefined, string>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Timestamp
  last_error: string | null
  created_at: CreatedAt
  sent_at: Date | null
  /** The child the email is about, so erasure deletes it (no foreign key). */
  child_id: ColumnType<string | null, string | null | undefined, never>
}

/** Failed sign-ins of an address without an account, by its key (a hash), counted like app_user's. */
export interface SignInFailureTable {
  email_key: string
  failed_sign_ins: Generated<number>
  locked_until: Date | null
  updated_at: Date
}

export interface RateLimitCounterTable {
  key: string
  count: number
  window_ends_at: Date
}

export type TermName = 'autumn' | 'spring' | 'summer'

export interface PepTable {
  id: Generated<string>
  child_id: string
  authority_id: string
  academic_year: number
  term: TermName
  form_type: string
  template_version: number
  year_group: string
  school_id: string | null
  status: ColumnType<PepStatus, PepStatus | undefined, PepStatus>
  change_of_school: ColumnType<boolean, boolean | undefined, boolean>
  started_on: CalendarDate
  meeting_on: CalendarDate | null
  carried_from_id: string | null
  created_by: string | null
  created_at: Date
  updated_at: Date
  meeting_time: string | null
  meeting_location: string | null
  meeting_reasons: ColumnType<string[], string | undefined, string>
  meeting_other_reason: string | null
  contact_name: string | null
  contact_phone: string | null
  target_on: CalendarDate | null
  is_initial: ColumnType<boolean, boolean | undefined, boolean>
  meeting_confirmed_by: string | null
  meeting_confirmed_at: Date | null
  submitted_at: Date | null
  signed_off_by: string | null
  signed_off_at: Date | null
  version: ColumnType<number, number | undefined, number>
  /**
   * Section D's overall rating and the young person's participation as saved (`qa-overall`,
   * `qa-young-person-participated` of the `quality-assurance` page): derived from the page by a
   * trigger in the statement that writes it (migration t17dash01), never written by the app.
   */
  qa_overall: ColumnType<string | null, never, never>
  qa_participated: ColumnType<string | null, never, never>
}

export type PepStatus = 'in_progress' | 'awaiting_bso_check' | 'awaiting_qa' | 'signed_off'

export interface PepMeetingRecordTable {
  pep_id: string
  attended_invitee_ids: ColumnType<string[], string, string>
  other_attendees: string
  apology_invitee_ids: ColumnType<string[], string, string>
  other_apologies: string
  young_person_attended: 'yes' | 'part' | 'no'
  young_person_views: 'in-person' | 'in-writing' | 'advocate' | 'passed-on' | 'not-given'
  young_person_views_detail: string
  social_worker_attended: boolean
  social_worker_input: string
  recorded_by: string
  recorded_at: Date
}

/** Attendance over a period (issue 19); a correction supersedes a row, never changes it. */
export interface AttendancePeriodTable {
  id: Generated<string>
  child_id: string
  school_id: string | null
  starts_on: CalendarDate
  ends_on: CalendarDate
  sessions_possible: number
  sessions_attended: number
  authorised_absence: number
  unauthorised_absence: number
  source: 'record' | 'pep' | 'import'
  pep_id: string | null
  recorded_by: string | null
  recorded_at: Date
  superseded_at: Date | null
  superseded_by: string | null
}

/** A suspension or permanent exclusion (issue 19). */
export interface ExclusionTable {
  id: Generated<string>
  child_id: string
  school_id: string | null
  kind: 'suspension' | 'permanent'
  starts_on: CalendarDate
  ends_on: CalendarDate | null
  sessions_missed: number | null
  reason: string
  provision: string
  recorded_by: string | null
  recorded_at: Date
  /** Counts the versions: a form opened on an older one is refused. */
  version: Generated<number>
  /** Withdrawn (or the pupil reinstated) and recorded in error mean no action. */
  status: Generated<'in-force' | 'withdrawn' | 'in-error'>
}

/** Every version of an exclusion, appended at each save and never changed (issue 19). */
export interface ExclusionRevisionTable {
  id: Generated<string>
  exclusion_id: string
  child_id: string
  version: number
  record: ColumnType<Record<string, unknown>, string, never>
  recorded_by: string | null
  recorded_at: Date
}

/** A child's alternative provision, part-time timetable or NEET, from a date (issue 17). */
export interface ChildEducationCircumstanceTable {
  id: Generated<string>
  child_id: string
  kind: 'alternative_provision' | 'part_time' | 'neet'
  starts_on: CalendarDate
  ends_on: CalendarDate | null
  provider: string | null
  /** numeric(4,1): read as a string ("12.5"), written as a number. */
  hours_per_week: ColumnType<string | null, number | null, number | null>
  reason: string | null
  recorded_by: string | null
  recorded_at: Date
  ended_by: string | null
  ended_at: Date | null
}

/** A statutory result (issue 19): phonics, key stage 2 or GCSE; corrected by superseding. */
export interface StatutoryResultTable {
  id: Generated<string>
  child_id: string
  kind: 'phonics' | 'ks2' | 'gcse'
  academic_year: number
  subject: string
  retake: Generated<boolean>
  mark: number | null
  threshold: number | null
  scaled_score: number | null
  outcome: string | null
  recorded_by: string | null
  recorded_at: Date
  superseded_at: Date | null
  superseded_by: string | null
}

/** Attainment per subject per term (issue 19); a new entry supersedes, never changes, the old. */
export interface AttainmentEntryTable {
  id: Generated<string>
  child_id: string
  subject: string
  academic_year: number
  term: 'autumn' | 'spring' | 'summer'
  scale: 'early-years' | 'primary' | 'gcse' | 'post-16'
  working_at: string
  expected: string
  target: string | null
  recorded_by: string | null
  recorded_at: Date
  superseded_at: Date | null
  superseded_by: string | null
  /** Typed on a PEP's page that lost a conflict, kept but never current (2026_12_04_1901). */
  not_chosen: Generated<boolean>
  /** The PEP whose page the not-chosen levels were typed on. */
  pep_id: string | null
}

export interface PepInviteeTable {
  id: Generated<string>
  pep_id: string
  user_id: string | null
  email: string | null
}

export type DelegationStatus = 'delegated' | 'submitted' | 'retracted' | 'done'

export interface PepDelegationTable {
  id: Generated<string>
  pep_id: string
  delegated_to: string
  delegated_by: string
  sections: ColumnType<string[], string, string>
  pages: ColumnType<string[] | null, string | null, string | null>
  due_on: CalendarDate
  status: DelegationStatus
  created_at: Date
  submitted_at: Date | null
  ended_at: Date | null
  /** A colleague's part of the teacher's delegation (issue 15); null for the school's part itself. */
  part_of: string | null
}

export interface PepEventTable {
  id: Generated<string>
  pep_id: string
  kind: string
  by_user: string | null
  at: Date
  comments: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, never>
}

export interface PepPdfTable {
  pep_id: string
  content: Buffer
  sha256: string
  created_at: Date
}

export interface TaskTable {
  id: Generated<string>
  kind: string
  is_alert: ColumnType<boolean, boolean | undefined, boolean>
  authority_id: string
  child_id: string
  pep_id: string | null
  assigned_to: string | null
  group_role: string | null
  title: string
  due_on: CalendarDate | null
  status: ColumnType<'open' | 'done', 'open' | 'done' | undefined, 'open' | 'done'>
  created_at: Date
  closed_at: Date | null
  closed_by: string | null
  /** The day an alarm's task is about (an attendance period's last day), to close it by. */
  about_date: ColumnType<CalendarDate | null, CalendarDate | null | undefined, CalendarDate | null>
}

export interface TaskNoteTable {
  id: Generated<string>
  task_id: string
  kind: string
  by_user: string
  to_user: string | null
  comment: string | null
  at: Date
}

export interface AuthoritySettingTable {
  authority_id: string
  key: string
  value: ColumnType<unknown, string, string>
  updated_at: Date
}

/** A day the authority's working-day timescales skip (migration 0007). */
export interface AuthorityClosureDayTable {
  authority_id: string
  on_date: CalendarDate
  description: string
  created_by: string
  created_at: CreatedAt
}

/** Answers as stored: JSON in, parsed out. */
type AnswersColumn = ColumnType<Record<string, unknown>, string, string>

export interface PepPageTable {
  pep_id: string
  page_id: string
  answers: AnswersColumn
  version: number
  saved_by: string | null
  saved_at: Date
}

/** A page of a PEP that staff have shared with the young person (ADR 10). */
export interface PepPageShareTable {
  pep_id: string
  page_id: string
  shared_by: string | null
  shared_at: Date
}

/** The young person's views sent to the people at their meeting (issue 20). */
export interface PepYoungPersonViewsTable {
  pep_id: string
  sent_by: string
  sent_at: Date
  /** Recorded by someone on the young person's behalf, not sent by them. */
  on_behalf: boolean
  how_gathered: string
}

/** The carer's views for a PEP (issue 20), saved as they go, then sent. */
export interface PepCarerViewsTable {
  id: Generated<string>
  pep_id: string
  carer_id: string
  going_well: Generated<string>
  worries: Generated<string>
  would_help: Generated<string>
  version: Generated<number>
  saved_at: Date
  /** When the carer sent them to the people at the meeting; null while still theirs to change. */
  sent_at: Date | null
}

/** A carer invited to a child (issue 20); accepted when they join, or withdrawn. */
export interface CarerInvitationTable {
  id: Generated<string>
  child_id: string
  user_id: string
  invited_name: string
  invited_email: string
  invited_by: string
  invited_at: Date
  last_sent_at: Date
  accepted_at: Date | null
  withdrawn_at: Date | null
  withdrawn_by: string | null
}

/** Every save of a carer's views, kept (issue 20). */
export interface PepCarerViewsRevisionTable {
  id: Generated<string>
  views_id: string
  version: number
  going_well: string
  worries: string
  would_help: string
  saved_at: Date
}

/** Every saved version of a PEP's meeting record, append-only (issue 15). */
export interface PepMeetingRecordRevisionTable {
  id: Generated<string>
  pep_id: string
  version: number
  record: ColumnType<Record<string, unknown>, string, never>
  recorded_by: string
  recorded_at: Date
}

export interface PepPageRevisionTable {
  id: Generated<string>
  pep_id: string
  page_id: string
  version: number
  answers: AnswersColumn
  saved_by: string | null
  saved_at: Date
  /** 'not-chosen': answers sent in a conflict, kept in history when the other save was kept. */
  kind: 'saved' | 'carried-forward' | 'not-chosen'
}

export interface PepSectionTable {
  pep_id: string
  section_id: string
  completed_by: string | null
  completed_at: Date | null
}

export interface MandatoryQuestionTable {
  authority_id: string
  form_type: string
  question_key: string
  mandatory: boolean
  updated_by: string | null
  updated_at: Date
}

/** What a scheduled job has done: one row per kind, subject and day (see migration 0008). */
export interface ScheduledNoticeTable {
  id: Generated<string>
  kind: string
  subject_id: string
  for_date: CalendarDate
  authority_id: string
  created_at: Date
  details: ColumnType<Record<string, unknown>, string | undefined, never>
}

/** Pupil Premium Plus (issue 18, migration 2026_11_30_1818): an authority's funding settings. */
export interface FundingSettingTable {
  authority_id: string
  categories: ColumnType<string[], string, string>
  decide_before_submission: boolean
  updated_by: string | null
  updated_at: Date
}

/** An authority's Pupil Premium Plus budget for a financial year (2026 is 2026-27). */
export interface FundingBudgetTable {
  authority_id: string
  financial_year: number
  allocation_per_child_pence: number
  devolved_per_term_pence: number
  central_pence: number
  grant_received_pence: number
  updated_by: string | null
  updated_at: Date
}

/** A SMART target's request for funding (the target is the item `target_id` of its PEP's page). */
export interface FundingRequestTable {
  id: Generated<string>
  authority_id: string
  child_id: string
  pep_id: string
  target_id: string
  target_text: string
  area: string | null
  school_id: string | null
  amount_pence: number
  purpose: string
  category: string
  expected_impact: string
  requested_by: string
  requested_at: Date
  version: ColumnType<number, number | undefined, number>
}

export interface FundingRequestRevisionTable {
  id: Generated<string>
  request_id: string
  version: number
  amount_pence: number
  purpose: string
  category: string
  expected_impact: string
  saved_by: string
  saved_at: Date
}

export type FundingOutcome = 'approved' | 'part_approved' | 'declined'

/** A decision on a request; a changed decision is a new row and the old one stops being current. */
export interface FundingDecisionTable {
  id: Generated<string>
  request_id: string
  outcome: FundingOutcome
  amount_pence: number
  reason: string
  financial_year: number
  decided_on: CalendarDate
  over_allocation_reason: string | null
  is_current: boolean
  decided_by: string
  decided_role: string
  decided_at: Date
}

export interface PaymentRunTable {
  id: Generated<string>
  authority_id: string
  period_from: CalendarDate
  period_to: CalendarDate
  status: ColumnType<PaymentRunStatus, PaymentRunStatus | undefined, PaymentRunStatus>
  created_by: string
  created_at: Date
  paid_on: CalendarDate | null
  paid_reference: string | null
  paid_by: string | null
  paid_at: Date | null
  discarded_by: string | null
  discarded_at: Date | null
  discard_reason: string | null
}

/** A payment run is open until it is paid or discarded; then it is never changed (a trigger). */
export type PaymentRunStatus = 'open' | 'paid' | 'discarded'

/**
 * Foreign keys on run_id, request_id and decision_id only: authority_id, school_id and created_by
 * are facts copied when the line is made (migration 2026_12_03_2601, the README's design notes).
 */
export interface PaymentLineTable {
  id: Generated<string>
  run_id: string | null
  authority_id: string
  /** Null once the child is erased: the line keeps its money, not whose it was. */
  request_id: string | null
  decision_id: string | null
  school_id: string | null
  kind: 'payment' | 'correction'
  amount_pence: number
  reason: string | null
  created_by: string
  created_at: Date
  /** A line of a discarded run: kept with it, no longer counted as taken. */
  discarded: Generated<boolean>
  /** When erasure removed its link to the child (ADR 13). */
  erased_at: ColumnType<Date | null, never, Date>
}

export interface FundingImpactTable {
  request_id: string
  pep_id: string
  outcome: 'achieved' | 'partly_achieved' | 'not_achieved' | 'continuing'
  difference: string
  recorded_by: string
  recorded_at: Date
  /** 1 for the first record, one more for each correction (issue 18). */
  version: Generated<number>
}

/** Every record of a request's impact, kept when it is corrected (issue 18). */
export interface FundingImpactRevisionTable {
  id: Generated<string>
  request_id: string
  version: number
  pep_id: string
  outcome: string
  difference: string
  recorded_by: string
  recorded_at: Date
}

/** An authority's OpenID Connect provider (ADR 14); the secret sealed under MFA_ENCRYPTION_KEYS. */
export interface OidcProviderTable {
  id: Generated<string>
  authority_id: string
  name: string
  issuer: string
  client_id: string
  client_secret_sealed: string
  created_at: Date
  updated_at: Date
  updated_by: string | null
}

/** An email domain that signs in through a provider: one provider per domain, installation-wide. */
export interface OidcProviderDomainTable {
  domain: string
  provider_id: string
}

/** Whether the people of an authority's single sign-on domains may still use a password. */
export interface AuthoritySignInTable {
  authority_id: string
  passwords_allowed: boolean
  /** Migration 2026_12_03_2201: people unknown to OpenPEP are created on first sign-in. */
  accounts_on_first_sign_in: ColumnType<boolean, boolean | undefined, boolean>
  updated_at: Date
  updated_by: string | null
}

/** Retention (issue 22, migration 2026_12_01_1013): how long an authority keeps records. */
export interface RetentionPolicyTable {
  authority_id: string
  years_after_care: number | null
  until_age: number | null
  updated_at: Date
  updated_by: string
}

/** A record past its retention date, listed by the daily job, waiting for two administrators. */
export interface RetentionReviewTable {
  child_id: string
  authority_id: string
  keep_until: CalendarDate
  listed_at: Date
  proposed_by: string | null
  proposed_at: Date | null
}

export interface DB {
  authority: AuthorityTable
  app_user: AppUserTable
  school: SchoolTable
  membership: MembershipTable
  authority_member: AuthorityMemberTable
  authority_sign_in: AuthoritySignInTable
  oidc_provider: OidcProviderTable
  oidc_provider_domain: OidcProviderDomainTable
  role_offer: RoleOfferTable
  child: ChildTable
  web_session: WebSessionTable
  unsaved_form: UnsavedFormTable
  outbox_email: OutboxEmailTable
  recovery_code: RecoveryCodeTable
  account_token: AccountTokenTable
  child_access: ChildAccessTable
  app_setting: AppSettingTable
  audit_event: AuditEventTable
  api_client: ApiClientTable
  api_webhook: ApiWebhookTable
  api_webhook_delivery: ApiWebhookDeliveryTable
  child_school: ChildSchoolTable
  child_event: ChildEventTable
  child_note: ChildNoteTable
  child_document: ChildDocumentTable
  rate_limit_counter: RateLimitCounterTable
  sign_in_failure: SignInFailureTable
  pep: PepTable
  pep_page: PepPageTable
  pep_page_revision: PepPageRevisionTable
  pep_page_share: PepPageShareTable
  pep_young_person_views: PepYoungPersonViewsTable
  pep_carer_views: PepCarerViewsTable
  pep_carer_views_revision: PepCarerViewsRevisionTable
  carer_invitation: CarerInvitationTable
  pep_section: PepSectionTable
  mandatory_question: MandatoryQuestionTable
  pep_invitee: PepInviteeTable
  pep_delegation: PepDelegationTable
  pep_event: PepEventTable
  pep_pdf: PepPdfTable
  pep_meeting_record: PepMeetingRecordTable
  pep_meeting_record_revision: PepMeetingRecordRevisionTable
  attendance_period: AttendancePeriodTable
  exclusion: ExclusionTable
  child_education_circumstance: ChildEducationCircumstanceTable
  exclusion_revision: ExclusionRevisionTable
  statutory_result: StatutoryResultTable
  attainment_entry: AttainmentEntryTable
  task: TaskTable
  task_note: TaskNoteTable
  authority_setting: AuthoritySettingTable
  authority_closure_day: AuthorityClosureDayTable
  scheduled_notice: ScheduledNoticeTable
  funding_setting: FundingSettingTable
  funding_budget: FundingBudgetTable
  funding_request: FundingRequestTable
  funding_request_revision: FundingRequestRevisionTable
  funding_decision: FundingDecisionTable
  payment_run: PaymentRunTable
  payment_line: PaymentLineTable
  funding_impact: FundingImpactTable
  funding_impact_revision: FundingImpactRevisionTable
  retention_policy: RetentionPolicyTable
  retention_review: RetentionReviewTable
}

export type Authority = Selectable<AuthorityTable>
export type AppUser = Selectable<AppUserTable>
export type NewAppUser = Insertable<AppUserTable>
export type AppUserUpdate = Updateable<AppUserTable>
export type School = Selectable<SchoolTable>
export type Child = Selectable<ChildTable>
export type OutboxEmail = Selectable<OutboxEmailTable>
