/**
 * One lint run: read every file (manifests with positions, nginx configs through the real grammar, nginx configs
 * held in ConfigMaps), judge the manifests of each folder together as one set (a Service in one file, its
 * BackendConfig in another), judge each nginx config with the health paths the manifests declare, then apply
 * inline suppressions.
 * Bad input (a missing file, YAML or nginx syntax that does not parse) throws LintInputError.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { annotationRules } from './k8s/rules-annotations';
import { affinityRules } from './k8s/rules-affinity';
import { backendConfigRules } from './k8s/rules-backendconfig';
import { healthPaths } from './k8s/health-paths';
import { ingressNginxRules } from './k8s/rules-ingress-nginx';
import { ManifestSet } from './k8s/model';
import { routingRules } from './k8s/rules-routing';
import { serviceRules } from './k8s/rules-service';
import { collectFiles, displayName, type LintFile } from './collect';
import { resolveIncludes } from './nginx/includes';
import { lintNginxConfig } from './nginx/lint-config';
import { type NginxConfig, parseNginx, type PositionMap } from './nginx/parser';
import { NginxSyntaxError } from './nginx/tokenizer';
import { applySuppressions, type SourceComment } from './suppress';
import { type Finding, LintInputError, type LintOptions, severityRank } from './types';
import { yamlComments } from './yaml/comments';
import { type ManifestDoc, parseYamlFile } from './yaml/documents';
import { embeddedNginx } from './yaml/embedded-nginx';

export interface LintReport {
  findings: Finding[];
  files: string[];
  objects: number;
  nginxConfigs: number;
  /** File texts by display name (the text report shows the offending line). */
  texts: Map<string, string>;
}

function read(file: LintFile): string {
  try {
    return readFileSync(file.abs, 'utf8');
  } catch {
    throw new LintInputError(`${file.display}: cannot read the file`);
  }
}

function parseNginxOrFail(text: string, file: string, what: string, map?: PositionMap): NginxConfig {
  try {
    return parseNginx(text, file, map);
  } catch (error) {
    if (error instanceof NginxSyntaxError) throw new LintInputError(`${file}:${error.line}:${error.column}: ${what} is not valid nginx syntax: ${error.reason}`);
    throw error;
  }
}

export function lintFiles(files: LintFile[], options: LintOptions): LintReport {
  const texts = new Map<string, string>();
  const docs: ManifestDoc[] = [];
  const configs: NginxConfig[] = [];
  const comments: SourceComment[] = [];
  for (const file of files) {
    const text = read(file);
    texts.set(file.display, text);
    if (file.kind === 'yaml') {
      const parsed = parseYamlFile(text, file.display);
      docs.push(...parsed.docs);
      comments.push(...yamlComments(text).map((c) => ({ ...c, file: file.display })));
      for (const md of parsed.docs) {
        for (const embedded of embeddedNginx(md)) configs.push(parseNginxOrFail(embedded.text, file.display, embedded.label, embedded.map));
      }
    } else {
      const config = resolveIncludes(parseNginxOrFail(text, file.display, 'the file'), path.dirname(file.abs), (abs) => {
        const name = displayName(abs);
        if (!texts.has(name)) texts.set(name, readFileSync(abs, 'utf8'));
        return name;
      });
      configs.push(config);
    }
  }
  for (const config of configs) comments.push(...config.comments);

  const sets = manifestSets(docs);
  const paths = [...new Set(sets.flatMap(healthPaths))];
  const nginxOptions = { ...options, healthPaths: options.healthPaths.length > 0 ? options.healthPaths : paths };
  const findings = [
    ...annotationRules(docs),
    ...sets.flatMap((set) => [
      ...serviceRules(set),
      ...backendConfigRules(set, options),
      ...affinityRules(set),
      ...routingRules(set),
      ...ingressNginxRules(set, options),
    ]),
    ...configs.flatMap((c) => lintNginxConfig(c, nginxOptions)),
  ];
  return {
    findings: sortFindings(dedupe(applySuppressions(findings, comments, texts))),
    files: files.map((f) => f.display),
    objects: docs.length,
    nginxConfigs: configs.length,
    texts,
  };
}

/**
 * The objects of one folder form one set, as `kubectl apply -f <folder>` applies them: linting `kind/` must not
 * judge the healthy Service with the broken set's BackendConfig of the same name.
 */
function manifestSets(docs: ManifestDoc[]): ManifestSet[] {
  const byDir = new Map<string, ManifestDoc[]>();
  for (const d of docs) byDir.set(path.dirname(d.file), [...(byDir.get(path.dirname(d.file)) ?? []), d]);
  return [...byDir.values()].map((group) => new ManifestSet(group));
}

export function lintPaths(paths: string[], options: LintOptions): LintReport {
  return lintFiles(collectFiles(paths), options);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\0${f.file}\0${f.line}\0${f.column}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** The highest severity found, or undefined when there is none. */
export function highestSeverity(findings: Finding[]): Finding['severity'] | undefined {
  return findings.reduce<Finding['severity'] | undefined>((top, f) => (!top || severityRank[f.severity] > severityRank[top] ? f.severity : top), undefined);
}
