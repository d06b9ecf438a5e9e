import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../shell/not-found-page';
import { CountsPage } from './counts-page';
import { ItemsPage } from './items-page';
import { MovesPage } from './moves-page';
import { ReservationsPage } from './reservations-page';
import { StockPage } from './stock-page';

/** Everything under /inventory, loaded as one chunk when first visited. */
export function InventoryRoutes() {
  return (
    <Routes>
      <Route path="items" element={<ItemsPage />} />
      <Route path="stock" element={<StockPage />} />
      <Route path="moves" element={<MovesPage />} />
      <Route path="counts" element={<CountsPage />} />
      <Route path="reservations" element={<ReservationsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
