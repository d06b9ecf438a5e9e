import { webcrypto } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import helper from "node-red-node-test-helper";
import { crypto_utils } from "node-opcua";
import type { NodeStatus } from "../../../nodes/shared/node-red-types.js";

/** What the OPC UA node tests do with a loaded node (helper nodes and Catch nodes included). */
interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
  status(status: NodeStatus): void;
}

function testNode(id: string): TestNode {
  return helper.getNode(id) as TestNode;
}

/** The next message reaching a helper node. */
export function nextMessage(id: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => testNode(id).on("input", resolve));
}

export function send(id: string, msg: Record<string, unknown>): void {
  testNode(id).receive(msg);
}

/** Every message reaching a helper node from now on. */
export function collect(id: string): Record<string, unknown>[] {
  const received: Record<string, unknown>[] = [];
  testNode(id).on("input", (msg) => received.push(msg));
  return received;
}

/** Every status a node shows from now on (the wrapped status() still reaches Node-RED). */
export function recordStatuses(id: string): NodeStatus[] {
  const node = testNode(id);
  const shown: NodeStatus[] = [];
  const original = node.status.bind(node);
  node.status = (status: NodeStatus) => {
    shown.push(status);
    original(status);
  };
  return shown;
}

export async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends until a reply (not a Catch) comes back on `out`: the endpoint may still be connecting. */
export async function ask(id: string, msg: Record<string, unknown>, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = nextMessage("out");
    const caught = nextMessage("caught");
    send(id, msg);
    const result = await Promise.race([reply.then((m) => ({ ok: true, m })), caught.then((m) => ({ ok: false, m }))]);
    if (result.ok) return result.m;
    if (Date.now() > deadline) throw new Error(`no reply: ${(result.m.error as { message: string }).message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Sends until the error a Catch node reports matches `pattern` (earlier errors say the endpoint is still connecting); returns it. */
export async function askForError(id: string, msg: Record<string, unknown>, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const caught = nextMessage("caught");
    send(id, msg);
    const message = ((await caught).error as { message: string }).message;
    if (pattern.test(message)) return message;
    if (Date.now() > deadline) throw new Error(`no error matching ${pattern}; last: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface UserCertificate {
  certificateFile: string;
  privateKeyFile: string;
  /** The certificate, DER: what a server's user certificate store trusts. */
  der: Buffer;
}

/** A self-signed X.509 user certificate (PEM file) and its RSA private key (PEM file) in `dir`. */
export async function makeUserCertificate(dir: string, user: string): Promise<UserCertificate> {
  fs.mkdirSync(dir, { recursive: true });
  // node-opcua-crypto types it with the DOM's global CryptoKey, which Node's types lack.
  const privateKey = (await crypto_utils.generatePrivateKey(2048)) as webcrypto.CryptoKey;
  const { privPem } = await crypto_utils.privateKeyToPEM(privateKey);
  const { cert } = await crypto_utils.createSelfSignedCertificate({
    privateKey,
    subject: `/CN=${user}/O=Petroflow test`,
    purpose: crypto_utils.CertificatePurpose.ForUserAuthentication,
    validity: 30,
  });
  const certificateFile = path.join(dir, `${user}.pem`);
  const privateKeyFile = path.join(dir, `${user}.key.pem`);
  fs.writeFileSync(certificateFile, cert);
  fs.writeFileSync(privateKeyFile, privPem, { mode: 0o600 });
  return { certificateFile, privateKeyFile, der: crypto_utils.convertPEMtoDER(cert) };
}
