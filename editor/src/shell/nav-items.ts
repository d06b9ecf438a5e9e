import type { Role } from '../api/auth';

export interface NavItem {
  path: string;
  testId: string;
  label: 'nav.home' | 'nav.field' | 'nav.tags' | 'nav.flows' | 'nav.flowHistory' | 'nav.opcuaCertificates';
  /** Shown on the home page as a shortcut; the home entry itself has none. */
  description:
    | 'home.fieldDescription'
    | 'home.tagsDescription'
    | 'home.flowsDescription'
    | 'home.historyDescription'
    | 'home.opcuaCertificatesDescription'
    | null;
  minimum: Role;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', testId: 'nav-home', label: 'nav.home', description: null, minimum: 'viewer' },
  { path: '/field', testId: 'nav-field', label: 'nav.field', description: 'home.fieldDescription', minimum: 'viewer' },
  { path: '/tags', testId: 'nav-tags', label: 'nav.tags', description: 'home.tagsDescription', minimum: 'viewer' },
  {
    path: '/flows',
    testId: 'nav-flows',
    label: 'nav.flows',
    description: 'home.flowsDescription',
    minimum: 'engineer',
  },
  {
    path: '/flows/history',
    testId: 'nav-flow-history',
    label: 'nav.flowHistory',
    description: 'home.historyDescription',
    minimum: 'engineer',
  },
  {
    path: '/opcua/certificates',
    testId: 'nav-opcua-certificates',
    label: 'nav.opcuaCertificates',
    description: 'home.opcuaCertificatesDescription',
    minimum: 'engineer',
  },
];
