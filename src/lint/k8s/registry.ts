/**
 * The annotation registry (annotation-registry.yaml): which keys each controller reads, on which kinds, from which
 * upstream file at which commit. Read once; a malformed registry is a bug in this repo, so it throws.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface AnnotationEntry {
  key: string;
  kinds: string[];
  file?: string;
  fix?: string;
  alias?: boolean;
  writtenBy?: 'controller';
}

export interface Controller {
  id: string;
  title: string;
  repo?: string;
  commit?: string;
  url?: string;
  version: string;
  annotations: AnnotationEntry[];
}

export interface Hint {
  words: string[];
  controller: string;
  say: string;
  fix: string;
}

interface RegistryFile {
  watchedPrefixes: string[];
  hints: Hint[];
  controllers: Controller[];
}

export const registryFile = new URL('./annotation-registry.yaml', import.meta.url);
const registry = parse(readFileSync(registryFile, 'utf8')) as RegistryFile;

export const controllers = registry.controllers;
export const watchedPrefixes = registry.watchedPrefixes;

export function isWatched(key: string): boolean {
  return watchedPrefixes.some((p) => key.startsWith(p));
}

/** Every controller entry for `key` (a key can be read by several controllers). */
export function lookup(key: string): { controller: Controller; entry: AnnotationEntry }[] {
  return controllers.flatMap((controller) => controller.annotations.filter((e) => e.key === key).map((entry) => ({ controller, entry })));
}

/** Where an entry was read: `kubernetes/ingress-gce pkg/annotations/service.go @ acbcf5d6 (v1.41.0-…)`. */
export function describeSource(controller: Controller, entry?: AnnotationEntry): string {
  if (controller.repo) {
    return `${controller.repo} ${entry?.file ?? ''} @ ${controller.commit?.slice(0, 8)} (${controller.version})`.replace('  ', ' ');
  }
  return `${controller.url} (${controller.version})`;
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

const allKeys = [...new Set(controllers.flatMap((c) => c.annotations.filter((e) => !e.writtenBy).map((e) => e.key)))];

/** The known key closest to `key`: first among keys with the same prefix (`cloud.google.com/`), else among all. */
export function nearest(key: string): { key: string; distance: number } | undefined {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/') + 1) : key;
  const samePrefix = allKeys.filter((k) => k.startsWith(prefix));
  const pool = samePrefix.length > 0 ? samePrefix : allKeys;
  let best: { key: string; distance: number } | undefined;
  for (const k of pool) {
    const distance = editDistance(key, k);
    if (!best || distance < best.distance || (distance === best.distance && k < best.key)) best = { key: k, distance };
  }
  return best;
}

/** What an unknown key probably meant, from a word in it (GKE hints only for GKE prefixes). */
export function hintFor(key: string): Hint | undefined {
  const lower = key.toLowerCase();
  const gke = !key.startsWith('nginx.ingress.kubernetes.io/');
  return registry.hints.find((h) => (h.controller !== 'gke' || gke) && h.words.some((w) => lower.includes(w)));
}
