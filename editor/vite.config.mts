import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const runtimeOrigin = 'http://localhost:1880';

// In production the server maps /login to login.html; the dev server has to do
// the same, or its SPA fallback would answer /login with the app shell.
function loginRoute(): Plugin {
  return {
    name: 'petroflow-login-route',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '';
        if (url === '/login' || url.startsWith('/login?')) {
          req.url = `/login.html${url.slice('/login'.length)}`;
        }
        next();
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), loginRoute()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The server reads .vite/manifest.json to find the assets login.html needs,
    // so it can serve exactly those to visitors without a session.
    manifest: true,
    rolldownOptions: {
      input: {
        app: fileURLToPath(new URL('./index.html', import.meta.url)),
        login: fileURLToPath(new URL('./login.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: runtimeOrigin, ws: true },
      '/editor': { target: runtimeOrigin, ws: true },
      '/healthz': { target: runtimeOrigin },
    },
  },
});
