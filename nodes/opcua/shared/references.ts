import { NodeClass, type ReferenceDescription } from "node-opcua";

export interface BrowsedReference {
  nodeId: string;
  browseName: string;
  displayName: string;
  nodeClass: string;
  referenceTypeId: string;
  isForward: boolean;
  typeDefinition: string;
}

/** A browse result's reference as plain JSON for a message. */
export function browsedReference(reference: ReferenceDescription): BrowsedReference {
  return {
    nodeId: reference.nodeId.toString(),
    browseName: reference.browseName.toString(),
    displayName: reference.displayName.text ?? "",
    nodeClass: NodeClass[reference.nodeClass] ?? String(reference.nodeClass),
    referenceTypeId: reference.referenceTypeId.toString(),
    isForward: reference.isForward,
    typeDefinition: reference.typeDefinition.toString(),
  };
}
