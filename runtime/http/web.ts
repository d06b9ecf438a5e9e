import fs from "node:fs";
import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { principalOf, requireLogin } from "./auth-middleware.js";

interface ManifestChunk {
  file: string;
  css?: string[];
  assets?: string[];
  imports?: string[];
}

/**
 * The files the login page needs, read from Vite's manifest: the only
 * static files served without a session.
 */
export function loginPageFiles(webDir: string): Set<string> {
  const manifestFile = path.join(webDir, ".vite", "manifest.json");
  const files = new Set<string>(["/login.html"]);
  if (!fs.existsSync(manifestFile)) return files;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Record<string, ManifestChunk>;
  const visit = (key: string, seen: Set<string>) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    files.add(`/${chunk.file}`);
    for (const css of chunk.css ?? []) files.add(`/${css}`);
    for (const asset of chunk.assets ?? []) files.add(`/${asset}`);
    for (const imported of chunk.imports ?? []) visit(imported, seen);
  };
  visit("login.html", new Set());
  return files;
}

const API_PREFIXES = ["/api/", "/editor", "/endpoints", "/healthz", "/metrics"];

/**
 * The web app: /login (public, with its assets), then everything else only
 * with a session; unknown paths fall back to the app (client-side routes).
 */
export function webRouter(webDir: string): Router {
  const router = express.Router();
  const publicFiles = loginPageFiles(webDir);
  const staticFiles = express.static(webDir, { index: false, fallthrough: true, maxAge: "1h" });
  const appHtml = path.join(webDir, "index.html");
  const loginHtml = path.join(webDir, "login.html");
  const loginFirst = requireLogin("/login");
  const sendHtml = (file: string, res: Response) => {
    if (!fs.existsSync(file)) {
      res.status(503).type("text/plain").send("The web app is not built: run `npm run build`.");
      return;
    }
    res.setHeader("Cache-Control", "no-store");
    res.sendFile(file);
  };

  router.get(["/login", "/login.html"], (_req, res) => sendHtml(loginHtml, res));
  router.use((req: Request, res, next) => {
    if (publicFiles.has(req.path) || principalOf(res)) {
      staticFiles(req, res, next);
      return;
    }
    next();
  });
  router.get(/.*/, (req, res, next) => {
    if (API_PREFIXES.some((prefix) => req.path.startsWith(prefix)) || path.extname(req.path) !== "") {
      next();
      return;
    }
    if (!principalOf(res)) {
      // Same answer as every other area: a redirect for a browser navigation, 401 JSON for a script.
      loginFirst(req, res, next);
      return;
    }
    sendHtml(appHtml, res);
  });
  return router;
}
