import { lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppFrame } from './app-frame';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';
import { RequireRole } from './require-role';
import { SessionGate } from './session';

// The flows screens carry the graph library; load them only when visited.
const FlowsPage = lazy(async () => ({ default: (await import('../modules/flows/flows-page')).FlowsPage }));
const HistoryPage = lazy(async () => ({ default: (await import('../modules/flows/history-page')).HistoryPage }));

export function App() {
  return (
    <SessionGate>
      <BrowserRouter>
        <Routes>
          <Route element={<AppFrame />}>
            <Route index element={<HomePage />} />
            <Route
              path="flows"
              element={
                <RequireRole minimum="engineer">
                  <FlowsPage />
                </RequireRole>
              }
            />
            <Route path="flows/history" element={<HistoryPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionGate>
  );
}
