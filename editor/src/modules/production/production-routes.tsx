import { Route, Routes } from 'react-router';
import { RequireRole } from '../../shell/require-role';
import { NotFoundPage } from '../../shell/not-found-page';
import { AllocationPage } from './allocation-page';
import { DailyEntryPage } from './daily-entry-page';
import { DailyReportPage } from './daily-report-page';
import { MonthlyReportPage } from './monthly-report-page';
import { WellTestsPage } from './well-tests-page';

/** Everything under /production, loaded as one chunk when first visited. */
export function ProductionRoutes() {
  return (
    <Routes>
      <Route
        index
        element={
          <RequireRole minimum="operator">
            <DailyEntryPage />
          </RequireRole>
        }
      />
      <Route path="well-tests" element={<WellTestsPage />} />
      <Route
        path="allocation"
        element={
          <RequireRole minimum="engineer">
            <AllocationPage />
          </RequireRole>
        }
      />
      <Route path="daily-report" element={<DailyReportPage />} />
      <Route path="monthly-report" element={<MonthlyReportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
