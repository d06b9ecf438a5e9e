// The slice of node-red-node-test-helper's API our node tests use (it ships no types).
declare module "node-red-node-test-helper" {
  interface TestHelper {
    init(nodeRedRuntimePath: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings: Record<string, unknown>): Record<string, unknown>;
    load(
      testNode: unknown,
      testFlow: Record<string, unknown>[],
      testCredentials?: Record<string, unknown>,
    ): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): unknown;
    startServer(): Promise<void>;
    stopServer(): Promise<void>;
    /** supertest against the admin app the loaded nodes registered their endpoints on. */
    request(): import("supertest").Agent;
  }
  const helper: TestHelper;
  export = helper;
}
