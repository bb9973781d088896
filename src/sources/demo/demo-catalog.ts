import { weightTable } from './random.js';

/** Comma-separated names, so long catalogues stay a few lines each. */
function list(text: string): readonly string[] {
  return text.split(', ');
}

/** The tenant demo events belong to when no customer id is configured. */
export const DEMO_CUSTOMER_ID = 'demo-customer';
export const DEMO_COMPANY_DOMAIN = 'northwind-demo.example';

export interface DemoAdmin {
  /** Stable across seeds, so docs and hints can name them. */
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Relative activity in Admin Console (UC) and Configuration Manager (CC). */
  readonly ucWeight: number;
  readonly ccWeight: number;
}

export const DEMO_ADMINS: readonly DemoAdmin[] = [
  { id: 'HTbnKjGVQfK7X05JVOj_IF', firstName: 'Alice', lastName: 'Martin', ucWeight: 20, ccWeight: 6 },
  { id: 'q3Lw0ZcYt1RkP8mNvB2x_A', firstName: 'Bob', lastName: 'Chen', ucWeight: 14, ccWeight: 2 },
  { id: 'Xf7pQe2RsV9kLm4TnW0yZb', firstName: 'Chloé', lastName: 'Dubois', ucWeight: 10, ccWeight: 0 },
  { id: 'dM3kR8tYwE5uI1oP6aS_2D', firstName: 'Dmitri', lastName: 'Volkov', ucWeight: 8, ccWeight: 4 },
  { id: 'Ek9LmN2bV5cX8zA1sD4fG-', firstName: 'Emeka', lastName: 'Okafor', ucWeight: 6, ccWeight: 12 },
  { id: 'Fa2SdF5gH8jK1lQ4wE7rT9', firstName: 'Fatima', lastName: 'Al-Sayed', ucWeight: 0, ccWeight: 16 },
  { id: 'Gr0NeIl_3xY6uT9oP2mK5c', firstName: 'Grace', lastName: "O'Neill", ucWeight: 5, ccWeight: 10 },
  { id: 'Hi7TaNa4kA1qZ8wX5eC2vB', firstName: 'Hiroshi', lastName: 'Tanaka', ucWeight: 3, ccWeight: 9 },
  { id: 'Is4RoSsI9bN2mJ7hG0fD3s', firstName: 'Isabel', lastName: 'Rossi', ucWeight: 7, ccWeight: 3 },
  { id: 'Jo1BeRg6cV3xZ0aS8dF5gH', firstName: 'Jonas', lastName: 'Berg', ucWeight: 4, ccWeight: 0 },
  { id: 'Ka5IyEr2nM9bV6cX3zL0kJ', firstName: 'Kavya', lastName: 'Iyer', ucWeight: 2, ccWeight: 8 },
  { id: 'Li8WaLsH1pO4iU7yT0rE3w', firstName: 'Liam', lastName: 'Walsh', ucWeight: 6, ccWeight: 1 },
];

/** The admin who runs the scripted API bulk deletion near the end of the window. */
export const BURST_ADMIN_INDEX = 1;

/** 8x8 support staff who act on an admin's behalf (the `impersonator` column). */
export const SUPPORT_IMPERSONATORS = ['SUP-81', 'SUP-204', 'SUP-317'] as const;
export const IMPERSONATION_RATE = 0.02;

export const CC_REGIONS = ['uk-eu', 'us', 'ca', 'apac'] as const;
export type DemoRegion = (typeof CC_REGIONS)[number];
export const REGION_WEIGHTS = weightTable<DemoRegion>([
  ['us', 40],
  ['uk-eu', 30],
  ['ca', 15],
  ['apac', 15],
]);
export const REGION_LABELS: Record<DemoRegion, string> = { 'uk-eu': 'UK', us: 'US', ca: 'Canada', apac: 'APAC' };

export const UC_ACCESS_CREATE = weightTable([
  ['Admin Console', 78],
  ['API', 14],
  ['Bulk Import', 8],
]);
export const UC_ACCESS_CHANGE = weightTable([
  ['Admin Console', 85],
  ['API', 15],
]);
export const CC_ACCESS = weightTable([
  ['Configuration Manager', 85],
  ['API', 15],
]);

