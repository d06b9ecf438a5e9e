import type http from "node:http";
import path from "node:path";
import type { RequestHandler } from "express";
import type { AuthService, Principal } from "../auth/auth-service.js";
import { outsideUnitOfWork } from "../db/unit-of-work.js";
import { EDITOR_ROLE, roleAtLeast } from "../auth/roles.js";
import type { PetroflowServices } from "../../nodes/shared/petroflow-services.js";
import type { Logger } from "../observability/logger.js";
import type { FlowRuntime } from "./flow-service.js";
import type { FlowNode } from "./flow-validation.js";
import { excludedNodeFiles, type HostAccessPolicy } from "./host-nodes.js";
import type { NodeRedStorageModule } from "./node-red-storage.js";
import type { InstalledNodePackage, NodeRedModules } from "../node-packages/node-packages.js";

/** The part of Node-RED's embedding API that Petroflow uses. */
interface NodeRedApi {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: RequestHandler;
  httpNode: RequestHandler;
  version: string | (() => string);
  events: { on(event: string, listener: (...args: unknown[]) => void): void; removeAllListeners(event: string): void };
  nodes: { getType(type: string): unknown };
  hooks: { add(hook: string, callback: (event: InstallEvent) => void): void };
  runtime: {
    nodes: {
      addModule(options: { user: { username: string }; tarball: { name: string; size: number; buffer: Buffer } }): Promise<unknown>;
      removeModule(options: { user: { username: string }; module: string }): Promise<void>;
      getNodeList(options: { user?: { username: string } }): Promise<NodeSetInfo[]>;
      getModuleInfo(options: { module: string }): Promise<{ version: string; user?: boolean; pending_version?: string; nodes: NodeSetInfo[] }>;
    };
    flows: {
      setFlows(options: {
        flows: { flows: FlowNode[]; credentials?: Record<string, unknown> };
        deploymentType: "full";
        user: { username: string };
      }): Promise<{ rev: string }>;
    };
  };
}

/** What Node-RED's preInstall / preUninstall hooks get: the npm command line they may still change. */
interface InstallEvent {
  module: string;
  url?: string;
  dir: string;
  args: string[];
}

/** One node set of Node-RED's registry (GET /editor/nodes). */
interface NodeSetInfo {
  module?: string;
  types: string[];
}

// Node-RED ships no types for its embedding API; this is the one cast.
const RED = require("node-red") as NodeRedApi;

/** The part of a socket.io socket the dashboard gate reads. */
interface DashboardSocket {
  request: http.IncomingMessage;
  handshake: { xdomain: boolean };
}

/** Node-RED log levels (numbers) to pino levels. */
const LEVELS: Record<number, "fatal" | "error" | "warn" | "info" | "debug" | "trace"> = {
  10: "fatal",
  20: "error",
  30: "warn",
  40: "info",
  50: "debug",
  60: "trace",
  98: "info",
  99: "debug",
};

interface NodeRedLogMessage {
  level: number;
  msg: unknown;
  type?: string;
  id?: string;
  name?: string;
  event?: string;
}

export interface NodeRedHostOptions {
  server: http.Server;
  userDir: string;
  /** Directories Node-RED loads node packages from: the project root, so package.json "node-red" registers our nodes. */
  nodesDirs: string[];
  storage: NodeRedStorageModule;
  credentialSecret: string;
  auth: AuthService;
  sessionTtlHours: number;
  flowMaxBytes: number;
  /** Host nodes (exec, file…) and function modules: off unless the site turns them on. */
  hostAccess: HostAccessPolicy;
  /** PETROFLOW_ALLOW_NODE_INSTALL: the palette manager offers tarball upload and Node-RED's installer runs (offline, no scripts). */
  allowNodeInstall: boolean;
  logger: Logger;
  /** Who a raw request (a socket.io handshake) comes from, for Dashboard 2.0's live connection. */
  authenticateRequest: (req: http.IncomingMessage) => Promise<Principal | null>;
  /** Shared with nodes as RED.settings.petroflow. */
  services: PetroflowServices;
}

/**
 * Node-RED's apps are express 4; ours is express 5. Express 5 defines
 * req.query as a prototype getter, so express 4's query parser sees it set
 * and skips, then swaps the prototype and the getter is gone (req.query
 * undefined, e.g. http response nodes crash). Pinning it as an own property
 * before handing over keeps both happy.
 */
