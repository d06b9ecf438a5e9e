import { Type, type Static } from "@sinclair/typebox";
import { Ajv } from "ajv";
import path from "node:path";
import { DATABASE_TIMEOUT_DEFAULTS } from "./runtime/db/timeouts.js";

/**
 * Every setting: its env variable, its default and its check. The process
 * refuses to start on a bad value, naming the variable, because a site box
 * that silently falls back to a default is worse than one that does not start.
 */
export const SettingsSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 1880 }),
    host: Type.String({ minLength: 1, default: "0.0.0.0" }),
    dataDir: Type.String({ minLength: 1, default: "./data" }),
    databaseUrl: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
    secret: Type.Optional(Type.String({ minLength: 16 })),
    adminPassword: Type.Optional(Type.String({ minLength: 8 })),
    siteId: Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$", default: "SITE1" }),
    // edge: one site's box (devices, flows, ERP). cloud: consolidates many sites' synced records (docs/sync.md).
    role: Type.Union([Type.Literal("edge"), Type.Literal("cloud")], { default: "edge" }),
    logLevel: Type.Union(
      ["fatal", "error", "warn", "info", "debug", "trace", "silent"].map((level) => Type.Literal(level)),
      { default: "info" },
    ),
    sessionTtlHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30, default: 12 }),
    flowMaxBytes: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024, default: 5 * 1024 * 1024 }),
    loginMaxAttempts: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
    loginWindowSeconds: Type.Integer({ minimum: 1, maximum: 86400, default: 900 }),
    secureCookies: Type.Boolean({ default: false }),
    shutdownTimeoutMs: Type.Integer({ minimum: 100, maximum: 60000, default: 8000 }),
    siteName: Type.String({ minLength: 1, maxLength: 100, default: "Petroflow demo site" }),
    unitSystem: Type.Union([Type.Literal("metric"), Type.Literal("oilfield")], { default: "metric" }),
    // The language reports and exports are written in when the requester does not choose one.
    siteLanguage: Type.Union([Type.Literal("en"), Type.Literal("es")], { default: "en" }),
    // The currency purchase approval limits are in (docs/erp-procurement.md).
    siteCurrency: Type.String({ pattern: "^[A-Z]{3}$", default: "USD" }),
    // Site currency per unit of another currency, e.g. "EUR=1.08,CAD=0.73"; a purchase order in a currency not listed cannot be approved.
    exchangeRates: Type.String({ pattern: "^([A-Z]{3}=[0-9]+(\\.[0-9]+)?)?(,[A-Z]{3}=[0-9]+(\\.[0-9]+)?)*$", default: "" }),
    // IANA zone of the site's clock: the production day and local times follow it.
    siteTimeZone: Type.String({ minLength: 1, maxLength: 64, default: "UTC" }),
    // Local hour the production (contract) day starts at, in siteTimeZone: 6 = 06:00 to 06:00.
    productionDayStartHour: Type.Integer({ minimum: 0, maximum: 23, default: 0 }),
    // Standard (base) conditions of gas and liquid volumes: 15 °C and 101.325 kPa, or 60 °F and 14.696 psia.
    standardConditions: Type.Union([Type.Literal("15C_101.325kPa"), Type.Literal("60F_14.696psia")], { default: "15C_101.325kPa" }),
    // Production flags (docs/erp-production.md "Flags"): allocation factor band, check-meter tolerance, well-test validity.
    allocationFactorMin: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.9 }),
    allocationFactorMax: Type.Number({ minimum: 1, maximum: 10, default: 1.1 }),
    checkMeterTolerancePercent: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 2 }),
    wellTestValidityDays: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
    // Gas-lift closed loop (docs/optimization-closed-loop.md): a run older than this cannot be approved, nor an approval this old written.
    setpointApprovalMaxAgeMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
    // Reservoir: production this many percent below the well's current forecast raises reservoir.forecast.shortfall.
    reservoirShortfallPercent: Type.Number({ exclusiveMinimum: 0, maximum: 100, default: 20 }),
    // Maintenance (docs/erp-maintenance.md): how often meter plans are checked, how long a tag sample is trusted to hold, how long an alarm stays active before the demo flow opens a work order.
    maintenanceCheckIntervalSeconds: Type.Integer({ minimum: 10, maximum: 86_400, default: 900 }),
    maintenanceMeterMaxHoldMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 120 }),
    maintenanceAlarmDelayMinutes: Type.Number({ minimum: 0, maximum: 1440, default: 10 }),
    // Procurement receiving (docs/erp-procurement-receiving.md): how far past the ordered quantity a receipt may go; the three-way match's quantity and price tolerances (the amount, in siteCurrency, per invoice line; unset: no absolute limit).
    procurementOverReceiptPercent: Type.Number({ minimum: 0, maximum: 100, default: 0 }),
    procurementQuantityTolerancePercent: Type.Number({ minimum: 0, maximum: 100, default: 0 }),
    procurementPriceTolerancePercent: Type.Number({ minimum: 0, maximum: 100, default: 0 }),
    procurementPriceToleranceAmount: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000_000 })),
    liveMaxRateHz: Type.Number({ exclusiveMinimum: 0, maximum: 50, default: 4 }),
    demo: Type.Boolean({ default: true }),
    // Before migrations change an existing database, keep this many automatic backups in <dataDir>/backups (0: none). docs/upgrading.md "Rolling back".
    upgradeBackupsKept: Type.Integer({ minimum: 0, maximum: 20, default: 2 }),
    demoBackfillDays: Type.Integer({ minimum: 0, maximum: 31, default: 7 }),
    // The demo's first start trips an ESP and wears a bearing this long after readiness (docs/simulator.md); tests that follow the alarm set it low.
    demoFirstFaultDelaySeconds: Type.Integer({ minimum: 0, maximum: 86_400, default: 120 }),
    simModbusPort: Type.Integer({ minimum: 0, maximum: 65535, default: 5020 }),
    simOpcUaPort: Type.Integer({ minimum: 0, maximum: 65535, default: 4840 }),
    simTimeFactor: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 60 }),
    mqttUrl: Type.Optional(Type.String({ pattern: "^mqtts?://" })),
    embeddedMqttPort: Type.Integer({ minimum: 0, maximum: 65535, default: 1884 }),
    entrySpoolMaxRecords: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 50_000 }),
    entrySpoolMaxBytes: Type.Integer({ minimum: 65_536, maximum: 16 * 1024 ** 3, default: 32 * 1024 ** 2 }),
    entryWriteTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
    entryRetryMaxMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000 }),
    dbConnectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: DATABASE_TIMEOUT_DEFAULTS.connectTimeoutMs }),
    dbStatementTimeoutMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: DATABASE_TIMEOUT_DEFAULTS.statementTimeoutMs }),
    dbQueryTimeoutMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: DATABASE_TIMEOUT_DEFAULTS.queryTimeoutMs }),
    dbIdleInTransactionTimeoutMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: DATABASE_TIMEOUT_DEFAULTS.idleInTransactionTimeoutMs }),
    dbKeepAliveMs: Type.Integer({ minimum: 1_000, maximum: 3_600_000, default: DATABASE_TIMEOUT_DEFAULTS.keepAliveMs }),
    requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 40_000 }),
    loginMaxDelaySeconds: Type.Integer({ minimum: 1, maximum: 300, default: 10 }),
    allowHostNodes: Type.Boolean({ default: false }),
    allowFunctionModules: Type.Boolean({ default: false }),
    // Admins may install node packages from local tarballs (docs/sdk.md "Installing a package"): off, because a package is code that runs as the site.
    allowNodeInstall: Type.Boolean({ default: false }),
    historyFlushMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 250 }),
    historyBatchRows: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 5000 }),
    historyRetentionDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 400 }),
    historySpoolMaxBytes: Type.Integer({ minimum: 1024 * 1024, maximum: 1024 ** 4, default: 1024 ** 3 }),
    historySpoolFullPolicy: Type.Union([Type.Literal("drop-newest"), Type.Literal("drop-oldest")], { default: "drop-newest" }),
    historyWriteTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 5000 }),
    alarmMaxShelveMinutes: Type.Integer({ minimum: 1, maximum: 43_200, default: 720 }),
    alarmCertificateWarnDays: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
    historyRollupIntervalMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5_000 }),
    historyRollupBatchMinutes: Type.Integer({ minimum: 1, maximum: 100_000, default: 2_000 }),
    historyQueryTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
    historyRawMaxSpanHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 31, default: 2 }),
    // The cloud's base URL for the sync agent (edge role; docs/sync.md). https, or http to a loopback host (tests).
    syncUrl: Type.Optional(Type.String({ pattern: "^(https://[^\\s]+|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?(/[^\\s]*)?)$" })),
    // The site's push credential (a secret); else the file sync-credential in the data dir (mode 0600).
    syncToken: Type.Optional(Type.String({ minLength: 16 })),
    syncBatchSize: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
    syncIntervalMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5000 }),
    syncTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
    // Longest wait between retries after a failed push (capped exponential backoff with jitter).
    syncRetryMaxMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 300_000 }),
  },
  { additionalProperties: false },
);

