import path from "node:path";

// This file runs from runtime/ (tsx, tests) or dist/runtime/ (built).
const parent = path.resolve(__dirname, "..");

export const PROJECT_ROOT = path.basename(parent) === "dist" ? path.dirname(parent) : parent;
export const DIST_DIR = path.join(PROJECT_ROOT, "dist");
export const WEB_DIR = path.join(DIST_DIR, "web");
export const DEFAULT_FLOWS_FILE = path.join(PROJECT_ROOT, "flows", "default-site.json");
export const DEMO_FLOWS_FILE = path.join(PROJECT_ROOT, "flows", "demo-field.json");
