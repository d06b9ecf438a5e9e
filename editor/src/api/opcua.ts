import { apiRequest } from './client';

export interface OpcUaCertificate {
  thumbprint: string;
  status: 'trusted' | 'rejected';
  subject: string;
  applicationUri: string | null;
  notBefore: string;
  notAfter: string;
  expired: boolean;
}

export const opcUaCertificateKeys = { all: ['opcua-certificates'] as const };

export async function fetchOpcUaCertificates(signal?: AbortSignal): Promise<OpcUaCertificate[]> {
  return ((await apiRequest('/api/v1/opcua/certificates', { signal })) as { certificates: OpcUaCertificate[] }).certificates;
}

export type CertificateAction = 'trust' | 'reject' | 'remove';

export async function changeOpcUaCertificate(thumbprint: string, action: CertificateAction): Promise<void> {
  const path = `/api/v1/opcua/certificates/${encodeURIComponent(thumbprint)}`;
  await apiRequest(action === 'remove' ? path : `${path}/${action}`, { method: action === 'remove' ? 'DELETE' : 'POST' });
}