function forExpress4(app: RequestHandler): RequestHandler {
  return (req, res, next) => {
    Object.defineProperty(req, "query", { value: { ...req.query }, writable: true, configurable: true, enumerable: true });
    app(req, res, next);
  };
}

function editorUser(principal: Principal | null): { username: string; permissions: string } | null {
  return principal && roleAtLeast(principal.user.role, EDITOR_ROLE) ? { username: principal.user.username, permissions: "*" } : null;
}

export interface NodeRedHost {
  httpAdmin: RequestHandler;
  httpNode: RequestHandler;
  runtime: FlowRuntime;
  /** Node packages in the user dir, through Node-RED's own installer (runtime/node-packages/). */
  modules: NodeRedModules;
  version: string;
  flowsStarted(): boolean;
  /** Starts Node-RED and resolves once its flows run (or after timeoutMs, with false). */
  start(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Node-RED 5 embedded in our HTTP server: editor and admin API at /editor,
 * HTTP-in endpoints at /endpoints, flows in our database, users from our
 * auth service (engineer and up may open the editor).
 */
export function createNodeRedHost(options: NodeRedHostOptions): NodeRedHost {
  const log = options.logger.child({ component: "node-red" });
  /**
   * Node-RED calls its adminAuth hooks as `.then(...)` with no rejection
   * handler (passport strategies), so a hook that rejects (the database
   * away) is an unhandled rejection, which ends the process. A failed
   * lookup refuses instead; the editor gate turns that refusal into 503
   * when the database failed meanwhile.
   */
  const refusingOnFailure =
    <Args extends unknown[], User>(hook: string, lookup: (...args: Args) => Promise<User | null>) =>
    async (...args: Args): Promise<User | null> => {
      try {
        return await lookup(...args);
      } catch (error) {
        log.warn({ err: error, hook }, "an editor login lookup failed; refused");
        return null;
      }
    };
  let started = false;
  const settings: Record<string, unknown> = {
    SKIP_BUILD_CHECK: true,
    uiHost: "127.0.0.1",
    httpAdminRoot: "/editor",
    httpNodeRoot: "/endpoints",
    userDir: options.userDir,
    nodesDir: options.nodesDirs,
    storageModule: options.storage,
    credentialSecret: options.credentialSecret,
    apiMaxLength: options.flowMaxBytes,
    flowFilePretty: false,
    // Only tarballs an admin uploads (docs/sdk.md): never the registry, never a catalogue, never modules for function nodes.
    externalModules: {
      autoInstall: false,
      palette: { allowInstall: options.allowNodeInstall, allowUpload: options.allowNodeInstall, allowUpdate: options.allowNodeInstall },
      modules: { allowInstall: false },
    },
    nodesExcludes: excludedNodeFiles(options.hostAccess),
    functionExternalModules: options.hostAccess.allowFunctionModules,
    editorTheme: {
      projects: { enabled: false },
      tours: false,
      page: { title: "Petroflow · Flows" },
      // No catalogue: the palette manager's install tab would fetch one from the internet.
      palette: { catalogues: [] },
      header: { title: "Petroflow" },
      multiplayer: { enabled: false },
    },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    runtimeState: { enabled: false },
    adminAuth: {
      type: "credentials",
      sessionExpiryTime: Math.round(options.sessionTtlHours * 3600),
      users: refusingOnFailure("users", async (username: string) => {
        const user = await options.auth.findUserByName(username);
        return user && !user.disabled && roleAtLeast(user.role, EDITOR_ROLE) ? { username: user.username, permissions: "*" } : null;
      }),
      // The password grant is answered by our gate (runtime/http/editor-gate.ts)
      // under the site's login limits; Node-RED never checks a password itself.
      authenticate: async () => null,
      // Our bearer tokens (the web app's editor token, API tokens) also open the admin API.
      tokens: refusingOnFailure("tokens", async (token: string) => editorUser(await options.auth.resolveBearer(token))),
      tokenHeader: "authorization",
    },
    logging: {
      console: { level: "off" },
      petroflow: {
        level: "info",
        audit: true,
        handler: () => (message: NodeRedLogMessage) => {
          const level = LEVELS[message.level] ?? "info";
          const text =
            typeof message.msg === "string"
              ? message.msg
              : message.msg instanceof Error
                ? (message.msg.stack ?? message.msg.message)
                : JSON.stringify(message.msg);
          log[level]({ nodeType: message.type, nodeId: message.id, nodeName: message.name, event: message.event }, text);
        },
      },
    },
    petroflow: options.services,
    // Dashboard 2.0's pages are served on httpNode (behind our login gate),
    // but its socket.io endpoint is attached to the server directly: this is
    // the gate for it. Same login, same-origin only.
    dashboard: {
      ioMiddleware: (socket: DashboardSocket, next: (error?: Error) => void) => {
        if (socket.handshake.xdomain !== false) {
          next(new Error("cross-origin dashboard connections are refused"));
          return;
        }
        options.authenticateRequest(socket.request).then(
          (principal) => next(principal ? undefined : new Error("login required")),
          (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
        );
      },
    },
  };
  RED.init(options.server, settings);
  // Every npm run of Node-RED's installer: no lifecycle scripts (a package is
  // code; its install scripts would run before anyone checked it) and no
  // network (the site is offline; a tarball's dependencies travel inside it).
  const offline = (event: InstallEvent) => {
    event.args.push("--ignore-scripts", "--offline", "--registry=http://127.0.0.1:9/");
  };
  RED.hooks.add("preInstall.petroflow", (event) => {
    if (!options.allowNodeInstall) throw new Error("installing node packages is off on this site");
    // Only the tarballs Node-RED itself wrote under the user dir: never a registry name or a URL.
    if (!event.url || !path.resolve(event.url).startsWith(path.join(options.userDir, "nodes") + path.sep)) {
      throw new Error(`only uploaded tarballs are installed on this site, not ${event.url ?? event.module}`);
    }
    offline(event);
  });
  RED.hooks.add("preUninstall.petroflow", offline);
  RED.events.on("flows:started", () => {
    started = true;
  });
  RED.events.on("flows:stopped", () => {
    started = false;
  });

  return {
    httpAdmin: forExpress4((req, res, next) => RED.httpAdmin(req, res, next)),
    httpNode: forExpress4((req, res, next) => RED.httpNode(req, res, next)),
    get version() {
      return typeof RED.version === "function" ? RED.version() : RED.version;
    },
    runtime: {
      async deploy(flows, credentials, user) {
        // Node-RED cannot roll a deploy back, so its revision commits on its
        // own, not in a keyed request's unit of work; and the flows it starts
        // must not inherit the request's context. A repeated deploy of the
        // same flows makes no revision, so a retried request stays harmless.
        await outsideUnitOfWork(() =>
          RED.runtime.flows.setFlows({
            flows: credentials ? { flows, credentials } : { flows },
            deploymentType: "full",
            user: { username: user },
          }),
        );
      },
      isKnownType(type) {
        return RED.nodes.getType(type) !== undefined;
      },
    },
    modules: {
      async install(tarball, fileName, user) {
        await RED.runtime.nodes.addModule({ user: { username: user }, tarball: { name: fileName, size: tarball.length, buffer: tarball } });
      },
      async remove(name, user) {
        await RED.runtime.nodes.removeModule({ user: { username: user }, module: name });
      },
      async list() {
        const modules = new Set<string>();
        for (const set of await RED.runtime.nodes.getNodeList({})) if (set.module) modules.add(set.module);
        const installed: InstalledNodePackage[] = [];
        for (const name of [...modules].sort()) {
          // `user`: installed in the user dir (listed in its package.json), not shipped with Petroflow or Node-RED.
          const info = await RED.runtime.nodes.getModuleInfo({ module: name });
          if (!info.user) continue;
          installed.push({
            name,
            version: info.version,
            types: [...new Set(info.nodes.flatMap((set) => set.types))].sort(),
            ...(info.pending_version ? { pendingVersion: info.pending_version } : {}),
          });
        }
        return installed;
      },
    },
    flowsStarted: () => started,
    async start(timeoutMs) {
      // RED.start() resolves before the flows are started; "ready" must mean running flows.
      const flowsRunning = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        RED.events.on("flows:started", () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      await RED.start();
      return started || (await flowsRunning);
    },
    async stop() {
      await RED.stop();
      started = false;
      RED.events.removeAllListeners("flows:started");
      RED.events.removeAllListeners("flows:stopped");
    },
  };
}
