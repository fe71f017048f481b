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
}

export interface DB {
  authority: AuthorityTable
  app_user: AppUserTable
  school: SchoolTable
  membership: MembershipTable
  child: ChildTable
  web_session: WebSessionTable
  outbox_email: OutboxEmailTable
}

export type Authority = Selectable<AuthorityTable>
export type AppUser = Selectable<AppUserTable>
export type NewAppUser = Insertable<AppUserTable>
export type AppUserUpdate = Updateable<AppUserTable>
export type School = Selectable<SchoolTable>
export type Child = Selectable<ChildTable>
export type OutboxEmail = Selectable<OutboxEmailTable>
