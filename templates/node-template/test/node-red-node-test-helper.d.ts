// The slice of node-red-node-test-helper's API this test uses (it ships no types).
declare module "node-red-node-test-helper" {
  interface TestHelper {
    init(nodeRedRuntimePath: string, userSettings?: Record<string, unknown>): void;
    settings(userSettings: Record<string, unknown>): Record<string, unknown>;
    load(testNode: unknown, testFlow: Record<string, unknown>[]): Promise<void>;
    unload(): Promise<void>;
    getNode(id: string): { on(event: "input", listener: (msg: Record<string, unknown>) => void): void; receive(msg: Record<string, unknown>): void } | null;
  }
  const helper: TestHelper;
  export = helper;
}
