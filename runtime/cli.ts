import fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { loadSettings, SettingsError, type Settings } from "../settings.js";
import { AuditService } from "./audit/audit-service.js";
import { AuthService } from "./auth/auth-service.js";
import { createBackup, restoreBackup, secretSourceOf } from "./backup/site-backup.js";
import { isRole, ROLES } from "./auth/roles.js";
import { ALL_MIGRATIONS } from "./db/migration-sources.js";
import { migrate } from "./db/migrator.js";
import { openDatabase } from "./db/open.js";
import type { FlowDiff } from "./flows/flow-diff.js";
import { validateFlows } from "./flows/flow-validation.js";
import type { Revision, RevisionSummary } from "./flows/revision-store.js";
import { exportText } from "./flows/stable-json.js";
import { main as startMain } from "./main.js";
import path from "node:path";
import { DEMO_SPARKPLUG_EDGE_NODE, DEMO_SPARKPLUG_GROUP } from "./demo/demo-assets.js";
import { formatCertificates, OpcUaCertificateStore, opcUaPkiDir } from "./opcua-certs/certificate-store.js";
import { startFullSimulator } from "../simulator/full-simulator.js";
import { SyncSites } from "./sync/sync-sites.js";
import type { InstalledNodePackage, NodePackageChange } from "./node-packages/node-packages.js";

/** A CLI failure: printed without a stack trace, exit code 1. */
class CliError extends Error {}

function settingsOrExit(): Settings {
  try {
    return loadSettings();
  } catch (error) {
    throw new CliError(error instanceof SettingsError ? error.message : String(error));
  }
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError("must be a revision number (1, 2, ...)");
  return parsed;
}

/**
 * Talks to a running site's API: flows commands go through the server so a
 * rollback or import runs at once, and so PGlite's one-process rule holds.
 */
class ApiClient {
  private cookie = "";
  private csrf = "";

  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly credentials: { username: string; password: string } | undefined,
  ) {}

  private async ensureAuth(): Promise<void> {
    if (this.token || this.cookie) return;
    if (!this.credentials) {
      throw new CliError("set PETROFLOW_TOKEN (an API token) or PETROFLOW_USER and PETROFLOW_PASSWORD to reach the site's API");
    }
    const response = await this.fetch("POST", "/api/v1/auth/login", this.credentials);
    const body = (await response.json()) as { csrfToken?: string; error?: { message: string } };
    if (!response.ok) throw new CliError(`login failed: ${body.error?.message ?? response.status}`);
    this.cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    this.csrf = body.csrfToken ?? "";
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== "GET") headers["x-csrf-token"] = this.csrf;
    const binary = Buffer.isBuffer(body);
    if (body !== undefined) headers["content-type"] = binary ? "application/gzip" : "application/json";
    try {
      return await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : binary ? new Uint8Array(body) : JSON.stringify(body) });
    } catch (error) {
      const cause: unknown = (error as Error).cause;
      throw new CliError(`cannot reach the site at ${this.baseUrl} (${cause instanceof Error ? cause.message : (error as Error).message}); is it running? Set PETROFLOW_URL if it listens elsewhere.`);
    }
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    await this.ensureAuth();
    const response = await this.fetch(method, path, body);
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as T & { error?: { message: string } }) : ({} as T & { error?: { message: string } });
    if (!response.ok) throw new CliError(`${method} ${path} failed (${response.status}): ${parsed.error?.message ?? text}`);
    return parsed;
  }

  /** A file the API answers (a zip, a PDF), whole. */
  async download(path: string): Promise<Buffer> {
    await this.ensureAuth();
    const response = await this.fetch("GET", path);
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new CliError(`GET ${path} failed (${response.status}): ${body.toString("utf8")}`);
    return body;
  }
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
function month(value: string): string {
  if (!MONTH.test(value)) throw new InvalidArgumentError("must be a month, YYYY-MM");
  return value;
}

