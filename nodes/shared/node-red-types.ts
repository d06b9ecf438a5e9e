/**
 * The slice of Node-RED's node API our nodes use. Node-RED 5 ships no
 * TypeScript types and @types/node-red describes 1.x, so we declare what we
 * rely on and nothing more.
 */
export interface NodeMessage {
  _msgid?: string;
  topic?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: "red" | "green" | "yellow" | "blue" | "grey";
  shape?: "ring" | "dot";
  text?: string;
}

export type SendFunction = (msg: NodeMessage | (NodeMessage | null)[] | null) => void;
export type DoneFunction = (error?: Error) => void;

export interface NodeInstance {
  id: string;
  name?: string;
  on(event: "input", listener: (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void): void;
  on(event: "close", listener: (removed: boolean, done: () => void) => void): void;
  send: SendFunction;
  status(status: NodeStatus): void;
  error(error: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  /** A node's credentials (only for types registered with `credentials`). */
  credentials?: Record<string, string | undefined>;
}

export interface NodeDefinition {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [property: string]: unknown;
}

/** What registerType accepts besides the constructor. */
export interface NodeTypeOptions {
  credentials?: Record<string, { type: "text" | "password" }>;
  /** Settings of the type (names start with its camelCase name); `exportable` ones reach the editor as RED.settings. */
  settings?: Record<string, { value: unknown; exportable?: boolean }>;
}

export interface NodeRedRuntime {
  nodes: {
    createNode(node: NodeInstance, config: NodeDefinition): void;
    registerType<Config extends NodeDefinition>(type: string, constructor: (this: NodeInstance, config: Config) => void, options?: NodeTypeOptions): void;
    /** A node of the running flows by id (e.g. the config node a worker uses), or null. */
    getNode(id: string): NodeInstance | null;
  };
  settings: Record<string, unknown>;
  _(key: string, substitutions?: Record<string, unknown>): string;
}