export type Settings = Static<typeof SettingsSchema>;

/** The environment variable behind each setting, the name an operator sees. */
export const SETTING_ENV: Record<keyof Settings, string> = {
  port: "PORT",
  host: "HOST",
  dataDir: "PETROFLOW_DATA_DIR",
  databaseUrl: "DATABASE_URL",
  secret: "PETROFLOW_SECRET",
  adminPassword: "PETROFLOW_ADMIN_PASSWORD",
  siteId: "PETROFLOW_SITE_ID",
  role: "PETROFLOW_ROLE",
  logLevel: "LOG_LEVEL",
  sessionTtlHours: "PETROFLOW_SESSION_TTL_HOURS",
  flowMaxBytes: "PETROFLOW_FLOW_MAX_BYTES",
  loginMaxAttempts: "PETROFLOW_LOGIN_MAX_ATTEMPTS",
  loginWindowSeconds: "PETROFLOW_LOGIN_WINDOW_SECONDS",
  secureCookies: "PETROFLOW_SECURE_COOKIES",
  shutdownTimeoutMs: "PETROFLOW_SHUTDOWN_TIMEOUT_MS",
  siteName: "PETROFLOW_SITE_NAME",
  unitSystem: "PETROFLOW_UNIT_SYSTEM",
  siteLanguage: "PETROFLOW_SITE_LANGUAGE",
  siteCurrency: "PETROFLOW_SITE_CURRENCY",
  exchangeRates: "PETROFLOW_EXCHANGE_RATES",
  siteTimeZone: "PETROFLOW_SITE_TIME_ZONE",
  productionDayStartHour: "PETROFLOW_PRODUCTION_DAY_START_HOUR",
  standardConditions: "PETROFLOW_STANDARD_CONDITIONS",
  allocationFactorMin: "PETROFLOW_ALLOCATION_FACTOR_MIN",
  allocationFactorMax: "PETROFLOW_ALLOCATION_FACTOR_MAX",
  checkMeterTolerancePercent: "PETROFLOW_CHECK_METER_TOLERANCE_PERCENT",
  wellTestValidityDays: "PETROFLOW_WELL_TEST_VALIDITY_DAYS",
  setpointApprovalMaxAgeMinutes: "PETROFLOW_SETPOINT_APPROVAL_MAX_AGE_MINUTES",
  reservoirShortfallPercent: "PETROFLOW_RESERVOIR_SHORTFALL_PERCENT",
  maintenanceCheckIntervalSeconds: "PETROFLOW_MAINTENANCE_CHECK_INTERVAL_SECONDS",
  maintenanceMeterMaxHoldMinutes: "PETROFLOW_MAINTENANCE_METER_MAX_HOLD_MINUTES",
  maintenanceAlarmDelayMinutes: "PETROFLOW_MAINTENANCE_ALARM_DELAY_MINUTES",
  procurementOverReceiptPercent: "PETROFLOW_PROCUREMENT_OVER_RECEIPT_PERCENT",
  procurementQuantityTolerancePercent: "PETROFLOW_PROCUREMENT_QUANTITY_TOLERANCE_PERCENT",
  procurementPriceTolerancePercent: "PETROFLOW_PROCUREMENT_PRICE_TOLERANCE_PERCENT",
  procurementPriceToleranceAmount: "PETROFLOW_PROCUREMENT_PRICE_TOLERANCE_AMOUNT",
  liveMaxRateHz: "PETROFLOW_LIVE_MAX_RATE_HZ",
  demo: "PETROFLOW_DEMO",
  upgradeBackupsKept: "PETROFLOW_UPGRADE_BACKUPS_KEPT",
  demoBackfillDays: "PETROFLOW_DEMO_BACKFILL_DAYS",
  demoFirstFaultDelaySeconds: "PETROFLOW_DEMO_FIRST_FAULT_DELAY_SECONDS",
  simModbusPort: "PETROFLOW_SIM_MODBUS_PORT",
  simOpcUaPort: "PETROFLOW_SIM_OPCUA_PORT",
  simTimeFactor: "PETROFLOW_SIM_TIME_FACTOR",
  mqttUrl: "PETROFLOW_MQTT_URL",
  embeddedMqttPort: "PETROFLOW_EMBEDDED_MQTT_PORT",
  entrySpoolMaxRecords: "PETROFLOW_ENTRY_SPOOL_MAX_RECORDS",
  entrySpoolMaxBytes: "PETROFLOW_ENTRY_SPOOL_MAX_BYTES",
  entryWriteTimeoutMs: "PETROFLOW_ENTRY_WRITE_TIMEOUT_MS",
  entryRetryMaxMs: "PETROFLOW_ENTRY_RETRY_MAX_MS",
  dbConnectTimeoutMs: "PETROFLOW_DB_CONNECT_TIMEOUT_MS",
  dbStatementTimeoutMs: "PETROFLOW_DB_STATEMENT_TIMEOUT_MS",
  dbQueryTimeoutMs: "PETROFLOW_DB_QUERY_TIMEOUT_MS",
  dbIdleInTransactionTimeoutMs: "PETROFLOW_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
  dbKeepAliveMs: "PETROFLOW_DB_KEEPALIVE_MS",
  requestTimeoutMs: "PETROFLOW_REQUEST_TIMEOUT_MS",
  loginMaxDelaySeconds: "PETROFLOW_LOGIN_MAX_DELAY_SECONDS",
  allowHostNodes: "PETROFLOW_ALLOW_HOST_NODES",
  allowFunctionModules: "PETROFLOW_ALLOW_FUNCTION_MODULES",
  allowNodeInstall: "PETROFLOW_ALLOW_NODE_INSTALL",
  historyFlushMs: "PETROFLOW_HISTORY_FLUSH_MS",
  historyBatchRows: "PETROFLOW_HISTORY_BATCH_ROWS",
  historyRetentionDays: "PETROFLOW_HISTORY_RETENTION_DAYS",
  historySpoolMaxBytes: "PETROFLOW_HISTORY_SPOOL_MAX_BYTES",
  historySpoolFullPolicy: "PETROFLOW_HISTORY_SPOOL_FULL_POLICY",
  historyWriteTimeoutMs: "PETROFLOW_HISTORY_WRITE_TIMEOUT_MS",
  alarmMaxShelveMinutes: "PETROFLOW_ALARM_MAX_SHELVE_MINUTES",
  alarmCertificateWarnDays: "PETROFLOW_ALARM_CERTIFICATE_WARN_DAYS",
  historyRollupIntervalMs: "PETROFLOW_HISTORY_ROLLUP_INTERVAL_MS",
  historyRollupBatchMinutes: "PETROFLOW_HISTORY_ROLLUP_BATCH_MINUTES",
  historyQueryTimeoutMs: "PETROFLOW_HISTORY_QUERY_TIMEOUT_MS",
  historyRawMaxSpanHours: "PETROFLOW_HISTORY_RAW_MAX_SPAN_HOURS",
  syncUrl: "PETROFLOW_SYNC_URL",
  syncToken: "PETROFLOW_SYNC_TOKEN",
  syncBatchSize: "PETROFLOW_SYNC_BATCH_SIZE",
  syncIntervalMs: "PETROFLOW_SYNC_INTERVAL_MS",
  syncTimeoutMs: "PETROFLOW_SYNC_TIMEOUT_MS",
  syncRetryMaxMs: "PETROFLOW_SYNC_RETRY_MAX_MS",
};

