import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../shell/not-found-page';
import { EquipmentHistoryPage } from './equipment-history-page';
import { FailureCodesPage } from './failure-codes-page';
import { PlansPage } from './plans-page';
import { WorkOrderBoardPage } from './work-order-board-page';
import { WorkOrderDetailPage } from './work-order-detail-page';

/** Everything under /maintenance (docs/erp-maintenance.md), loaded as one chunk when first visited. */
export function MaintenanceRoutes() {
  return (
    <Routes>
      <Route index element={<WorkOrderBoardPage />} />
      <Route path="work-orders/:id" element={<WorkOrderDetailPage />} />
      <Route path="plans" element={<PlansPage />} />
      <Route path="failure-codes" element={<FailureCodesPage />} />
      <Route path="equipment/:id" element={<EquipmentHistoryPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
