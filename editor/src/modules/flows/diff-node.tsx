import { Text } from '@mantine/core';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { CSSProperties } from 'react';
import type { DiffNode } from './diff-graph';
import { paletteVar, STATUS_COLOR } from './diff-palette';

const HIDDEN_HANDLE: CSSProperties = { opacity: 0, pointerEvents: 'none' };

export function DiffNodeView({ id, data, selected }: NodeProps<DiffNode>) {
  const color = STATUS_COLOR[data.status];
  const removed = data.status === 'removed';
  const style: CSSProperties = {
    border: `2px ${removed ? 'dashed' : 'solid'} ${paletteVar(color, 6)}`,
    borderRadius: 6,
    background: paletteVar(color, data.size ? 0 : 1),
    // Groups are faded further so the nodes inside them stay readable.
    opacity: data.size ? 0.6 : removed ? 0.85 : 1,
    boxShadow: selected ? `0 0 0 3px ${paletteVar('blue', 4)}` : undefined,
    cursor: data.status === 'changed' ? 'pointer' : 'default',
    ...(data.size
      ? { width: data.size.width, height: data.size.height, padding: 6 }
      : { minWidth: 120, maxWidth: 240, padding: '6px 10px' }),
  };
  return (
    <div
      data-testid={`diff-node-${id}`}
      data-diff-status={data.status}
      data-rewired={data.rewired ? 'true' : undefined}
      title={`${data.label} (${data.nodeType})`}
      style={style}
    >
      {/* Wires are drawn from the right edge to the left edge, as in Node-RED;
          the handles only anchor them and must not invite new connections. */}
      <Handle type="target" position={Position.Left} isConnectable={false} style={HIDDEN_HANDLE} />
      <Text size="xs" fw={600} truncate td={removed ? 'line-through' : undefined}>
        {data.label}
      </Text>
      {data.label !== data.nodeType && (
        <Text size="xs" c="dimmed" truncate>
          {data.nodeType}
        </Text>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} style={HIDDEN_HANDLE} />
    </div>
  );
}
