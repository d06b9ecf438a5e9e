import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../shell/not-found-page';
import { DeclinePage } from './decline-page';
import { InflowPerformancePage } from './inflow-performance-page';
import { TypeCurvePage } from './type-curve-page';

/** Everything under /reservoir, loaded as one chunk when first visited (it carries the chart library). */
export function ReservoirRoutes() {
  return (
    <Routes>
      <Route path="decline" element={<DeclinePage />} />
      <Route path="type-curves" element={<TypeCurvePage />} />
      <Route path="inflow" element={<InflowPerformancePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