export const FIRST_NAMES = list(
  'Aisha, Andre, Ana, Arjun, Beatriz, Ben, Camila, Carlos, Chen, Daniel, Deepa, Diego, Elena, Ethan, ' +
    'Fatou, Felix, Gabriel, Hannah, Ibrahim, Ines, Jack, James, Jia, Julia, Kenji, Kofi, Laura, Leila, ' +
    'Lucas, Maria, Mateo, Mei, Mohammed, Nadia, Noah, Olivia, Omar, Priya, Rafael, Rania, Ryan, Sakura, ' +
    'Samuel, Sara, Sean, Sofia, Tariq, Thomas, Uma, Valentina, Wei, Yusuf, Zara, Zoë, Niamh, Siobhán, ' +
    'Björn, Łukasz, Amara, Tomás',
);
export const LAST_NAMES = list(
  'Adeyemi, Andersson, Bauer, Brown, Castillo, Choi, Costa, Das, Dupont, Evans, Fernandes, Fischer, ' +
    'García, Gupta, Haddad, Hughes, Ivanova, Jensen, Johnson, Kaur, Kim, Kowalski, Lee, Lindqvist, ' +
    'López, MacDonald, Mensah, Moreau, Müller, Nakamura, Nguyen, Novak, Nowak, Okonkwo, Patel, Pereira, ' +
    'Quinn, Ramírez, Reddy, Russo, Santos, Schmidt, Singh, Smith, Sørensen, Suzuki, Taylor, Thompson, ' +
    "Torres, Van Dijk, Wang, Williams, Wilson, Wong, Yamamoto, Yilmaz, Zhang, Zielinski, O'Brien, " +
    'McCarthy',
);

export const JOB_TITLES = list(
  'Account Executive, Sales Development Rep, Support Engineer, Customer Success Manager, ' +
    'Office Manager, Receptionist, IT Administrator, Finance Analyst, Warehouse Supervisor, Team Lead, ' +
    'Operations Manager',
);
export const DEPARTMENTS = ['Sales', 'Support', 'Finance', 'IT', 'Operations', 'Marketing', 'HR', 'Logistics'];
export const LOCALES = ['en-US', 'en-GB', 'fr-CA', 'de-DE', 'es-ES', 'en-AU'];
export const TIME_ZONES = [
  'US/Pacific',
  'US/Eastern',
  'Europe/London',
  'America/Toronto',
  'Europe/Berlin',
  'Australia/Sydney',
];
export const USER_TEMPLATE_IDS = ['TGfAVNwBRMKxSeoPUe8Xrw', 'Tm2kQ9vLxP4rZs7NcB1yHw', 'Tq8WnE3bKd6FhJ0oLs5UvA'];

export const RING_GROUP_NAMES = list(
  'Sales – EMEA, Sales – North America, Support Tier 1, Reception, Billing, IT Helpdesk, Facilities, ' +
    'Inside Sales, Renewals, Warehouse – Leeds, Front Desk – Toronto, Partner Desk',
);
export const CALL_QUEUE_NAMES = list(
  'Support Tier 2, Main Support Line, Billing Enquiries, Order Status, Returns & Exchanges, VIP Line, ' +
    'Spanish Support, After-hours Overflow',
);
export const AUTO_ATTENDANT_NAMES = [
  'Main Menu',
  'After Hours Menu',
  'Holiday Closure',
  'Toronto Office',
  'Sydney Office',
];
export const FORWARDING_RULE_NAMES = [
  'Forward to mobile',
  'Out of office',
  'Busy to colleague',
  'After hours to voicemail',
];
export const OPERATORS = ['BT', 'Telstra', 'Lumen', 'Vodafone', 'Rogers'];

export const CC_QUEUE_NAMES = [
  'Inbound Sales',
  'Chat Support',
  'Collections',
  'VIP Callback',
  'Email – Returns',
  'Tech Support',
];
export const CC_AGENT_GROUP_NAMES = [
  'Tier 1 Agents',
  'Tier 2 Agents',
  'Spanish Speakers',
  'Night Shift',
  'Retention Team',
  'Team Leaders',
];
export const CC_CHANNEL_NAMES = ['Main Line', 'Web Chat', 'Support Mailbox', 'Callback Line', 'WhatsApp'];
export const CC_SCRIPT_NAMES = ['Main IVR', 'After Hours', 'Holiday Closure 2026', 'Callback Offer', 'Chat Pre-survey'];
export const CC_CRM_PROPERTIES = [
  'Account Tier',
  'Preferred Language',
  'Contract Renewal Date',
  'Loyalty ID',
  'Order Number',
];
export const CC_CAMPAIGN_NAMES = [
  'Q3 Renewal Outreach',
  'Winback – Lapsed Customers',
  'Webinar Follow-up',
  'Survey Callbacks',
];
export const CC_AGENT_STATUSES = ['Available', 'Offline', 'On Break', 'Busy', 'Lunch', 'Training'];
export const CC_SKILLS = ['English', 'Spanish', 'French', 'Billing', 'Technical', 'Sales', 'VIP'];
export const MEDIA_TYPES = ['phone', 'chat', 'email'] as const;

/**
 * Hostile-but-valid names, created at the start of every demo so renderers and CSV writers meet them:
 * Slack mrkdwn mentions and emphasis, a spreadsheet formula, and an ampersand.
 */
export const SHOWCASE_NAMES = {
  ringGroupMention: '<!channel> After-hours Escalation',
  callQueueBold: '*bold* Priority Callbacks',
  autoAttendantFormula: '=HYPERLINK("https://example.com/menu","Main menu")',
  agentGroupAmpersand: 'Ops & Billing',
} as const;
