import { Navigate, Route, Routes } from 'react-router';
import { NotFoundPage } from '../../shell/not-found-page';
import { InvoicesPage } from './invoices-page';
import { OrderDetailPage } from './order-detail-page';
import { OrdersPage } from './orders-page';
import { ReceiptsPage } from './receipts-page';
import { RequisitionsPage } from './requisitions-page';
import { SuppliersPage } from './suppliers-page';

/** Everything under /procurement (docs/erp-procurement-screens.md), loaded as one chunk when first visited. */
export function ProcurementRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="orders" replace />} />
      <Route path="suppliers" element={<SuppliersPage />} />
      <Route path="requisitions" element={<RequisitionsPage />} />
      <Route path="orders" element={<OrdersPage />} />
      <Route path="orders/:id" element={<OrderDetailPage />} />
      <Route path="receipts" element={<ReceiptsPage />} />
      <Route path="invoices" element={<InvoicesPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
