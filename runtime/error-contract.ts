/**
 * The API's error contract, shared by the server and the web app (which
 * imports this file): every error answer is
 *
 *   { error: { code, message, details?: { field?, reason, params? } } }
 *
 * `code` says what kind of failure it is and `reason` exactly why, both from
 * the lists below and stable across releases; `params` carries the values a
 * reason names (a limit, a range, a unit), so the web app can say it in the
 * user's language. `message` is the English sentence for logs, scripts and
 * the Node-RED debug sidebar. Pure: no Node or browser APIs.
 */

/** Top-level error codes. A new code needs a translation in both web app locales (a test checks). */
export const ERROR_CODES = [
  // 400
  "validation_failed",
  "invalid_input",
  "invalid_json",
  "invalid_flows",
  "invalid_idempotency_key",
  "bad_request",
  // 401
  "unauthenticated",
  "invalid_credentials",
  "invalid_token",
  // 403
  "forbidden",
  "csrf_failed",
  // 404
  "not_found",
  // 409
  "conflict",
  "stale",
  "invalid_state",
  "already_running",
  "idempotency_in_progress",
  // A sync push that does not start where the cloud's stored records end (docs/sync.md).
  "sync_gap",
  // 413, 415, 422, 429
  "payload_too_large",
  "unsupported_media_type",
  "idempotency_key_reused",
  "too_many_attempts",
  // 5xx
  "internal_error",
  "not_deployed",
  "database_unavailable",
  "request_timeout",
  // A setpoint write the device refused (502) or did not answer in time (504).
  "device_error",
  "device_timeout",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a request was refused, with its English wording; `{name}` stands for
 * params[name]. The web app has its own wording for each, in Spanish and
 * English (editor/src/i18n/*.json, `apiErrors.reasons`).
 */
export const REASONS = {
  // A value against its schema.
  required: "is required",
  not_allowed: "is not allowed",
  wrong_type: "must be {expected}",
  below_minimum: "must be at least {limit}",
  not_above: "must be greater than {limit}",
  above_maximum: "must be at most {limit}",
  not_below: "must be less than {limit}",
  too_short: "must have at least {limit} characters",
  too_long: "must have at most {limit} characters",
  too_few_items: "must have at least {limit} items",
  too_many_items: "must have at most {limit} items",
  too_few_fields: "must have at least {limit} fields",
  duplicate_items: "must not repeat items",
  not_multiple: "must be a multiple of {limit}",
  pattern_mismatch: "does not have the expected form",
  not_one_of: "must be one of {allowed}",
  not_a_uuid: "must be a UUID",
  not_a_date_time: "must be a date and time with its offset (ISO 8601, e.g. 2026-03-01T08:00:00Z)",
  not_a_date: "must be a date YYYY-MM-DD",
  not_a_month: "must be a month YYYY-MM",
  invalid_format: "must be in {format} format",
  invalid: "is invalid",
  // The input policy (runtime/input): every JSON body, query string and node message.
  nul_character: "contains a NUL character",
  lone_surrogate: "is not well-formed Unicode text (it has a lone surrogate)",
  not_finite: "must be a finite number",
  too_deep: "is nested deeper than {limit} levels",
  leap_second: "has second 60 (a leap second), which is not accepted",
  year_out_of_range: "must be in the years {min} to {max}",
  repeated: "must be given once",
  // Times and order.
  in_future: "is in the future",
  after_today: "is after today ({today}, UTC)",
  not_after: "must be after {other}",
  before_field: "must not be before {other}",
  after_field: "must not be after {other}",
  above_field: "must not exceed {other}",
  before_current_status: "is before the current status began ({since})",
  period_too_long: "is more than {limit} days after periodStart",
  // Assets.
  already_exists: "already exists",
  required_for_kind: "is required for a {kind}",
  not_for_kind: "does not apply to a {kind}",
  required_for_equipment: "is required for equipment of type {type}",
  not_for_equipment: "does not apply to equipment of type {type}",
  parent_must_be_empty: "must be empty: a field is the top of the hierarchy",
  parent_required: "is required: a {kind} hangs under a {parents}",
  parent_not_found: "is not an asset of this site",
  parent_wrong_kind: "is a {parentKind}; a {kind} hangs under a {parents}",
  top_not_above_bottom: "topM must be shallower than bottomM",
  below_total_depth: "is below totalDepthM",
  duplicate_role: "role {role} appears more than once",
  strapping_too_few_points: "needs at least {limit} points",
  strapping_point_invalid: "point {index}: level and volume must be finite and not negative",
  strapping_level_not_increasing: "point {index}: the level must be above the previous point's",
  strapping_volume_decreasing: "point {index}: the volume must not be below the previous point's",
  below_strapping_top: "is below the strapping table's top volume ({volumeM3} m3)",
  no_strapping_table: "has no strapping table",
  outside_strapping_table: "is outside the tank's strapping table ({min} to {max} m)",
  only_wells_have_status: "is a {kind}; only wells have a status",
  well_abandoned: "is abandoned; an abandoned well does not change status",
  same_status: "is already the well's status",
  not_an_asset: "is not an asset of this site",
  connection_to_self: "must be another asset than fromAssetId",
  not_a_process_asset: "is a {kind}, not a well or equipment that a stream can join",
  stream_not_allowed: "{stream} cannot flow from a {from} to a {to}",
  stream_fluid_mismatch: "holds {fluid}; a {stream} stream cannot join it",
  // Production.
  not_a_site: "is not a site",
  not_a_well: "is not a well",
  not_a_tank: "is not a tank",
  not_a_meter: "is not a meter",
  not_under_site: "is not under a site",
  not_at_site: "is not at the site in {other}",
  has_no_wells: "has no wells to allocate to",
  restatement_needs_reason: "is required: the period overlaps allocation run version {version}",
  run_does_not_cover: "does not cover this site and day",
  open_downtime_exists: "already has an open downtime event; close it first",
  already_closed: "is already closed",
  already_voided: "is already voided",
  entry_voided: "is voided",
  already_decided: "is already {status}",
  changed_since_read: "changed since you read it (version {current}, you sent {sent})",
  only_one_of: "must not be given together with {other}",
  not_for_fluid: "does not apply to {fluid}",
  outside_oil_correction_range:
    "is outside the range of API MPMS 11.1 for crude oil (density 610.6 to 1163.5 kg/m3 at 60 °F, −10 to 100 °API; temperature −50 to 150 °C)",
  month_closed: "is in a closed month ({month}): only an admin may change it, with a reason",
  adjustment_needs_reason: "is required: the change adjusts closed month {month}",
  month_already_closed: "is already closed ({month})",
  month_not_closed: "is not closed ({month})",
  month_not_covered: "has days no allocation run covers: {days}",
  month_has_unallocated: "has days whose measured volumes were not allocated: {days}",
  // Gas-lift closed loop (erp-modules/optimization/gas-lift-run-service.ts).
  not_a_gas_lift_well: "is not a gas-lift well",
  no_gas_lift_wells: "has no producing gas-lift wells",
  no_gas_lift_limits: "has gas-lift wells without injection limits: {wells}",
  no_gas_lift_curve: "has gas-lift wells without a performance curve: {wells}",
  gas_lift_infeasible: "({gas} Sm3/d) cannot give every well its minimum injection",
  limits_outside_curve: "has wells whose injection limits lie outside their performance curve: {wells}",
  gas_lift_time_limit: "got no allocation from the optimiser within its time limit",
  no_compressor_capacity: "is required: the site has no compressor capacity configured",
  outside_gas_lift_limits: "would set {well} to {value} Sm3/d, outside its limits {min} to {max} Sm3/d",
  run_too_old: "was made {ageMinutes} minutes ago; a run older than {maxMinutes} minutes cannot be approved",
  approval_too_old: "was approved {ageMinutes} minutes ago; an approval older than {maxMinutes} minutes is not written",
  run_not_approved: "is {status}, not approved: nothing is written",
  run_not_writing: "is {status}, not being written",
  setpoint_already_written: "was already written ({outcome})",
  required_with: "is required with {other}",
  // Maintenance (erp-modules/maintenance).
  transition_not_allowed: "cannot go from {from} to {to}",
  needs_role: "needs the {role} role",
  not_in_catalogue: "is not an active code of the failure-code catalogue",
  // Reservoir (production history import, rate series, forecasts).
  missing_column: "has no {column} column (accepted headers: {accepted})",
  unit_mismatch: "is in {unit}, but the import declares {unitSystem} units",
  unknown_well: "matches no well under {asset}",
  days_on_above_period: "must not exceed the {days} days of the period",
  history_period_exists: "already has imported history for {periods}; import again with replace=true and a reason to supersede it",
  not_a_rate_tag: "is in {unit}; a {fluid} rate tag is in {expected}",
  no_forecast: "has no stored {fluid} forecast",
  // Reservoir (inflow performance).
  required_for_method: "is required for the {method} method",
  no_pressure_survey: "has no static pressure survey on or before {date} for {well}",
  not_recorded_on_test: "is not recorded on well test {test}",
  not_a_test_of_well: "is not a test of well {well}",
  well_test_rejected: "is a rejected well test",
  points_not_distinct: "must have at least two different drawdowns, the rate rising with the drawdown",
  // Inventory (erp-modules/inventory).
  insufficient_stock: "has only {available} {unit} available; {requested} {unit} were asked for",
  currency_mismatch: "is {currency}; the item is valued in {expected}",
  unknown_unit: "is not a unit of this item (base unit {baseUnit}; others: {units})",
  lot_required: "is required: the item is tracked by {tracking}",
  lot_not_tracked: "does not apply: the item is tracked by neither lot nor serial number",
  serial_quantity: "must be 1 for an item tracked by serial number",
  serial_in_stock: "is already in stock",
  not_a_stock_location: "is a {kind} location; only warehouses, bins and yards hold stock",
  reservation_not_open: "is {status}, not open",
  above_reservation_left: "is more than the {left} {unit} left on the reservation",
  already_reversed: "was already reversed",
  same_location: "must differ from {other}",
  must_not_be_zero: "must not be zero",
  duplicate_count_line: "counts item {item} lot {lot} more than once",
  // Procurement (erp-modules/procurement).
  unknown_item: "is not an item of this site",
  unknown_supplier: "is not a supplier of this site",
  unknown_requisition_line: "is not a requisition line of this site",
  no_price: "has no valid supplier price for item {item}",
  supplier_inactive: "is supplier {supplier}, which is inactive",
  requisition_line_not_open: "is {status}, not open",
  requisition_item_mismatch: "is a requisition line for another item ({item})",
  not_editable: "is {status}: only a draft or rejected order can be edited",
  approval_limit: "is {total} {currency}, above your approval limit of {limit} {currency}",
  own_purchase_order: "was created or submitted by you ({user}); someone else must approve it",
  no_exchange_rate: "is {currency}, and the site has no exchange rate to {siteCurrency} (setting exchangeRates)",
  order_not_sent: "is {status}; goods are received and invoiced only on a sent order",
  // Procurement receiving and invoices (docs/erp-procurement-receiving.md).
  not_on_order: "is not a line of purchase order {order}",
  over_receipt: "would receive {requested} on line {line}: ordered {ordered}, received {received}, at most {allowed} more ({overReceiptPercent} % over-receipt allowed)",
  line_closed_short: "is line {line}, closed short: it takes no more receipts",
  line_complete: "is line {line}, already fully received",
  duplicate_invoice: "is invoice {invoiceNumber}, already entered for this supplier",
  total_mismatch: "is {stated}, but the lines and charges add up to {expected}",
  amount_mismatch: "must be quantity x unit price, {expected}",
  invoice_currency_mismatch: "is {currency}; the purchase order is in {expected}",
  own_invoice: "was entered or posted by you ({user}); someone else must accept it",
  invoiced_beyond_return: "would leave line {line} with {receivedAfter} received, below the {invoiced} already invoiced",
  // Tags.
  degenerate_scaling: "needs rawMin ≠ rawMax and engMin ≠ engMax",
  display_unit_not_convertible: "cannot show a value in {unit}",
  malformed_csv: "is not readable CSV",
  scaling_incomplete: "needs all of rawMin, rawMax, engMin and engMax, or none",
  duplicate_in_file: "appears more than once in the file",
  // Alarm definitions.
  unknown_tag: "is not a tag of this site",
  not_for_data_type: "does not apply to a {dataType} tag",
  limit_not_above_other: "must be above the {other} limit ({otherLimit})",
  limit_below_other: "must not be below the {other} limit ({otherLimit})",
  limit_not_below_other: "must be below the {other} limit ({otherLimit})",
  limit_above_other: "must not be above the {other} limit ({otherLimit})",
  // Setpoint writes (runtime/tags/tag-writes.ts).
  not_writable: "is not writable",
  write_role_required: "needs the {role} role to be written",
  outside_write_limits: "is outside the write limits {min} to {max} {unit}",
  no_device_path: "has no device path: no running flow polls this tag",
  device_write_failed: "could not be written to the device",
  device_timeout: "got no answer from the device within {timeoutMs} ms",
  value_changed: "is {current} now, not the {expected} you saw",
  // History queries.
  range_too_long_for_raw: "is too far from `from`: raw values serve at most {limitHours} h; use a bucket of whole minutes",
  too_many_points: "would give {count} points, more than {limit}",
  // Corporate (cloud role) consolidation.
  too_many_months: "covers more than {limit} months",
  too_many_days: "covers more than {limit} days",
  unknown_site: "is not a site this cloud receives from",
  // Users and tokens.
  invalid_username: "must be 2 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  invalid_role: "must be viewer, operator, engineer or admin",
  password_too_short: "must have at least {limit} characters",
  cannot_change_own_account: "an admin cannot disable or demote their own account",
  approval_limit_required: "is required: an approver needs an approval limit in the site currency",
  approval_limit_only_for_approver: "applies only to the approver grant",
  needs_browser_session: "an editor token is issued only to a browser session",
  rate_limited: "too many failed logins; try again in {retryAfterSeconds} s",
  // OPC UA certificates.
  thumbprint_ambiguous: "matches {count} certificates; give more of it",
  thumbprint_invalid: "is not a certificate thumbprint",
  // Alarm engine (acknowledge, shelve, out of service).
  alarm_not_unacknowledged: "is not waiting for an acknowledgement",
  alarm_not_shelved: "is not shelved",
  alarm_out_of_service: "is out of service",
  alarm_not_out_of_service: "is not out of service",
  alarm_shelve_too_long: "must end within {limit} minutes from now",
  // Flows (Node-RED configurations).
  not_json: "is not valid JSON",
  not_an_array: "must be a JSON array of node objects",
  invalid_node: "is not a node object with a string id and type",
  duplicate_id: "uses node id {id} more than once",
  forbidden_key: "has a forbidden key",
  unknown_type: "uses unknown node types: {types}",
  too_large: "is larger than {limit} bytes",
  invalid_wires: "must be an array of arrays of node ids",
  disabled_node_type: "uses node types that run commands or touch files on the host, turned off on this site: {nodes} ({setting}=true turns them on)",
  function_modules_disabled: "has function nodes that load modules, which this site does not allow: {nodes} ({setting}=true allows it)",
  node_config_newer: "node {id} ({type}) has config version {version}, newer than this Petroflow's {current}",
  node_config_version_invalid: "node {id} ({type}) has an invalid config version {version}",
  node_config_migration_failed: "node {id} ({type}) could not be migrated from config version {version} to {current}",
  // Sync (runtime/sync: pushes from sites, ownership, credentials).
  sequence_gap: "starts at sequence {from}; the cloud expects {expected}",
  sequence_mismatch: "sequence {sequence} is stored as another record",
  not_consecutive: "must be consecutive sequences",
  site_mismatch: "is {siteId}, not the site of the credential",
  site_disabled: "is a disabled site",
  site_unknown: "is not a registered site",
  site_exists: "is already registered",
  conflict_resolved: "is already resolved",
  same_owner: "already owns it",
  cloud_role_only: "exists only on the cloud (PETROFLOW_ROLE=cloud)",
  edge_role_only: "is not available on the cloud: it writes to a site's devices",
  // Node packages (docs/sdk.md).
  node_install_disabled: "installing node packages is off on this site ({setting}=true turns it on)",
  node_package_invalid: "is not an installable node package",
  node_package_disabled_type: "registers node types this site turned off",
  node_package_already_installed: "this version of the package is already installed",
  node_package_install_failed: "the package could not be installed",
  node_package_remove_failed: "the package could not be removed",
} as const satisfies Record<string, string>;
export type Reason = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as Reason[];

export type ErrorParam = string | number | boolean | readonly string[];
export type ErrorParams = Readonly<Record<string, ErrorParam>>;

/** What `error.details` holds: the field (dotted path, `body.levelM`), the reason and its values. */
export interface ErrorDetails {
  field?: string;
  reason: Reason;
  params?: ErrorParams;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails };
}

export function isReason(value: unknown): value is Reason {
  return typeof value === "string" && Object.hasOwn(REASONS, value);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

function paramText(value: ErrorParam | undefined): string {
  if (value === undefined) return "?";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The English wording of a reason with its params filled in: `must be at least 0`. */
export function reasonText(reason: Reason, params: ErrorParams = {}): string {
  return REASONS[reason].replace(/\{(\w+)\}/g, (_match, name: string) => paramText(params[name]));
}

/** The English message for details: `body.levelM must be at least 0`. */
export function detailsMessage(details: ErrorDetails): string {
  const text = reasonText(details.reason, details.params);
  return details.field ? `${details.field} ${text}` : text;
}