/** Settings whose values must never reach a log line. */
export const SECRET_SETTINGS: ReadonlySet<keyof Settings> = new Set(["secret", "adminPassword", "databaseUrl", "mqttUrl", "syncToken"]);

export class SettingsError extends Error {
  constructor(
    readonly setting: keyof Settings,
    readonly envVar: string,
    reason: string,
  ) {
    super(`Invalid setting ${envVar} (${setting}): ${reason}`);
    this.name = "SettingsError";
  }
}

const ajv = new Ajv({ allErrors: false, useDefaults: true, coerceTypes: true, strict: false });
const validateSettings = ajv.compile(SettingsSchema);

function isSettingKey(key: string): key is keyof Settings {
  return Object.prototype.hasOwnProperty.call(SETTING_ENV, key);
}

/**
 * Builds the settings from an environment (and optional overrides from code,
 * as tests and the CLI pass them). Throws SettingsError on the first bad value.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Settings> = {},
): Settings {
  const candidate: Record<string, unknown> = {};
  for (const [key, envVar] of Object.entries(SETTING_ENV)) {
    const raw = env[envVar];
    if (raw !== undefined && raw !== "") {
      candidate[key] = isBooleanSetting(key) ? parseBoolean(raw, key) : raw;
    }
  }
  Object.assign(candidate, overrides);
  if (!validateSettings(candidate)) {
    const error = validateSettings.errors?.[0];
    const key = (error?.instancePath.split("/")[1] ?? String(error?.params?.additionalProperty ?? "")) || "unknown";
    if (isSettingKey(key)) {
      throw new SettingsError(key, SETTING_ENV[key], error?.message ?? "invalid value");
    }
    throw new Error(`Invalid settings: ${error?.message ?? "unknown error"} (${key})`);
  }
  const settings = candidate as Settings;
  if (!isTimeZone(settings.siteTimeZone)) {
    throw new SettingsError("siteTimeZone", SETTING_ENV.siteTimeZone, `unknown IANA time zone ${JSON.stringify(settings.siteTimeZone)}`);
  }
  settings.dataDir = path.resolve(settings.dataDir);
  return settings;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Boolean settings, read off the schema so a new one needs no list kept in step. */
function isBooleanSetting(key: string): boolean {
  const property: unknown = (SettingsSchema.properties as Record<string, unknown>)[key];
  return (property as { type?: unknown } | undefined)?.type === "boolean";
}

function parseBoolean(raw: string, key: string): boolean | string {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  // Left as a string so validation fails and names the variable.
  return `${raw} (${key} takes true or false)`;
}

/** Settings as they may be logged: secrets replaced. */
export function redactSettings(settings: Settings): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    shown[key] = isSettingKey(key) && SECRET_SETTINGS.has(key) && value !== undefined ? "[redacted]" : value;
  }
  return shown;
}
