import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppFrame } from './app-frame';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';
import { ReauthDialog } from './reauth-dialog';
import { RequireRole } from './require-role';
import { SessionGate } from './session';
import { UnitSystemProvider } from './unit-system';

// The flows screens carry the graph library; load them only when visited.
const FlowsPage = lazy(async () => ({ default: (await import('../modules/flows/flows-page')).FlowsPage }));
const HistoryPage = lazy(async () => ({ default: (await import('../modules/flows/history-page')).HistoryPage }));
const FieldPage = lazy(async () => ({ default: (await import('../modules/field/field-page')).FieldPage }));
const WellDetailPage = lazy(async () => ({
  default: (await import('../modules/field/well-detail-page')).WellDetailPage,
}));
const CertificatesPage = lazy(async () => ({ default: (await import('../modules/opcua/certificates-page')).CertificatesPage }));
const TagsPage = lazy(async () => ({ default: (await import('../modules/tags/tags-page')).TagsPage }));
// The trends screen carries the chart library.
const TrendsPage = lazy(async () => ({ default: (await import('../modules/trends/trends-page')).TrendsPage }));
const AssetsPage = lazy(async () => ({ default: (await import('../modules/assets/assets-page')).AssetsPage }));
const AssetDetailPage = lazy(async () => ({
  default: (await import('../modules/assets/asset-detail-page')).AssetDetailPage,
}));
const AssetByCodePage = lazy(async () => ({
  default: (await import('../modules/assets/asset-detail-page')).AssetByCodePage,
}));
const UsersPage = lazy(async () => ({ default: (await import('../modules/users/users-page')).UsersPage }));
const TokensPage = lazy(async () => ({ default: (await import('../modules/users/tokens-page')).TokensPage }));
const AlarmsPage = lazy(async () => ({ default: (await import('../modules/alarms/alarms-page')).AlarmsPage }));
const EventsPage = lazy(async () => ({ default: (await import('../modules/alarms/events-page')).EventsPage }));
const AuditPage = lazy(async () => ({ default: (await import('../modules/audit/audit-page')).AuditPage }));
const GasLiftPage = lazy(async () => ({ default: (await import('../modules/optimization/gas-lift-page')).GasLiftPage }));
const ReservoirRoutes = lazy(async () => ({
  default: (await import('../modules/reservoir/reservoir-routes')).ReservoirRoutes,
}));
const MaintenanceRoutes = lazy(async () => ({
  default: (await import('../modules/maintenance/maintenance-routes')).MaintenanceRoutes,
}));
const InventoryRoutes = lazy(async () => ({
  default: (await import('../modules/inventory/inventory-routes')).InventoryRoutes,
}));
const ProcurementRoutes = lazy(async () => ({
  default: (await import('../modules/procurement/procurement-routes')).ProcurementRoutes,
}));
const CorporateRoutes = lazy(async () => ({
  default: (await import('../modules/corporate/corporate-routes')).CorporateRoutes,
}));
const ProductionRoutes = lazy(async () => ({
  default: (await import('../modules/production/production-routes')).ProductionRoutes,
}));

export function App() {
  return (
    <SessionGate>
      <ReauthDialog />
      <UnitSystemProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<AppFrame />}>
              <Route index element={<HomePage />} />
              <Route path="field" element={<FieldPage />} />
              <Route path="field/wells/:id" element={<WellDetailPage />} />
              <Route path="assets" element={<AssetsPage />} />
              <Route path="assets/code/:code" element={<AssetByCodePage />} />
              <Route path="assets/:id" element={<AssetDetailPage />} />
              <Route path="tags" element={<TagsPage />} />
              <Route path="alarms" element={<AlarmsPage />} />
              <Route path="events" element={<EventsPage />} />
              <Route path="trends" element={<TrendsPage />} />
              <Route path="production/*" element={<ProductionRoutes />} />
              <Route path="inventory/*" element={<InventoryRoutes />} />
              <Route path="optimization/gas-lift" element={<GasLiftPage />} />
              <Route path="reservoir/*" element={<ReservoirRoutes />} />
              <Route path="maintenance/*" element={<MaintenanceRoutes />} />
              <Route path="procurement/*" element={<ProcurementRoutes />} />
              <Route path="corporate/*" element={<CorporateRoutes />} />
              <Route
                path="flows"
                element={
                  <RequireRole minimum="engineer">
                    <FlowsPage />
                  </RequireRole>
                }
              />
              <Route path="flows/history" element={<HistoryPage />} />
              <Route
                path="opcua/certificates"
                element={
                  <RequireRole minimum="engineer">
                    <CertificatesPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/users"
                element={
                  <RequireRole minimum="admin">
                    <UsersPage />
                  </RequireRole>
                }
              />
              <Route
                path="admin/audit"
                element={
                  <RequireRole minimum="admin">
                    <AuditPage />
                  </RequireRole>
                }
              />
              <Route path="account/tokens" element={<TokensPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </UnitSystemProvider>
    </SessionGate>
  );
}
