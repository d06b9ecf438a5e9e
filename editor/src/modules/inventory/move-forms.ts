import type { AdjustmentInput, TransferInput } from '../../api/inventory';

/*
 * The storekeeper's move forms hold what the inputs show (a choice is null
 * until made, a number input is '' until typed); these functions turn them
 * into request bodies or per-field problems. Only what the browser can see
 * is checked here (missing values, the same store twice, a zero change);
 * the server owns the stock rules (available quantity, units, lots) and
 * answers 400/409 naming the field, shown under the same input.
 */

export type MoveInputError = 'required' | 'notPositive' | 'sameLocation' | 'zero';
export type MoveFormResult<F, B> = { body: B } | { errors: Partial<Record<keyof F, MoveInputError>> };

export interface TransferForm {
  itemId: string | null;
  fromLocationId: string | null;
  toLocationId: string | null;
  quantity: number | string;
  notes: string;
}

export interface AdjustmentForm {
  itemId: string | null;
  locationId: string | null;
  /** Found stock adds, lost or damaged stock removes: the sign comes from here, the quantity stays positive. */
  direction: 'add' | 'remove';
  quantity: number | string;
  reason: string;
}

function positive(value: number | string): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

export function transferBody(form: TransferForm): MoveFormResult<TransferForm, TransferInput> {
  const errors: Partial<Record<keyof TransferForm, MoveInputError>> = {};
  if (form.itemId === null) errors.itemId = 'required';
  if (form.fromLocationId === null) errors.fromLocationId = 'required';
  if (form.toLocationId === null) errors.toLocationId = 'required';
  else if (form.toLocationId === form.fromLocationId) errors.toLocationId = 'sameLocation';
  const quantity = positive(form.quantity);
  if (quantity === null) errors.quantity = form.quantity === '' ? 'required' : 'notPositive';
  if (Object.keys(errors).length > 0 || form.itemId === null || form.fromLocationId === null || form.toLocationId === null || quantity === null) return { errors };
  return { body: { itemId: form.itemId, fromLocationId: form.fromLocationId, toLocationId: form.toLocationId, quantity, notes: form.notes.trim() } };
}

export function adjustmentBody(form: AdjustmentForm): MoveFormResult<AdjustmentForm, AdjustmentInput> {
  const errors: Partial<Record<keyof AdjustmentForm, MoveInputError>> = {};
  if (form.itemId === null) errors.itemId = 'required';
  if (form.locationId === null) errors.locationId = 'required';
  const quantity = positive(form.quantity);
  if (quantity === null) errors.quantity = form.quantity === '' ? 'required' : form.quantity === 0 ? 'zero' : 'notPositive';
  const reason = form.reason.trim();
  if (reason === '') errors.reason = 'required';
  if (Object.keys(errors).length > 0 || form.itemId === null || form.locationId === null || quantity === null) return { errors };
  return { body: { itemId: form.itemId, locationId: form.locationId, quantityDelta: form.direction === 'add' ? quantity : -quantity, notes: reason } };
}
