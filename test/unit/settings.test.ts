import assert from "node:assert/strict";
import path from "node:path";
import { loadSettings, redactSettings, SettingsError } from "../../settings.js";

describe("settings", () => {
  it("gives every setting a default", () => {
    const settings = loadSettings({});
    assert.equal(settings.port, 1880);
    assert.equal(settings.dataDir, path.resolve("./data"));
    assert.equal(settings.siteId, "SITE1");
    assert.equal(settings.databaseUrl, undefined);
    assert.equal(settings.secureCookies, false);
  });

  it("reads env overrides and coerces their types", () => {
    const settings = loadSettings({
      PORT: "8080",
      PETROFLOW_DATA_DIR: "/tmp/site",
      DATABASE_URL: "postgres://u@db/site",
      PETROFLOW_SECURE_COOKIES: "true",
      PETROFLOW_SESSION_TTL_HOURS: "1.5",
      PETROFLOW_DEMO: "off",
    });
    assert.equal(settings.port, 8080);
    assert.equal(settings.dataDir, "/tmp/site");
    assert.equal(settings.databaseUrl, "postgres://u@db/site");
    assert.equal(settings.secureCookies, true);
    assert.equal(settings.sessionTtlHours, 1.5);
    assert.equal(settings.demo, false);
  });

  it("bounds the flow-entry spool and its retries by default, and reads their variables", () => {
    const defaults = loadSettings({});
    assert.equal(defaults.entrySpoolMaxRecords, 50_000);
    assert.equal(defaults.entrySpoolMaxBytes, 32 * 1024 * 1024);
    assert.equal(defaults.entryWriteTimeoutMs, 10_000);
    assert.equal(defaults.entryRetryMaxMs, 30_000);
    const set = loadSettings({
      PETROFLOW_ENTRY_SPOOL_MAX_RECORDS: "10",
      PETROFLOW_ENTRY_SPOOL_MAX_BYTES: "1048576",
      PETROFLOW_ENTRY_WRITE_TIMEOUT_MS: "1500",
      PETROFLOW_ENTRY_RETRY_MAX_MS: "2000",
    });
    assert.deepEqual(
      [set.entrySpoolMaxRecords, set.entrySpoolMaxBytes, set.entryWriteTimeoutMs, set.entryRetryMaxMs],
      [10, 1_048_576, 1_500, 2_000],
    );
  });

  it("delays the demo's first fault two minutes by default, and reads its variable", () => {
    assert.equal(loadSettings({}).demoFirstFaultDelaySeconds, 120);
    assert.equal(loadSettings({ PETROFLOW_DEMO_FIRST_FAULT_DELAY_SECONDS: "0" }).demoFirstFaultDelaySeconds, 0);
  });

  for (const [envVar, value] of [
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://x"],
    ["PETROFLOW_SECRET", "short"],
    ["PETROFLOW_SITE_ID", "site one"],
    ["PETROFLOW_SECURE_COOKIES", "maybe"],
    ["PETROFLOW_DEMO", "sometimes"],
    ["PETROFLOW_DEMO_FIRST_FAULT_DELAY_SECONDS", "-1"],
    ["PETROFLOW_ADMIN_PASSWORD", "1234"],
    ["PETROFLOW_ENTRY_SPOOL_MAX_RECORDS", "0"],
    ["PETROFLOW_ENTRY_SPOOL_MAX_BYTES", "1000"],
    ["PETROFLOW_ENTRY_WRITE_TIMEOUT_MS", "fast"],
    ["PETROFLOW_DB_CONNECT_TIMEOUT_MS", "0"],
    ["PETROFLOW_DB_QUERY_TIMEOUT_MS", "soon"],
    ["PETROFLOW_REQUEST_TIMEOUT_MS", "-1"],
  ] as const) {
    it(`refuses ${envVar}=${value} and names the variable`, () => {
      assert.throws(
        () => loadSettings({ [envVar]: value }),
        (error: unknown) => error instanceof SettingsError && error.envVar === envVar && error.message.includes(envVar),
      );
    });
  }

  it("takes the site's clock and base conditions, and refuses a time zone that does not exist", () => {
    const settings = loadSettings({
      PETROFLOW_SITE_TIME_ZONE: "America/Argentina/Buenos_Aires",
      PETROFLOW_PRODUCTION_DAY_START_HOUR: "6",
      PETROFLOW_STANDARD_CONDITIONS: "60F_14.696psia",
      PETROFLOW_SITE_LANGUAGE: "es",
    });
    assert.deepEqual(
      [settings.siteTimeZone, settings.productionDayStartHour, settings.standardConditions, settings.siteLanguage],
      ["America/Argentina/Buenos_Aires", 6, "60F_14.696psia", "es"],
    );
    assert.throws(
      () => loadSettings({ PETROFLOW_SITE_TIME_ZONE: "Mars/Olympus_Mons" }),
      (error: unknown) => error instanceof SettingsError && error.envVar === "PETROFLOW_SITE_TIME_ZONE" && /unknown IANA time zone/.test(error.message),
    );
    assert.throws(() => loadSettings({ PETROFLOW_PRODUCTION_DAY_START_HOUR: "24" }), SettingsError);
  });

  it("never shows secrets when settings are logged", () => {
    const shown = redactSettings(
      loadSettings({ PETROFLOW_SECRET: "a-very-long-secret-value", DATABASE_URL: "postgres://u:pw@db/x", PETROFLOW_ADMIN_PASSWORD: "hunter2hunter2" }),
    );
    const text = JSON.stringify(shown);
    assert.ok(!text.includes("a-very-long-secret-value"));
    assert.ok(!text.includes("pw@db"));
    assert.ok(!text.includes("hunter2"));
    assert.equal(shown.secret, "[redacted]");
  });
});
