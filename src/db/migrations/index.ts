import type { Migration } from 'kysely/migration'
import * as foundation from './2026_11_23_0001_foundation.ts'
import * as identityAccessAudit from './2026_11_23_0002_identity_access_audit.ts'
import * as childRecord from './2026_11_23_0003_child_record.ts'
import * as rateLimit from './2026_11_23_0004_rate_limit.ts'
import * as pepForm from './2026_11_23_0005_pep_form.ts'
import * as pepWorkflow from './2026_11_23_0006_pep_workflow.ts'
import * as closureDays from './2026_11_23_0007_closure_days.ts'
import * as jobs from './2026_11_23_0008_jobs.ts'
import * as childUpnUnique from './2026_11_30_0401_child_upn_unique.ts'
import * as childAccessEndReason from './2026_11_30_1101_child_access_end_reason.ts'
import * as authorityMember from './2026_11_30_1201_authority_member.ts'
import * as youngPersonLinkAndSharing from './2026_11_30_1301_young_person_link_and_sharing.ts'
import * as signInFailure from './2026_11_30_1401_sign_in_failure.ts'
import * as demoAccount from './2026_11_30_1402_demo_account.ts'
import * as appDatabaseRole from './2026_11_30_1501_app_database_role.ts'
import * as notChosenRevision from './2026_11_30_1601_not_chosen_revision.ts'
import * as unsavedForm from './2026_11_30_1602_unsaved_form.ts'
import * as pepDocuments from './2026_11_30_1701_pep_documents.ts'
import * as pepMeetingRecord from './2026_11_30_1702_pep_meeting_record.ts'
import * as i15MeetingRecordRevision from './2026_12_01_1115_i15_meeting_record_revision.ts'
import * as ppplusFunding from './2026_11_30_1818_ppplus_funding.ts'
import * as attendancePeriod from './2026_11_30_1901_attendance_period.ts'
import * as exclusion from './2026_11_30_1902_exclusion.ts'
import * as attainmentNotChosen from './2026_12_04_1901_attainment_not_chosen.ts'
import * as pepInItsChildsAuthority from './2026_12_05_0501_pep_in_its_childs_authority.ts'
import * as oversightIndexes from './2026_12_01_o17perf01_oversight_indexes.ts'
import * as pepQualityRating from './2026_12_01_t17dash01_pep_quality_rating.ts'
import * as attainmentEntry from './2026_11_30_1903_attainment_entry.ts'
import * as youngPersonViews from './2026_11_30_2020_young_person_views.ts'
import * as carerViews from './2026_12_01_0901_i182021_carer_views.ts'
import * as impactHistory from './2026_12_01_1116_i182021_impact_history.ts'
import * as childEducationCircumstance from './2026_12_02_1401_child_education_circumstance.ts'
import * as erasureKeepsMoney from './2026_12_02_1701_erasure_keeps_money.ts'
import * as delegationParts from './2026_12_03_1501_delegation_parts.ts'
import * as ssoAccountsOnFirstSignIn from './2026_12_03_2201_sso_accounts_on_first_sign_in.ts'
import * as paymentLineKeys from './2026_12_03_2601_payment_line_keys.ts'
import * as auditDeniedRequest from './2026_12_04_1601_audit_denied_request.ts'
import * as taskAboutDate from './2026_12_01_1201_lead_task_about_date.ts'
import * as childAccessByChild from './2026_12_01_p16pages01_child_access_by_child.ts'
import * as paymentRunDiscarded from './2026_12_02_1001_payment_run_discarded.ts'
import * as carerInvitation from './2026_12_02_1601_carer_invitation.ts'
import * as ssoOidcProvider from './2026_12_01_1001_sso_oidc_provider.ts'
import * as i13Retention from './2026_12_01_1013_i13_retention.ts'
import * as apiClients from './2026_12_01_1101_api_clients.ts'
import * as exclusionRevision from './2026_12_02_1501_exclusion_revision.ts'
import * as statutoryResult from './2026_12_02_1502_statutory_result.ts'

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0001_foundation': foundation,
  '2026_11_23_0002_identity_access_audit': identityAccessAudit,
  '2026_11_23_0003_child_record': childRecord,
  '2026_11_23_0004_rate_limit': rateLimit,
  '2026_11_23_0005_pep_form': pepForm,
  '2026_11_23_0006_pep_workflow': pepWorkflow,
  '2026_11_23_0007_closure_days': closureDays,
  '2026_11_23_0008_jobs': jobs,
  '2026_11_30_0401_child_upn_unique': childUpnUnique,
  '2026_11_30_1101_child_access_end_reason': childAccessEndReason,
  '2026_11_30_1201_authority_member': authorityMember,
  '2026_11_30_1301_young_person_link_and_sharing': youngPersonLinkAndSharing,
  '2026_11_30_1401_sign_in_failure': signInFailure,
  '2026_11_30_1402_demo_account': demoAccount,
  '2026_11_30_1501_app_database_role': appDatabaseRole,
  '2026_11_30_1601_not_chosen_revision': notChosenRevision,
  '2026_11_30_1602_unsaved_form': unsavedForm,
  '2026_11_30_1701_pep_documents': pepDocuments,
  '2026_11_30_1702_pep_meeting_record': pepMeetingRecord,
  '2026_11_30_1818_ppplus_funding': ppplusFunding,
  '2026_11_30_1901_attendance_period': attendancePeriod,
  '2026_11_30_1902_exclusion': exclusion,
  '2026_11_30_1903_attainment_entry': attainmentEntry,
  '2026_11_30_2020_young_person_views': youngPersonViews,
  '2026_12_01_0901_i182021_carer_views': carerViews,
  '2026_12_01_1001_sso_oidc_provider': ssoOidcProvider,
  '2026_12_01_1013_i13_retention': i13Retention,
  '2026_12_01_1101_api_clients': apiClients,
  '2026_12_01_1115_i15_meeting_record_revision': i15MeetingRecordRevision,
  '2026_12_01_1116_i182021_impact_history': impactHistory,
  '2026_12_01_1201_lead_task_about_date': taskAboutDate,
  '2026_12_01_o17perf01_oversight_indexes': oversightIndexes,
  '2026_12_01_p16pages01_child_access_by_child': childAccessByChild,
  '2026_12_01_t17dash01_pep_quality_rating': pepQualityRating,
  '2026_12_02_1001_payment_run_discarded': paymentRunDiscarded,
  '2026_12_02_1401_child_education_circumstance': childEducationCircumstance,
  '2026_12_02_1501_exclusion_revision': exclusionRevision,
  '2026_12_02_1502_statutory_result': statutoryResult,
  '2026_12_02_1601_carer_invitation': carerInvitation,
  '2026_12_02_1701_erasure_keeps_money': erasureKeepsMoney,
  '2026_12_03_1501_delegation_parts': delegationParts,
  '2026_12_03_2201_sso_accounts_on_first_sign_in': ssoAccountsOnFirstSignIn,
  '2026_12_03_2601_payment_line_keys': paymentLineKeys,
  '2026_12_04_1601_audit_denied_request': auditDeniedRequest,
  '2026_12_04_1901_attainment_not_chosen': attainmentNotChosen,
  '2026_12_05_0501_pep_in_its_childs_authority': pepInItsChildsAuthority,
}
