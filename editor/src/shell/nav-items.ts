import { hasRole, type Role } from '../api/auth';

type ProductionScreen = 'entry' | 'wellTests' | 'allocation' | 'dailyReport' | 'monthlyReport';
type InventoryScreen = 'items' | 'stock' | 'moves' | 'counts' | 'reservations';
type ProcurementScreen = 'suppliers' | 'requisitions' | 'orders' | 'receipts' | 'invoices';

export interface NavItem {
  path: string;
  testId: string;
  label:
    | 'nav.home' | 'nav.field' | 'nav.tags' | 'nav.flows' | 'nav.flowHistory' | 'nav.opcuaCertificates'
    | 'nav.users' | 'nav.audit' | 'nav.tokens' | 'nav.alarms' | 'nav.events'
    | 'assets.nav'
    | 'trends.nav'
    | 'gasLift.nav'
    | `production.nav.${ProductionScreen}`
    | 'reservoir.nav.decline'
    | 'reservoir.nav.typeCurves'
    | 'inflow.nav'
    | 'maintenance.nav.board'
    | 'maintenance.nav.plans'
    | `inventory.nav.${InventoryScreen}`
    | `procurement.nav.${ProcurementScreen}`
    | 'corporate.nav.production'
    | 'corporate.nav.alarms';
  /** Shown on the home page as a shortcut; the home entry itself has none. */
  description:
    | 'home.fieldDescription'
    | 'home.tagsDescription'
    | 'home.flowsDescription'
    | 'home.historyDescription'
    | 'home.opcuaCertificatesDescription'
    | 'home.usersDescription'
    | 'home.auditDescription'
    | 'home.tokensDescription'
    | 'home.alarmsDescription'
    | 'home.eventsDescription'
    | 'assets.navDescription'
    | 'trends.navDescription'
    | 'gasLift.navDescription'
    | 'inflow.navDescription'
    | `production.home.${ProductionScreen}`
    | 'reservoir.home.decline'
    | 'reservoir.home.typeCurves'
    | 'maintenance.home.board'
    | 'maintenance.home.plans'
    | `inventory.home.${InventoryScreen}`
    | `procurement.home.${ProcurementScreen}`
    | 'corporate.home.production'
    | 'corporate.home.alarms'
    | null;
  minimum: Role;
  /** Shown only where the installation runs in the cloud role (GET /api/v1/site `role`): the corporate screens. */
  cloudOnly?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', testId: 'nav-home', label: 'nav.home', description: null, minimum: 'viewer' },
  { path: '/corporate', testId: 'nav-corporate', label: 'corporate.nav.production', description: 'corporate.home.production', minimum: 'viewer', cloudOnly: true },
  { path: '/corporate/alarms', testId: 'nav-corporate-alarms', label: 'corporate.nav.alarms', description: 'corporate.home.alarms', minimum: 'viewer', cloudOnly: true },
  { path: '/field', testId: 'nav-field', label: 'nav.field', description: 'home.fieldDescription', minimum: 'viewer' },
  { path: '/assets', testId: 'nav-assets', label: 'assets.nav', description: 'assets.navDescription', minimum: 'viewer' },
  { path: '/alarms', testId: 'nav-alarms', label: 'nav.alarms', description: 'home.alarmsDescription', minimum: 'viewer' },
  { path: '/events', testId: 'nav-events', label: 'nav.events', description: 'home.eventsDescription', minimum: 'viewer' },
  { path: '/tags', testId: 'nav-tags', label: 'nav.tags', description: 'home.tagsDescription', minimum: 'viewer' },
  { path: '/trends', testId: 'nav-trends', label: 'trends.nav', description: 'trends.navDescription', minimum: 'viewer' },
  { path: '/maintenance', testId: 'nav-maintenance-board', label: 'maintenance.nav.board', description: 'maintenance.home.board', minimum: 'viewer' },
  { path: '/maintenance/plans', testId: 'nav-maintenance-plans', label: 'maintenance.nav.plans', description: 'maintenance.home.plans', minimum: 'viewer' },
  {
    path: '/production',
    testId: 'nav-production-entry',
    label: 'production.nav.entry',
    description: 'production.home.entry',
    minimum: 'operator',
  },
  {
    path: '/production/well-tests',
    testId: 'nav-production-well-tests',
    label: 'production.nav.wellTests',
    description: 'production.home.wellTests',
    minimum: 'viewer',
  },
  {
    path: '/production/allocation',
    testId: 'nav-production-allocation',
    label: 'production.nav.allocation',
    description: 'production.home.allocation',
    minimum: 'engineer',
  },
  {
    path: '/production/daily-report',
    testId: 'nav-production-daily-report',
    label: 'production.nav.dailyReport',
    description: 'production.home.dailyReport',
    minimum: 'viewer',
  },
  {
    path: '/production/monthly-report',
    testId: 'nav-production-monthly-report',
    label: 'production.nav.monthlyReport',
    description: 'production.home.monthlyReport',
    minimum: 'viewer',
  },
  { path: '/inventory/stock', testId: 'nav-inventory-stock', label: 'inventory.nav.stock', description: 'inventory.home.stock', minimum: 'viewer' },
  { path: '/inventory/items', testId: 'nav-inventory-items', label: 'inventory.nav.items', description: 'inventory.home.items', minimum: 'viewer' },
  { path: '/inventory/moves', testId: 'nav-inventory-moves', label: 'inventory.nav.moves', description: 'inventory.home.moves', minimum: 'viewer' },
  { path: '/inventory/counts', testId: 'nav-inventory-counts', label: 'inventory.nav.counts', description: 'inventory.home.counts', minimum: 'viewer' },
  { path: '/inventory/reservations', testId: 'nav-inventory-reservations', label: 'inventory.nav.reservations', description: 'inventory.home.reservations', minimum: 'viewer' },
  { path: '/procurement/requisitions', testId: 'nav-procurement-requisitions', label: 'procurement.nav.requisitions', description: 'procurement.home.requisitions', minimum: 'viewer' },
  { path: '/procurement/orders', testId: 'nav-procurement-orders', label: 'procurement.nav.orders', description: 'procurement.home.orders', minimum: 'viewer' },
  { path: '/procurement/receipts', testId: 'nav-procurement-receipts', label: 'procurement.nav.receipts', description: 'procurement.home.receipts', minimum: 'viewer' },
  { path: '/procurement/invoices', testId: 'nav-procurement-invoices', label: 'procurement.nav.invoices', description: 'procurement.home.invoices', minimum: 'viewer' },
  { path: '/procurement/suppliers', testId: 'nav-procurement-suppliers', label: 'procurement.nav.suppliers', description: 'procurement.home.suppliers', minimum: 'viewer' },
  {
    path: '/reservoir/decline',
    testId: 'nav-reservoir-decline',
    label: 'reservoir.nav.decline',
    description: 'reservoir.home.decline',
    minimum: 'viewer',
  },
  {
    path: '/reservoir/type-curves',
    testId: 'nav-reservoir-type-curves',
    label: 'reservoir.nav.typeCurves',
    description: 'reservoir.home.typeCurves',
    minimum: 'viewer',
  },
  {
    path: '/reservoir/inflow',
    testId: 'nav-reservoir-inflow',
    label: 'inflow.nav',
    description: 'inflow.navDescription',
    minimum: 'viewer',
  },
  {
    path: '/optimization/gas-lift',
    testId: 'nav-gas-lift',
    label: 'gasLift.nav',
    description: 'gasLift.navDescription',
    minimum: 'viewer',
  },
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
  { path: '/admin/users', testId: 'nav-users', label: 'nav.users', description: 'home.usersDescription', minimum: 'admin' },
  { path: '/admin/audit', testId: 'nav-audit', label: 'nav.audit', description: 'home.auditDescription', minimum: 'admin' },
  { path: '/account/tokens', testId: 'nav-tokens', label: 'nav.tokens', description: 'home.tokensDescription', minimum: 'viewer' },
];

/** The entries a user of `role` sees in an installation of `siteRole` (edge until the site says otherwise). */
export function visibleNavItems(role: Role, siteRole: 'edge' | 'cloud' | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => hasRole(role, item.minimum) && (!item.cloudOnly || siteRole === 'cloud'));
}
