import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isRole, type Role } from "../../runtime/auth/roles.js";
import type { FlowNode } from "../../runtime/flows/flow-validation.js";
import type { ErrorBody } from "../../runtime/http/errors.js";
import { SiteClient } from "../helpers/http-client.js";
import { ADMIN_PASSWORD, MAIN_JS } from "../helpers/site-process.js";
import { skipWithReason } from "../helpers/skip-report.js";

/**
 * Shared plumbing for the integration suites: fixtures, role-specific
 * clients, Node-RED admin API calls and polling for asynchronous effects.
 */

export type Backend = "pglite" | "postgres";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "flows");

/** Call first in a backend suite's before hook: PostgreSQL needs a server. */
export function skipUnlessAvailable(context: Mocha.Context, backend: Backend): void {
  if (backend === "postgres" && !process.env.TEST_DATABASE_URL) {
    skipWithReason(context, "TEST_DATABASE_URL is not set (no PostgreSQL server)");
  }
}

export function loadFixture(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as FlowNode[];
}

/** The hello fixture with another reply text on its change node. */
export function withGreeting(flows: readonly FlowNode[], greeting: string): FlowNode[] {
  return flows.map((node) =>
    node.id === "change-hello"
      ? { ...node, rules: [{ t: "set", p: "payload", pt: "msg", to: greeting, tot: "str" }] }
      : { ...node },
  );
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (value === null || typeof value !== "object") return false;
  const error = (value as { error?: unknown }).error;
  return error !== null && typeof error === "object" && typeof (error as { code?: unknown }).code === "string";
}

/** Reads an error response; throws (failing the test) when it is not our error shape. */
export async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  const text = await response.text();
  const body: unknown = JSON.parse(text);
  if (!isErrorBody(body)) throw new Error(`not an error body (HTTP ${response.status}): ${text}`);
  return body.error;
}

export interface Poll<T> {
  value: T;
  satisfied: boolean;
}

/**
 * Node-RED answers a deploy before the new flows have started, and the site
 * logs "ready" before its flows start; effects of either are polled for.
 */
export async function poll<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 10_000): Promise<Poll<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return { value, satisfied: true };
    if (Date.now() >= deadline) return { value, satisfied: false };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TextResponse {
  status: number;
  text: string;
}

/**
 * GET with the client's bearer token and a deadline. A request that reaches
 * an HTTP-in node while a deploy replaces the next node loses its message in
 * Node-RED and is never answered, so one probe must not wait forever.
 */
export async function getText(client: SiteClient, pathname: string, timeoutMs = 5_000): Promise<TextResponse> {
  if (!client.bearer) throw new Error("getText needs a client with a bearer token");
  try {
    const response = await fetch(client.baseUrl + pathname, {
      headers: { authorization: `Bearer ${client.bearer}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") return { status: 0, text: `no answer within ${timeoutMs} ms` };
    throw error;
  }
}

/** Polls an HTTP-in endpoint until it answers 200 with the expected text. */
export async function endpointAnswers(client: SiteClient, pathname: string, expected: string): Promise<TextResponse> {
  const polled = await poll(
    () => getText(client, pathname, 1_000),
    (response) => response.status === 200 && response.text === expected,
  );
  return polled.value;
}

export async function adminClient(url: string): Promise<SiteClient> {
  const client = new SiteClient(url);
  await client.login("admin", ADMIN_PASSWORD);
  return client;
}

export function passwordFor(username: string): string {
  return `${username}-password-123`;
}

/** Creates a user through the API as the admin; its password comes from passwordFor. */
export async function createUser(admin: SiteClient, username: string, role: Role): Promise<{ id: string }> {
  const created = await admin.json<{ user: { id: string } }>(
    "POST",
    "/api/v1/users",
    { username, role, password: passwordFor(username) },
    201,
  );
  return created.user;
}

export async function sessionAs(url: string, username: string): Promise<SiteClient> {
  const client = new SiteClient(url);
  await client.login(username, passwordFor(username));
  return client;
}

/**
 * The clients a test acts as: the admin, and for each role named a user the
 * admin creates (password from passwordFor), signed in.
 */
export async function sessionsByRole<Users extends Partial<Record<Exclude<Role, "admin">, string>>>(
  url: string,
  users: Users,
): Promise<{ admin: SiteClient } & Record<keyof Users, SiteClient>> {
  const admin = await adminClient(url);
  const sessions: Partial<Record<Role, SiteClient>> = {};
  for (const [role, username] of Object.entries(users)) {
    if (!isRole(role) || username === undefined) continue;
    await createUser(admin, username, role);
    sessions[role] = await sessionAs(url, username);
  }
  return { ...(sessions as Record<keyof Users, SiteClient>), admin };
}

/** An API token for the session's user, and a client that uses only it. */
export async function bearerClientFrom(session: SiteClient, name: string): Promise<SiteClient> {
  const created = await session.json<{ id: string; token: string }>("POST", "/api/v1/auth/tokens", { name }, 201);
  const client = new SiteClient(session.baseUrl);
  client.bearer = created.token;
  return client;
}

/** Node-RED's standard password grant at /editor/auth/token. */
export async function nodeRedTokenRequest(
  url: string,
  username: string,
  password: string,
  encoding: "form" | "json",
): Promise<Response> {
  const fields = { client_id: "node-red-admin", grant_type: "password", scope: "*", username, password };
  return fetch(`${url}/editor/auth/token`, {
    method: "POST",
    headers: { "content-type": encoding === "form" ? "application/x-www-form-urlencoded" : "application/json" },
    body: encoding === "form" ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  });
}

export const NODE_RED_V2 = { "Node-RED-API-Version": "v2" };

/** The running flows and their rev, as the Node-RED editor reads them. */
export async function nodeRedFlows(client: SiteClient): Promise<{ rev: string; flows: FlowNode[] }> {
  const response = await client.request("GET", "/editor/flows", undefined, NODE_RED_V2);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /editor/flows: HTTP ${response.status}: ${text}`);
  return JSON.parse(text) as { rev: string; flows: FlowNode[] };
}

export interface DeployOptions {
  deploymentType?: "full" | "flows" | "nodes";
  message?: string;
}

/** Deploys as the editor does: learn the rev, then POST {flows, rev}. */
export async function deployViaEditorApi(client: SiteClient, flows: readonly FlowNode[], options: DeployOptions = {}): Promise<Response> {
  const { rev } = await nodeRedFlows(client);
  const headers: Record<string, string> = { ...NODE_RED_V2, "content-type": "application/json" };
  if (options.deploymentType) headers["Node-RED-Deployment-Type"] = options.deploymentType;
  if (options.message) headers["X-Petroflow-Deploy-Message"] = options.message;
  return client.request("POST", "/editor/flows", JSON.stringify({ flows, rev }), headers);
}

export interface ExitedProcess {
  code: number | null;
  output: string;
  elapsedMs: number;
}

/**
 * Runs the built site with the given environment until it exits on its own
 * (start-up refusals); kills it and fails if it is still running at the timeout.
 */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 30_000): Promise<ExitedProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<ExitedProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the process did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output, elapsedMs: Date.now() - started });
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every regular file under dir, recursively. */
export function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
