/** The localStorage key Node-RED's editor uses for its tokens when served at /editor/. */
export const EDITOR_TOKEN_STORAGE_KEY = 'auth-tokens-editor';

/** Called on sign-out so a shared terminal does not keep a usable editor token. */
export function forgetEditorToken(): void {
  localStorage.removeItem(EDITOR_TOKEN_STORAGE_KEY);
}
