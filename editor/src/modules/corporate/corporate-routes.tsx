import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../shell/not-found-page';
import { CorporateAlarmsPage } from './corporate-alarms-page';
import { CorporateProductionPage } from './corporate-production-page';
import { RemoteSitePage } from './remote-site-page';

/** Everything under /corporate (the cloud role's screens), loaded as one chunk when first visited. */
export function CorporateRoutes() {
  return (
    <Routes>
      <Route index element={<CorporateProductionPage />} />
      <Route path="alarms" element={<CorporateAlarmsPage />} />
      <Route path="sites/:siteId" element={<RemoteSitePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
