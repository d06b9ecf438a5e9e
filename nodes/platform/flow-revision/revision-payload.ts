import type { RevisionInfo } from "../../shared/petroflow-services.js";

export interface RevisionPayload {
  siteId: string;
  revision: number;
  sha256: string;
  author: string | null;
  message: string;
  deployedAt: string;
}

/** The message payload for the running revision (pure, so it is tested without Node-RED). */
export function revisionPayload(siteId: string, revision: RevisionInfo | null): RevisionPayload {
  if (!revision) throw new Error("no flow revision is stored yet");
  return {
    siteId,
    revision: revision.number,
    sha256: revision.sha256,
    author: revision.author,
    message: revision.message,
    deployedAt: revision.createdAt,
  };
}
