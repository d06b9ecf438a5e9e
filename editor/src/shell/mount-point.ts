export function mountPoint(): HTMLElement {
  const element = document.getElementById('root');
  if (element === null) throw new Error('The page has no #root element to mount into');
  return element;
}
