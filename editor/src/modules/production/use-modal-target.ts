import { useCallback, useState } from 'react';

/** What a modal is about; it outlives the closing so the dialog keeps its content while it fades out. */
export function useModalTarget<T>() {
  const [state, setState] = useState<{ opened: boolean; target: T | null }>({ opened: false, target: null });
  const open = useCallback((target: T) => setState({ opened: true, target }), []);
  const close = useCallback(() => setState((current) => ({ ...current, opened: false })), []);
  return { opened: state.opened, target: state.target, open, close };
}
