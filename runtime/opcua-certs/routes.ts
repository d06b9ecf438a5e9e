import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { AuditService } from "../audit/audit-service.js";
import { clientIp } from "../auth/routes.js";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import type { OpcUaCertificateStore, StoredCertificate } from "./certificate-store.js";

const CertificateSchema = Type.Object({
  thumbprint: Type.String(),
  status: Type.Union([Type.Literal("trusted"), Type.Literal("rejected")]),
  subject: Type.String(),
  applicationUri: Type.Union([Type.String(), Type.Null()]),
  notBefore: Type.String(),
  notAfter: Type.String(),
  expired: Type.Boolean(),
});

const ThumbprintParams = Type.Object({ thumbprint: Type.String({ pattern: "^[0-9A-Fa-f:]{8,59}$" }) });

function publicCertificate(certificate: StoredCertificate): Omit<StoredCertificate, "file"> {
  const { file: _file, ...shown } = certificate;
  return shown;
}

/**
 * The site's OPC UA certificate store over HTTP, beside the CLI. The store
 * (and node-opcua with it) is loaded per request, so a site that never
 * touches OPC UA does not carry it.
 */
export function registerOpcUaCertificateRoutes(router: Router, routes: RouteRegistry, pkiDir: string, audit: AuditService): void {
  const withStore = async <T>(action: (store: OpcUaCertificateStore) => Promise<T>): Promise<T> => {
    const { OpcUaCertificateStore, CertificateLookupError } = await import("./certificate-store.js");
    return OpcUaCertificateStore.using(pkiDir, action).catch((error: unknown) => {
      if (!(error instanceof CertificateLookupError)) throw error;
      if (error.kind === "not_found") throw new HttpError(404, "not_found", error.message);
      throw new HttpError(400, "invalid_input", error.message, {
        field: "thumbprint",
        ...(error.kind === "ambiguous" ? { reason: "thumbprint_ambiguous", params: { count: error.count } } : { reason: "thumbprint_invalid" }),
      });
    });
  };

  routes.add(router, {
    method: "get",
    path: "/opcua/certificates",
    summary: "OPC UA server certificates the site trusts or has rejected",
    tags: ["opcua"],
    role: "engineer",
    schemas: { responses: { 200: Type.Object({ certificates: Type.Array(CertificateSchema) }) } },
    handler: async ({ res }) => {
      res.json({ certificates: (await withStore((store) => store.list())).map(publicCertificate) });
    },
  });

  for (const action of ["trust", "reject"] as const) {
    routes.add(router, {
      method: "post",
      path: `/opcua/certificates/:thumbprint/${action}`,
      summary: action === "trust" ? "Trust a server certificate (the OPC UA nodes use it from their next reconnect)" : "Reject a server certificate",
      tags: ["opcua"],
      audit: { actions: [`opcua_certificate.${action}`], rows: { 200: 1 } },
      role: "admin",
      schemas: { params: ThumbprintParams, responses: { 200: Type.Object({ certificate: CertificateSchema }), 404: null } },
      handler: async ({ req, res, params, principal }) => {
        const certificate = await withStore((store) => store[action](params.thumbprint));
        await audit.record({
          actor: principal.user.username,
          action: `opcua_certificate.${action}`,
          entityType: "opcua_certificate",
          entityId: certificate.thumbprint,
          after: publicCertificate(certificate),
          ip: clientIp(req),
        });
        res.json({ certificate: publicCertificate(certificate) });
      },
    });
  }

  routes.add(router, {
    method: "delete",
    path: "/opcua/certificates/:thumbprint",
    summary: "Forget a server certificate (a server presenting it again is rejected as unknown)",
    tags: ["opcua"],
    audit: { actions: ["opcua_certificate.remove"], rows: { 204: 1 } },
    role: "admin",
    schemas: { params: ThumbprintParams, responses: { 204: null, 404: null } },
    handler: async ({ req, res, params, principal }) => {
      const certificate = await withStore((store) => store.remove(params.thumbprint));
      await audit.record({
        actor: principal.user.username,
        action: "opcua_certificate.remove",
        entityType: "opcua_certificate",
        entityId: certificate.thumbprint,
        before: publicCertificate(certificate),
        ip: clientIp(req),
      });
      res.status(204).end();
    },
  });
}
