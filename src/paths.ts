/** Every URL in the service is built here; templates and redirects never hand-build one. */

/** A path segment: route patterns (":id") pass through, values are encoded. */
const segment = (value: string) => (value.startsWith(':') ? value : encodeURIComponent(value))

export const paths = {
  home: () => '/',
  /** My work's list of the children one works with, downloaded (issue 17). */
  myWork: {
    export: () => '/my-work/export',
  },
  health: () => '/health',
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  signOutEverywhere: () => '/sign-out-everywhere',
  /** Keeps a signed-in session alive: the timeout warning's "Stay signed in". */
  keepAlive: () => '/session/keep-alive',
  /** The second step of sign-in: the code from an authenticator app, or a recovery code. */
  securityCode: () => '/sign-in/security-code',
  recoveryCode: () => '/sign-in/recovery-code',
  /** Single sign-on (ADR 14): off to an authority's provider, and back from it. */
  singleSignOn: (providerId: string) => `/sign-in/single-sign-on/${segment(providerId)}`,
  singleSignOnStart: (providerId: string) => `/sign-in/single-sign-on/${segment(providerId)}/start`,
  singleSignOnCallback: () => '/sign-in/single-sign-on/callback',
  /** Email first: the address alone decides between the provider and the password. */
  signInEmail: () => '/sign-in/email',
  signedOut: () => '/signed-out',
  account: {
    home: () => '/account',
    setUpMfa: () => '/account/two-step-verification',
    recoveryCodes: () => '/account/recovery-codes',
    acceptInvitation: (token: string) => `/account/invitation/${segment(token)}`,
    invitations: () => '/account/invitations',
    acceptJoin: (authorityId: string) => `/account/invitations/${segment(authorityId)}/accept`,
    declineJoin: (authorityId: string) => `/account/invitations/${segment(authorityId)}/decline`,
    forgottenPassword: () => '/account/forgotten-password',
    forgottenPasswordSent: () => '/account/forgotten-password/sent',
    resetPassword: (token: string) => `/account/reset-password/${segment(token)}`,
    forgottenEmail: () => '/account/forgotten-email',
    forgottenEmailSent: () => '/account/forgotten-email/sent',
    changePassword: () => '/account/password',
  },
  children: {
    list: () => '/children',
    export: () => '/children/export',
    show: (childId: string) => `/children/${segment(childId)}`,
    accessLog: (childId: string) => `/children/${segment(childId)}/access-log`,
    access: (childId: string) => `/children/${segment(childId)}/access`,
    removeAccess: (childId: string, accessId: string) =>
      `/children/${segment(childId)}/access/${segment(accessId)}/remove`,
    carers: (childId: string) => `/children/${segment(childId)}/carers`,
    inviteCarer: (childId: string) => `/children/${segment(childId)}/carers/invite`,
    resendCarerInvitation: (childId: string, invitationId: string) =>
      `/children/${segment(childId)}/carers/${segment(invitationId)}/send-again`,
    withdrawCarerInvitation: (childId: string, invitationId: string) =>
      `/children/${segment(childId)}/carers/${segment(invitationId)}/withdraw`,
    notes: (childId: string) => `/children/${segment(childId)}/notes`,
    documents: (childId: string) => `/children/${segment(childId)}/documents`,
    document: (childId: string, documentId: string) =>
      `/children/${segment(childId)}/documents/${segment(documentId)}`,
    history: (childId: string) => `/children/${segment(childId)}/history`,
    changeSchool: (childId: string) => `/children/${segment(childId)}/change-school`,
    changePlacement: (childId: string) => `/children/${segment(childId)}/change-placement`,
    changeOwner: (childId: string) => `/children/${segment(childId)}/change-record-owner`,
    ceaseCare: (childId: string) => `/children/${segment(childId)}/ceased-to-be-in-care`,
    attendance: (childId: string) => `/children/${segment(childId)}/attendance`,
    addAttendance: (childId: string) => `/children/${segment(childId)}/attendance/new`,
    addExclusion: (childId: string) => `/children/${segment(childId)}/exclusions/new`,
    correctExclusion: (childId: string, exclusionId: string) =>
      `/children/${segment(childId)}/exclusions/${segment(exclusionId)}/correct`,
    attainment: (childId: string) => `/children/${segment(childId)}/attainment`,
    addAttainment: (childId: string) => `/children/${segment(childId)}/attainment/new`,
    addStatutoryResult: (childId: string, kind: string) =>
      `/children/${segment(childId)}/attainment/statutory/${segment(kind)}`,
    correctAttendance: (childId: string, periodId: string) =>
      `/children/${segment(childId)}/attendance/${segment(periodId)}/correct`,
    dataRights: (childId: string) => `/children/${segment(childId)}/data-rights`,
    circumstances: (childId: string) => `/children/${segment(childId)}/provision-and-timetable`,
    addCircumstance: (childId: string, kind: string) =>
      `/children/${segment(childId)}/provision-and-timetable/new/${segment(kind)}`,
    endCircumstance: (childId: string, circumstanceId: string) =>
      `/children/${segment(childId)}/provision-and-timetable/${segment(circumstanceId)}/end`,
    subjectAccessExport: (childId: string) =>
      `/children/${segment(childId)}/data-rights/subject-access.zip`,
  },
  retention: {
    review: () => '/retention',
    policy: () => '/retention/policy',
    propose: (childId: string) => `/retention/${segment(childId)}/propose`,
    withdraw: (childId: string) => `/retention/${segment(childId)}/withdraw`,
    confirm: (childId: string) => `/retention/${segment(childId)}/confirm`,
  },
  peps: {
    /** Blank PEPs of each form type, to print for a meeting (issue 21). */
    blankForms: () => '/peps/blank-forms',
    blankPdf: (formType: string) => `/peps/blank-forms/${segment(formType)}/pep.pdf`,
    list: (childId: string) => `/children/${segment(childId)}/peps`,
    start: (childId: string) => `/children/${segment(childId)}/peps/start`,
    contents: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}`,
    read: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/read`,
    page: (childId: string, pepId: string, pageId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/pages/${segment(pageId)}`,
    history: (childId: string, pepId: string, pageId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/pages/${segment(pageId)}/history`,
    share: (childId: string, pepId: string, pageId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/pages/${segment(pageId)}/share`,
    action: (childId: string, pepId: string, transition: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/actions/${segment(transition)}`,
    /** Ends a colleague's part of the school's pages (issue 15): taken back, or handed back. */
    endPart: (childId: string, pepId: string, partId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/parts/${segment(partId)}/end`,
    pdf: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/pep.pdf`,
    documents: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/documents`,
    linkDocument: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/documents/link`,
    meetingRecord: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/meeting-record`,
    /** Staff recording that the young person's views were given on their behalf (issue 20). */
    viewsOnBehalf: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/views-on-behalf`,
    complete: (childId: string, pepId: string, sectionId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/sections/${segment(sectionId)}/complete`,
  },
  /** The young person's own part (issue 20): only for the account linked to the child. */
  youngPerson: {
    home: (childId: string) => `/my-pep/${segment(childId)}`,
    /** A PEP as the young person reads it: the parts for them, in their words. */
    pep: (childId: string, pepId: string) => `/my-pep/${segment(childId)}/peps/${segment(pepId)}`,
    /** "Tell us what you think" for a PEP: where the young person's views begin. */
    views: (childId: string, pepId: string) =>
      `/my-pep/${segment(childId)}/peps/${segment(pepId)}/views`,
    viewsStep: (childId: string, pepId: string, stepId: string) =>
      `/my-pep/${segment(childId)}/peps/${segment(pepId)}/views/${segment(stepId)}`,
    viewsCheck: (childId: string, pepId: string) =>
      `/my-pep/${segment(childId)}/peps/${segment(pepId)}/views-check`,
  },
  /** The carer's own home (issue 20): the children placed with them. */
  carer: {
    home: () => '/my-children',
    /** The carer's views for a PEP of a child placed with them. */
    views: (childId: string, pepId: string) =>
      `/my-children/${segment(childId)}/peps/${segment(pepId)}/views`,
  },
  /** Pupil Premium Plus (issue 18): a child's, a PEP's, and the Virtual School's pages. */
  funding: {
    child: (childId: string) => `/children/${segment(childId)}/funding`,
    request: (childId: string, requestId: string) =>
      `/children/${segment(childId)}/funding/requests/${segment(requestId)}`,
    decide: (childId: string, requestId: string) =>
      `/children/${segment(childId)}/funding/requests/${segment(requestId)}/decision`,
    correction: (childId: string, requestId: string) =>
      `/children/${segment(childId)}/funding/requests/${segment(requestId)}/correction`,
    pep: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/funding`,
    target: (childId: string, pepId: string, targetId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/funding/targets/${segment(targetId)}`,
    impact: (childId: string, pepId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/funding-impact`,
    impactOf: (childId: string, pepId: string, requestId: string) =>
      `/children/${segment(childId)}/peps/${segment(pepId)}/funding-impact/${segment(requestId)}`,
    overview: () => '/funding',
    decisions: () => '/funding/decisions',
    budgets: () => '/funding/budgets',
    budget: (year: string) => `/funding/budgets/${segment(year)}`,
    settings: () => '/funding/settings',
    runs: () => '/funding/payment-runs',
    run: (runId: string) => `/funding/payment-runs/${segment(runId)}`,
    runExport: (runId: string) => `/funding/payment-runs/${segment(runId)}/export`,
    runPaid: (runId: string) => `/funding/payment-runs/${segment(runId)}/paid`,
    runDiscard: (runId: string) => `/funding/payment-runs/${segment(runId)}/discard`,
    report: () => '/funding/report',
  },
  trays: {
    mine: () => '/tray',
    group: (group: string) => `/tray/group/${segment(group)}`,
    dismissAlert: (taskId: string) => `/tray/alerts/${segment(taskId)}/dismiss`,
    task: (taskId: string) => `/tray/tasks/${segment(taskId)}`,
    pickUp: (taskId: string) => `/tray/tasks/${segment(taskId)}/pick-up`,
    release: (taskId: string) => `/tray/tasks/${segment(taskId)}/release`,
    reassign: (taskId: string) => `/tray/tasks/${segment(taskId)}/reassign`,
  },
  formSettings: {
    list: () => '/admin/form-settings',
    formType: (formType: string) => `/admin/form-settings/${segment(formType)}`,
  },
  authoritySettings: {
    overview: () => '/admin/settings',
    termWindows: () => '/admin/settings/term-windows',
    timescales: () => '/admin/settings/timescales',
    reminders: () => '/admin/settings/reminders',
    qualityAssurance: () => '/admin/settings/quality-assurance',
    carers: () => '/admin/settings/carers',
    closureDays: () => '/admin/settings/closure-days',
    scheduledWork: () => '/admin/settings/scheduled-work',
    removeClosureDay: (date: string) => `/admin/settings/closure-days/${segment(date)}/remove`,
    singleSignOn: () => '/admin/settings/single-sign-on',
    newProvider: () => '/admin/settings/single-sign-on/providers/new',
    provider: (providerId: string) =>
      `/admin/settings/single-sign-on/providers/${segment(providerId)}`,
    removeProvider: (providerId: string) =>
      `/admin/settings/single-sign-on/providers/${segment(providerId)}/remove`,
    passwords: () => '/admin/settings/single-sign-on/passwords',
  },
  /** The API clients a Virtual School administrator registers (issue 22). */
  apiClients: {
    list: () => '/admin/settings/api-clients',
    new: () => '/admin/settings/api-clients/new',
    revoke: (clientId: string) => `/admin/settings/api-clients/${segment(clientId)}/revoke`,
    webhooks: (clientId: string) => `/admin/settings/api-clients/${segment(clientId)}/webhooks`,
    newWebhook: (clientId: string) =>
      `/admin/settings/api-clients/${segment(clientId)}/webhooks/new`,
    removeWebhook: (clientId: string, webhookId: string) =>
      `/admin/settings/api-clients/${segment(clientId)}/webhooks/${segment(webhookId)}/remove`,
    deliveries: (clientId: string, webhookId: string) =>
      `/admin/settings/api-clients/${segment(clientId)}/webhooks/${segment(webhookId)}/deliveries`,
  },
  /** The API for case management systems (issue 22): JSON, bearer secrets, problem details. */
  api: {
    openapi: () => '/api/v1/openapi.json',
    docs: () => '/api/v1/docs',
  },
  admin: {
    users: () => '/admin/users',
    newUser: () => '/admin/users/new',
    user: (userId: string) => `/admin/users/${segment(userId)}`,
    userRoles: (userId: string) => `/admin/users/${segment(userId)}/roles`,
    removeUserRole: (userId: string, membershipId: string) =>
      `/admin/users/${segment(userId)}/roles/${segment(membershipId)}/remove`,
    deactivateUser: (userId: string) => `/admin/users/${segment(userId)}/deactivate`,
    reactivateUser: (userId: string) => `/admin/users/${segment(userId)}/reactivate`,
    resetUserMfa: (userId: string) => `/admin/users/${segment(userId)}/reset-two-step-verification`,
    resendInvitation: (userId: string) => `/admin/users/${segment(userId)}/resend-invitation`,
    removeFromAuthority: (userId: string) =>
      `/admin/users/${segment(userId)}/remove-from-authority`,
    withdrawInvitation: (userId: string) => `/admin/users/${segment(userId)}/withdraw-invitation`,
    userChildren: (userId: string) => `/admin/users/${segment(userId)}/children`,
    removeUserChildAccess: (userId: string, accessId: string) =>
      `/admin/users/${segment(userId)}/children/${segment(accessId)}/remove`,
    userActivity: (userId: string) => `/admin/users/${segment(userId)}/activity`,
  },
  schools: {
    list: () => '/schools',
    new: () => '/schools/new',
    import: () => '/schools/import',
    importTemplate: () => '/schools/import/template.csv',
    show: (schoolId: string) => `/schools/${segment(schoolId)}`,
    edit: (schoolId: string) => `/schools/${segment(schoolId)}/edit`,
    convert: (schoolId: string) => `/schools/${segment(schoolId)}/academy-conversion`,
  },
  attendanceImport: {
    form: () => '/attendance/import',
    template: () => '/attendance/import/template.csv',
  },
  childAdmin: {
    new: () => '/children/new',
    edit: (childId: string) => `/children/${segment(childId)}/edit`,
    import: () => '/children/import',
    importTemplate: () => '/children/import/template.csv',
  },
  oversight: {
    dashboard: () => '/oversight',
    children: () => '/oversight/children',
    export: () => '/oversight/children/export',
    remind: () => '/oversight/children/remind',
    annualReport: () => '/oversight/annual-report',
    annualReportExport: () => '/oversight/annual-report/export',
    missingData: () => '/oversight/missing-data',
    missingDataRemind: () => '/oversight/missing-data/remind',
  },
  devMailbox: {
    list: () => '/dev/mailbox',
    show: (emailId: string) => `/dev/mailbox/${segment(emailId)}`,
  },
  assets: (file: string) => `/assets/${file}`,
} as const

export type Paths = typeof paths