function apiClient(options: { url?: string }): ApiClient {
  const port = process.env.PORT ?? "1880";
  const url = (options.url ?? process.env.PETROFLOW_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
  const user = process.env.PETROFLOW_USER;
  const password = process.env.PETROFLOW_PASSWORD;
  return new ApiClient(url, process.env.PETROFLOW_TOKEN, user && password ? { username: user, password } : undefined);
}

function formatRevision(revision: RevisionSummary): string {
  return `${String(revision.number).padStart(5)}  ${revision.createdAt}  ${(revision.author ?? "-").padEnd(16)}  ${revision.message}`;
}

function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? "undefined" : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatDiff(diff: FlowDiff): string {
  const lines: string[] = [];
  const label = (node: { id: string; type: string; name?: unknown }) =>
    `${node.type} ${node.id}${typeof node.name === "string" && node.name ? ` "${node.name}"` : ""}`;
  for (const node of diff.added) lines.push(`+ added    ${label(node)}`);
  for (const node of diff.removed) lines.push(`- removed  ${label(node)}`);
  for (const node of diff.changed) {
    lines.push(`~ changed  ${label(node)}`);
    for (const [key, change] of Object.entries(node.properties)) {
      lines.push(`      ${key}: ${formatValue(change.from)} -> ${formatValue(change.to)}`);
    }
  }
  for (const node of diff.rewired) lines.push(`> rewired  ${label(node)}: ${formatValue(node.from)} -> ${formatValue(node.to)}`);
  if (lines.length === 0) lines.push("no differences");
  return lines.join("\n");
}

export function buildCli(): Command {
  const program = new Command("petroflow").description("Petroflow edge site: ERP + SCADA on embedded Node-RED").showHelpAfterError();

  program
    .command("start")
    .description("start the site (same as npm start)")
    .action(async () => {
      await startMain();
    });

  program
    .command("migrate")
    .description("apply pending database migrations and exit")
    .action(async () => {
      const settings = settingsOrExit();
      const opened = await openDatabase(settings);
      try {
        const report = await migrate(opened.db, ALL_MIGRATIONS);
        process.stdout.write(
          report.applied.length
            ? `applied ${report.applied.length} migration(s):\n${report.applied.map((name) => `  ${name}`).join("\n")}\n`
            : `database is up to date (${report.alreadyApplied} migrations applied earlier)\n`,
        );
      } finally {
        await opened.close();
      }
    });

  const user = program.command("user").description("manage users");
  user
    .command("add <name>")
    .description("create a user; prints a generated password once unless --password-stdin")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`, (value) => {
      if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(", ")}`);
      return value;
    })
    .option("--password-stdin", "read the password from standard input")
    .action(async (name: string, options: { role: (typeof ROLES)[number]; passwordStdin?: boolean }) => {
      const settings = settingsOrExit();
      const password = options.passwordStdin ? fs.readFileSync(0, "utf8").trim() : undefined;
      const opened = await openDatabase(settings);
      try {
        await migrate(opened.db, ALL_MIGRATIONS);
        const audit = new AuditService(opened.db, settings.siteId);
        const auth = new AuthService(opened.db, audit, { siteId: settings.siteId, sessionTtlHours: settings.sessionTtlHours });
        const created = await auth.createUser({ username: name, role: options.role, password }, "cli").catch((error: unknown) => {
          throw new CliError((error as Error).message);
        });
        process.stdout.write(`created ${created.user.role} ${created.user.username}\n`);
        if (created.generatedPassword) process.stdout.write(`password: ${created.generatedPassword}\n(shown once)\n`);
      } finally {
        await opened.close();
      }
    });

  program
    .command("backup <file>")
    .description("write the site (database, flows, credentials, key file, data dir) to one file; docs/backup-restore.md")
    .option("--passphrase-stdin", "seal the file with a passphrase read from standard input (or set PETROFLOW_BACKUP_PASSPHRASE)")
    .action(async (file: string, options: { passphraseStdin?: boolean }) => {
      const settings = settingsOrExit();
      const passphrase = backupPassphrase(options.passphraseStdin);
      const opened = await openDatabase(settings);
      try {
        const result = await createBackup({
          db: opened.db,
          dataDir: settings.dataDir,
          siteId: settings.siteId,
          secretSource: secretSourceOf(settings.dataDir, settings.secret),
          file,
          passphrase,
          actor: "cli",
        }).catch(cliFailure);
        const rows = result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
        process.stdout.write(
          `wrote ${result.file}: ${result.bytes} bytes, ${result.manifest.tables.length} tables, ${rows} rows, ` +
            `${result.manifest.migrations.length} migrations\nsha256 ${result.sha256}\n`,
        );
        if (!passphrase) {
          process.stderr.write("warning: the backup is not sealed and holds the site's secret key: keep it like a password (or use --passphrase-stdin)\n");
        }
      } finally {
        await opened.close();
      }
    });

  program
    .command("restore <file>")
    .description("restore a backup into a stopped site (older backups are migrated forward); docs/backup-restore.md")
    .option("--force", "replace a database or data dir that is not empty, or restore another site's backup")
    .option("--passphrase-stdin", "read the passphrase of a sealed backup from standard input (or set PETROFLOW_BACKUP_PASSPHRASE)")
    .action(async (file: string, options: { force?: boolean; passphraseStdin?: boolean }) => {
      const settings = settingsOrExit();
      const passphrase = backupPassphrase(options.passphraseStdin);
      const opened = await openDatabase(settings);
      try {
        const result = await restoreBackup({
          db: opened.db,
          dataDir: settings.dataDir,
          siteId: settings.siteId,
          file,
          passphrase,
          force: Boolean(options.force),
          sources: ALL_MIGRATIONS,
          actor: "cli",
        }).catch(cliFailure);
        process.stdout.write(
          `restored ${result.manifest.siteId} from ${result.manifest.createdAt} (Petroflow ${result.manifest.appVersion}): ${result.rows} rows\n` +
            (result.migratedForward.length ? `migrated forward: ${result.migratedForward.join(", ")}\n` : "schema already current\n"),
        );
        if (result.manifest.secretSource === "PETROFLOW_SECRET") {
          process.stderr.write("note: the backed-up site took its secret from PETROFLOW_SECRET; set the same value here or its Node-RED credentials cannot be read\n");
        }
      } finally {
        await opened.close();
      }
    });

  program
    .command("corporate-export")
    .description("cloud role: download the analytics export (hive-style CSV partitions in a zip, docs/corporate.md) from the running installation")
    .requiredOption("--from <month>", "first month, YYYY-MM", month)
    .requiredOption("--to <month>", "last month, YYYY-MM", month)
    .option("--site <siteId>", "one site only")
    .requiredOption("--out <file>", "where to write the zip")
    .option("--url <url>", "the installation's base URL (default PETROFLOW_URL or http://127.0.0.1:$PORT)")
    .action(async (options: { from: string; to: string; site?: string; out: string; url?: string }) => {
      const query = new URLSearchParams({ fromMonth: options.from, toMonth: options.to, ...(options.site ? { siteId: options.site } : {}) });
      const archive = await apiClient(options).download(`/api/v1/corporate/export.zip?${query.toString()}`);
      fs.writeFileSync(options.out, archive);
      process.stdout.write(`wrote ${archive.length} bytes to ${options.out}\n`);
    });

  // The cloud's sites and credentials, on its database (PostgreSQL while the cloud runs; PGlite only while it is stopped).
  const withSyncSites = async <T>(use: (sites: SyncSites) => Promise<T>): Promise<T> => {
    const settings = settingsOrExit();
    const opened = await openDatabase(settings);
    try {
      await migrate(opened.db, ALL_MIGRATIONS);
      return await use(new SyncSites(opened.db, new AuditService(opened.db, settings.siteId))).catch((error: unknown) => {
        throw new CliError((error as Error).message);
      });
    } finally {
      await opened.close();
    }
  };
  const sync = program.command("sync").description("the cloud's register of sites and their push credentials (docs/sync.md)");
  sync
    .command("sites")
    .description("registered sites: last contact, last sequence, credentials")
    .action(async () => {
      const sites = await withSyncSites((store) => store.list());
      for (const site of sites) {
        const active = site.credentials.filter((credential) => !credential.revokedAt).map((credential) => credential.id);
        process.stdout.write(
          `${site.siteId}\t${site.name}\tlast sequence ${site.lastSequence}\tlast contact ${site.lastContactAt ?? "never"}${site.disabledAt ? "\tDISABLED" : ""}\tcredentials ${active.join(",") || "none"}\n`,
        );
      }
      if (sites.length === 0) process.stdout.write("no sites yet: petroflow sync site add <SITE> --name <name>\n");
    });
  sync
    .command("site")
    .description("register a site")
    .command("add <siteId>")
    .requiredOption("--name <name>", "the site's name")
    .action(async (siteId: string, options: { name: string }) => {
      if (!/^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(siteId)) throw new CliError("a site id is 1-32 of A-Z, 0-9, _ and -, starting with a letter or digit");
      await withSyncSites((store) => store.add(siteId, options.name, "cli"));
      process.stdout.write(`registered site ${siteId}\n`);
    });
  const credential = sync.command("credential").description("a site's push credentials: issue, rotate, revoke");
  const printIssued = (siteId: string, issued: { credentialId: string; token: string }) =>
    process.stdout.write(
      `credential ${issued.credentialId} for ${siteId}\ntoken: ${issued.token}\n(shown once: set it as PETROFLOW_SYNC_TOKEN on the site, or in <data dir>/sync-credential with mode 0600)\n`,
    );
  credential
    .command("issue <siteId>")
    .description("a new credential (the token is printed once)")
    .action(async (siteId: string) => {
      printIssued(siteId, await withSyncSites((store) => store.issue(siteId, "cli")));
    });
  credential
    .command("rotate <siteId>")
    .description("a new credential; the old ones stay valid until revoked, unless --revoke-others")
    .option("--revoke-others", "revoke the site's other credentials at once (a leaked token)")
    .action(async (siteId: string, options: { revokeOthers?: boolean }) => {
      const issued = await withSyncSites((store) => store.rotate(siteId, "cli", options.revokeOthers === true));
      printIssued(siteId, issued);
      if (issued.revoked.length) process.stdout.write(`revoked: ${issued.revoked.join(", ")}\n`);
    });
  credential
    .command("revoke <credentialId>")
    .description("revoke a credential: the site's pushes with it are refused from now on")
    .action(async (credentialId: string) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(credentialId)) {
        throw new CliError("a credential id is a UUID: see petroflow sync sites");
      }
      await withSyncSites((store) => store.revoke(credentialId, "cli"));
      process.stdout.write(`revoked ${credentialId}\n`);
    });

  const flows = program
    .command("flows")
    .description("flow revisions of a running site (PETROFLOW_URL, PETROFLOW_TOKEN or PETROFLOW_USER/PETROFLOW_PASSWORD)")
    .option("--url <url>", "the site's base URL (default PETROFLOW_URL or http://127.0.0.1:$PORT)");

  flows
    .command("list")
    .description("list revisions, newest first")
    .option("--limit <n>", "how many", positiveInt, 50)
    .action(async (options: { limit: number }) => {
      const result = await apiClient(flows.opts()).call<{ revisions: RevisionSummary[] }>(
        "GET",
        `/api/v1/flows/revisions?limit=${options.limit}`,
      );
      process.stdout.write(`${"rev".padStart(5)}  ${"created".padEnd(24)}  ${"author".padEnd(16)}  message\n`);
      for (const revision of result.revisions) process.stdout.write(`${formatRevision(revision)}\n`);
    });

  flows
    .command("show <n>")
    .description("show one revision and its flows")
    .action(async (n: string) => {
      const revision = await apiClient(flows.opts()).call<Revision>("GET", `/api/v1/flows/revisions/${positiveInt(n)}`);
      const { flows: nodes, ...summary } = revision;
      process.stdout.write(`${formatRevision(summary)}\nsha256 ${summary.sha256}\n${exportText(nodes)}`);
    });

  flows
    .command("diff <a> <b>")
    .description("what changed from revision a to revision b")
    .action(async (a: string, b: string) => {
      const diff = await apiClient(flows.opts()).call<FlowDiff>(
        "GET",
        `/api/v1/flows/revisions/${positiveInt(a)}/diff/${positiveInt(b)}`,
      );
      process.stdout.write(`${formatDiff(diff)}\n`);
    });

  flows
    .command("rollback <n>")
    .description("run revision n again (as a new revision), at once")
    .option("-m, --message <text>", "why")
    .action(async (n: string, options: { message?: string }) => {
      const result = await apiClient(flows.opts()).call<{ revision: RevisionSummary }>(
        "POST",
        `/api/v1/flows/revisions/${positiveInt(n)}/rollback`,
        options.message ? { message: options.message } : {},
      );
      process.stdout.write(`rolled back: now running revision ${result.revision.number} (${result.revision.message})\n`);
    });

  flows
    .command("export <file>")
    .description("write the running flows (or --revision n) as stable JSON for git")
    .option("--revision <n>", "a revision instead of the running one", positiveInt)
    .action(async (file: string, options: { revision?: number }) => {
      const path = options.revision ? `/api/v1/flows/revisions/${options.revision}` : "/api/v1/flows/current";
      const revision = await apiClient(flows.opts()).call<Revision>("GET", path);
      fs.writeFileSync(file, exportText(revision.flows));
      process.stdout.write(`wrote revision ${revision.number} (${revision.flows.length} nodes) to ${file}\n`);
    });

  flows
    .command("import <file>")
    .description("check a flows file and deploy it as a new revision")
    .requiredOption("-m, --message <text>", "what this revision is")
    .action(async (file: string, options: { message: string }) => {
      // Structure is checked here for a quick, local answer; the server
      // checks again, including node types only it knows.
      const checked = validateFlows(fs.readFileSync(file, "utf8"), { maxBytes: 100 * 1024 * 1024, isKnownType: () => true });
      if (!checked.ok) throw new CliError(`${file}: ${checked.message}`);
      const result = await apiClient(flows.opts()).call<{ created: boolean; revision: RevisionSummary }>(
        "POST",
        "/api/v1/flows/import",
        { flows: checked.flows, message: options.message },
      );
      process.stdout.write(
        result.created
          ? `imported as revision ${result.revision.number}\n`
          : `identical to running revision ${result.revision.number}; nothing deployed\n`,
      );
    });

  program
    .command("sim")
    .description("run the simulated oilfield: Modbus TCP, OPC UA (with a secure endpoint) and, with --mqtt, Sparkplug B")
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--modbus-port <port>", "Modbus TCP port", (value) => portNumber(value), 5020)
    .option("--opcua-port <port>", "OPC UA port", (value) => portNumber(value), 4840)
    .option("--mqtt <url>", "publish Sparkplug B to this broker (mqtt://...)")
    .option("--time-factor <n>", "simulated seconds per real second", Number, 60)
    .option("--seed <n>", "random seed (same seed, same field)", Number, 1)
    .action(async (options: { host: string; modbusPort: number; opcuaPort: number; mqtt?: string; timeFactor: number; seed: number }) => {
      const settings = settingsOrExit();
      const running = await startFullSimulator({
        seed: options.seed,
        timeFactor: options.timeFactor,
        declineTimeFactor: 30,
        host: options.host,
        modbusPort: options.modbusPort,
        opcUaPort: options.opcuaPort,
        mqttUrl: options.mqtt,
        sparkplugGroup: DEMO_SPARKPLUG_GROUP,
        sparkplugEdgeNode: DEMO_SPARKPLUG_EDGE_NODE,
        opcUaPkiDir: path.join(settings.dataDir, "simulator-pki", "opcua-server"),
        sparkplugStateDir: path.join(settings.dataDir, "simulator-sparkplug"),
      });
      const { model } = running.simulator;
      model.onEvent((event) => process.stdout.write(`${new Date(event.t).toISOString()} ${event.asset} ${event.kind}: ${event.message}\n`));
      process.stdout.write(
        `Simulated oilfield ${model.siteId}: ${model.assets.length} assets, ${model.points.length} points\n` +
          `  Modbus TCP  ${options.host}:${running.simulator.modbusPort} (register map: docs/simulator.md)\n` +
          `  OPC UA      ${running.opcUa?.endpointUrl ?? "-"} (certificate ${running.opcUa?.certificateThumbprint ?? "-"})\n` +
          `  Sparkplug B ${options.mqtt ? `${options.mqtt} group ${DEMO_SPARKPLUG_GROUP} edge node ${DEMO_SPARKPLUG_EDGE_NODE}` : "off (--mqtt URL)"}\n` +
          "Ctrl-C stops it.\n",
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await running.close();
    });

  const nodes = program
    .command("nodes")
    .description("node packages of a running site, installed offline from npm pack tarballs (admin; PETROFLOW_ALLOW_NODE_INSTALL on the site)")
    .option("--url <url>", "the site's base URL (default PETROFLOW_URL or http://127.0.0.1:$PORT)");
  nodes
    .command("list")
    .description("node packages installed from tarballs")
    .action(async () => {
      const result = await apiClient(nodes.opts()).call<{ installAllowed: boolean; packages: InstalledNodePackage[] }>("GET", "/api/v1/node-packages");
      if (!result.installAllowed) process.stdout.write("installing node packages is off on this site (PETROFLOW_ALLOW_NODE_INSTALL)\n");
      for (const installed of result.packages) {
        const pending = installed.pendingVersion ? ` (${installed.pendingVersion} from the next start)` : "";
        process.stdout.write(`${installed.name}@${installed.version}${pending}  ${installed.types.join(", ")}\n`);
      }
    });
  nodes
    .command("install <tarball>")
    .description("install or upgrade a node package from a local .tgz (npm pack output); nothing is downloaded, no install script runs")
    .action(async (tarball: string) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(tarball);
      } catch (error) {
        throw new CliError(`cannot read ${tarball}: ${(error as Error).message}`);
      }
      const file = encodeURIComponent(path.basename(tarball));
      const { package: installed } = await apiClient(nodes.opts()).call<{ package: NodePackageChange }>("POST", `/api/v1/node-packages?file=${file}`, bytes);
      process.stdout.write(
        `${installed.change === "upgrade" ? "upgraded" : "installed"} ${installed.name}@${installed.version} (sha256 ${installed.sha256}): ${installed.types.join(", ")}\n` +
          (installed.restartRequired ? "the new version runs from the site's next start\n" : ""),
      );
    });
  nodes
    .command("remove <name>")
    .description("remove a node package installed from a tarball")
    .action(async (name: string) => {
      const { removed } = await apiClient(nodes.opts()).call<{ removed: { name: string; version: string } }>("DELETE", `/api/v1/node-packages/${encodeURIComponent(name)}`);
      process.stdout.write(`removed ${removed.name}@${removed.version}\n`);
    });

  const certs = program
    .command("opcua-certs")
    .description("the site's OPC UA certificate store: servers whose certificates the OPC UA nodes trust");
  const withStore = <T>(action: (store: OpcUaCertificateStore) => Promise<T>): Promise<T> =>
    OpcUaCertificateStore.using(opcUaPkiDir(settingsOrExit().dataDir), action).catch((error: unknown) => {
      throw new CliError((error as Error).message);
    });
  certs
    .command("list")
    .description("trusted and rejected server certificates")
    .action(async () => {
      const lines = await withStore(async (store) => formatCertificates(await store.list()));
      process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "no server certificates yet: a server is listed here (rejected) after a first connection attempt\n");
    });
  for (const [verb, description] of [
    ["trust", "trust a server certificate (thumbprint or a unique prefix of 8+ hex digits)"],
    ["reject", "reject a server certificate"],
    ["remove", "forget a server certificate"],
  ] as const) {
    certs
      .command(`${verb} <thumbprint>`)
      .description(description)
      .action(async (thumbprint: string) => {
        const certificate = await withStore((store) => store[verb](thumbprint));
        process.stdout.write(`${verb === "remove" ? "removed" : `${verb}ed`}: ${formatCertificates([certificate]).join("")}\n`);
      });
  }

  return program;
}

function cliFailure(error: unknown): never {
  throw new CliError(error instanceof Error ? error.message : String(error));
}

function backupPassphrase(fromStdin: boolean | undefined): string | undefined {
  if (fromStdin) return fs.readFileSync(0, "utf8").replace(/\r?\n$/, "");
  return process.env.PETROFLOW_BACKUP_PASSPHRASE || undefined;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("must be a port number (0-65535)");
  return port;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`petroflow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void runCli(process.argv);
}
